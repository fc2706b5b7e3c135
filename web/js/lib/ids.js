/**
 * Random identifiers and recovery codes.
 *
 * - Message ids (wire `id` and payload `id`) are 128 random bits in base64url: 22 characters of
 *   `A-Z a-z 0-9 _ -`, within PROTOCOL.md's 1..64 id alphabet. Unique per (sender, recipient)
 *   with overwhelming probability, so resending after a lost ack is deduplicated by the server.
 * - Recovery codes are 160 random bits in Crockford base32 (32 characters, shown in groups of
 *   four). The canonical form hashed for the server (PROTOCOL.md §3) is upper case without
 *   spaces or dashes; Crockford's look-alikes (O→0, I/L→1) are folded when typed back.
 */

import { b64 } from '../protocol/index.js';

export function randomId() {
  return b64(crypto.getRandomValues(new Uint8Array(16)));
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_BYTES = 20;

export function newRecoveryCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(RECOVERY_CODE_BYTES));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** Upper case, separators removed, Crockford look-alikes folded; null if not a valid code. */
export function canonicalRecoveryCode(typed) {
  const code = String(typed).toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== 32 || [...code].some((c) => !CROCKFORD.includes(c))) return null;
  return code;
}

/** The code as shown to the user: eight groups of four. */
export function displayRecoveryCode(code) {
  return code.match(/.{4}/g).join('-');
}

/** SHA-256(utf8(canonical code)), the `recoveryHash` of PROTOCOL.md §3. */
export async function recoveryHash(canonical) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
}
