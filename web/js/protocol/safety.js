/**
 * Safety numbers (docs/CRYPTO.md §6): Signal's numeric fingerprint, display version 0
 * (libsignal rust/protocol/src/fingerprint.rs), over Parley's 64-byte identity.
 *
 * ```
 * fingerprint(IK, username):
 *   h = u16 0 || IK || utf8(username)          (not hashed: the first iteration hashes it)
 *   repeat 5200 times: h = SHA-512(h || IK)
 *   30 digits = for i in 0..5: u40(h[5i .. 5i+5]) mod 100000, 5 digits zero-padded
 * safety_number(A, B) = the two 30-digit strings, the smaller (as strings) first
 * QR text = "parley-safety:v1:" || 60 digits
 * ```
 */

import { concat, u16, utf8 } from './encoding.js';
import { FormatError } from './errors.js';
import { sha512 } from './primitives.js';
import { FINGERPRINT_ITERATIONS } from './limits.js';
import { SAFETY_QR_PREFIX } from './labels.js';
import { IDENTITY_BYTES } from './keys.js';

/** The 30-digit fingerprint of one identity and its username. */
export async function fingerprint(publicIdentity, username) {
  if (publicIdentity.length !== IDENTITY_BYTES) throw new FormatError('identity must be 64 bytes');
  let h = concat(u16(0), publicIdentity, utf8(username));
  for (let i = 0; i < FINGERPRINT_ITERATIONS; i++) h = await sha512(concat(h, publicIdentity));
  let digits = '';
  for (let i = 0; i < 6; i++) {
    const chunk = h.subarray(5 * i, 5 * i + 5);
    // 40-bit value: exact in a double (< 2^53).
    const v = chunk.reduce((acc, b) => acc * 256 + b, 0);
    digits += String(v % 100000).padStart(5, '0');
  }
  return digits;
}

/** The 60-digit safety number: both fingerprints, the smaller string first. */
export async function safetyNumber(identityA, usernameA, identityB, usernameB) {
  const a = await fingerprint(identityA, usernameA);
  const b = await fingerprint(identityB, usernameB);
  return a < b ? a + b : b + a;
}

/** 12 groups of 5 digits for display. */
export function groupDigits(number) {
  return number.match(/.{5}/g);
}

/** The text the QR code encodes. */
export function qrText(number) {
  if (!/^[0-9]{60}$/.test(number)) throw new FormatError('safety number must be 60 digits');
  return SAFETY_QR_PREFIX + number;
}

/** True when a scanned QR text shows the same safety number. */
export function matchesQrText(number, scanned) {
  return typeof scanned === 'string' && scanned === qrText(number);
}
