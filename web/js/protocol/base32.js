/**
 * The one 5-bit packing of the browser protocol modules, as Java's `codec.Base32`: bytes as
 * Crockford base32 in the recovery codes' alphabet (`0-9 A-Z` without `I L O U`,
 * wire/recovery.js), most significant bits first; the last character carries the remaining
 * bits followed by zero bits, and `decodeBase32` refuses non-zero padding bits, so every byte
 * string has exactly one text form. Link codes (docs/CRYPTO.md §10.1) are built on it.
 */

import { ALPHABET } from '../wire/recovery.js';
import { FormatError } from './errors.js';

export { ALPHABET };

/** Characters needed for `byteLength` bytes: ceil(8 * byteLength / 5). */
export function base32Length(byteLength) {
  return Math.floor((byteLength * 8 + 4) / 5);
}

export function encodeBase32(bytes) {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Exactly `byteLength` bytes from canonical characters (upper case, alphabet only; callers
 * fold look-alikes first). FormatError for a wrong length, another character or non-zero
 * padding bits.
 */
export function decodeBase32(text, byteLength) {
  if (text.length !== base32Length(byteLength)) {
    throw new FormatError(`expected ${base32Length(byteLength)} characters, got ${text.length}`);
  }
  const out = new Uint8Array(byteLength);
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = ALPHABET.indexOf(text[i]);
    if (digit < 0) throw new FormatError(`character ${i + 1} is not in the alphabet`);
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >>> bits) & 0xff;
      value &= (1 << bits) - 1;
    }
  }
  if (value !== 0) throw new FormatError('non-zero padding bits in the last character');
  return out;
}
