/**
 * Message ids (wire `id` and payload `id`): 128 random bits in base64url, 22 characters of
 * `A-Z a-z 0-9 _ -`, within PROTOCOL.md's 1..64 id alphabet. Unique per (sender, recipient)
 * with overwhelming probability, so resending after a lost answer is deduplicated by the
 * server. (Recovery codes are wire/recovery.js.)
 */

import { b64 } from '../protocol/index.js';

export function randomId() {
  return b64(crypto.getRandomValues(new Uint8Array(16)));
}
