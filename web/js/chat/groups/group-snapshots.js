/**
 * Group snapshots (docs/design/GROUPS.md, "A new member", and the newly linked device): a
 * state's StateBytes in `group-snapshot-part` payloads, collected here until every part came.
 *
 * - From another account (an admin about to add this one), the joined snapshot is only a
 *   candidate (`row.snapshots`): it becomes the state only through the add change, which an
 *   admin of the snapshot signs naming its hash (group-apply.js).
 * - From this account's own other device (the one that approved this device), it is trusted
 *   like every sync payload and becomes the state, unless this device holds a newer one.
 */

import { randomId } from '../../lib/ids.js';
import { splitGroupSnapshot, joinGroupSnapshot, equalBytes } from '../../protocol/index.js';
import { tx, done } from '../../store/idb.js';
import { SNAPSHOT_PART_BYTES } from './group-changes.js';

/** Queues every group's state for this account's other devices (after linking one), as pairwise outbox entries. */
export async function snapshotsForOwnDevices(chat, rows) {
  const me = chat.messenger.username;
  const sentAt = Date.now();
  await tx(chat.db, 'outbox', 'readwrite', ({ outbox }) => {
    for (const row of rows) {
      const parts = splitGroupSnapshot(row.state, SNAPSHOT_PART_BYTES);
      parts.forEach((part, index) => {
        const id = randomId();
        outbox.add({
          to: me, kind: 'group-snapshot', id,
          payload: { type: 'group-snapshot-part', id, sentAt, groupId: row.groupId, version: row.state.version, stateHash: row.hash, index, total: parts.length, part },
        });
      });
    }
  });
}

/**
 * Adds one part (payload from `from`) to what was collected (read in the caller's earlier
 * transaction: `collected`, or null). -> { collected (to store, null once joined), state
 * (joined and checked against version and hash) | null }. Throws ProtocolError on a part that
 * does not fit (the snapshot is dropped). Collected parts are keyed by `snapshotKey`.
 */
export async function addPart(collected, group, from, payload) {
  const key = snapshotKey(group, from, payload.version);
  const same = collected && collected.total === payload.total && equalBytes(collected.stateHash, payload.stateHash);
  const next = same ? { ...collected, parts: collected.parts.slice() }
    : { key, group, from, version: payload.version, stateHash: payload.stateHash, total: payload.total, parts: [] };
  next.parts[payload.index] = payload.part;
  const have = next.parts.filter(Boolean).length;
  if (have < next.total) return { collected: next, state: null };
  const state = await joinGroupSnapshot(payload.version, payload.stateHash, next.parts);
  return { collected: null, state };
}

/** The `groupSnapshots` key of the parts `from` sent of `group`'s state at `version`. */
export function snapshotKey(group, from, version) {
  return `${group}|${from}|${version}`;
}

export async function readCollected(db, key) {
  return tx(db, 'groupSnapshots', 'readonly', ({ groupSnapshots }) => done(groupSnapshots.get(key)));
}
