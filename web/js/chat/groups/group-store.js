/**
 * The groups' rows in the account database (store/account-db.js, version 3) and the few
 * reads and writes every group part shares. All writes happen inside the callers'
 * transactions, so a group's state, its messages and the session states that carried them
 * commit together.
 *
 * GroupRow (`groups`, keyPath id) = {
 *   id: the group id's text (43 characters), groupId: Uint8Array(32),
 *   state: { id, version, name, members: [{ username, admin }] } | null (none before a new
 *     member's first change applies), hash: Uint8Array(32) | null (stateHash of `state`),
 *   version: number (0 without a state),
 *   status: 'active' (a member) | 'left' | 'removed' | 'joining' (a snapshot or a change came,
 *     the state is not applied yet),
 *   unread, lastMessage: { text, at, direction, sender } | null, createdAt,
 *   snapshots: [{ version, hash, state, from }]: snapshots sent before adding this account (at
 *     most MAX_CANDIDATES, newest last); one is trusted only once a change signed by an admin
 *     of it names its hash, so a snapshot from anyone else changes nothing }
 * HeldChange (`groupHeld`, keyPath key = "<group>|<version>|<b64 changeHash>", index byGroup)
 *   = { key, group, version, bytes (SignedChange), from, at }
 * SenderChainRow (`senderChains`, keyPath group) = { group, chain (protocol sender chain),
 *   chainId: b64, distributed: ["<username>:<device>"] }
 * SenderKeyRow (`senderKeys`, keyPath [group, sender, device]) = { group, sender, device,
 *   receiver (protocol sender key receiver), chainIds: [b64] (the chains installed, newest last) }
 * SnapshotParts (`groupSnapshots`, keyPath key) = { key, group, from, version, stateHash,
 *   total, parts: [Uint8Array | undefined] }
 */

import { done, getAll, tx } from '../../store/idb.js';

/** Candidate snapshots kept per group without a state. */
export const MAX_CANDIDATES = 4;
/** The most changes held per group (docs/design/GROUPS.md, "Held changes"). */
export const MAX_HELD = 32;
/** The pairwise payload types the group receiver handles (group-receiver.js `receivePairwise`). */
export const GROUP_PAYLOAD_TYPES = Object.freeze(new Set(['group-change', 'group-snapshot-part', 'group-receipt', 'group-read-up-to', 'sender-key']));
/** The stores a group change's effects are committed to (with the pairwise message's). */
export const GROUP_STORES = ['groups', 'groupHeld', 'senderChains', 'senderKeys', 'groupSnapshots'];

export function newGroupRow(id, groupId) {
  return {
    id, groupId, state: null, hash: null, version: 0, status: 'joining', unread: 0, lastMessage: null,
    createdAt: Date.now(), snapshots: [],
  };
}

export async function loadGroups(db) {
  const rows = await tx(db, 'groups', 'readonly', ({ groups }) => getAll(groups));
  return new Map(rows.map((row) => [row.id, row]));
}

export function getGroupIn(s, id) {
  return done(s.groups.get(id));
}

export function heldIn(s, group) {
  return getAll(s.groupHeld.index('byGroup'), group);
}

/** The key of a member device in a chain's distributed set. */
export function deviceKey(username, device) {
  return `${username}:${device}`;
}

/** Deletes the receiving chains of `usernames` in `group` (they left or were removed). */
export async function deleteReceiversIn(s, group, usernames) {
  const gone = new Set(usernames);
  const rows = await getAll(s.senderKeys, IDBKeyRange.bound([group, '', 0], [group, '\uffff', Infinity]));
  for (const row of rows) if (gone.has(row.sender)) s.senderKeys.delete([row.group, row.sender, row.device]);
}

/** Deletes every receiving chain of `group` and this device's sending chain (this account left or was removed). */
export async function forgetKeysIn(s, group) {
  const rows = await getAll(s.senderKeys, IDBKeyRange.bound([group, '', 0], [group, '\uffff', Infinity]));
  for (const row of rows) s.senderKeys.delete([row.group, row.sender, row.device]);
  s.senderChains.delete(group);
}
