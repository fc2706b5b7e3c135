/**
 * PQXDH handshake (docs/CRYPTO.md §2, https://signal.org/docs/specifications/pqxdh/) with the
 * X3DH fallback of §2.4.
 *
 * ```
 * DH1 = DH(IKd_A, SPK_B)   DH2 = DH(EK_A, IKd_B)   DH3 = DH(EK_A, SPK_B)   [DH4 = DH(EK_A, OPK_B)]
 * (CT, SS) = KEM.Encaps(PQPK_B)                                            (PQXDH only)
 * SK = HKDF(salt = 0^32, ikm = 0xFF^32 || DH1 || DH2 || DH3 [|| DH4] [|| SS], info, 32)
 * AD = IK_A || IK_B                                                        (128 bytes)
 * ```
 *
 * PreKeyMessage layout (§2.1):
 * ```
 * u8 0x01 | u8 mode | IKs_A(32) | IKd_A(32) | binding(64) | EK_A(32) | u32 spk_id | u32 opk_id
 * [mode 0x01: u32 kem_id | u8 kem_kind | CT(1088)] | RatchetMessage (starts with 0x02)
 * ```
 */

import { concat, u8, u32, utf8, Reader } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import { INFO_PQXDH, INFO_X3DH } from './labels.js';
import { hkdf, x25519, mlkemDecapsulate, MLKEM768_CIPHERTEXT_BYTES } from './primitives.js';
import { CAP_ACCEPTS_X3DH, verifyIdentityBinding, kemKindByte, kemKindFromByte } from './keys.js';
import { KIND_PREKEY } from './header.js';

export const MODE_PQXDH = 0x01;
export const MODE_X3DH = 0x02;
/** opk_id value meaning "no one-time prekey was used". */
export const NO_ONE_TIME_PREKEY = 0xffffffff;

const F = new Uint8Array(32).fill(0xff);
const ZERO_SALT = new Uint8Array(32);

/** SK from the DH outputs (and SS for PQXDH). */
export async function deriveSharedKey(mode, dhOutputs, kemSharedSecret) {
  if (mode === MODE_PQXDH) {
    return hkdf(ZERO_SALT, concat(F, ...dhOutputs, kemSharedSecret), utf8(INFO_PQXDH), 32);
  }
  return hkdf(ZERO_SALT, concat(F, ...dhOutputs), utf8(INFO_X3DH), 32);
}

/**
 * Initiator side. `bundle` is the output of keys.verifyBundle (all signatures checked).
 * X3DH is used only if the platform lacks ML-KEM (`platformHasKem = false`) and the bundle's
 * signed capabilities accept it; otherwise a bundle without a KEM prekey is refused.
 * -> { mode, sk, ad, ephemeral, header } where `header` holds the PreKeyMessage fields.
 */
export async function initiate({ identity, bundle, entropy, platformHasKem = true }) {
  let mode;
  if (platformHasKem) {
    if (!bundle.kemPreKey) throw new ProtocolError('downgrade', 'bundle has no KEM prekey');
    mode = MODE_PQXDH;
  } else if (bundle.capabilities.flags & CAP_ACCEPTS_X3DH) {
    mode = MODE_X3DH;
  } else {
    throw new ProtocolError('downgrade', 'peer does not accept X3DH and ML-KEM is unavailable');
  }
  const ephemeral = await entropy.x25519();
  const spk = bundle.signedPreKey.key;
  const dhs = [
    await x25519(identity.dh.privateKey, spk),
    await x25519(ephemeral.privateKey, bundle.identity.dhKey),
    await x25519(ephemeral.privateKey, spk),
  ];
  if (bundle.oneTimePreKey) dhs.push(await x25519(ephemeral.privateKey, bundle.oneTimePreKey.key));
  const header = {
    mode,
    signingKey: identity.signing.publicKey,
    dhKey: identity.dh.publicKey,
    binding: identity.binding,
    baseKey: ephemeral.publicKey,
    signedPreKeyId: bundle.signedPreKey.id,
    oneTimePreKeyId: bundle.oneTimePreKey ? bundle.oneTimePreKey.id : NO_ONE_TIME_PREKEY,
  };
  let ss;
  if (mode === MODE_PQXDH) {
    const kem = await entropy.encapsulate(bundle.kemPreKey.key);
    if (kem.ciphertext.length !== MLKEM768_CIPHERTEXT_BYTES || kem.sharedSecret.length !== 32) {
      throw new FormatError('ML-KEM encapsulation has the wrong size');
    }
    ss = kem.sharedSecret;
    Object.assign(header, { kemPreKeyId: bundle.kemPreKey.id, kemPreKeyKind: bundle.kemPreKey.kind, kemCiphertext: kem.ciphertext });
  }
  const sk = await deriveSharedKey(mode, dhs, ss);
  const ad = concat(identity.publicIdentity, bundle.identity.publicIdentity);
  return { mode, sk, ad, ephemeral, header };
}

/**
 * Responder side, steps 1-3 of §2.1 up to SK (the caller decrypts the embedded message and
 * consumes prekeys only on success). Nothing here changes any state.
 *
 * `prekeys` looks up this device's private prekeys (sync or async), each returning
 * `undefined` when unknown:
 * `{ signedPreKey(id) -> SignedPreKey, oneTimePreKey(id) -> OneTimePreKey,
 *    kemPreKey(id, kind) -> KemPreKey }`.
 * `capabilities` is this device's own flags (a number).
 * -> { mode, sk, ad, remoteIdentity, ratchetPair (the SPK pair), used: {oneTimePreKeyId?, kemPreKey?} }
 */
export async function respond({ identity, capabilities, prekeys, header }) {
  if (!(await verifyIdentityBinding(header.signingKey, header.dhKey, header.binding))) {
    throw new ProtocolError('bad-signature', 'PreKeyMessage: identity binding signature invalid');
  }
  if (header.mode === MODE_X3DH && !(capabilities & CAP_ACCEPTS_X3DH)) {
    throw new ProtocolError('downgrade', 'X3DH refused: this device requires PQXDH');
  }
  const spk = await prekeys.signedPreKey(header.signedPreKeyId);
  if (!spk) throw new ProtocolError('unknown-prekey', 'unknown signed prekey');
  let opk;
  if (header.oneTimePreKeyId !== NO_ONE_TIME_PREKEY) {
    opk = await prekeys.oneTimePreKey(header.oneTimePreKeyId);
    if (!opk) throw new ProtocolError('unknown-prekey', 'unknown or used one-time prekey');
  }
  let kem;
  if (header.mode === MODE_PQXDH) {
    kem = await prekeys.kemPreKey(header.kemPreKeyId, header.kemPreKeyKind);
    if (!kem || kem.kind !== header.kemPreKeyKind) throw new ProtocolError('unknown-prekey', 'unknown or used KEM prekey');
  }

  const dhs = [
    await x25519(spk.keyPair.privateKey, header.dhKey),
    await x25519(identity.dh.privateKey, header.baseKey),
    await x25519(spk.keyPair.privateKey, header.baseKey),
  ];
  if (opk) dhs.push(await x25519(opk.keyPair.privateKey, header.baseKey));
  const ss = kem ? await mlkemDecapsulate(kem.keyPair.privateKey, header.kemCiphertext) : undefined;
  const sk = await deriveSharedKey(header.mode, dhs, ss);
  const remoteIdentity = concat(header.signingKey, header.dhKey);
  const used = {};
  if (opk) used.oneTimePreKeyId = opk.id;
  if (kem) used.kemPreKey = { id: kem.id, kind: kem.kind };
  return { mode: header.mode, sk, ad: concat(remoteIdentity, identity.publicIdentity), remoteIdentity, ratchetPair: spk.keyPair, used };
}

export function encodePreKeyMessage(header, ratchetMessage) {
  const parts = [
    u8(KIND_PREKEY), u8(header.mode), header.signingKey, header.dhKey, header.binding, header.baseKey,
    u32(header.signedPreKeyId), u32(header.oneTimePreKeyId),
  ];
  if (header.mode === MODE_PQXDH) {
    parts.push(u32(header.kemPreKeyId), u8(kemKindByte(header.kemPreKeyKind)), header.kemCiphertext);
  }
  parts.push(ratchetMessage);
  return concat(...parts);
}

/** -> { header, ratchetMessage }; throws FormatError on any malformed field. */
export function parsePreKeyMessage(bytes) {
  const r = new Reader(bytes);
  if (r.u8('kind') !== KIND_PREKEY) throw new FormatError('not a PreKeyMessage');
  const mode = r.u8('mode');
  if (mode !== MODE_PQXDH && mode !== MODE_X3DH) throw new FormatError(`unknown handshake mode ${mode}`);
  const header = {
    mode,
    signingKey: r.take(32, 'IKs'),
    dhKey: r.take(32, 'IKd'),
    binding: r.take(64, 'binding'),
    baseKey: r.take(32, 'EK'),
    signedPreKeyId: r.u32('spk_id'),
    oneTimePreKeyId: r.u32('opk_id'),
  };
  if (mode === MODE_PQXDH) {
    header.kemPreKeyId = r.u32('kem_id');
    header.kemPreKeyKind = kemKindFromByte(r.u8('kem_kind'));
    header.kemCiphertext = r.take(MLKEM768_CIPHERTEXT_BYTES, 'CT');
  }
  const ratchetMessage = r.rest();
  if (ratchetMessage.length === 0) throw new FormatError('PreKeyMessage: no RatchetMessage');
  return { header, ratchetMessage };
}
