/**
 * The receiving chains of ONE sender device in ONE group (docs/design/GROUPS.md "Sender
 * keys"), as Java's `groups.SenderKeyReceiver`. Plain data, safe for structuredClone:
 *
 * ```
 * SenderKeyReceiver = {
 *   chains:  [{ chainId (16), iteration (next expected), chainKey (32), signingPublic (32) }]
 *            oldest installed first, at most MAX_SENDER_KEY_CHAINS (3)
 *   skipped: [{ chainId, iteration, messageKey (the seed, 32), storedAt (ms) }]
 *            oldest first, at most MAX_SKIPPED_KEYS (2000) for all chains together }
 * ```
 *
 * Invariants:
 * - Functions never modify their input; a refused message changes nothing (the caller stores
 *   the returned receiver only on success).
 * - The signature is verified with the chain's signing key before anything is derived or
 *   decrypted, so a forged message costs no key derivation and moves nothing.
 * - A chain only moves forward: a message at an iteration whose key is gone (used, evicted,
 *   expired, or before the distribution this device received: a late joiner) is refused, and
 *   a distribution of a chain already held is ignored (the held chain already reaches every
 *   later iteration; this also means it can never go backwards).
 * - A message may skip at most MAX_SKIP (1000) iterations; skipped keys expire after
 *   SKIPPED_KEY_TTL_MS (30 days, by the caller's clock `now`; exactly 30 days is still usable).
 */

import { concat, equalBytes } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { aesGcmDecrypt, ed25519Verify } from '../primitives.js';
import { kdfChain } from '../kdf.js';
import { groupMessageBytes } from '../../wire/signed.js';
import { MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_TTL_MS, MAX_SENDER_KEY_CHAINS, MAX_SENDER_KEY_ITERATION } from '../limits.js';
import { checkGroupId } from './group-id.js';
import { parseGroupMessage, senderMessageKeys } from './group-message.js';
import { checkDistribution } from './distribution.js';

export function emptySenderKeyReceiver() {
  return { chains: [], skipped: [] };
}

export function hasSenderChain(receiver, chainId) {
  return receiver.chains.some((c) => equalBytes(c.chainId, chainId));
}

/**
 * The receiver with the distributed chain added (the oldest beyond MAX_SENDER_KEY_CHAINS
 * dropped with its skipped keys), or unchanged when the chain is already held. The caller
 * has checked that the distribution came through the pairwise session of the device it is
 * for, from a member of the group.
 */
export function installSenderKey(receiver, distribution) {
  checkDistribution(distribution);
  if (hasSenderChain(receiver, distribution.chainId)) return receiver;
  const chains = [...receiver.chains, {
    chainId: distribution.chainId.slice(), iteration: distribution.iteration,
    chainKey: distribution.chainKey.slice(), signingPublic: distribution.signingPublic.slice(),
  }];
  const dropped = chains.splice(0, Math.max(0, chains.length - MAX_SENDER_KEY_CHAINS));
  const skipped = receiver.skipped.filter((k) => !dropped.some((c) => equalBytes(c.chainId, k.chainId)));
  return { chains, skipped };
}

/**
 * Verifies, derives and decrypts one GroupMessage of `groupId` at the caller's time `now` (ms).
 * -> { padded, receiver }; ProtocolError `no-session` (no chain with its chainId: the
 * distribution has not arrived, or the chain was dropped), `bad-signature` (forged, tampered,
 * or another group's message), `duplicate` (its key is gone), `too-many-skipped`, `too-large`,
 * `decrypt-failed`, `bad-format`.
 */
export async function decryptGroupMessage(receiver, groupId, message, now) {
  if (!Number.isFinite(now)) throw new TypeError('decryptGroupMessage needs the caller time `now` in ms');
  checkGroupId(groupId);
  const { header, chainId, iteration, ciphertext, signature } = parseGroupMessage(message);
  const index = receiver.chains.findIndex((c) => equalBytes(c.chainId, chainId));
  if (index < 0) throw new ProtocolError('no-session', 'no sender key for this chain');
  const chain = receiver.chains[index];
  if (!(await ed25519Verify(chain.signingPublic, groupMessageBytes(groupId, concat(header, ciphertext)), signature))) {
    throw new ProtocolError('bad-signature', 'group message signature invalid');
  }
  const ad = concat(groupId, header);
  const skipped = receiver.skipped.filter((k) => now - k.storedAt <= SKIPPED_KEY_TTL_MS);
  const stored = skipped.findIndex((k) => k.iteration === iteration && equalBytes(k.chainId, chainId));
  if (stored >= 0) {
    const padded = await decryptWith(skipped[stored].messageKey, ciphertext, ad);
    skipped.splice(stored, 1);
    return { padded, receiver: { chains: receiver.chains, skipped } };
  }
  if (iteration < chain.iteration) throw new ProtocolError('duplicate', 'this iteration was already received or precedes the distribution');
  if (iteration > MAX_SENDER_KEY_ITERATION) throw new ProtocolError('too-large', 'iteration beyond the chain limit');
  if (iteration - chain.iteration > MAX_SKIP) throw new ProtocolError('too-many-skipped', `message skips more than ${MAX_SKIP} iterations`);
  let { chainKey } = chain;
  for (let n = chain.iteration; n < iteration; n++) {
    const step = await kdfChain(chainKey);
    skipped.push({ chainId: chain.chainId, iteration: n, messageKey: step.messageKey, storedAt: now });
    chainKey = step.chainKey;
  }
  const { messageKey, chainKey: next } = await kdfChain(chainKey);
  const padded = await decryptWith(messageKey, ciphertext, ad);
  if (skipped.length > MAX_SKIPPED_KEYS) skipped.splice(0, skipped.length - MAX_SKIPPED_KEYS);
  const chains = receiver.chains.slice();
  chains[index] = { ...chain, iteration: iteration + 1, chainKey: next };
  return { padded, receiver: { chains, skipped } };
}

async function decryptWith(seed, ciphertext, ad) {
  const { aesKey, nonce } = await senderMessageKeys(seed);
  return aesGcmDecrypt(aesKey, nonce, ciphertext, ad);
}
