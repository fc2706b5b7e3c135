/**
 * Every random choice the protocol makes goes through an Entropy object, so that tests and
 * shared vectors can replay recorded randomness (test-vectors/README.md) while production
 * uses the platform:
 *
 * ```
 * Entropy = {
 *   randomBytes(n)            -> Uint8Array          content keys (fan-out)
 *   x25519()                  -> Promise<KeyPair>    ephemeral and ratchet keys
 *   encapsulate(publicKey)    -> Promise<{ciphertext, sharedSecret}>   ML-KEM-768
 * }
 * ```
 */

import { randomBytes, x25519Generate, mlkemEncapsulate } from './primitives.js';

/** The default: crypto.getRandomValues, non-extractable generated keys, platform Encaps. */
export const systemEntropy = Object.freeze({
  randomBytes,
  x25519: x25519Generate,
  encapsulate: mlkemEncapsulate,
});
