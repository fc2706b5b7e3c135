/**
 * `content.json` (docs/CRYPTO.md §4, types 0x0F..0x15; the same shape in test-vectors/java/ and js/):
 * - `payloads[]`: `{payload, encoded}`, every content type, a message with and without quote
 *   and attachment, and the edge lengths (30,000-byte texts, 64-byte ids, 32-byte emoji,
 *   255-byte file names, 100-byte content types, 16 KiB thumbnails, 0 and 100 MiB sizes);
 * - `invalid[]`: `{reason, encoded}`, encodings every decoder must refuse, each an otherwise
 *   valid encoding with one field broken (the reasons are those of Java's ContentInvalidVectors).
 * Content payload JSON: content-payload.js's objects with bytes (key, digest, thumbnail) as b64,
 * `quote` and `attachment` null when absent, a sent payload's `inner` a payload JSON object.
 */

import { b64, unb64, concat, utf8, u8, u16, u32, u64, equalBytes, hex } from '/web/js/protocol/encoding.js';
import { ProtocolError } from '/web/js/protocol/errors.js';
import { encodePayload, decodePayload } from '/web/js/protocol/payload.js';
import { derive } from './support.js';
import { payloadToJson, payloadFromJson } from './vectors.js';

const NOW = 1767225600000;
const CONTENT_TYPES = ['message', 'edit', 'delete', 'reaction', 'timer', 'sent-payload', 'block'];
const KINDS = ['message', 'message/quote', 'message/attachment', 'message/quote+attachment', 'edit', 'delete', 'reaction', 'timer',
  'sent-payload', 'block'];
export const REQUIRED_INVALID = ['message-unknown-flag', 'message-trailing-byte', 'message-empty-text', 'message-text-too-long',
  'message-expire-too-large', 'message-text-bad-utf8', 'quote-bad-author', 'quote-empty-id', 'attachment-blob-id-short',
  'attachment-blob-id-noncanonical', 'attachment-size-too-large', 'attachment-content-type-uppercase',
  'attachment-content-type-no-slash', 'attachment-content-type-too-long', 'attachment-file-name-slash',
  'attachment-file-name-backslash', 'attachment-file-name-control', 'attachment-file-name-empty', 'attachment-file-name-too-long',
  'attachment-width-without-height', 'attachment-thumbnail-not-image', 'attachment-thumbnail-too-large', 'attachment-truncated',
  'edit-empty-text', 'edit-target-too-long', 'delete-empty-target', 'reaction-emoji-too-long', 'reaction-emoji-control',
  'reaction-bad-target-author', 'timer-too-large', 'timer-u32-max', 'timer-trailing-byte', 'sent-payload-inner-text',
  'sent-payload-inner-id-mismatch', 'sent-payload-inner-sent-at-mismatch', 'sent-payload-nested',
  'sent-payload-inner-trailing-byte', 'sent-payload-bad-peer', 'block-value-2', 'block-bad-peer'];

const ATTACHMENT_B64 = ['key', 'digest', 'thumbnail'];

export function contentPayloadToJson(p, out) {
  if (!CONTENT_TYPES.includes(p.type)) return out;
  const fields = {
    message: ['expireSeconds', 'text', 'quote', 'attachment'], edit: ['targetId', 'text'], delete: ['targetId'],
    reaction: ['targetAuthor', 'targetId', 'emoji'], timer: ['expireSeconds'], 'sent-payload': ['peer', 'inner'], block: ['peer', 'blocked'],
  }[p.type];
  for (const k of fields) out[k] = p[k];
  if (p.type === 'message') {
    out.quote = p.quote ? { author: p.quote.author, id: p.quote.id } : null;
    out.attachment = p.attachment
      ? { ...p.attachment, ...Object.fromEntries(ATTACHMENT_B64.map((k) => [k, b64(p.attachment[k])])) } : null;
  }
  if (p.type === 'sent-payload') out.inner = payloadToJson(p.inner);
  return out;
}

export function contentPayloadFromJson(j, p) {
  if (j.type === 'message' && j.attachment) {
    p.attachment = { ...j.attachment, ...Object.fromEntries(ATTACHMENT_B64.map((k) => [k, unb64(j.attachment[k])])) };
  }
  if (j.type === 'sent-payload') p.inner = payloadFromJson(j.inner);
  return p;
}

/** `length` deterministic bytes after `prefix`. */
function filler(prefix, length, seed) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed * 17 + (i >> 8)) & 0xff;
  out.set(prefix);
  return out;
}
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function payloads() {
  const id64 = 'i'.repeat(64);
  const pointer = async (n, size, contentType, fileName, width, height, thumbnail) => ({
    blobId: b64(await derive(`content/blob-${n}`, 16)), key: await derive(`content/key-${n}`, 32), digest: await derive(`content/digest-${n}`, 32),
    size, contentType, fileName, width, height, thumbnail,
  });
  const photo = await pointer(1, 2345678, 'image/png', 'scan 2026.png', 1920, 1080, filler(PNG, 2000, 1));
  const largest = await pointer(2, 104857600, `video/x-${'m'.repeat(92)}`, `${'\u20ac'.repeat(85)}`, 65535, 1, filler(JPEG, 16384, 2));
  const empty = await pointer(3, 0, 'application/octet-stream', 'empty.bin', 0, 0, new Uint8Array(0));
  const m = (id, sentAt, expireSeconds, text, quote, attachment) => ({ type: 'message', id, sentAt, expireSeconds, text, quote, attachment });
  const sent = m('js-s1', NOW + 20, 5, 'for carol', { author: 'carol', id: 'c-1' }, photo);
  return [
    m('js-1', NOW, 0, 'hello from the browser', null, null),
    m('js-2', NOW + 1, 2419200, '\u00e9'.repeat(15000), null, null),
    m(id64, NOW + 2, 1, 'reply', { author: 'bob', id: id64 }, null),
    m('js-4', NOW + 3, 300, '', null, photo),
    m('js-5', NOW + 4, 0, 'biggest pointer', { author: 'a_user_name_of_32_characters_xyz', id: 'js-1' }, largest),
    m('js-6', NOW + 5, 86400, '', { author: 'abc', id: 'js-4' }, empty),
    { type: 'edit', id: 'js-7', sentAt: NOW + 6, targetId: 'js-1', text: 'hello, edited' },
    { type: 'edit', id: 'js-8', sentAt: NOW + 7, targetId: id64, text: 'e'.repeat(30000) },
    { type: 'delete', id: 'js-9', sentAt: NOW + 8, targetId: id64 },
    { type: 'reaction', id: 'js-10', sentAt: NOW + 9, targetAuthor: 'alice', targetId: 'js-1', emoji: '\ud83c\udf89' },
    { type: 'reaction', id: 'js-11', sentAt: NOW + 10, targetAuthor: 'bob', targetId: 'js-1', emoji: '\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66' },
    { type: 'reaction', id: 'js-12', sentAt: NOW + 11, targetAuthor: 'bob', targetId: 'js-1', emoji: '' },
    { type: 'timer', id: 'js-13', sentAt: NOW + 12, expireSeconds: 604800 },
    { type: 'timer', id: 'js-14', sentAt: NOW + 13, expireSeconds: 0 },
    { type: 'sent-payload', id: 'js-s1', sentAt: NOW + 20, peer: 'carol', inner: sent },
    { type: 'sent-payload', id: 'js-s2', sentAt: NOW + 21, peer: 'carol', inner: { type: 'edit', id: 'js-s2', sentAt: NOW + 21, targetId: 'js-s1', text: 'x' } },
    { type: 'sent-payload', id: 'js-s3', sentAt: NOW + 22, peer: 'bob', inner: { type: 'delete', id: 'js-s3', sentAt: NOW + 22, targetId: 'js-s1' } },
    { type: 'sent-payload', id: 'js-s4', sentAt: NOW + 23, peer: 'bob', inner: { type: 'reaction', id: 'js-s4', sentAt: NOW + 23, targetAuthor: 'alice', targetId: 'z', emoji: '\ud83d\udc4d\ud83c\udffd' } },
    { type: 'sent-payload', id: 'js-s5', sentAt: NOW + 24, peer: 'bob', inner: { type: 'timer', id: 'js-s5', sentAt: NOW + 24, expireSeconds: 2419200 } },
    { type: 'block', id: 'js-15', sentAt: NOW + 30, peer: 'spammer_1', blocked: true },
    { type: 'block', id: 'js-16', sentAt: NOW + 31, peer: 'spammer_1', blocked: false },
  ];
}

// ---- invalid encodings: a valid message (the defaults) with one field broken ----

const ascii = (s) => utf8(s);
const p8 = (b) => concat(u8(b.length), b);
const p16 = (b) => concat(u16(b.length), b);
const p32 = (b) => concat(u32(b.length), b);
const head = (type, id = 'bad-1', sentAt = NOW) => concat(u8(0x01), u8(type), u64(sentAt), p8(ascii(id)));

/** A raw 0x0F encoding from fields (bytes), valid with the defaults; `cut` drops the attachment's last bytes. */
export function rawMessage(o = {}) {
  const f = {
    id: 'bad-1', sentAt: NOW, flags: 0x03, expireSeconds: 60, text: ascii('hi'), author: ascii('alice'), quotedId: ascii('m-1'),
    blobId: ascii('AAAAAAAAAAAAAAAAAAAAAA'), size: 10, contentType: ascii('image/png'), fileName: ascii('a.png'), width: 1, height: 1,
    thumbnail: Uint8Array.from(PNG), cut: 0, trailing: new Uint8Array(0), ...o,
  };
  const parts = [head(0x0f, f.id, f.sentAt), u8(f.flags), u32(f.expireSeconds), p32(f.text)];
  if (f.flags & 0x01) parts.push(p8(f.author), p8(f.quotedId));
  if (f.flags & 0x02) {
    const a = concat(p8(f.blobId), new Uint8Array(32), new Uint8Array(32), u64(f.size), p8(f.contentType), p16(f.fileName), u16(f.width),
      u16(f.height), p16(f.thumbnail));
    parts.push(a.subarray(0, a.length - f.cut));
  }
  parts.push(f.trailing);
  return concat(...parts);
}

function invalid() {
  const thumb = new Uint8Array(16385);
  thumb.set(PNG);
  const inner = rawMessage();
  const cases = {
    'message-unknown-flag': rawMessage({ flags: 0x07 }),
    'message-trailing-byte': rawMessage({ trailing: new Uint8Array(1) }),
    'message-empty-text': rawMessage({ flags: 0x01, text: new Uint8Array(0) }),
    'message-text-too-long': rawMessage({ flags: 0x00, text: ascii('t'.repeat(30001)) }),
    'message-expire-too-large': rawMessage({ expireSeconds: 2419201 }),
    'message-text-bad-utf8': rawMessage({ text: Uint8Array.of(0x61, 0xc3) }),
    'quote-bad-author': rawMessage({ author: ascii('ALICE') }),
    'quote-empty-id': rawMessage({ quotedId: new Uint8Array(0) }),
    'attachment-blob-id-short': rawMessage({ blobId: ascii('AAAAAAAAAAAAAAAAAAAAA') }),
    'attachment-blob-id-noncanonical': rawMessage({ blobId: ascii('AAAAAAAAAAAAAAAAAAAAAC') }),
    'attachment-size-too-large': rawMessage({ size: 104857601 }),
    'attachment-content-type-uppercase': rawMessage({ contentType: ascii('image/PNG') }),
    'attachment-content-type-no-slash': rawMessage({ contentType: ascii('imagepng') }),
    'attachment-content-type-too-long': rawMessage({ contentType: ascii(`image/${'x'.repeat(95)}`) }),
    'attachment-file-name-slash': rawMessage({ fileName: ascii('../etc/passwd') }),
    'attachment-file-name-backslash': rawMessage({ fileName: ascii('..\\boot.ini') }),
    'attachment-file-name-control': rawMessage({ fileName: ascii('a\u001bb.png') }),
    'attachment-file-name-empty': rawMessage({ fileName: new Uint8Array(0) }),
    'attachment-file-name-too-long': rawMessage({ fileName: utf8('\u00e9'.repeat(128)) }),
    'attachment-width-without-height': rawMessage({ width: 0, height: 7 }),
    'attachment-thumbnail-not-image': rawMessage({ thumbnail: ascii('<svg/>') }),
    'attachment-thumbnail-too-large': rawMessage({ thumbnail: thumb }),
    'attachment-truncated': rawMessage({ cut: 3 }),
    'edit-empty-text': concat(head(0x10), p8(ascii('m-1')), p32(new Uint8Array(0))),
    'edit-target-too-long': concat(head(0x10), p8(ascii('t'.repeat(65))), p32(ascii('x'))),
    'delete-empty-target': concat(head(0x11), p8(new Uint8Array(0))),
    'reaction-emoji-too-long': concat(head(0x12), p8(ascii('alice')), p8(ascii('m-1')), p8(utf8('\u2764'.repeat(11)))),
    'reaction-emoji-control': concat(head(0x12), p8(ascii('alice')), p8(ascii('m-1')), p8(utf8('\ud83d\udc4d\u0000'))),
    'reaction-bad-target-author': concat(head(0x12), p8(ascii('a-b')), p8(ascii('m-1')), p8(utf8('\ud83d\udc4d'))),
    'timer-too-large': concat(head(0x13), u32(2419201)),
    'timer-u32-max': concat(head(0x13), u32(0xffffffff)),
    'timer-trailing-byte': concat(head(0x13), u32(0), u8(0)),
    'sent-payload-inner-text': concat(head(0x14), p8(ascii('bob')), p32(concat(head(0x01), p32(ascii('hi'))))),
    'sent-payload-inner-id-mismatch': concat(head(0x14), p8(ascii('bob')), p32(rawMessage({ id: 'bad-x' }))),
    'sent-payload-inner-sent-at-mismatch': concat(head(0x14), p8(ascii('bob')), p32(rawMessage({ sentAt: NOW - 1 }))),
    'sent-payload-nested': concat(head(0x14), p8(ascii('bob')), p32(concat(head(0x14), p8(ascii('bob')), p32(inner)))),
    'sent-payload-inner-trailing-byte': concat(head(0x14), p8(ascii('bob')), p32(rawMessage({ trailing: Uint8Array.of(0) }))),
    'sent-payload-bad-peer': concat(head(0x14), p8(ascii('bo')), p32(inner)),
    'block-value-2': concat(head(0x15), p8(ascii('mallory')), u8(2)),
    'block-bad-peer': concat(head(0x15), p8(ascii('Mallory')), u8(1)),
  };
  return Object.entries(cases).map(([reason, encoded]) => ({ reason, encoded: b64(encoded) }));
}

export async function buildContent() {
  const list = (await payloads()).map((p) => ({ payload: payloadToJson(p), encoded: b64(encodePayload(p)) }));
  return { payloads: list, invalid: invalid() };
}

function canonical(value) {
  return JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

function kind(j) {
  if (j.type !== 'message') return j.type;
  const parts = [j.quote ? 'quote' : null, j.attachment ? 'attachment' : null].filter(Boolean);
  return parts.length ? `message/${parts.join('+')}` : 'message';
}

export async function verifyContent(v) {
  const kinds = new Set();
  for (const c of v.payloads) {
    const encoded = encodePayload(payloadFromJson(c.payload));
    if (!equalBytes(encoded, unb64(c.encoded))) throw new Error(`payload ${c.payload.id}: encoding differs (${hex(encoded).slice(0, 80)}...)`);
    const decoded = payloadToJson(decodePayload(unb64(c.encoded)));
    if (canonical(decoded) !== canonical(c.payload)) throw new Error(`decoded ${c.payload.id}: expected ${canonical(c.payload).slice(0, 300)}, got ${canonical(decoded).slice(0, 300)}`);
    kinds.add(kind(c.payload));
  }
  for (const k of KINDS) if (!kinds.has(k)) throw new Error(`content payloads: no ${k}`);
  const reasons = new Set();
  for (const c of v.invalid) {
    let refused = null;
    try {
      decodePayload(unb64(c.encoded));
    } catch (e) {
      refused = e;
    }
    if (!(refused instanceof ProtocolError) || refused.code !== 'bad-format') {
      throw new Error(`invalid ${c.reason}: expected a bad-format refusal, got ${refused ? `${refused.name}: ${refused.message}` : 'a payload'}`);
    }
    reasons.add(c.reason);
  }
  const missing = REQUIRED_INVALID.filter((r) => !reasons.has(r));
  if (missing.length) throw new Error(`content invalid vectors missing: ${missing.join(', ')}`);
}
