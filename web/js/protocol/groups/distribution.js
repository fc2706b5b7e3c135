/**
 * A sender key distribution (docs/design/GROUPS.md "Sender keys"; the body of payload 0x0B),
 * as Java's `groups.SenderKeyDistribution`:
 *
 * ```
 * Distribution = 32 groupId || 16 chainId || u32 iteration || 32 chainKey || 32 signingPublic
 * ```
 * Object: `{ groupId, chainId, iteration, chainKey, signingPublic }`. The chain key at
 * `iteration` opens that iteration and every later one, nothing before.
 */

import { concat, u32, Reader } from '../encoding.js';
import { FormatError } from '../errors.js';
import { ED25519_KEY_BYTES } from '../primitives.js';
import { GROUP_ID_BYTES, checkGroupId } from './group-id.js';
import { CHAIN_ID_BYTES, CHAIN_KEY_BYTES } from './group-message.js';

export const DISTRIBUTION_BYTES = GROUP_ID_BYTES + CHAIN_ID_BYTES + 4 + CHAIN_KEY_BYTES + ED25519_KEY_BYTES;

function checkBytes(value, n, what) {
  if (!(value instanceof Uint8Array) || value.length !== n) throw new FormatError(`${what} must be ${n} bytes`);
  return value;
}

/** A distribution object's fields checked (FormatError); returns it. */
export function checkDistribution(d) {
  checkGroupId(d?.groupId);
  checkBytes(d.chainId, CHAIN_ID_BYTES, 'chain id');
  if (!Number.isInteger(d.iteration) || d.iteration < 0 || d.iteration > 0xffffffff) throw new FormatError('iteration must be a u32');
  checkBytes(d.chainKey, CHAIN_KEY_BYTES, 'chain key');
  checkBytes(d.signingPublic, ED25519_KEY_BYTES, 'signing key');
  return d;
}

export function encodeSenderKeyDistribution(d) {
  checkDistribution(d);
  return concat(d.groupId, d.chainId, u32(d.iteration), d.chainKey, d.signingPublic);
}

/** Reads a distribution from a Reader (the payload body) or bytes (then nothing may follow). */
export function decodeSenderKeyDistribution(input) {
  const r = input instanceof Reader ? input : new Reader(input);
  const d = {
    groupId: r.take(GROUP_ID_BYTES, 'group id'),
    chainId: r.take(CHAIN_ID_BYTES, 'chain id'),
    iteration: r.u32('iteration'),
    chainKey: r.take(CHAIN_KEY_BYTES, 'chain key'),
    signingPublic: r.take(ED25519_KEY_BYTES, 'signing key'),
  };
  if (!(input instanceof Reader)) r.end('sender key distribution');
  return d;
}
