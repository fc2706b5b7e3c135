/**
 * Every byte layout an identity key signs, label included, as Java's `SignatureLabel` and
 * `SignedBytes` (docs/CRYPTO.md §1.1, docs/PROTOCOL.md §3). Every Ed25519 signature by an
 * identity key is over `utf8(label) || 0x00 || data`; the labels are distinct and none is a
 * prefix of another followed by 0x00, so a signature made for one role never verifies in
 * another. Integers are unsigned big-endian. Pinned by test-vectors/wire/signed.json.
 */

import { concat, u8, u16, u32, utf8 } from '../protocol/encoding.js';
import { NONCE_BYTES } from './limits.js';

export const SignatureLabel = Object.freeze({
  /** data: the auth layout of `authBytes`. */
  AUTH: 'parley-auth-v1',
  /** data: `dhKey`, the identity's X25519 key. */
  IDENTITY_BINDING: 'parley-identity-v1',
  /** data: `u32 id || key`. */
  SIGNED_PREKEY: 'parley-signed-prekey-v1',
  /** data: `u32 id || u8 kind || key`. */
  KEM_PREKEY: 'parley-kem-prekey-v1',
  /** data: `u8 flags`. */
  CAPABILITIES: 'parley-capabilities-v1',
});

/** The two kinds of ML-KEM-768 prekey: their name in a bundle and the byte their signature covers. */
export const KEM_KINDS = Object.freeze({
  /** Signed, rotated like the signed prekey, reused until rotated. */
  LAST_RESORT: Object.freeze({ name: 'last-resort', signedByte: 0x01 }),
  /** Signed, handed out once and then deleted. */
  ONE_TIME: Object.freeze({ name: 'one-time', signedByte: 0x02 }),
});

/** The signed byte of a KEM prekey kind's name; RangeError for any other name. */
export function kemKindByte(name) {
  const kind = Object.values(KEM_KINDS).find((k) => k.name === name);
  if (!kind) throw new RangeError(`unknown KEM prekey kind: ${name}`);
  return kind.signedByte;
}

/** The name of the KEM prekey kind whose signed byte is `b`; RangeError for any other byte. */
export function kemKindName(b) {
  const kind = Object.values(KEM_KINDS).find((k) => k.signedByte === b);
  if (!kind) throw new RangeError(`unknown KEM prekey kind byte: ${b}`);
  return kind.name;
}

/** The auth frames, whose type is the signed `action`. */
export const AUTH_ACTIONS = Object.freeze(['register', 'login', 'reset']);

/** The exact bytes signed: `utf8(label) || 0x00 || data`. */
export function signedBytes(label, data) {
  return concat(utf8(label), u8(0), data);
}

/** u64: a non-negative safe integer (ms timestamps), or a BigInt for the whole unsigned 64-bit range. */
function u64(n) {
  const value = typeof n === 'bigint' ? n : Number.isSafeInteger(n) ? BigInt(n) : -1n;
  if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`u64 out of range: ${n}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

function lengthPrefixed(text, max, prefix, field) {
  const b = utf8(text);
  if (b.length > max) throw new RangeError(`the auth ${field} is too long`);
  return concat(prefix(b.length), b);
}

/**
 * The auth signature of register, login and reset (docs/PROTOCOL.md §3):
 * ```
 * utf8("parley-auth-v1") || 0x00
 * || nonce (32 bytes, the server's single-use challenge)
 * || u16 len || utf8(origin)      the server origin as the client addressed it
 * || u64 timestamp                client clock, ms since the epoch
 * || u8 len || utf8(action)       the frame's type: "register" | "login" | "reset"
 * || u8 len || utf8(username)
 * ```
 * The nonce makes each signature single-use; the origin stops a signature made for one server
 * being replayed to another. `nonce` is bytes; `timestamp` a number or a BigInt.
 */
export function authBytes({ nonce, origin, timestamp, action, username }) {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`the nonce must be ${NONCE_BYTES} bytes`);
  if (!AUTH_ACTIONS.includes(action)) throw new RangeError(`unknown auth action ${action}`);
  return signedBytes(SignatureLabel.AUTH, concat(nonce, lengthPrefixed(origin, 0xffff, u16, 'origin'), u64(timestamp),
    lengthPrefixed(action, 0xff, u8, 'action'), lengthPrefixed(username, 0xff, u8, 'username')));
}

/** The binding of an identity's X25519 key to its Ed25519 key. */
export function identityBindingBytes(dhKey) {
  return signedBytes(SignatureLabel.IDENTITY_BINDING, dhKey);
}

export function signedPreKeyBytes(id, key) {
  return signedBytes(SignatureLabel.SIGNED_PREKEY, concat(u32(id), key));
}

/** `kind`: 'last-resort' or 'one-time'. */
export function kemPreKeyBytes(id, kind, key) {
  return signedBytes(SignatureLabel.KEM_PREKEY, concat(u32(id), u8(kemKindByte(kind)), key));
}

export function capabilitiesBytes(flags) {
  return signedBytes(SignatureLabel.CAPABILITIES, u8(flags));
}
