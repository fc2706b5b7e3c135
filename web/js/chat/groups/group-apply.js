/**
 * Applying group changes received from other devices (docs/design/GROUPS.md, "Changes"):
 * `applyGroupChange` of web/js/protocol decides each change against the state this device
 * holds; this module keeps what comes around it. A change with a gap is held (at most
 * MAX_HELD per group) and applied when the versions before it arrive; a change whose author's
 * new identity waits to be accepted is held too. A new member has no state: it applies the
 * add change to the snapshot the adding admin sent first (the change names the snapshot's
 * hash and is signed by an admin of it). Every applied change becomes a system line, every
 * refused one a warning line and a security log event.
 *
 * The work is split in two so that no crypto runs inside an IndexedDB transaction: `plan`
 * (reads done before, signature checks) and `commitPlan` (inside the caller's transaction).
 * Callers hold the group's lock around both.
 */

import {
  applyGroupChange, decodeGroupChange, encodeGroupChange, groupChangeHash, groupStateHash, GroupChangeRefused, b64, equalBytes,
} from '../../protocol/index.js';
import { done } from '../../store/idb.js';
import { addEvent, EVENTS } from '../../store/security-log.js';
import { MAX_HELD, deleteReceiversIn, forgetKeysIn } from './group-store.js';
import { describeChange, refusalLine, systemLine } from './group-lines.js';

/**
 * Decides `change` (decoded, relayed by `from`) and then every held change it unblocks.
 * `row`: the GroupRow (or a new one); `held`: its HeldChange rows; `authorKey(username)`:
 * -> the author's IKs_pub (32 bytes), 'blocked' (a new identity waits to be accepted), or null.
 * -> Plan = { row, lines, events, hold: HeldChange | null, dropHeld: [key], removed: [username], forget, applied }
 */
export async function plan({ row, held, change, from, me, authorKey }) {
  const out = { row: { ...row }, lines: [], events: [], hold: null, dropHeld: [], removed: [], forget: false, applied: 0 };
  const first = await decide(out, change, me, authorKey);
  if (first === 'hold') {
    if (held.length >= MAX_HELD) refuse(out, change, 'gap', me);
    else out.hold = { key: await heldKey(out.row.id, change), group: out.row.id, version: change.version, bytes: encodeGroupChange(change), from, at: Date.now() };
    return out;
  }
  if (first !== 'applied') return out;
  // Held changes the new state unblocks, in version order.
  const waiting = held.slice().sort((a, b) => a.version - b.version);
  for (;;) {
    const next = waiting.find((h) => h.version === out.row.version + 1 && !out.dropHeld.includes(h.key));
    if (!next) break;
    out.dropHeld.push(next.key);
    if (await decide(out, decodeGroupChange(next.bytes), me, authorKey) === 'hold') break;
  }
  // Held changes that can no longer apply (older than the state now) go.
  for (const h of waiting) if (h.version <= out.row.version && !out.dropHeld.includes(h.key)) out.dropHeld.push(h.key);
  return out;
}

async function heldKey(group, change) {
  return `${group}|${change.version}|${b64(await groupChangeHash(change))}`;
}

function refuse(out, change, reason, me) {
  out.lines.push(refusalLine(out.row.id, { author: change.author, reason, version: change.version }, me));
  out.events.push({ event: EVENTS.groupChangeRefused, peer: change.author, detail: `group ${out.row.id} version ${change.version}: ${reason}` });
}

/** Applies one change to `out.row` if it can: -> 'applied' | 'refused' | 'hold'. */
async function decide(out, change, me, authorKey) {
  const { row } = out;
  const key = await authorKey(change.author);
  if (key === 'blocked') return 'hold';
  if (!key) {
    refuse(out, change, 'unknown_author', me);
    return 'refused';
  }
  const candidate = row.state ? null
    : (row.snapshots ?? []).find((c) => c.version === change.version - 1 && equalBytes(c.hash, change.parentHash));
  const base = row.state ?? candidate?.state ?? null;
  if (!base && change.op.type !== 'create') return 'hold';
  let state;
  try {
    state = await applyGroupChange(base, change, key);
  } catch (e) {
    if (!(e instanceof GroupChangeRefused)) throw e;
    if (e.reason === 'gap') return 'hold';
    refuse(out, change, e.reason, me);
    return 'refused';
  }
  const member = state.members.some((m) => m.username === me);
  if (!row.state && !member) {
    refuse(out, change, 'invalid', me); // a first state must name this account
    return 'refused';
  }
  const before = new Set((base?.members ?? []).map((m) => m.username));
  const after = new Set(state.members.map((m) => m.username));
  out.removed.push(...[...before].filter((u) => !after.has(u)));
  const line = systemLine(row.id, 'change', describeChange(change, me));
  out.row = {
    ...row, state, hash: await groupStateHash(state), version: state.version, snapshots: [],
    status: member ? 'active' : (change.op.type === 'leave' ? 'left' : 'removed'),
    lastMessage: { text: line.text, at: line.sentAt, direction: 'system' },
  };
  if (!member) out.forget = true;
  out.lines.push(line);
  out.events.push({ event: EVENTS.groupChangeApplied, peer: change.author, detail: `group ${row.id} version ${state.version}: ${change.op.type}` });
  out.applied += 1;
  return 'applied';
}

/** Commits a Plan inside a transaction over GROUP_STORES, `messages` and `log`. -> the system lines added. */
export async function commitPlan(s, out) {
  s.groups.put(out.row);
  if (out.hold) s.groupHeld.put(out.hold);
  for (const key of out.dropHeld) s.groupHeld.delete(key);
  if (out.removed.length > 0) await deleteReceiversIn(s, out.row.id, out.removed);
  if (out.forget) await forgetKeysIn(s, out.row.id);
  for (const event of out.events) addEvent(s.log, event);
  const lines = [];
  for (const line of out.lines) {
    const added = { ...line };
    added.seq = await done(s.messages.add(added));
    lines.push(added);
  }
  return lines;
}
