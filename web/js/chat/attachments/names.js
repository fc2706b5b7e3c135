/**
 * What an attachment is called and what it is (docs/design/EVERYDAY.md, "Attachments"): the
 * one place that turns a browser `File` into the pointer's `fileName` and `contentType`, and a
 * received `fileName` into a name that is safe to save under.
 *
 * Rules of the pointer (CRYPTO.md §4, checked by the payload codec): a file name is 1..255
 * bytes of UTF-8 with no '/', '\', NUL or control character; a content type is 1..100 bytes,
 * lowercase "type/subtype" of [a-z0-9.+-]. Saving also refuses what could mislead: bidi
 * controls (which can show "exe.jpg" for "gpj.exe") and a leading dot.
 */

import { MAX_FILE_NAME_BYTES, MAX_CONTENT_TYPE_BYTES } from '../../protocol/limits.js';

const FALLBACK_NAME = 'file';
const FALLBACK_TYPE = 'application/octet-stream';
const CONTENT_TYPE = /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/;
/** C0 and C1 controls, DEL, path separators, and the invisible direction and joiner controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;

/**
 * Raster images shown inline from their thumbnail and opened in full from a `blob:` URL.
 * Never SVG: an SVG is a document that can carry script and fetch from the network.
 */
export const INLINE_IMAGE_TYPES = Object.freeze(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function isInlineImage(contentType) {
  return INLINE_IMAGE_TYPES.includes(contentType);
}

/** The pointer's content type for `file`: its MIME type without parameters, or application/octet-stream. */
export function contentTypeOf(file) {
  const type = String(file.type ?? '').split(';')[0].trim().toLowerCase();
  return type.length <= MAX_CONTENT_TYPE_BYTES && CONTENT_TYPE.test(type) ? type : FALLBACK_TYPE;
}

/**
 * A file name that follows the pointer's rules and is safe to save under: unsafe characters
 * become '_', surrounding spaces and leading dots go, and a name over 255 bytes is shortened
 * before its extension (whole characters). Never empty.
 */
export function safeFileName(name) {
  const clean = String(name ?? '').normalize('NFC').replace(UNSAFE, '_').trim().replace(/^\.+/, '').trim();
  return fitBytes(clean === '' ? FALLBACK_NAME : clean, MAX_FILE_NAME_BYTES);
}

const encoder = new TextEncoder();

function fitBytes(name, max) {
  if (encoder.encode(name).length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const room = max - encoder.encode(extension).length;
  let stem = '';
  for (const character of name.slice(0, name.length - extension.length)) {
    if (encoder.encode(stem + character).length > room) break;
    stem += character;
  }
  return stem + extension;
}

/** "2.4 MiB", "812 KiB", "17 bytes": sizes in binary units, as the server's limits are set. */
export function formatSize(bytes) {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
