/**
 * Texts to one peer, their read receipts and their resends after an identity change: the
 * part of the client model (messenger.js) that queues them. Each method commits its message,
 * outbox entries, sync payloads and contact in one transaction, then emits the messenger's
 * events ('message', 'contacts') and starts the outbox.
 *
 * Invariant: texts queued one after the other keep their order: the checks are synchronous
 * and the transaction that stores the message is opened before the first await.
 */

import { randomId } from '../lib/ids.js';
import { tx, done } from '../store/idb.js';
import { isBlocked, isUserBlocked, updateContactIn, newContact } from './contacts.js';
import { unreadIn, undeliveredIn } from './messages.js';
import { checkText } from './text-limit.js';

/** Receipts per payload: ids are 22 characters, so this stays in a small padding bucket. */
const RECEIPT_IDS_PER_PAYLOAD = 200;

export class Texts {
  #chat;
  #typingSender;

  /** `chat`: the state the messenger's parts share; `typingSender`: told when a text is sent. */
  constructor(chat, typingSender) {
    this.#chat = chat;
    this.#typingSender = typingSender;
  }

  get #messenger() {
    return this.#chat.messenger;
  }

  /** Why `text` cannot be sent to `peer` now, or null (synchronous). */
  refusal(peer, text) {
    const check = checkText(text);
    if (check.tooLong) return check.message;
    const contact = this.#messenger.contacts.get(peer);
    if (isBlocked(contact)) return `${peer}'s identity changed: accept it before sending.`;
    if (isUserBlocked(contact)) return `You blocked ${peer}: unblock to send.`;
    return null;
  }

  /** Queues a text for `peer` and starts sending (messenger.js `sendText`). */
  async sendText(peer, text) {
    const refused = this.refusal(peer, text);
    if (refused) throw new Error(refused);
    const messenger = this.#messenger;
    const id = randomId();
    const sentAt = Date.now();
    const message = { peer, id, direction: 'out', text, sentAt, status: 'sending' };
    const stored = await tx(this.#chat.db, ['messages', 'outbox', 'contacts'], 'readwrite', async ({ messages, outbox, contacts }) => {
      const seq = await done(messages.add(message));
      outbox.add({ to: peer, kind: 'text', id, payload: { type: 'text', sentAt, id, text } });
      this.#chat.queueSync(outbox, { type: 'sent-transcript', sentAt, id, peer, text });
      const contact = await updateContactIn(contacts, messenger.contacts, peer, (c) => ({ ...c, lastMessage: { text, at: sentAt, direction: 'out' } }));
      return { message: { ...message, seq }, contact };
    });
    messenger.contacts.set(peer, stored.contact);
    this.#typingSender.sent(peer);
    messenger.emit('message', { peer, message: stored.message });
    messenger.emit('contacts');
    messenger.pump();
    return stored.message;
  }

  /** Marks read the shown incoming messages `ids` of `peer` and queues their receipts (messenger.js `markRead`). */
  async markRead(peer, ids) {
    const wanted = new Set(ids);
    if (wanted.size === 0) return;
    const messenger = this.#messenger;
    const contact = await tx(this.#chat.db, ['messages', 'outbox', 'contacts'], 'readwrite', async ({ messages, outbox, contacts }) => {
      const unread = await unreadIn(messages, peer);
      const shown = unread.filter((m) => wanted.has(m.id));
      if (shown.length === 0) return null;
      for (const m of shown) messages.put({ ...m, read: true });
      for (let i = 0; i < shown.length; i += RECEIPT_IDS_PER_PAYLOAD) {
        const receiptIds = shown.slice(i, i + RECEIPT_IDS_PER_PAYLOAD).map((m) => m.id);
        outbox.add({ to: peer, kind: 'read', id: randomId(), payload: { type: 'read', sentAt: Date.now(), id: randomId(), ids: receiptIds } });
      }
      const readUpTo = Math.max(...shown.map((m) => m.serverTime ?? 0));
      if (readUpTo > 0) this.#chat.queueSync(outbox, { type: 'read-up-to', sentAt: Date.now(), id: randomId(), peer, readUpTo });
      const stored = await done(contacts.get(peer));
      const updated = { ...(stored ?? newContact(peer, null)), unread: unread.length - shown.length };
      contacts.put(updated);
      return updated;
    });
    if (contact) {
      messenger.contacts.set(peer, contact);
      messenger.emit('contacts');
      messenger.pump();
    }
  }

  /** Sends again, as new messages, what an identity change left undelivered (messenger.js `resendUndelivered`). */
  async resendUndelivered(peer) {
    const messenger = this.#messenger;
    const contact = messenger.contacts.get(peer);
    if (!contact || contact.identityChange) throw new Error(`Accept ${peer}'s new identity before resending.`);
    const changed = await tx(this.#chat.db, ['messages', 'outbox', 'contacts'], 'readwrite', async ({ messages, outbox, contacts }) => {
      const result = { messages: [], contact: null };
      const last = { text: null, at: 0 };
      for (const old of await undeliveredIn(messages, peer)) {
        const id = randomId();
        const sentAt = Date.now();
        const copy = { peer, id, direction: 'out', text: old.text, sentAt, status: 'sending' };
        copy.seq = await done(messages.add(copy));
        outbox.add({ to: peer, kind: 'text', id, payload: { type: 'text', sentAt, id, text: old.text } });
        const marked = { ...old, resentAs: id };
        messages.put(marked);
        result.messages.push(marked, copy);
        Object.assign(last, { text: old.text, at: sentAt });
      }
      if (last.text !== null) {
        result.contact = await updateContactIn(contacts, messenger.contacts, peer, (c) => ({ ...c, lastMessage: { text: last.text, at: last.at, direction: 'out' } }));
      }
      return result;
    });
    if (changed.contact) messenger.contacts.set(peer, changed.contact);
    for (const message of changed.messages) messenger.emit('message', { peer, message });
    messenger.emit('contacts');
    messenger.pump();
  }
}
