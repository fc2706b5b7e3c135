/**
 * The one Crockford base32 of the browser, as Java's `dev.parley.wire.Crockford`, for codes
 * people read and type: recovery codes (recovery.js) and link codes (protocol/link.js,
 * docs/CRYPTO.md §10.1). The alphabet is `0-9 A-Z` without `I L O U`; bytes are packed most
 * significant bits first, the last character carrying the remaining bits followed by zero
 * bits, and `decodeBase32` refuses non-zero padding bits, so every byte string has exactly
 * one text form. Typed text is read through `foldCrockford` (upper case, O→0, I and L→1) and
 * shown through `groupedCode`.
 */

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const FOLDED = { O: '0', I: '1', L: '1' };

/** A typed character as the code means it: upper case, look-alikes folded; not necessarily in the alphabet. */
export function foldCrockford(c) {
  const upper = c.toUpperCase();
  return FOLDED[upper] ?? upper;
}

/** The display form: groups of four characters joined by dashes. */
export function groupedCode(code) {
  return code.match(/.{1,4}/g).join('-');
}

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
 * fold look-alikes first). RangeError for a wrong length, another character or non-zero
 * padding bits.
 */
export function decodeBase32(text, byteLength) {
  if (text.length !== base32Length(byteLength)) {
    throw new RangeError(`expected ${base32Length(byteLength)} characters, got ${text.length}`);
  }
  const out = new Uint8Array(byteLength);
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = ALPHABET.indexOf(text[i]);
    if (digit < 0) throw new RangeError(`character ${i + 1} is not in the alphabet`);
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >>> bits) & 0xff;
      value &= (1 << bits) - 1;
    }
  }
  if (value !== 0) throw new RangeError('non-zero padding bits in the last character');
  return out;
}
