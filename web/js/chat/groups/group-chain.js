/**
 * This device's sending chain per group (docs/design/GROUPS.md, "Sender keys", "Rotation"):
 * a group message is encrypted once with the chain, whatever the group's size. Before every
 * seal the recipients are compared with the chain's distributed set: if a device it was
 * distributed to is no longer a recipient (a member left or was removed, a device was
 * unlinked), a new chain starts with an empty set, so nobody who left reads anything new.
 *
 * The distributed set holds the devices for which a frame carrying the chain's distribution
 * was stored by the server (`markDistributed`, called on `stored`): a device whose copy was
 * refused gets the distribution again with the next message.
 *
 * Callers hold the group's lock (chat.groupLocks) around `sealWithChain`.
 */

import {
  b64, generateSenderChain, senderKeyDistribution, encryptGroupMessage, sealPayload,
} from '../../protocol/index.js';
import { done, tx } from '../../store/idb.js';
import { deviceKey } from './group-store.js';

/**
 * Encrypts `payload` (a text or typing payload object) for `row` (GroupRow) with its chain.
 * `recipients`: Map username -> device ids of this send. With `ephemeral` (typing), no chain is
 * started or rotated: -> null instead. `alsoIn(s, sealed)`: more writes in the same transaction
 * (the outbox entry holding the result), over `stores`.
 * -> { content: b64, distribution, chainId: b64, distributed: Set of deviceKey }
 */
export async function sealWithChain(db, row, recipients, payload, { ephemeral = false, alsoIn = null, stores = [] } = {}) {
  const keys = new Set();
  for (const [username, devices] of recipients) for (const d of devices) keys.add(deviceKey(username, d));
  const held = await tx(db, 'senderChains', 'readonly', ({ senderChains }) => done(senderChains.get(row.id)));
  const rotate = !held || held.distributed.some((k) => !keys.has(k));
  if (ephemeral && rotate) return null;
  const chain = rotate ? await generateSenderChain() : held.chain;
  const distribution = senderKeyDistribution(chain, row.groupId);
  const chainId = b64(distribution.chainId);
  const { message, chain: next } = await encryptGroupMessage(chain, row.groupId, sealPayload(payload));
  const distributed = rotate ? [] : held.distributed;
  const sealed = { content: b64(message), distribution, chainId, distributed: new Set(distributed) };
  await tx(db, ['senderChains', ...stores], 'readwrite', (s) => {
    s.senderChains.put({ group: row.id, chain: next, chainId, distributed });
    alsoIn?.(s, sealed);
  });
  return sealed;
}

/** The devices that already hold chain `chainId` of `group` (a Set of deviceKey; empty if the chain was replaced). */
export async function distributedSet(db, group, chainId) {
  const row = await tx(db, 'senderChains', 'readonly', ({ senderChains }) => done(senderChains.get(group)));
  return new Set(row && row.chainId === chainId ? row.distributed : []);
}

/** The server stored copies carrying chain `chainId`'s distribution for `keys`: they hold it now. */
export function markDistributed(db, group, chainId, keys) {
  if (keys.length === 0) return Promise.resolve();
  return tx(db, 'senderChains', 'readwrite', async ({ senderChains }) => {
    const row = await done(senderChains.get(group));
    if (!row || row.chainId !== chainId) return;
    senderChains.put({ ...row, distributed: [...new Set([...row.distributed, ...keys])] });
  });
}
