/**
 * The account recovery code (docs/PROTOCOL.md §3), as Java's `RecoveryCodes`: 160 random bits
 * as 32 characters of Crockford base32 (`0-9 A-Z` without `I L O U`). A code as typed is
 * canonicalised by upper-casing it, removing spaces and dashes and folding the look-alikes
 * `O`→`0` and `I`, `L`→`1`; anything that is not then 32 such characters is not a recovery
 * code. The server and the device keep only `recoveryHash = SHA-256(utf8(canonical))`; the
 * server canonicalises the `recoveryCode` of a `reset` the same way. Pinned by
 * test-vectors/wire/signed.json.
 */

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RANDOM_BYTES = 20;
export const LENGTH = 32;

/** A new code in canonical form. */
export function generateRecoveryCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(RANDOM_BYTES));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

const FOLDED = { O: '0', I: '1', L: '1' };

/** The canonical form of a typed code; null if it is not a recovery code. */
export function canonicalRecoveryCode(typed) {
  let out = '';
  for (const c of String(typed).toUpperCase()) {
    if (/\s|-/.test(c)) continue;
    const folded = FOLDED[c] ?? c;
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
  return canonical.match(/.{1,4}/g).join('-');
}
