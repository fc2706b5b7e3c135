/**
 * The Double Ratchet key derivations of docs/CRYPTO.md §3
 * (https://signal.org/docs/specifications/doubleratchet/#recommended-cryptographic-algorithms):
 *
 * ```
 * KDF_RK(rk, dh_out) = HKDF(salt = rk, ikm = dh_out, info = "Parley_Ratchet_Root", L = 64)
 *                      -> (rk' = bytes 0..31, ck = bytes 32..63)
 * KDF_CK(ck)         : mk = HMAC(ck, 0x01), ck' = HMAC(ck, 0x02)
 * MSG_KEYS(mk)       = HKDF(salt = 0^32, ikm = mk, info = "Parley_Message_Keys", L = 44)
 *                      -> (aes_key = bytes 0..31, nonce = bytes 32..43)
 * ```
 *
 * Every function returns new arrays; inputs are never modified.
 */

import { utf8 } from './encoding.js';
import { hkdf, hmacMany } from './primitives.js';
import { INFO_RATCHET_ROOT, INFO_MESSAGE_KEYS } from './labels.js';

const ZERO_SALT = new Uint8Array(32);
const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
const CHAIN_KEY_SEED = Uint8Array.of(0x02);

/** KDF_RK: a root key and a DH output -> { rootKey, chainKey }. */
export async function kdfRoot(rootKey, dhOut) {
  const out = await hkdf(rootKey, dhOut, utf8(INFO_RATCHET_ROOT), 64);
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) };
}

/** KDF_CK: a chain key -> { messageKey, chainKey } (the next chain key). */
export async function kdfChain(chainKey) {
  const [messageKey, next] = await hmacMany(chainKey, [MESSAGE_KEY_SEED, CHAIN_KEY_SEED]);
  return { messageKey, chainKey: next };
}

/** MSG_KEYS: a message key -> { aesKey (32), nonce (12) }. */
export async function messageKeys(messageKey) {
  const out = await hkdf(ZERO_SALT, messageKey, utf8(INFO_MESSAGE_KEYS), 44);
  return { aesKey: out.slice(0, 32), nonce: out.slice(32, 44) };
}
