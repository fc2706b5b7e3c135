/**
 * Sync payloads between this account's own devices (docs/design/LINKED-DEVICES.md, "Sync
 * payloads"), sent to one's own username so the server sees only envelopes:
 *
 * | payload object | effect here |
 * | --- | --- |
 * | `{ type: 'sent-transcript', id, sentAt, peer, text }` | the message appears as outgoing to `peer` (status `stored`: the sending device had the server's answer before it sent the transcript) |
 * | `{ type: 'sent-payload', id, sentAt, peer, inner }` | a 0x0F message sent to `peer` appears as outgoing, like a transcript; a control (edit, delete, reaction, timer) is applied as this account's (content-apply.js) |
 * | `{ type: 'read-up-to', peer, readUpTo }` | `peer`'s incoming messages with serverTime ≤ readUpTo are read; the unread count falls |
 * | `{ type: 'trust-decision', peer, identity, state }` | `verified` / `unverified` / `accepted-change`, applied only if `identity` is `peer`'s current one |
 * | `{ type: 'device-linked', deviceId, linkedAt, name }` | the notice "A new device was linked: NAME, TIME" |
 * | `{ type: 'history-chunk', index, total, entries }` | history entries added where missing; progress `index/total` |
 * | `{ type: 'block', peer, blocked }` | `peer` is blocked or unblocked here too (blocking.js) |
 *
 * (Payload objects as web/js/protocol's sync payloads decode them.) Accepted only from this account (`from` = own username, the session's identity = this
 * account's: the receiver checks both before calling `applySync`). Each is applied in the
 * receiver's transaction, so it is acknowledged only once applied.
 */

import { equalBytes } from '../protocol/index.js';
import { done, getAll } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { updateContactIn, newContact } from './contacts.js';
import { findMessage, peerRange } from './messages.js';
import { Blocking } from './blocking.js';
import { CONTROL_TYPES, applyControl, contentFields, previewText, storeMessage } from './content-apply.js';

export const SYNC_TYPES = Object.freeze(new Set(['sent-transcript', 'sent-payload', 'read-up-to', 'trust-decision', 'device-linked',
  'history-chunk', 'block']));

/** Adds one message to the history unless it is there; -> the message added, or null. */
async function addOnce(s, message) {
  if (await findMessage(s.messages, message.peer, message.id)) return null;
  const added = { ...message };
  added.seq = await done(s.messages.add(added));
  return added;
}

/**
 * Applies one sync payload inside the receiver's transaction `s` (stores messages, contacts,
 * meta, log). `contacts` is the messenger's live Map (updated by the caller from the result).
 * -> { messages: [{ peer, message }], contacts: [Contact], notice: string | null, progress: {index,total} | null,
 *      fingerprint work to log is done here }
 */
export async function applySync(s, contacts, payload, { serverTime, identityFingerprint, me }) {
  const result = { messages: [], contacts: [], notice: null, progress: null };
  switch (payload.type) {
    case 'sent-payload': {
      const { peer, inner } = payload;
      if (CONTROL_TYPES.has(inner.type)) {
        const applied = await applyControl(s, { conversation: peer, author: me, control: inner, serverTime: serverTime ?? Date.now(), me });
        result.messages.push(...applied.messages.map((message) => ({ peer, message })));
        break;
      }
      if (inner.type !== 'message') break;
      const stored = await storeMessage(s, {
        peer, id: inner.id, direction: 'out', sentAt: inner.sentAt, serverTime, status: 'stored', ...contentFields(inner, serverTime ?? Date.now()),
      }, me);
      if (stored) {
        result.messages.push(...stored.messages.map((message) => ({ peer, message })));
        result.contacts.push(await updateContactIn(s.contacts, contacts, peer, (c) => ({
          ...c, lastMessage: { text: previewText(stored.messages[0]), at: inner.sentAt, direction: 'out' },
        })));
      }
      break;
    }
    case 'sent-transcript': {
      const message = await addOnce(s, {
        peer: payload.peer, id: payload.id, direction: 'out', text: payload.text, sentAt: payload.sentAt, serverTime, status: 'stored',
      });
      if (message) {
        result.messages.push({ peer: payload.peer, message });
        result.contacts.push(await updateContactIn(s.contacts, contacts, payload.peer, (c) => ({
          ...c, lastMessage: { text: payload.text, at: payload.sentAt, direction: 'out' },
        })));
      }
      break;
    }
    case 'read-up-to': {
      const all = await getAll(s.messages.index('byPeer'), peerRange(payload.peer));
      let unread = 0;
      for (const m of all) {
        if (m.direction !== 'in' || m.read) continue;
        if ((m.serverTime ?? Infinity) <= payload.readUpTo) {
          const read = { ...m, read: true };
          s.messages.put(read);
          result.messages.push({ peer: payload.peer, message: read });
        } else {
          unread += 1;
        }
      }
      result.contacts.push(await updateContactIn(s.contacts, contacts, payload.peer, (c) => ({ ...c, unread })));
      break;
    }
    case 'trust-decision': {
      const current = (await done(s.contacts.get(payload.peer))) ?? contacts.get(payload.peer);
      if (!current?.identity || !equalBytes(current.identity, payload.identity)) break; // decided for another identity
      const updated = payload.state === 'verified' ? { ...current, verified: true, identityChange: null }
        : payload.state === 'unverified' ? { ...current, verified: false }
          : { ...current, identityChange: null }; // 'accepted-change'
      s.contacts.put(updated);
      addEvent(s.log, {
        event: { verified: EVENTS.verified, unverified: EVENTS.unverified, 'accepted-change': EVENTS.identityAccepted }[payload.state],
        peer: payload.peer, fingerprint: identityFingerprint, detail: 'decided on another device of this account',
      });
      result.contacts.push(updated);
      break;
    }
    case 'device-linked': {
      const names = (await done(s.meta.get('deviceNames'))) ?? {};
      s.meta.put({ ...names, [payload.deviceId]: payload.name }, 'deviceNames');
      result.notice = `A new device was linked: ${payload.name}, ${new Date(payload.linkedAt).toLocaleString()}`;
      addEvent(s.log, { event: EVENTS.deviceLinked, detail: `device ${payload.deviceId} "${payload.name}"` });
      break;
    }
    case 'history-chunk': {
      for (const entry of payload.entries) {
        const message = await addOnce(s, entry.direction === 'in'
          ? { peer: entry.peer, id: entry.id, direction: 'in', text: entry.text, sentAt: entry.sentAt, serverTime: entry.sentAt, status: 'received', read: true }
          : { peer: entry.peer, id: entry.id, direction: 'out', text: entry.text, sentAt: entry.sentAt, status: 'stored' });
        if (message) result.messages.push({ peer: entry.peer, message });
        if (!contacts.has(entry.peer) && !(await done(s.contacts.get(entry.peer)))) s.contacts.put(newContact(entry.peer, null));
      }
      result.progress = { index: payload.index + 1, total: payload.total };
      break;
    }
    case 'block':
      result.contacts.push(await Blocking.applySync(s, contacts, payload));
      break;
    default:
      break;
  }
  return result;
}

/** The fingerprint logged with a trust decision. */
export function trustFingerprint(payload) {
  return payload.type === 'trust-decision' ? keyFingerprint(payload.identity) : Promise.resolve(null);
}
