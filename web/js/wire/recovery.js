/**
 * The account recovery code (docs/PROTOCOL.md §3), as Java's `RecoveryCodes`: 160 random bits
 * as 32 characters of Crockford base32 (`0-9 A-Z` without `I L O U`). A code as typed is
 * canonicalised by upper-casing it, removing spaces and dashes and folding the look-alikes
 * `O`→`0` and `I`, `L`→`1`; anything that is not then 32 such characters is not a recovery
 * code. The server and the device keep only `recoveryHash = SHA-256(utf8(canonical))`; the
 * server canonicalises the `recoveryCode` of a `reset` the same way. Pinned by
 * test-vectors/wire/signed.json.
 */

import { ALPHABET, encodeBase32, foldCrockford, groupedCode } from './crockford.js';

export { ALPHABET };
export const RANDOM_BYTES = 20;
export const LENGTH = 32;

/** A new code in canonical form (160 bits: exactly 32 characters, no padding bits). */
export function generateRecoveryCode() {
  return encodeBase32(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
}

/** The canonical form of a typed code; null if it is not a recovery code. */
export function canonicalRecoveryCode(typed) {
  let out = '';
  for (const c of String(typed).toUpperCase()) {
    if (/\s|-/.test(c)) continue;
    const folded = foldCrockford(c);
    if (!ALPHABET.includes(folded) || out.length === LENGTH) return null;
    out += folded;
  }
  return out.length === LENGTH ? out : null;
}

/** `SHA-256(utf8(canonical))`, the `recoveryHash` of register and reset, as bytes. */
export async function recoveryHash(canonical) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
}

/** The form shown to the user: eight groups of four, joined by dashes. */
export function displayRecoveryCode(canonical) {
  return groupedCode(canonical);
}
