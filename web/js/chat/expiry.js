/**
 * Disappearing messages (docs/design/EVERYDAY.md, "Disappearing messages"): a message with
 * `expiresAt` is erased from IndexedDB at that instant, with its reactions and attachment
 * pointer (key included, both are in the record) and any control still waiting for it; the
 * conversation's preview and unread count are recomputed from what is left. Erased, not
 * hidden: the record is deleted from the `messages` store.
 *
 * The sweep runs when the messenger starts and then whenever the earliest known `expiresAt`
 * comes (a timer set from every 'message' event that carries one), so nothing outlives its
 * instant by more than the timer's delay while the page is open, and nothing survives a
 * reload past it. Emits 'message-removed' ({ peer, id }) per erased message.
 */

import { tx, getAll, done } from '../store/idb.js';
import { updateContactIn } from './contacts.js';
import { dropWaitingFor, previewText } from './content-apply.js';

/** setTimeout's largest delay; a later instant is re-planned when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class ExpirySweeper {
  #chat;
  #timer = null;
  #next = Infinity;
  #running = null;

  constructor(chat) {
    this.#chat = chat;
    chat.messenger.on('message', ({ message }) => {
      if (message.expiresAt) this.#plan(message.expiresAt);
    });
  }

  /** Erases what expired while this device was closed, and plans the next sweep. */
  start() {
    return this.sweep();
  }

  #plan(at) {
    if (at >= this.#next) return;
    clearTimeout(this.#timer);
    this.#next = at;
    this.#timer = setTimeout(() => {
      this.#next = Infinity;
      this.sweep().catch((e) => this.#chat.report(e));
    }, Math.min(MAX_DELAY_MS, Math.max(0, at - Date.now())));
  }

  /** One sweep (never two at once). */
  sweep() {
    this.#running ??= this.#sweepOnce().finally(() => { this.#running = null; });
    return this.#running;
  }

  async #sweepOnce() {
    const { db, messenger, groups } = this.#chat;
    const now = Date.now();
    const effects = await tx(db, ['messages', 'meta', 'contacts', 'groups'], 'readwrite', async (s) => {
      const all = await getAll(s.messages);
      const removed = [];
      let next = Infinity;
      for (const m of all) {
        if (!m.expiresAt) continue;
        if (m.expiresAt > now) {
          next = Math.min(next, m.expiresAt);
          continue;
        }
        s.messages.delete(m.seq);
        await dropWaitingFor(s, m.peer, m.id);
        removed.push(m);
      }
      const touched = [...new Set(removed.map((m) => m.peer))];
      const contacts = [];
      const rows = [];
      for (const peer of touched) {
        const left = all.filter((m) => m.peer === peer && !removed.includes(m));
        const last = [...left].reverse().find((m) => m.direction === 'in' || m.direction === 'out');
        const lastMessage = last ? { text: previewText(last), at: last.serverTime ?? last.sentAt, direction: last.direction, ...(last.sender ? { sender: last.sender } : {}) } : null;
        const unread = left.filter((m) => m.direction === 'in' && !m.read).length;
        const row = await done(s.groups.get(peer));
        if (row) {
          const next = { ...row, lastMessage, unread };
          s.groups.put(next);
          rows.push(next);
        } else if (messenger.contacts.has(peer) || await done(s.contacts.get(peer))) {
          contacts.push(await updateContactIn(s.contacts, messenger.contacts, peer, (c) => ({ ...c, lastMessage, unread })));
        }
      }
      return { removed, next, contacts, rows };
    });
    for (const contact of effects.contacts) messenger.contacts.set(contact.username, contact);
    if (effects.contacts.length > 0) messenger.emit('contacts');
    for (const row of effects.rows) groups.updated(row);
    for (const m of effects.removed) messenger.emit('message-removed', { peer: m.peer, id: m.id });
    if (effects.next !== Infinity) this.#plan(effects.next);
  }
}
