/**
 * The Attachment inside a 0x0F message (docs/CRYPTO.md §4 "Attachment", §12), as Java's
 * `attachments.AttachmentPointer`:
 *
 * ```
 * Attachment = u8 len || ascii blobId          22 base64url characters (16 bytes, canonical)
 *              || 32 key || 32 digest           the file key and the blob's digest (§12)
 *              || u64 size                      plaintext bytes, 0..MAX_ATTACHMENT_BYTES
 *              || u8 len || ascii contentType   1..100 bytes, lowercase type/subtype of [a-z0-9.+-]
 *              || u16 len || utf8 fileName      1..255 bytes; no '/', '\' or control character
 *              || u16 width || u16 height       pixels, both 1..65535 for an image, else 0 x 0
 *              || u16 len || thumbnail          0..16384 bytes: empty, JPEG or PNG
 * ```
 *
 * Object: `{ blobId, key: Uint8Array(32), digest: Uint8Array(32), size, contentType, fileName,
 * width, height, thumbnail: Uint8Array }`. Encoding and decoding apply the same rules; a value
 * they refuse is a FormatError.
 */

import { concat, u8, u16, u64, utf8, fromUtf8, equalBytes } from './encoding.js';
import { FormatError } from './errors.js';
import { MAX_ATTACHMENT_BYTES, MAX_CONTENT_TYPE_BYTES, MAX_FILE_NAME_BYTES, MAX_THUMBNAIL_BYTES } from './limits.js';

const BLOB_ID = /^[A-Za-z0-9_-]{21}[AQgw]$/;
const CONTENT_TYPE = /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/;
/** Unicode category Cc (C0, DEL, C1): refused in file names and emoji. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff);
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const KEY_BYTES = 32;
const DIGEST_BYTES = 32;

const ascii = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const startsWith = (bytes, prefix) => bytes.length >= prefix.length && equalBytes(bytes.subarray(0, prefix.length), prefix);

/** Throws a FormatError unless `a` is a valid attachment pointer; returns the file name's UTF-8 bytes. */
export function checkAttachment(a) {
  if (a === null || typeof a !== 'object') throw new FormatError('attachment missing');
  if (typeof a.blobId !== 'string' || !BLOB_ID.test(a.blobId)) throw new FormatError('blob id must be 22 base64url characters (16 bytes)');
  if (!(a.key instanceof Uint8Array) || a.key.length !== KEY_BYTES) throw new FormatError('attachment key must be 32 bytes');
  if (!(a.digest instanceof Uint8Array) || a.digest.length !== DIGEST_BYTES) throw new FormatError('attachment digest must be 32 bytes');
  if (!Number.isSafeInteger(a.size) || a.size < 0 || a.size > MAX_ATTACHMENT_BYTES) {
    throw new FormatError(`attachment size must be 0..${MAX_ATTACHMENT_BYTES} bytes`);
  }
  if (typeof a.contentType !== 'string' || a.contentType.length > MAX_CONTENT_TYPE_BYTES || !CONTENT_TYPE.test(a.contentType)) {
    throw new FormatError('content type must be a lowercase type/subtype of [a-z0-9.+-], at most 100 bytes');
  }
  const name = utf8(typeof a.fileName === 'string' ? a.fileName : '');
  if (name.length < 1 || name.length > MAX_FILE_NAME_BYTES || /[/\\]/.test(a.fileName) || CONTROL_CHARACTER.test(a.fileName)) {
    throw new FormatError("file name must be 1..255 UTF-8 bytes without '/', '\\' or control characters");
  }
  const dimension = (v) => Number.isInteger(v) && v >= 0 && v <= 0xffff;
  if (!dimension(a.width) || !dimension(a.height) || (a.width === 0) !== (a.height === 0)) {
    throw new FormatError('width and height must both be 1..65535, or both 0');
  }
  if (!(a.thumbnail instanceof Uint8Array) || a.thumbnail.length > MAX_THUMBNAIL_BYTES) {
    throw new FormatError(`thumbnail must be at most ${MAX_THUMBNAIL_BYTES} bytes`);
  }
  if (a.thumbnail.length > 0 && !startsWith(a.thumbnail, JPEG) && !startsWith(a.thumbnail, PNG)) {
    throw new FormatError('thumbnail must be a JPEG or PNG image');
  }
  return name;
}

export function encodeAttachment(a) {
  const name = checkAttachment(a);
  return concat(u8(a.blobId.length), ascii(a.blobId), a.key, a.digest, u64(a.size), u8(a.contentType.length), ascii(a.contentType),
    u16(name.length), name, u16(a.width), u16(a.height), u16(a.thumbnail.length), a.thumbnail);
}

export function readAttachment(r) {
  const latin1 = (bytes) => String.fromCharCode(...bytes);
  const blobId = latin1(r.take(r.u8('blob id length'), 'blob id'));
  const key = r.take(KEY_BYTES, 'attachment key');
  const digest = r.take(DIGEST_BYTES, 'attachment digest');
  const size = r.u64('attachment size');
  const contentType = latin1(r.take(r.u8('content type length'), 'content type'));
  const fileName = fromUtf8(r.take(r.u16('file name length'), 'file name'));
  const width = r.u16('width');
  const height = r.u16('height');
  const thumbnail = r.take(r.u16('thumbnail length'), 'thumbnail');
  const a = { blobId, key, digest, size, contentType, fileName, width, height, thumbnail };
  checkAttachment(a);
  return a;
}
