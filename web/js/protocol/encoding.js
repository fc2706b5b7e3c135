/**
 * Byte helpers shared by every protocol module (docs/CRYPTO.md §0).
 *
 * - Integers are unsigned big-endian: u8, u16, u32, u64.
 * - Binary values in JSON are base64url without padding (RFC 4648 §5); decoding is strict:
 *   padding, the standard alphabet, whitespace and non-canonical trailing bits are refused,
 *   so every byte string has exactly one text form.
 */

import { FormatError } from './errors.js';

export { FormatError };

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_INDEX = new Map([...B64URL].map((c, i) => [c, i]));

/** Encodes bytes as base64url without padding. */
export function b64(bytes) {
  const b = toBytes(bytes);
  let out = '';
  let i = 0;
  for (; i + 3 <= b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63] + B64URL[n & 63];
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = b[i] << 16;
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (b[i] << 16) | (b[i + 1] << 8);
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63];
  }
  return out;
}

/** Decodes strict base64url without padding; throws FormatError on anything else. */
export function unb64(text) {
  if (typeof text !== 'string') throw new FormatError('base64url: not a string');
  if (text.length % 4 === 1) throw new FormatError('base64url: impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const c of text) {
    const v = B64URL_INDEX.get(c);
    if (v === undefined) throw new FormatError('base64url: invalid character');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new FormatError('base64url: non-canonical trailing bits');
  return out;
}

/** Lower-case hex, for Wycheproof inputs and diagnostics. */
export function hex(bytes) {
  return [...toBytes(bytes)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export function unhex(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new FormatError('hex: malformed');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
  return out;
}

/** A fresh Uint8Array view of an ArrayBuffer, TypedArray or DataView. */
export function toBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('expected bytes');
}

export function concat(...parts) {
  const arrays = parts.map(toBytes);
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export function utf8(text) {
  return new TextEncoder().encode(text);
}

/** Strict UTF-8 decoding: malformed sequences are a FormatError, never U+FFFD. */
export function fromUtf8(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError('utf8: malformed');
  }
}

export function u8(n) {
  checkUint(n, 0xff);
  return Uint8Array.of(n);
}

export function u16(n) {
  checkUint(n, 0xffff);
  return Uint8Array.of(n >>> 8, n & 0xff);
}

export function u32(n) {
  checkUint(n, 0xffffffff);
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** u64 from a non-negative safe integer (ms timestamps fit comfortably). */
export function u64(n) {
  checkUint(n, Number.MAX_SAFE_INTEGER);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

function checkUint(n, max) {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`integer out of range: ${n}`);
}

/** Constant-time-shaped equality (no early exit); lengths are public. */
export function equalBytes(a, b) {
  const x = toBytes(a);
  const y = toBytes(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

/** Lexicographic (bytewise, unsigned) comparison: negative, zero or positive. */
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/**
 * Sequential reader over a byte string. Every read checks bounds and throws FormatError with
 * the field name, so parsers never read past the end.
 */
export class Reader {
  constructor(bytes) {
    this.bytes = toBytes(bytes);
    this.offset = 0;
  }

  get remaining() {
    return this.bytes.length - this.offset;
  }

  take(n, field) {
    if (n < 0 || this.offset + n > this.bytes.length) throw new FormatError(`truncated: ${field}`);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  rest() {
    return this.take(this.remaining, 'rest');
  }

  u8(field) {
    return this.take(1, field)[0];
  }

  u16(field) {
    const b = this.take(2, field);
    return (b[0] << 8) | b[1];
  }

  u32(field) {
    const b = this.take(4, field);
    return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  }

  u64(field) {
    const b = this.take(8, field);
    const v = new DataView(b.buffer).getBigUint64(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(`out of range: ${field}`);
    return Number(v);
  }

  end(what) {
    if (this.remaining !== 0) throw new FormatError(`trailing bytes after ${what}`);
  }
}
