/**
 * A device's own sending chain of one group (docs/design/GROUPS.md "Sender keys", "Rotation"),
 * as Java's `groups.SenderChain`. Plain data, safe for structuredClone and IndexedDB:
 *
 * ```
 * SenderChain = { chainId: Uint8Array(16), iteration: number (the next one to use),
 *                 chainKey: Uint8Array(32), signingPrivate: Uint8Array(32) (Ed25519 seed),
 *                 signingPublic: Uint8Array(32) }
 * ```
 * The signing key is kept as its raw seed (no CryptoKey in the stored object) and imported
 * for each signature. Functions never modify their input: `encryptGroupMessage` returns the
 * next chain, which the caller stores before the message leaves the device, so that no
 * iteration (and so no AES key and nonce) is ever used twice.
 */

import { concat } from '../encoding.js';
import { ProtocolError, FormatError } from '../errors.js';
import { aesGcmEncrypt, ed25519FromSeed, ed25519Sign } from '../primitives.js';
import { kdfChain } from '../kdf.js';
import { systemEntropy } from '../entropy.js';
import { groupMessageBytes } from '../../wire/signed.js';
import { MAX_PADDED_PAYLOAD, MAX_SENDER_KEY_ITERATION } from '../limits.js';
import { checkGroupId } from './group-id.js';
import { CHAIN_ID_BYTES, CHAIN_KEY_BYTES, encodeGroupHeader, senderMessageKeys } from './group-message.js';
import { checkDistribution } from './distribution.js';

const SIGNING_SEED_BYTES = 32;

/** A new chain: random chainId, chain key and signing key, iteration 0 (drawn from `entropy.randomBytes`). */
export async function generateSenderChain(entropy = systemEntropy) {
  return senderChainFromSecrets({
    chainId: entropy.randomBytes(CHAIN_ID_BYTES),
    iteration: 0,
    chainKey: entropy.randomBytes(CHAIN_KEY_BYTES),
    signingPrivate: entropy.randomBytes(SIGNING_SEED_BYTES),
  });
}

/** A chain from its secrets `{ chainId, iteration, chainKey, signingPrivate }` (storage, vectors); derives the public key. */
export async function senderChainFromSecrets({ chainId, iteration, chainKey, signingPrivate }) {
  const { publicKey } = await ed25519FromSeed(signingPrivate);
  const chain = { chainId: chainId.slice(), iteration, chainKey: chainKey.slice(), signingPrivate: signingPrivate.slice(), signingPublic: publicKey };
  checkDistribution({ groupId: new Uint8Array(32), ...chain });
  return chain;
}

/** The distribution of `chain` for `groupId`: its current iteration and chain key (nothing sent before can be derived). */
export function senderKeyDistribution(chain, groupId) {
  return checkDistribution({
    groupId: checkGroupId(groupId).slice(), chainId: chain.chainId.slice(), iteration: chain.iteration,
    chainKey: chain.chainKey.slice(), signingPublic: chain.signingPublic.slice(),
  });
}

/**
 * Encrypts and signs one padded payload at the chain's iteration.
 * -> { message: GroupMessage bytes, chain: the next chain (store it before sending) }.
 */
export async function encryptGroupMessage(chain, groupId, paddedPayload) {
  checkGroupId(groupId);
  if (!(paddedPayload instanceof Uint8Array) || paddedPayload.length < 1 || paddedPayload.length > MAX_PADDED_PAYLOAD) {
    throw new ProtocolError('too-large', `a padded payload is 1..${MAX_PADDED_PAYLOAD} bytes`);
  }
  if (!Number.isInteger(chain.iteration) || chain.iteration < 0) throw new FormatError('chain iteration must be a u32');
  if (chain.iteration > MAX_SENDER_KEY_ITERATION) throw new ProtocolError('too-large', 'sender chain exhausted: start a new one');
  const { messageKey, chainKey } = await kdfChain(chain.chainKey);
  const { aesKey, nonce } = await senderMessageKeys(messageKey);
  const header = encodeGroupHeader(chain.chainId, chain.iteration);
  const ciphertext = await aesGcmEncrypt(aesKey, nonce, paddedPayload, concat(groupId, header));
  const { privateKey } = await ed25519FromSeed(chain.signingPrivate);
  const signature = await ed25519Sign(privateKey, groupMessageBytes(groupId, concat(header, ciphertext)));
  return {
    message: concat(header, ciphertext, signature),
    chain: { ...chain, iteration: chain.iteration + 1, chainKey },
  };
}
