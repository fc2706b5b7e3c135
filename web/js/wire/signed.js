/**
 * Every byte layout an identity key signs, label included, as Java's `SignatureLabel` and
 * `SignedBytes` (docs/CRYPTO.md §1.1, docs/PROTOCOL.md §3). Every Ed25519 signature by an
 * identity key is over `utf8(label) || 0x00 || data`; the labels are distinct and none is a
 * prefix of another followed by 0x00, so a signature made for one role never verifies in
 * another. Integers are unsigned big-endian. Pinned by test-vectors/wire/signed.json.
 */

import { concat, u8, u16, u32, utf8, unb64 } from '../protocol/encoding.js';
import { ED25519_KEY_BYTES, MAX_DEVICE_ID, NONCE_BYTES } from './limits.js';

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
  /** data: the device list layout of `deviceListBytes` (signed by the account's IKs). */
  DEVICE_LIST: 'parley-device-list-v1',
  /** data: the device login layout of `deviceAuthBytes` (signed by the device's own key DKs). */
  DEVICE_AUTH: 'parley-device-auth-v1',
  /** data: a group change's `ChangeBody` (docs/design/GROUPS.md), signed by its author's IKs. */
  GROUP_CHANGE: 'parley-group-change-v1',
  /** data: `32 groupId || header || ciphertext` of a group message, signed by its sender chain's key. */
  GROUP_MESSAGE: 'parley-group-message-v1',
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

/** The format byte that starts a device list. */
export const DEVICE_LIST_FORMAT = 0x01;

/** A device key as bytes: a Uint8Array, or base64url text as frames carry it. */
function deviceKey(key, index) {
  const bytes = typeof key === 'string' ? unb64(key) : key;
  if (!(bytes instanceof Uint8Array) || bytes.length !== ED25519_KEY_BYTES) {
    throw new RangeError(`device ${index}: the key must be ${ED25519_KEY_BYTES} bytes`);
  }
  return bytes;
}

function deviceId(id) {
  if (!Number.isInteger(id) || id < 1 || id > MAX_DEVICE_ID) throw new RangeError(`device id out of range: ${id}`);
  return u8(id);
}

/**
 * The account's signed device list (docs/design/LINKED-DEVICES.md, "The device list"), signed
 * by the account identity's Ed25519 key:
 * ```
 * utf8("parley-device-list-v1") || 0x00
 * || u8 0x01 (format) || u64 version || u64 issuedAt
 * || u8 count || count x ( u8 deviceId || 32 DKs_pub || u64 linkedAt )
 * ```
 * `devices` in the order given (a well-formed list is in ascending id; checking that is the
 * device-list check's job, not this layout's). `key` is 32 bytes or their base64url text;
 * `version`, `issuedAt` and `linkedAt` are numbers or BigInts. RangeError for what the layout
 * cannot hold.
 */
export function deviceListBytes({ version, issuedAt, devices }) {
  if (!Array.isArray(devices) || devices.length > 0xff) throw new RangeError('devices must be an array of at most 255 entries');
  const entries = devices.map(({ id, key, linkedAt }, i) => concat(deviceId(id), deviceKey(key, i), u64(linkedAt)));
  return signedBytes(SignatureLabel.DEVICE_LIST, concat(u8(DEVICE_LIST_FORMAT), u64(version), u64(issuedAt), u8(devices.length), ...entries));
}

/**
 * A device's login (docs/design/LINKED-DEVICES.md, "Wire"), signed by the device's own key:
 * ```
 * utf8("parley-device-auth-v1") || 0x00
 * || nonce (32 bytes) || u16 len || utf8(origin) || u64 timestamp
 * || u8 len || utf8("login") || u8 len || utf8(username) || u8 deviceId
 * ```
 */
export function deviceAuthBytes({ nonce, origin, timestamp, username, device }) {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`the nonce must be ${NONCE_BYTES} bytes`);
  return signedBytes(SignatureLabel.DEVICE_AUTH, concat(nonce, lengthPrefixed(origin, 0xffff, u16, 'origin'), u64(timestamp),
    lengthPrefixed('login', 0xff, u8, 'action'), lengthPrefixed(username, 0xff, u8, 'username'), deviceId(device)));
}

/** The group id's size in a signed group message. */
const GROUP_ID_BYTES = 32;

/** What the author of a group change signs: `utf8("parley-group-change-v1") || 0x00 || ChangeBody`. */
export function groupChangeBytes(changeBody) {
  return signedBytes(SignatureLabel.GROUP_CHANGE, changeBody);
}

/**
 * What a sender chain's signing key signs for one group message:
 * `utf8("parley-group-message-v1") || 0x00 || 32 groupId || header || ciphertext`. The group id
 * is signed (and bound by the AEAD) but not sent, so a message cannot be moved to another group.
 */
export function groupMessageBytes(groupId, headerAndCiphertext) {
  if (!(groupId instanceof Uint8Array) || groupId.length !== GROUP_ID_BYTES) throw new RangeError(`the group id must be ${GROUP_ID_BYTES} bytes`);
  return signedBytes(SignatureLabel.GROUP_MESSAGE, concat(groupId, headerAndCiphertext));
}
