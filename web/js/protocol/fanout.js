/**
 * One message for several devices (docs/CRYPTO.md §5): the content is encrypted once under a
 * fresh AES-256 key K, and K travels to each device through its pairwise ratchet session.
 *
 * ```
 * K        = 32 random bytes, fresh per message
 * content  = AEAD_ENC(K, nonce = 0^12, padded_payload, ad = "Parley_FanOut_v1")
 * keyMsg_d = session message of Payload{type content-key, id, sentAt, body = K || SHA-256(content)}
 * FanOutMessage = u8 0x03 || u32 len(keyMsg) || keyMsg || content
 * ```
 * K encrypts exactly one plaintext, so the fixed nonce never repeats under a key. The
 * receiver checks SHA-256(content) against the digest from its key message before it
 * decrypts the content.
 */

import { concat, u8, u32, utf8, equalBytes, Reader } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import { AD_FANOUT } from './labels.js';
import { aesGcmEncrypt, aesGcmDecrypt, sha256, GCM_TAG_BYTES } from './primitives.js';
import { KIND_FANOUT } from './header.js';
import { encodePayload, sealPayload, openPayload } from './payload.js';
import { encryptMessage, decryptMessage } from './session.js';
import { systemEntropy } from './entropy.js';

const ZERO_NONCE = new Uint8Array(12);

/** Encrypts a payload once: -> { key, content, digest }. */
export async function sealContent(payload, entropy = systemEntropy) {
  const key = entropy.randomBytes(32);
  const content = await aesGcmEncrypt(key, ZERO_NONCE, sealPayload(payload), utf8(AD_FANOUT));
  return { key, content, digest: await sha256(content) };
}

export function encodeFanOut(keyMessage, content) {
  return concat(u8(KIND_FANOUT), u32(keyMessage.length), keyMessage, content);
}

/** -> { keyMessage, content } */
export function parseFanOut(bytes) {
  const r = new Reader(bytes);
  if (r.u8('kind') !== KIND_FANOUT) throw new FormatError('not a FanOutMessage');
  const keyMessage = r.take(r.u32('key message length'), 'key message');
  const content = r.rest();
  if (content.length < GCM_TAG_BYTES) throw new FormatError('FanOutMessage: content shorter than a tag');
  return { keyMessage, content };
}

/**
 * Encrypts `payload` (a payload object of payload.js) for every record in `records`.
 * -> { records: the updated records (same order; store them before sending),
 *      messages: FanOutMessage bytes per device, key, digest }
 */
export async function encryptFanOut(records, payload, { entropy = systemEntropy } = {}) {
  encodePayload(payload);
  const { key, content, digest } = await sealContent(payload, entropy);
  const keyPayload = sealPayload({ type: 'content-key', id: payload.id, sentAt: payload.sentAt, key, digest });
  const outRecords = [];
  const messages = [];
  for (const record of records) {
    const out = await encryptMessage(record, keyPayload);
    outRecords.push(out.record);
    messages.push(encodeFanOut(out.message, content));
  }
  return { records: outRecords, messages, key, digest };
}

/** Opens fan-out content with the key payload from the device's key message. */
export async function openContent(keyPayload, content) {
  if (keyPayload.type !== 'content-key') throw new FormatError('key message does not carry a content key');
  if (!equalBytes(await sha256(content), keyPayload.digest)) {
    throw new ProtocolError('digest-mismatch', 'fan-out content does not match its digest');
  }
  const payload = openPayload(await aesGcmDecrypt(keyPayload.key, ZERO_NONCE, content, utf8(AD_FANOUT)));
  if (payload.id !== keyPayload.id) throw new FormatError('fan-out content id differs from its key message');
  return payload;
}

/**
 * Decrypts a FanOutMessage with the device's record (ctx as in session.decryptMessage).
 * -> { record, payload, remoteIdentity, established, preKeysUsed }. If the content fails its
 * digest or tag the error is thrown and the returned record is lost: the caller keeps the
 * old one, so the message counts as never received.
 */
export async function decryptFanOut(record, bytes, ctx) {
  const { keyMessage, content } = parseFanOut(bytes);
  const out = await decryptMessage(record, keyMessage, ctx);
  const payload = await openContent(openPayload(out.plaintext), content);
  return { record: out.record, payload, remoteIdentity: out.remoteIdentity, established: out.established, preKeysUsed: out.preKeysUsed };
}
