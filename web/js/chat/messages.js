/**
 * Conversation history in the account database.
 *
 * Message = { seq (local order), peer, id (the sender's message id), direction: 'in' | 'out' |
 *             'system', text, sentAt (sender's clock), serverTime?, status, read? }
 *
 * Outgoing status only ever advances, by rank (docs/CLIENT-MODEL.md): 'sending' (in the
 * local outbox) -> 'stored' (the server's `stored`) -> 'delivered' (a decrypted delivery
 * receipt from the recipient) -> 'read' (a decrypted read receipt). 'failed' (with `reason`,
 * the server's error code) is set when the server refuses the message for good.
 * 'undelivered' replaces 'stored' when the contact's identity changes (an account reset)
 * before the message was delivered: the server drops what was queued for the old identity.
 * 'stored', 'undelivered' and 'failed' rank equal, so none replaces another.
 * It carries `resentAs` (the id of the copy) once the user resent it to the new identity.
 * `encryptedFor` (the identity a stored message was encrypted for) tells which were affected.
 */

import { tx, done, getAll } from '../store/idb.js';
import { equalBytes } from '../protocol/index.js';

const RANK = { sending: 0, stored: 1, undelivered: 1, failed: 1, delivered: 2, read: 3 };

export function advances(current, next) {
  return (RANK[next] ?? -1) > (RANK[current] ?? -1);
}

/** The key range of one conversation's messages in the `byPeer` index. */
export function peerRange(peer) {
  return IDBKeyRange.bound([peer, 0], [peer, Infinity]);
}

export async function loadConversation(db, peer) {
  return tx(db, 'messages', 'readonly', ({ messages }) => getAll(messages.index('byPeer'), peerRange(peer)));
}

/** Unread incoming messages of `peer` (in a transaction including `messages`). */
export async function unreadIn(messages, peer) {
  const all = await getAll(messages.index('byPeer'), peerRange(peer));
  return all.filter((m) => m.direction === 'in' && !m.read);
}

export async function findMessage(messages, peer, id) {
  return done(messages.index('byId').get([peer, id]));
}

/**
 * Advances the status of our message `id` to `peer`, with `details` (a failure's `reason`);
 * returns the updated message or null.
 */
export async function advanceStatus(messages, peer, id, status, details = {}) {
  const message = await findMessage(messages, peer, id);
  if (!message || message.direction !== 'out' || !advances(message.status, status)) return null;
  const updated = { ...message, ...details, status };
  messages.put(updated);
  return updated;
}

/**
 * Our messages to `peer` stored on the server for an identity other than `identity` and not
 * delivered: after an identity change the server has dropped them. Marks them 'undelivered'
 * (in a transaction including `messages`); returns the updated messages.
 */
export async function markUndelivered(messages, peer, identity) {
  const all = await getAll(messages.index('byPeer'), peerRange(peer));
  const updated = [];
  for (const m of all) {
    if (m.direction !== 'out' || m.status !== 'stored') continue;
    if (m.encryptedFor && identity && equalBytes(m.encryptedFor, identity)) continue;
    const changed = { ...m, status: 'undelivered' };
    messages.put(changed);
    updated.push(changed);
  }
  return updated;
}

/** Our undelivered messages to `peer` not resent yet, in order. */
export async function undeliveredIn(messages, peer) {
  const all = await getAll(messages.index('byPeer'), peerRange(peer));
  return all.filter((m) => m.direction === 'out' && m.status === 'undelivered' && !m.resentAs);
}
