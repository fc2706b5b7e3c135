/**
 * Group receipts and "read up to" applied in the receiver's transaction (group-receiver.js):
 * a member's delivery or read receipt raises that member's state on this account's message
 * (`receipts`: username -> 'delivered' | 'read'), and the message's status with all members'
 * ('delivered' once every member of its audience has it, 'read' once every one read it);
 * "read up to" from this account's other devices marks the group's messages read up to a
 * server time. Each returns { messages: [{ peer, message }], row? }.
 */

import { groupIdText } from '../../protocol/index.js';
import { getAll } from '../../store/idb.js';
import { advances, findMessage } from '../messages.js';
import { getGroupIn } from './group-store.js';

/** A member's receipts for this account's group messages: that member's state rises; the message's status with all members'. */
export async function applyGroupReceipt(s, from, payload) {
  const group = groupIdText(payload.groupId);
  const state = payload.kind === 'read' ? 'read' : 'delivered';
  const messages = [];
  for (const id of payload.ids) {
    const m = await findMessage(s.messages, group, id);
    if (!m || m.direction !== 'out' || !(m.audience ?? []).includes(from)) continue;
    if ((m.receipts?.[from] === 'read') || m.receipts?.[from] === state) continue;
    const receipts = { ...m.receipts, [from]: state };
    const all = m.audience.map((u) => receipts[u]);
    const overall = all.every((r) => r === 'read') ? 'read' : (all.every(Boolean) ? 'delivered' : m.status);
    const updated = { ...m, receipts, status: advances(m.status, overall) ? overall : m.status };
    s.messages.put(updated);
    messages.push({ peer: group, message: updated });
  }
  return { messages };
}

/** This account's other device read the group up to a server time. */
export async function applyGroupReadUpTo(s, payload) {
  const group = groupIdText(payload.groupId);
  const all = await getAll(s.messages.index('byPeer'), IDBKeyRange.bound([group, 0], [group, Infinity]));
  const messages = [];
  let unread = 0;
  for (const m of all) {
    if (m.direction !== 'in' || m.read) continue;
    if ((m.serverTime ?? Infinity) <= payload.readUpTo) {
      const read = { ...m, read: true };
      s.messages.put(read);
      messages.push({ peer: group, message: read });
    } else {
      unread += 1;
    }
  }
  const current = await getGroupIn(s, group);
  if (!current) return { messages };
  const row = { ...current, unread };
  s.groups.put(row);
  return { messages, row };
}
