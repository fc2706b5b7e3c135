/**
 * Blocking (docs/design/EVERYDAY.md, "Blocking"): the user's own decision about an account,
 * made on this client and never told to the server. It is the contact's `userBlocked` field
 * (contacts.js; not `identityChange.blocking`, which pauses sending after a verified
 * contact's identity changed) and is synced to this account's other devices with the `block`
 * sync payload (0x15, `{ type: 'block', id, sentAt, peer, blocked }`).
 *
 * While an account is blocked:
 * - its pairwise messages (texts, typing, receipts, any content) are acknowledged and dropped:
 *   the session advances (so later messages still decrypt after an unblock) but nothing is
 *   stored or shown and no receipt is queued ({@link Blocking#dropIfBlocked}, called by the
 *   receiver); its group messages and group typing are dropped the same way by the group
 *   receiver (the group's membership changes still apply);
 * - nothing is sent to it: no text (the composer refuses), no typing, and the receipts still
 *   queued for it when it was blocked are removed; receipts and texts queued later wait in the
 *   outbox until it is unblocked.
 */

import { randomId } from '../lib/ids.js';
import { tx, getAll } from '../store/idb.js';
import { RECEIVE_STORES, commitSession } from './receiver.js';
import { isUserBlocked, updateContactIn } from './contacts.js';

/** Outbox kinds that only answer the peer (receipts): dropped for good when the peer is blocked. */
const ANSWER_KINDS = new Set(['delivery', 'read', 'group-receipt']);

export class Blocking {
  #chat;

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  /** Whether the user blocked `username`. */
  isBlocked(username) {
    return isUserBlocked(this.#chat.messenger.contacts.get(username));
  }

  /** The usernames the user blocked, sorted. */
  blocked() {
    return [...this.#chat.messenger.contacts.values()].filter(isUserBlocked).map((c) => c.username).sort();
  }

  /**
   * Blocks or unblocks `peer`, and tells this account's other devices in the same transaction.
   * Blocking also removes the receipts still queued for `peer`. Idempotent.
   */
  async set(peer, blocked) {
    const { db, messenger } = this.#chat;
    if (peer === messenger.username) throw new Error('You cannot block your own account.');
    const contact = await tx(db, ['contacts', 'outbox'], 'readwrite', async ({ contacts, outbox }) => {
      const updated = await updateContactIn(contacts, messenger.contacts, peer, (c) => ({ ...c, userBlocked: blocked }));
      if (blocked) {
        for (const entry of await getAll(outbox)) {
          if (entry.to === peer && ANSWER_KINDS.has(entry.kind)) outbox.delete(entry.seq);
        }
      }
      this.#chat.queueSync(outbox, { type: 'block', id: randomId(), sentAt: Date.now(), peer, blocked });
      return updated;
    });
    messenger.contacts.set(peer, contact);
    if (blocked) this.#chat.receiver.setTyping(peer, false);
    messenger.emit('contacts');
    messenger.pump();
  }

  /**
   * Applies a `block` sync payload from another device of this account, inside the receiver's
   * transaction `s`. -> the updated contact.
   */
  static async applySync(s, contacts, { peer, blocked }) {
    const updated = await updateContactIn(s.contacts, contacts, peer, (c) => ({ ...c, userBlocked: blocked }));
    if (blocked) {
      for (const entry of await getAll(s.outbox)) {
        if (entry.to === peer && ANSWER_KINDS.has(entry.kind)) s.outbox.delete(entry.seq);
      }
    }
    return updated;
  }

  /**
   * A decrypted pairwise message from `frame.from` (not this account, not a group payload):
   * if the user blocked the sender, only its session effects are committed (the caller then
   * acknowledges it) and true is returned; otherwise false and nothing is done.
   */
  async dropIfBlocked(frame, seenKey, out) {
    if (!this.isBlocked(frame.from)) return false;
    await tx(this.#chat.db, RECEIVE_STORES, 'readwrite', (s) => commitSession(s, frame.from, frame.fromDevice, seenKey, out));
    return true;
  }
}

/** Whether `contacts` (the messenger's live Map) says the user blocked `username`: for code that has no Blocking at hand. */
export function blockedIn(contacts, username) {
  return isUserBlocked(contacts.get(username));
}
