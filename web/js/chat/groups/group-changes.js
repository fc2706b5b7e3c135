/**
 * The changes this account makes to a group (docs/design/GROUPS.md, "Changes", "Transport of
 * changes"): each is signed with the account identity, applied here with the same
 * `applyGroupChange` every member runs (so this device never sends a change it would refuse),
 * and queued in the same transaction as the new state and its system line, as `send_multi`
 * outbox entries (multi-outbox.js) whose every device copy is the pairwise `group-change`
 * payload: to every member of the new state, to the removed members (so they learn it) and to
 * this account's other devices. An add first sends the added members a snapshot of the state
 * before it (`group-snapshot-part` payloads), and the change lists them first.
 *
 * Callers hold the group's lock (chat.groupLocks).
 */

import {
  applyGroupChange, createGroupChange, nextGroupChange, groupStateHash, splitGroupSnapshot, randomGroupId, groupIdText,
  MAX_CHANGE_USERNAMES,
} from '../../protocol/index.js';
import { randomId } from '../../lib/ids.js';
import { tx, done } from '../../store/idb.js';
import { addEvent, EVENTS } from '../../store/security-log.js';
import { newGroupRow, GROUP_STORES, deleteReceiversIn, forgetKeysIn } from './group-store.js';
import { describeChange, systemLine } from './group-lines.js';

/**
 * A snapshot part's bytes. Every part goes to each of a new member's devices in that device's own
 * session, all in one send_multi frame: 2,048 bytes pad to a 4 KiB payload, so six devices' copies
 * fit one 64 KiB frame (GROUPS.md).
 */
export const SNAPSHOT_PART_BYTES = 2048;

const byBytes = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** A multi outbox entry whose every device copy is `payload` (pairwise). */
export function pairwiseEntry(group, kind, payload, audience) {
  return { multi: true, to: group, group, kind, id: payload.id, payload, audience, content: null, parts: {}, done: [] };
}

/**
 * Creates a group of this account (admin) and `usernames` (members): -> the GroupRow. More
 * than MAX_CHANGE_USERNAMES members are added by successive adds after the create.
 */
export async function createGroup(chat, name, usernames) {
  const me = chat.messenger.username;
  const others = [...new Set(usernames)].filter((u) => u !== me).sort(byBytes);
  const first = others.slice(0, MAX_CHANGE_USERNAMES - 1);
  const members = [{ username: me, admin: true }, ...first.map((username) => ({ username, admin: false }))]
    .sort((a, b) => byBytes(a.username, b.username));
  const groupId = randomGroupId();
  const id = groupIdText(groupId);
  const change = await createGroupChange(chat.identity(), me, groupId, name, members);
  let row = await commitOwnChange(chat, newGroupRow(id, groupId), change, { added: first });
  for (let i = first.length; i < others.length; i += MAX_CHANGE_USERNAMES) {
    row = await changeGroup(chat, row, { type: 'add', usernames: others.slice(i, i + MAX_CHANGE_USERNAMES) });
  }
  return row;
}

/** Makes, applies and queues one change `op` of `row`'s group. -> the new GroupRow. */
export async function changeGroup(chat, row, op) {
  const change = await nextGroupChange(chat.identity(), chat.messenger.username, row.state, op);
  return commitOwnChange(chat, row, change, { added: op.type === 'add' ? op.usernames : [] });
}

async function commitOwnChange(chat, row, change, { added }) {
  const me = chat.messenger.username;
  const state = await applyGroupChange(row.state, change, chat.identity().publicIdentity.subarray(0, 32));
  const hash = await groupStateHash(state);
  const before = (row.state?.members ?? []).map((m) => m.username);
  const after = state.members.map((m) => m.username);
  const removed = before.filter((u) => !after.includes(u));
  const stillMember = after.includes(me);
  const others = [...new Set([...added, ...after, ...removed])].filter((u) => u !== me);
  const audience = [...others, me];
  const sentAt = Date.now();
  const entries = [];
  if (row.state && added.length > 0) {
    const parts = splitGroupSnapshot(row.state, SNAPSHOT_PART_BYTES);
    parts.forEach((part, index) => entries.push(pairwiseEntry(row.id, 'group-snapshot', {
      type: 'group-snapshot-part', id: randomId(), sentAt, groupId: row.groupId, version: row.state.version, stateHash: row.hash,
      index, total: parts.length, part,
    }, added.filter((u) => u !== me))));
  }
  entries.push(pairwiseEntry(row.id, 'group-change', { type: 'group-change', id: randomId(), sentAt, change }, audience));
  const line = systemLine(row.id, 'change', describeChange(change, me));
  const updated = {
    ...row, state, hash, version: state.version, snapshots: [],
    status: stillMember ? 'active' : 'left',
    lastMessage: { text: line.text, at: line.sentAt, direction: 'system' },
  };
  const stored = await tx(chat.db, [...GROUP_STORES, 'outbox', 'messages', 'log'], 'readwrite', async (s) => {
    s.groups.put(updated);
    for (const entry of entries) s.outbox.add(entry);
    if (removed.length > 0) await deleteReceiversIn(s, row.id, removed);
    if (!stillMember) await forgetKeysIn(s, row.id);
    addEvent(s.log, { event: EVENTS.groupChangeApplied, peer: me, detail: `group ${row.id} version ${state.version}: ${change.op.type} (made here)` });
    const added2 = { ...line };
    added2.seq = await done(s.messages.add(added2));
    return added2;
  });
  chat.messenger.emit('message', { peer: row.id, message: stored });
  return updated;
}
