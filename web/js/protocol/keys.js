/**
 * Device keys and their signatures (docs/CRYPTO.md §1).
 *
 * Identity = { signing: Ed25519 pair (IKs), dh: X25519 pair (IKd), binding: 64-byte signature,
 *              publicIdentity: IKs_pub || IKd_pub (64 bytes) }
 * SignedPreKey   = { id, keyPair, signature }
 * OneTimePreKey  = { id, keyPair }
 * KemPreKey      = { id, kind: 'last-resort' | 'one-time', keyPair, signature }
 * Capabilities   = { flags, signature }
 *
 * Every signature by IKs is over one of the signed layouts of wire/signed.js (label, 0x00,
 * data: §1.1), so a signature made in one role never verifies in another.
 */

import { concat, b64, unb64 } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import {
  KEM_KINDS, kemKindByte as wireKemKindByte, kemKindName, authBytes, identityBindingBytes, signedPreKeyBytes, kemPreKeyBytes,
  capabilitiesBytes,
} from '../wire/signed.js';
import {
  ed25519Generate, ed25519Sign, ed25519Verify, x25519Generate, mlkemGenerate,
  X25519_KEY_BYTES, ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES, MLKEM768_PUBLIC_KEY_BYTES,
} from './primitives.js';

export const IDENTITY_BYTES = 64;

/** Capability flag: the device accepts X3DH (mode 0x02). Parley clients never set it. */
export const CAP_ACCEPTS_X3DH = 0x01;

/** KEM prekey kinds (wire/signed.js), as named in bundles, keys and PreKeyMessages. */
export const KEM_KIND_LAST_RESORT = KEM_KINDS.LAST_RESORT.name;
export const KEM_KIND_ONE_TIME = KEM_KINDS.ONE_TIME.name;

/** The byte of a KEM prekey kind in signatures and PreKeyMessages; FormatError for an unknown kind. */
export function kemKindByte(kind) {
  try {
    return wireKemKindByte(kind);
  } catch {
    throw new FormatError(`unknown KEM prekey kind: ${kind}`);
  }
}

export function kemKindFromByte(b) {
  try {
    return kemKindName(b);
  } catch {
    throw new FormatError(`unknown KEM prekey kind byte: ${b}`);
  }
}

function sign(signingPrivateKey, bytes) {
  return ed25519Sign(signingPrivateKey, bytes);
}

/** The 64-byte signature of a `register`, `login` or `reset` frame over wire/signed.js `authBytes(fields)`. */
export async function signAuth(identity, fields) {
  return sign(identity.signing.privateKey, authBytes(fields));
}

/**
 * A new identity whose two private keys are extractable, so that this device can later copy
 * the identity into a link message (identity-transfer.js). Identities generated before
 * linking existed hold non-extractable keys: they keep working for everything else.
 */
export async function generateIdentity() {
  return identityFromKeyPairs(await ed25519Generate({ extractable: true }), await x25519Generate({ extractable: true }));
}

/** Builds an identity from existing pairs (storage reload, test vectors) and signs the binding. */
export async function identityFromKeyPairs(signing, dh) {
  const binding = await sign(signing.privateKey, identityBindingBytes(dh.publicKey));
  return { signing, dh, binding, publicIdentity: concat(signing.publicKey, dh.publicKey) };
}

export function splitIdentity(publicIdentity) {
  if (publicIdentity.length !== IDENTITY_BYTES) throw new FormatError('identity must be 64 bytes');
  return { signingKey: publicIdentity.slice(0, 32), dhKey: publicIdentity.slice(32) };
}

export async function verifyIdentityBinding(signingKey, dhKey, binding) {
  return ed25519Verify(signingKey, identityBindingBytes(dhKey), binding);
}

export async function signedPreKeyFromPair(identity, id, keyPair) {
  const signature = await sign(identity.signing.privateKey, signedPreKeyBytes(id, keyPair.publicKey));
  return { id, keyPair, signature };
}

export async function generateSignedPreKey(identity, id) {
  return signedPreKeyFromPair(identity, id, await x25519Generate());
}

/** `count` one-time prekeys with consecutive ids from `firstId` (ids wrap below 0xFFFFFFFF). */
export async function generateOneTimePreKeys(firstId, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push({ id: (firstId + i) % 0xffffffff, keyPair: await x25519Generate() });
  }
  return out;
}

export async function kemPreKeyFromPair(identity, id, kind, keyPair) {
  kemKindByte(kind);
  const signature = await sign(identity.signing.privateKey, kemPreKeyBytes(id, kind, keyPair.publicKey));
  return { id, kind, keyPair, signature };
}

export async function generateKemPreKey(identity, id, kind) {
  return kemPreKeyFromPair(identity, id, kind, await mlkemGenerate());
}

export async function signCapabilities(identity, flags) {
  return { flags, signature: await sign(identity.signing.privateKey, capabilitiesBytes(flags)) };
}

/** Public JSON forms (docs/PROTOCOL.md `register` and `upload_prekeys`), keys as b64. */
export const publicJson = {
  identity: (identity) => ({ signingKey: b64(identity.signing.publicKey), dhKey: b64(identity.dh.publicKey), binding: b64(identity.binding) }),
  capabilities: (caps) => ({ flags: caps.flags, signature: b64(caps.signature) }),
  signedPreKey: (k) => ({ id: k.id, key: b64(k.keyPair.publicKey), signature: b64(k.signature) }),
  oneTimePreKey: (k) => ({ id: k.id, key: b64(k.keyPair.publicKey) }),
  kemPreKey: (k) => ({ id: k.id, kind: k.kind, key: b64(k.keyPair.publicKey), signature: b64(k.signature) }),
};

/**
 * The public bundle JSON of §1.2 for this device's keys; `oneTimePreKey` may be omitted.
 * (The server assembles the same shape from what the device uploads.)
 */
export function publicBundle({ identity, capabilities, signedPreKey, oneTimePreKey, kemPreKey }) {
  const bundle = {
    identity: publicJson.identity(identity),
    capabilities: publicJson.capabilities(capabilities),
    signedPreKey: publicJson.signedPreKey(signedPreKey),
    kemPreKey: publicJson.kemPreKey(kemPreKey),
  };
  if (oneTimePreKey) bundle.oneTimePreKey = publicJson.oneTimePreKey(oneTimePreKey);
  return bundle;
}

/**
 * Parses and verifies a bundle (§1.2). Every signature is checked; any invalid signature or
 * malformed field refuses the bundle as a whole. Returns
 * `{ identity: {signingKey, dhKey, binding, publicIdentity}, capabilities: {flags},
 *    signedPreKey: {id, key}, oneTimePreKey?: {id, key}, kemPreKey?: {id, kind, key} }`
 * with keys as bytes. `kemPreKey` is required unless `allowMissingKem` (X3DH fallback only).
 */
export async function verifyBundle(json, { allowMissingKem = false } = {}) {
  if (!json || typeof json !== 'object') throw new FormatError('bundle: not an object');
  const id = json.identity ?? fail('identity');
  const signingKey = bytesField(id.signingKey, ED25519_KEY_BYTES, 'identity.signingKey');
  const dhKey = bytesField(id.dhKey, X25519_KEY_BYTES, 'identity.dhKey');
  const binding = bytesField(id.binding, ED25519_SIGNATURE_BYTES, 'identity.binding');
  if (!(await verifyIdentityBinding(signingKey, dhKey, binding))) {
    throw new ProtocolError('bad-signature', 'bundle: identity binding signature invalid');
  }

  // Absent capabilities (never uploaded) grant nothing: flags 0, so no X3DH consent.
  let flags = 0;
  if (json.capabilities !== undefined && json.capabilities !== null) {
    const caps = json.capabilities;
    flags = uintField(caps.flags, 0xff, 'capabilities.flags');
    if (!(await ed25519Verify(signingKey, capabilitiesBytes(flags),
      bytesField(caps.signature, ED25519_SIGNATURE_BYTES, 'capabilities.signature')))) {
      throw new ProtocolError('bad-signature', 'bundle: capabilities signature invalid');
    }
  }

  const spk = json.signedPreKey ?? fail('signedPreKey');
  const spkId = uintField(spk.id, 0xffffffff, 'signedPreKey.id');
  const spkKey = bytesField(spk.key, X25519_KEY_BYTES, 'signedPreKey.key');
  if (!(await ed25519Verify(signingKey, signedPreKeyBytes(spkId, spkKey),
    bytesField(spk.signature, ED25519_SIGNATURE_BYTES, 'signedPreKey.signature')))) {
    throw new ProtocolError('bad-signature', 'bundle: signed prekey signature invalid');
  }

  const out = {
    identity: { signingKey, dhKey, binding, publicIdentity: concat(signingKey, dhKey) },
    capabilities: { flags },
    signedPreKey: { id: spkId, key: spkKey },
  };

  if (json.oneTimePreKey !== undefined && json.oneTimePreKey !== null) {
    const opk = json.oneTimePreKey;
    // 0xFFFFFFFF means "no OPK" in a PreKeyMessage, so it is not a valid id.
    out.oneTimePreKey = { id: uintField(opk.id, 0xfffffffe, 'oneTimePreKey.id'), key: bytesField(opk.key, X25519_KEY_BYTES, 'oneTimePreKey.key') };
  }

  if (json.kemPreKey !== undefined && json.kemPreKey !== null) {
    const kem = json.kemPreKey;
    const kemId = uintField(kem.id, 0xffffffff, 'kemPreKey.id');
    const kind = kem.kind;
    kemKindByte(kind);
    const key = bytesField(kem.key, MLKEM768_PUBLIC_KEY_BYTES, 'kemPreKey.key');
    if (!(await ed25519Verify(signingKey, kemPreKeyBytes(kemId, kind, key),
      bytesField(kem.signature, ED25519_SIGNATURE_BYTES, 'kemPreKey.signature')))) {
      throw new ProtocolError('bad-signature', 'bundle: KEM prekey signature invalid');
    }
    out.kemPreKey = { id: kemId, kind, key };
  } else if (!allowMissingKem) {
    throw new FormatError('bundle: kemPreKey missing');
  }
  return out;
}

function fail(field) {
  throw new FormatError(`bundle: ${field} missing`);
}

function bytesField(value, length, field) {
  const bytes = unb64(value);
  if (bytes.length !== length) throw new FormatError(`bundle: ${field} must be ${length} bytes`);
  return bytes;
}

function uintField(value, max, field) {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new FormatError(`bundle: ${field} out of range`);
  return value;
}
