/**
 * Bodies of the content payloads (docs/CRYPTO.md §4, types 0x0F..0x15); as Java's
 * `payload.ContentBodies` / `ContentFields`.
 *
 * ```
 * 0x0F message      u8 flags || u32 expireSeconds || u32 len || utf8 text
 *                   [flags & 0x01] quote = u8 len || utf8 author || u8 len || utf8 quotedId
 *                   [flags & 0x02] Attachment (attachment-pointer.js)     flags & 0xFC must be 0
 * 0x10 edit         u8 len || utf8 targetId || u32 len || utf8 text
 * 0x11 delete       u8 len || utf8 targetId
 * 0x12 reaction     u8 len || utf8 targetAuthor || u8 len || utf8 targetId || u8 len || utf8 emoji
 * 0x13 timer        u32 expireSeconds
 * 0x14 sent payload u8 len || utf8 peer || u32 len || inner   (own devices only)
 * 0x15 block        u8 len || utf8 peer || u8 blocked (0x00 | 0x01)   (own devices only)
 * ```
 *
 * Objects (each also with the payload's `id` and `sentAt`):
 * `{ type: 'message', expireSeconds, text, quote: {author, id} | null, attachment: Attachment | null }`,
 * `{ type: 'edit', targetId, text }`, `{ type: 'delete', targetId }`,
 * `{ type: 'reaction', targetAuthor, targetId, emoji }` ('' removes), `{ type: 'timer', expireSeconds }`,
 * `{ type: 'sent-payload', peer, inner }` (inner: a message, edit, delete, reaction or timer
 * object with the same id and sentAt), `{ type: 'block', peer, blocked }`.
 *
 * Rules: expireSeconds 0..MAX_EXPIRE_SECONDS; a message's text 0..MAX_TEXT_BYTES (empty only
 * with an attachment), an edit's 1..MAX_TEXT_BYTES; authors and peers are usernames; ids
 * 1..64 bytes; emoji 0..32 bytes without control characters. Encoding and decoding apply the
 * same rules; a value they refuse is a FormatError.
 */

import { concat, u8, u32, utf8, fromUtf8 } from './encoding.js';
import { FormatError } from './errors.js';
import { MAX_EMOJI_BYTES, MAX_EXPIRE_SECONDS, MAX_MESSAGE_ID_BYTES, MAX_TEXT_BYTES } from './limits.js';
import { encodeAttachment, readAttachment, CONTROL_CHARACTER } from './attachment-pointer.js';
import { encodeUsername, readUsername } from './groups/fields.js';

export const CONTENT_TYPE_CODES = Object.freeze({
  message: 0x0f, edit: 0x10, delete: 0x11, reaction: 0x12, timer: 0x13, 'sent-payload': 0x14, block: 0x15,
});
/** The payload types a sent payload (0x14) may carry; a group message may carry these besides text and typing. */
export const SENDABLE_CONTENT_TYPES = Object.freeze(['message', 'edit', 'delete', 'reaction', 'timer']);

const FLAG_QUOTE = 0x01;
const FLAG_ATTACHMENT = 0x02;

const prefixed8 = (bytes) => concat(u8(bytes.length), bytes);
const prefixed32 = (bytes) => concat(u32(bytes.length), bytes);

function idBytes(id) {
  const b = utf8(typeof id === 'string' ? id : '');
  if (b.length < 1 || b.length > MAX_MESSAGE_ID_BYTES) throw new FormatError('target id must be 1..64 UTF-8 bytes');
  return b;
}

function textBytes(text, min) {
  if (typeof text !== 'string') throw new FormatError('text missing');
  const b = utf8(text);
  if (b.length < min || b.length > MAX_TEXT_BYTES) throw new FormatError(`text must be ${min}..${MAX_TEXT_BYTES} UTF-8 bytes`);
  return b;
}

function checkExpireSeconds(seconds) {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_EXPIRE_SECONDS) {
    throw new FormatError(`expireSeconds must be 0..${MAX_EXPIRE_SECONDS}`);
  }
  return seconds;
}

function emojiBytes(emoji) {
  if (typeof emoji !== 'string' || CONTROL_CHARACTER.test(emoji)) throw new FormatError('emoji must be text without control characters');
  const b = utf8(emoji);
  if (b.length > MAX_EMOJI_BYTES) throw new FormatError(`emoji must be 0..${MAX_EMOJI_BYTES} UTF-8 bytes`);
  return b;
}

function checkInner(p) {
  const inner = p.inner;
  if (!inner || !SENDABLE_CONTENT_TYPES.includes(inner.type)) {
    throw new FormatError('a sent payload carries a message, edit, delete, reaction or timer');
  }
  if (inner.id !== p.id || inner.sentAt !== p.sentAt) throw new FormatError("a sent payload's inner payload must have its id and sentAt");
}

/** The body of a content payload object; `encodePayload` (payload.js) encodes a sent payload's inner one. */
export function encodeContentBody(p, encodePayload) {
  switch (p.type) {
    case 'message': {
      const quote = p.quote ?? null;
      const attachment = p.attachment ?? null;
      const flags = (quote ? FLAG_QUOTE : 0) | (attachment ? FLAG_ATTACHMENT : 0);
      return concat(u8(flags), u32(checkExpireSeconds(p.expireSeconds)), prefixed32(textBytes(p.text, attachment ? 0 : 1)),
        quote ? concat(encodeUsername(quote.author, 'quoted author'), prefixed8(idBytes(quote.id))) : new Uint8Array(0),
        attachment ? encodeAttachment(attachment) : new Uint8Array(0));
    }
    case 'edit':
      return concat(prefixed8(idBytes(p.targetId)), prefixed32(textBytes(p.text, 1)));
    case 'delete':
      return prefixed8(idBytes(p.targetId));
    case 'reaction':
      return concat(encodeUsername(p.targetAuthor, 'target author'), prefixed8(idBytes(p.targetId)), prefixed8(emojiBytes(p.emoji)));
    case 'timer':
      return u32(checkExpireSeconds(p.expireSeconds));
    case 'sent-payload':
      checkInner(p);
      return concat(encodeUsername(p.peer, 'peer'), prefixed32(encodePayload(p.inner)));
    case 'block':
      if (typeof p.blocked !== 'boolean') throw new FormatError('blocked must be true or false');
      return concat(encodeUsername(p.peer, 'peer'), u8(p.blocked ? 0x01 : 0x00));
    default:
      throw new FormatError(`not a content payload type: ${p.type}`);
  }
}

function readId(r, what) {
  const id = fromUtf8(r.take(r.u8(`${what} length`), what));
  idBytes(id);
  return id;
}

function readText(r, min) {
  const text = fromUtf8(r.take(r.u32('text length'), 'text'));
  textBytes(text, min);
  return text;
}

/** Reads the body of content type `head.type` into `head` ({ type, id, sentAt }); `decodePayload` decodes a sent payload's inner one. */
export function decodeContentBody(head, r, decodePayload) {
  switch (head.type) {
    case 'message': {
      const flags = r.u8('message flags');
      if ((flags & ~(FLAG_QUOTE | FLAG_ATTACHMENT)) !== 0) throw new FormatError('unknown message flags');
      const expireSeconds = checkExpireSeconds(r.u32('expireSeconds'));
      const text = fromUtf8(r.take(r.u32('text length'), 'text'));
      const quote = flags & FLAG_QUOTE ? { author: readUsername(r, 'quoted author'), id: readId(r, 'quoted id') } : null;
      const attachment = flags & FLAG_ATTACHMENT ? readAttachment(r) : null;
      textBytes(text, attachment ? 0 : 1);
      return { ...head, expireSeconds, text, quote, attachment };
    }
    case 'edit':
      return { ...head, targetId: readId(r, 'target id'), text: readText(r, 1) };
    case 'delete':
      return { ...head, targetId: readId(r, 'target id') };
    case 'reaction': {
      const targetAuthor = readUsername(r, 'target author');
      const targetId = readId(r, 'target id');
      const emoji = fromUtf8(r.take(r.u8('emoji length'), 'emoji'));
      emojiBytes(emoji);
      return { ...head, targetAuthor, targetId, emoji };
    }
    case 'timer':
      return { ...head, expireSeconds: checkExpireSeconds(r.u32('expireSeconds')) };
    case 'sent-payload': {
      const peer = readUsername(r, 'peer');
      const out = { ...head, peer, inner: decodePayload(r.take(r.u32('inner length'), 'inner payload')) };
      checkInner(out);
      return out;
    }
    case 'block': {
      const peer = readUsername(r, 'peer');
      const blocked = r.u8('blocked');
      if (blocked > 1) throw new FormatError('blocked must be 0x00 or 0x01');
      return { ...head, peer, blocked: blocked === 1 };
    }
    default:
      throw new FormatError(`not a content payload type: ${head.type}`);
  }
}
