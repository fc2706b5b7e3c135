/**
 * The Double Ratchet of docs/CRYPTO.md §3
 * (https://signal.org/docs/specifications/doubleratchet/), with the header of header.js and
 * the KDFs of kdf.js.
 *
 * RatchetState (structured-clone friendly; stored inside a session, see session.js):
 * ```
 * { rootKey:   Uint8Array(32)                         RK
 *   sending:   { chainKey: Uint8Array(32), n } | null  CKs, Ns
 *   receiving: { chainKey: Uint8Array(32), n } | null  CKr, Nr
 *   dhs:       { privateKey: CryptoKey, publicKey: Uint8Array(32) }   our ratchet pair
 *   dhr:       Uint8Array(32) | null                   their ratchet key
 *   pn:        number                                  PN
 *   skipped:   [{ dh: Uint8Array(32), n, messageKey: Uint8Array(32), storedAt: ms }]
 *              oldest first, at most MAX_SKIPPED_KEYS }
 * ```
 *
 * Invariants:
 * - Functions never modify their input state: they return a new state object, so a caller
 *   that only stores the result on success gets "a failed decryption changes no state".
 * - Each message key encrypts or decrypts exactly one message (skipped keys are deleted on
 *   use), so the nonce derived from it never repeats under its AES key.
 * - The caller persists the state returned by `ratchetEncrypt` before the message leaves the
 *   device.
 */

import { equalBytes } from './encoding.js';
import { ProtocolError } from './errors.js';
import { x25519, aesGcmEncrypt, aesGcmDecrypt } from './primitives.js';
import { kdfRoot, kdfChain, messageKeys } from './kdf.js';
import { encodeHeader, encodeRatchetMessage, parseRatchetMessage, associatedData } from './header.js';
import { MAX_MESSAGE_NUMBER, MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_TTL_MS } from './limits.js';

/** §3.1: Alice after PQXDH; `ourRatchetPair` is drawn from the entropy by the caller. */
export async function initInitiator({ sk, theirRatchetKey, ourRatchetPair }) {
  const { rootKey, chainKey } = await kdfRoot(sk, await x25519(ourRatchetPair.privateKey, theirRatchetKey));
  return {
    rootKey,
    sending: { chainKey, n: 0 },
    receiving: null,
    dhs: ourRatchetPair,
    dhr: theirRatchetKey.slice(),
    pn: 0,
    skipped: [],
  };
}

/** §3.2: Bob; his signed prekey pair is the first ratchet pair. */
export function initResponder({ sk, ourRatchetPair }) {
  return { rootKey: sk.slice(), sending: null, receiving: null, dhs: ourRatchetPair, dhr: null, pn: 0, skipped: [] };
}

export function canSend(state) {
  return state.sending !== null;
}

/**
 * §3.4 encrypt. `handshakeAd` is the 128-byte AD of the session.
 * -> { state, message: RatchetMessage bytes }
 */
export async function ratchetEncrypt(state, plaintext, handshakeAd) {
  if (!state.sending) throw new ProtocolError('no-session', 'this session cannot send before it has received');
  if (state.sending.n > MAX_MESSAGE_NUMBER) throw new ProtocolError('too-large', 'sending chain exhausted');
  const { messageKey, chainKey } = await kdfChain(state.sending.chainKey);
  const headerBytes = encodeHeader({ dh: state.dhs.publicKey, pn: state.pn, n: state.sending.n });
  const { aesKey, nonce } = await messageKeys(messageKey);
  const ciphertext = await aesGcmEncrypt(aesKey, nonce, plaintext, associatedData(handshakeAd, headerBytes));
  return {
    state: { ...state, sending: { chainKey, n: state.sending.n + 1 } },
    message: encodeRatchetMessage(headerBytes, ciphertext),
  };
}

/**
 * §3.4 decrypt (the specification's RatchetDecrypt), on a copy of the state.
 * `now` (ms) is the caller's clock, used only for skipped-key expiry; `entropy.x25519()`
 * supplies the new ratchet pair of a DH ratchet step.
 * -> { state, plaintext }; throws ProtocolError (`decrypt-failed`, `duplicate`,
 * `too-many-skipped`, `bad-format`, `low-order`) and then the input state is still valid.
 */
export async function ratchetDecrypt(state, messageBytes, handshakeAd, { now, entropy }) {
  if (!Number.isFinite(now)) throw new TypeError('ratchetDecrypt needs the caller time `now` in ms');
  const { header, headerBytes, ciphertext } = parseRatchetMessage(messageBytes);
  if (header.n > MAX_MESSAGE_NUMBER) throw new ProtocolError('too-large', 'message number beyond the chain limit');
  const ad = associatedData(handshakeAd, headerBytes);
  let s = { ...state, skipped: expire(state.skipped, now) };

  // 1. a stored skipped key
  const idx = s.skipped.findIndex((k) => k.n === header.n && equalBytes(k.dh, header.dh));
  if (idx >= 0) {
    const plaintext = await decryptWith(s.skipped[idx].messageKey, ciphertext, ad);
    const skipped = s.skipped.slice();
    skipped.splice(idx, 1);
    return { state: { ...s, skipped }, plaintext };
  }

  const sameChain = s.dhr !== null && equalBytes(header.dh, s.dhr);
  // 2. a message of the current receiving chain whose key is gone: duplicate
  if (sameChain && s.receiving && header.n < s.receiving.n) {
    throw new ProtocolError('duplicate', 'message already received');
  }
  // 3. a new ratchet key: finish the current chain up to PN, then the DH ratchet step
  if (!sameChain) {
    s = await skipKeys(s, header.pn, now);
    s = await dhRatchetStep(s, header.dh, entropy);
  }
  // 4. skip to N in the (possibly new) receiving chain, derive, decrypt
  s = await skipKeys(s, header.n, now);
  const { messageKey, chainKey } = await kdfChain(s.receiving.chainKey);
  const plaintext = await decryptWith(messageKey, ciphertext, ad);
  return { state: { ...s, receiving: { chainKey, n: s.receiving.n + 1 } }, plaintext };
}

async function decryptWith(messageKey, ciphertext, ad) {
  const { aesKey, nonce } = await messageKeys(messageKey);
  return aesGcmDecrypt(aesKey, nonce, ciphertext, ad);
}

/** Drops skipped keys older than SKIPPED_KEY_TTL_MS (a fresh array). */
function expire(skipped, now) {
  return skipped.filter((k) => now - k.storedAt <= SKIPPED_KEY_TTL_MS);
}

/** Stores the keys of the receiving chain from Nr up to (not including) `until`. */
async function skipKeys(s, until, now) {
  if (!s.receiving) return s;
  if (until - s.receiving.n > MAX_SKIP) {
    throw new ProtocolError('too-many-skipped', `header skips more than ${MAX_SKIP} messages`);
  }
  if (until <= s.receiving.n) return s;
  let { chainKey, n } = s.receiving;
  const skipped = s.skipped.slice();
  while (n < until) {
    const step = await kdfChain(chainKey);
    skipped.push({ dh: s.dhr, n, messageKey: step.messageKey, storedAt: now });
    chainKey = step.chainKey;
    n += 1;
  }
  // Oldest first: evict from the front.
  if (skipped.length > MAX_SKIPPED_KEYS) skipped.splice(0, skipped.length - MAX_SKIPPED_KEYS);
  return { ...s, receiving: { chainKey, n }, skipped };
}

async function dhRatchetStep(s, theirRatchetKey, entropy) {
  const dhr = theirRatchetKey.slice();
  const recv = await kdfRoot(s.rootKey, await x25519(s.dhs.privateKey, dhr));
  const dhs = await entropy.x25519();
  const send = await kdfRoot(recv.rootKey, await x25519(dhs.privateKey, dhr));
  return {
    ...s,
    pn: s.sending ? s.sending.n : 0,
    dhr,
    dhs,
    rootKey: send.rootKey,
    receiving: { chainKey: recv.chainKey, n: 0 },
    sending: { chainKey: send.chainKey, n: 0 },
  };
}
