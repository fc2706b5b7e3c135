/**
 * The sender-key message format and key derivation (docs/design/GROUPS.md "Sender keys"),
 * shared by the sending chain (sender-chain.js) and the receiver (sender-receiver.js):
 *
 * ```
 * message keys : seed = HMAC(chainKey, 0x01); next chainKey = HMAC(chainKey, 0x02)  (kdf.js KDF_CK)
 *                (aesKey 32 || nonce 12) = HKDF(salt = 0^32, ikm = seed, info = "parley-sender-key-v1", L = 44)
 * header       = u8 0x04 || 16 chainId || u32 iteration
 * GroupMessage = header || AEAD_ENC(aesKey, nonce, padded_payload, ad = 32 groupId || header) || 64 signature
 * signature    = SIG(chain's signing key, wire/signed.js groupMessageBytes(groupId, header || ciphertext))
 * ```
 * The group id is not sent: the receiver finds the chain by sender and chainId, and the group
 * is bound by the AEAD's associated data and the signature. The message key derivation has its
 * own HKDF label, so a sender-key message key is never a ratchet message key.
 */

import { concat, u8, u32, utf8, Reader } from '../encoding.js';
import { FormatError } from '../errors.js';
import { hkdf, GCM_TAG_BYTES, ED25519_SIGNATURE_BYTES } from '../primitives.js';
import { INFO_SENDER_KEY } from '../labels.js';

/** The first byte of a GroupMessage (the message kinds of header.js: 0x01 prekey, 0x02 ratchet, 0x03 fan-out). */
export const KIND_GROUP = 0x04;
export const CHAIN_ID_BYTES = 16;
export const CHAIN_KEY_BYTES = 32;
export const HEADER_BYTES = 1 + CHAIN_ID_BYTES + 4;
/** The shortest GroupMessage: a header, an empty ciphertext's tag and the signature. */
export const MIN_GROUP_MESSAGE_BYTES = HEADER_BYTES + GCM_TAG_BYTES + ED25519_SIGNATURE_BYTES;

const ZERO_SALT = new Uint8Array(32);

/** (aesKey, nonce) of a message key seed. */
export async function senderMessageKeys(seed) {
  const out = await hkdf(ZERO_SALT, seed, utf8(INFO_SENDER_KEY), 44);
  return { aesKey: out.slice(0, 32), nonce: out.slice(32, 44) };
}

export function encodeGroupHeader(chainId, iteration) {
  if (!(chainId instanceof Uint8Array) || chainId.length !== CHAIN_ID_BYTES) throw new FormatError(`chain id must be ${CHAIN_ID_BYTES} bytes`);
  return concat(u8(KIND_GROUP), chainId, u32(iteration));
}

/** -> { header, chainId, iteration, ciphertext, signature }; FormatError for anything but a GroupMessage. */
export function parseGroupMessage(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_GROUP_MESSAGE_BYTES) throw new FormatError('GroupMessage too short');
  const r = new Reader(bytes);
  if (r.u8('kind') !== KIND_GROUP) throw new FormatError('not a GroupMessage');
  const chainId = r.take(CHAIN_ID_BYTES, 'chain id');
  const iteration = r.u32('iteration');
  const ciphertext = r.take(r.remaining - ED25519_SIGNATURE_BYTES, 'ciphertext');
  const signature = r.take(ED25519_SIGNATURE_BYTES, 'signature');
  return { header: bytes.slice(0, HEADER_BYTES), chainId, iteration, ciphertext, signature };
}

/** The chainId of a GroupMessage (its header only is read); FormatError when it is not one. */
export function groupMessageChainId(message) {
  return parseGroupMessage(message).chainId;
}

/** True when `bytes` has the GroupMessage kind and at least its minimal length. */
export function isGroupMessage(bytes) {
  return bytes instanceof Uint8Array && bytes.length >= MIN_GROUP_MESSAGE_BYTES && bytes[0] === KIND_GROUP;
}
