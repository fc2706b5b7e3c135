/**
 * Copying the account identity IK to a new device (docs/CRYPTO.md §10.3): the `identity`
 * object of the link message, `{ signingKey, dhKey, binding, signingPrivate, dhPrivate }`
 * (b64; private keys raw as in the vectors: the Ed25519 seed and the X25519 private key).
 *
 * Only identities whose private keys are extractable can be exported: those made by
 * `generateIdentity` since linking exists, or imported here. An older stored identity is
 * refused with `not-extractable` and a message saying so (such an account approves no device
 * until it resets).
 */

import { b64, unb64, equalBytes } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import { identityFromKeyPairs } from './keys.js';
import { ed25519FromSeed, x25519FromPrivate, exportRawPrivate } from './primitives.js';

/** True when this identity's private keys can be exported into a link message. */
export function identityExportable(identity) {
  return Boolean(identity.signing.privateKey.extractable && identity.dh.privateKey.extractable);
}

/** The link message's `identity` object. Contains private keys: never log or store it elsewhere. */
export async function exportIdentityForLink(identity) {
  if (!identityExportable(identity)) {
    throw new ProtocolError('not-extractable',
      'this identity was created before linking existed and cannot be copied to another device; reset the account to link devices');
  }
  return {
    signingKey: b64(identity.signing.publicKey),
    dhKey: b64(identity.dh.publicKey),
    binding: b64(identity.binding),
    signingPrivate: b64(await exportRawPrivate(identity.signing.privateKey)),
    dhPrivate: b64(await exportRawPrivate(identity.dh.privateKey)),
  };
}

/**
 * The identity from a link message's `identity` object, with extractable keys (the new device
 * may approve devices in turn). The private keys must yield exactly the public keys given and
 * the binding must be the one this identity signs: anything else is `bad-format`.
 */
export async function importLinkedIdentity(json) {
  if (!json || typeof json !== 'object') throw new FormatError('link identity: not an object');
  const field = (name) => {
    const bytes = unb64(json[name]);
    if (bytes.length !== 32 && name !== 'binding') throw new FormatError(`link identity: ${name} must be 32 bytes`);
    return bytes;
  };
  const signing = await ed25519FromSeed(field('signingPrivate'), { extractable: true });
  const dh = await x25519FromPrivate(field('dhPrivate'), { extractable: true });
  if (!equalBytes(signing.publicKey, field('signingKey')) || !equalBytes(dh.publicKey, field('dhKey'))) {
    throw new FormatError('link identity: the private keys do not match the public keys');
  }
  const identity = await identityFromKeyPairs(signing, dh);
  if (!equalBytes(identity.binding, field('binding'))) {
    throw new FormatError('link identity: the binding signature is not this identity\'s');
  }
  return identity;
}
