/**
 * Typed, versioned payloads and their padding (docs/CRYPTO.md §4).
 *
 * ```
 * Payload = u8 version (0x01) | u8 type | u64 sentAt (ms) | u8 len || utf8 id (1..64 bytes) | body
 *   text          0x01  u32 len || utf8 text
 *   delivery      0x02  u16 count || count x (u8 len || utf8 id)
 *   read          0x03  u16 count || count x (u8 len || utf8 id)
 *   typing        0x04  u8 state (0x01 typing, 0x00 stopped)
 *   content key   0x05  32 key || 32 SHA-256(content ciphertext)
 *   0x06..0x0A    sync payloads (sync-payload.js)
 *   0x0B..0x0E    group payloads (group-payload.js)
 *   0x0F..0x15    content payloads (content-payload.js)
 * padded = payload || 0x80 || 0x00* up to the smallest bucket 256, 512, ..., 32768 holding len+1
 * ```
 *
 * Decoded payload objects:
 * `{ type: 'text', sentAt, id, text }`, `{ type: 'delivery' | 'read', sentAt, id, ids: [] }`,
 * `{ type: 'typing', sentAt, id, typing: boolean }`,
 * `{ type: 'content-key', sentAt, id, key, digest }`, the sync payloads of sync-payload.js
 * (`sent-transcript`, `read-up-to`, `trust-decision`, `device-linked`, `history-chunk`), the group
 * payloads of group-payload.js (`sender-key`, `group-change`, `group-snapshot-part`,
 * `group-receipt`, `group-read-up-to`), the content payloads of content-payload.js (`message`,
 * `edit`, `delete`, `reaction`, `timer`, `sent-payload`, `block`), and for a type this client does not know
 * `{ type: 'unknown', typeCode, sentAt, id }` (to be ignored: forward compatibility).
 */

import { concat, u8, u16, u32, u64, utf8, fromUtf8, Reader } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import { MAX_PAYLOAD, MAX_PADDED_PAYLOAD, MIN_PADDED_PAYLOAD, MAX_MESSAGE_ID_BYTES } from './limits.js';
import { SYNC_TYPE_CODES, encodeSyncBody, decodeSyncBody } from './sync-payload.js';
import { GROUP_TYPE_CODES, GROUP_CODES, encodeGroupBody, decodeGroupBody } from './group-payload.js';
import { CONTENT_TYPE_CODES, encodeContentBody, decodeContentBody } from './content-payload.js';

export const PAYLOAD_VERSION = 0x01;
export const TYPE_CODES = Object.freeze({
  text: 0x01, delivery: 0x02, read: 0x03, typing: 0x04, 'content-key': 0x05, ...SYNC_TYPE_CODES, ...GROUP_TYPE_CODES,
  ...CONTENT_TYPE_CODES,
});
/** Type names by code, for the codes with one name (0x0C's kind names its two; group-payload.js reads them). */
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPE_CODES).filter(([, v]) => !GROUP_CODES.has(v)).map(([k, v]) => [v, k]));
const PAD_MARKER = 0x80;

function encodeId(id) {
  const b = utf8(id);
  if (b.length < 1 || b.length > MAX_MESSAGE_ID_BYTES) throw new FormatError('message id must be 1..64 UTF-8 bytes');
  return concat(u8(b.length), b);
}

function readId(r, field) {
  const len = r.u8(field);
  if (len < 1 || len > MAX_MESSAGE_ID_BYTES) throw new FormatError(`${field}: length out of range`);
  return fromUtf8(r.take(len, field));
}

/** Encodes a payload object (see above) to bytes; refuses anything above MAX_PAYLOAD. */
export function encodePayload(p) {
  const code = TYPE_CODES[p.type];
  if (code === undefined) throw new FormatError(`unknown payload type ${p.type}`);
  let body;
  switch (p.type) {
    case 'text': {
      const t = utf8(p.text);
      body = concat(u32(t.length), t);
      break;
    }
    case 'delivery':
    case 'read':
      body = concat(u16(p.ids.length), ...p.ids.map(encodeId));
      break;
    case 'typing':
      body = u8(p.typing ? 0x01 : 0x00);
      break;
    case 'content-key':
      if (p.key.length !== 32 || p.digest.length !== 32) throw new FormatError('content key and digest must be 32 bytes');
      body = concat(p.key, p.digest);
      break;
    default:
      if (GROUP_TYPE_CODES[p.type] !== undefined) body = encodeGroupBody(p);
      else if (CONTENT_TYPE_CODES[p.type] !== undefined) body = encodeContentBody(p, encodePayload);
      else body = encodeSyncBody(p);
  }
  const out = concat(u8(PAYLOAD_VERSION), u8(code), u64(p.sentAt), encodeId(p.id), body);
  if (out.length > MAX_PAYLOAD) throw new ProtocolError('too-large', `payload of ${out.length} bytes exceeds ${MAX_PAYLOAD}`);
  return out;
}

/** Decodes payload bytes; unknown versions are refused, unknown types returned as 'unknown'. */
export function decodePayload(bytes) {
  const r = new Reader(bytes);
  const version = r.u8('version');
  if (version !== PAYLOAD_VERSION) throw new ProtocolError('unknown-version', `payload version ${version}`);
  const typeCode = r.u8('type');
  const sentAt = r.u64('sentAt');
  const id = readId(r, 'id');
  if (GROUP_CODES.has(typeCode)) {
    const out = decodeGroupBody(typeCode, { sentAt, id }, r);
    r.end('payload');
    return out;
  }
  const type = TYPE_NAMES[typeCode];
  if (type === undefined) return { type: 'unknown', typeCode, sentAt, id };
  let out;
  switch (type) {
    case 'text': {
      const len = r.u32('text length');
      out = { type, sentAt, id, text: fromUtf8(r.take(len, 'text')) };
      break;
    }
    case 'delivery':
    case 'read': {
      const count = r.u16('receipt count');
      const ids = [];
      for (let i = 0; i < count; i++) ids.push(readId(r, 'receipt id'));
      out = { type, sentAt, id, ids };
      break;
    }
    case 'typing': {
      const state = r.u8('typing state');
      if (state > 1) throw new FormatError('typing state must be 0 or 1');
      out = { type, sentAt, id, typing: state === 1 };
      break;
    }
    case 'content-key':
      out = { type, sentAt, id, key: r.take(32, 'content key'), digest: r.take(32, 'content digest') };
      break;
    default:
      out = CONTENT_TYPE_CODES[type] !== undefined
        ? decodeContentBody({ type, sentAt, id }, r, decodePayload)
        : decodeSyncBody({ type, sentAt, id }, r);
  }
  r.end('payload');
  return out;
}

/** The bucket for a payload of `length` bytes: smallest power of two >= 256 holding length + 1. */
export function bucketSize(length) {
  if (length > MAX_PAYLOAD) throw new ProtocolError('too-large', `payload of ${length} bytes exceeds ${MAX_PAYLOAD}`);
  let size = MIN_PADDED_PAYLOAD;
  while (size < length + 1) size *= 2;
  return size;
}

export function pad(payload) {
  const out = new Uint8Array(bucketSize(payload.length));
  out.set(payload);
  out[payload.length] = PAD_MARKER;
  return out;
}

/** Strips trailing 0x00s and one 0x80; anything else (or an oversized input) is an error. */
export function unpad(padded) {
  if (padded.length > MAX_PADDED_PAYLOAD) throw new ProtocolError('too-large', 'padded payload above the largest bucket');
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0x00) i--;
  if (i < 0 || padded[i] !== PAD_MARKER) throw new FormatError('bad padding');
  return padded.slice(0, i);
}

/** Convenience: payload object -> padded bytes. */
export function sealPayload(p) {
  return pad(encodePayload(p));
}

/** Convenience: padded bytes -> payload object. */
export function openPayload(padded) {
  return decodePayload(unpad(padded));
}
