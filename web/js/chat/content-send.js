/**
 * Sending messages with content and controls (docs/design/EVERYDAY.md), reached through the
 * messenger: `sendMessage`, `editMessage`, `deleteMessage`, `react`, `setTimer`,
 * `conversationTimer`. A conversation is a username (1:1) or a group id text.
 *
 * - A plain text (no quote, attachment or timer) goes as before: 0x01 with its 0x06 transcript.
 * - Anything else is a 0x0F message or a control (0x10..0x13). 1:1: an outbox entry to the
 *   contact and, for this account's other devices, the 0x14 `sent-payload` wrapping the same
 *   payload (same id and sentAt). Groups: a group outbox entry sealed with the sending chain;
 *   the account's other devices are members' devices and receive the group message itself.
 * - What this device sends is applied here first, by the same rules a receiver applies
 *   (content-apply.js), in the transaction that queues it: a control the rules refuse (not
 *   this account's message, past 24 hours) is refused before anything is queued.
 * - A message carries the conversation's timer (`expireSeconds`) and its send frames carry
 *   `expiresIn`, so the server drops a copy still queued when it expires.
 */

import { randomId } from '../lib/ids.js';
import { tx, done } from '../store/idb.js';
import { encodePayload } from '../protocol/index.js';
import { checkText } from './text-limit.js';
import { isBlocked, updateContactIn } from './contacts.js';
import { findMessage } from './messages.js';
import { CONTENT_STORES, applyControl, authorOf, contentFields, previewText, readTimers, storeMessage } from './content-apply.js';

/** The timers the UI offers, in seconds (any value 1..MAX_TIMER_SECONDS is accepted). */
export const TIMER_CHOICES = Object.freeze([0, 300, 3_600, 86_400, 604_800]);
export const MAX_TIMER_SECONDS = 2_419_200;

export class ContentSender {
  #chat;
  #timers = new Map();

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
    // Every timer change (sent here, received, or from another device) is a stored system line.
    chat.messenger.on('message', ({ peer, message }) => {
      if (message.direction === 'system' && message.kind === 'timer') {
        if (message.timer) this.#timers.set(peer, message.timer);
        else this.#timers.delete(peer);
      }
    });
  }

  async init() {
    const timers = await tx(this.#chat.db, 'meta', 'readonly', ({ meta }) => readTimers(meta));
    this.#timers = new Map(Object.entries(timers));
  }

  /** The conversation's timer in seconds (0: off). */
  conversationTimer(conversation) {
    return this.#timers.get(conversation) ?? 0;
  }

  #isGroup(conversation) {
    return Boolean(this.#chat.groups.row(conversation));
  }

  /** Why nothing can be sent to `conversation` now, or null. */
  #blocked(conversation) {
    if (this.#isGroup(conversation)) {
      const row = this.#chat.groups.row(conversation);
      return row.state && row.status === 'active' ? null : 'You are no longer a member of this group.';
    }
    return isBlocked(this.#chat.messenger.contacts.get(conversation)) ? `${conversation}'s identity changed: accept it before sending.` : null;
  }

  /**
   * Queues a message with `text` and optionally `quote` {author, id} and `attachment`;
   * -> its id. A plain text goes as 0x01.
   */
  async sendMessage(conversation, { text = '', quote = null, attachment = null } = {}) {
    const expireSeconds = this.conversationTimer(conversation);
    if (!quote && !attachment && expireSeconds === 0) {
      const sent = this.#isGroup(conversation)
        ? await this.#chat.groups.sendText(conversation, text)
        : await this.#chat.messenger.sendText(conversation, text);
      return sent.id;
    }
    const check = checkText(text);
    if (check.tooLong) throw new Error(check.message);
    if (text.trim() === '' && !attachment) throw new Error('A message needs text or an attachment.');
    const refused = this.#blocked(conversation);
    if (refused) throw new Error(refused);
    const id = randomId();
    const sentAt = Date.now();
    const payload = { type: 'message', id, sentAt, expireSeconds, text, quote: quote ? { author: quote.author, id: quote.id } : null, attachment };
    this.#checkSize(conversation, payload);
    const record = { peer: conversation, id, direction: 'out', sentAt, status: 'sending', ...contentFields(payload, sentAt) };
    await this.#queue(conversation, payload, { record });
    return id;
  }

  /** Replaces the text of this account's message `id`. */
  async editMessage(conversation, id, text) {
    const check = checkText(text);
    if (check.tooLong) throw new Error(check.message);
    if (text.trim() === '') throw new Error('An edit needs text: delete the message instead.');
    return this.#control(conversation, { type: 'edit', targetId: id, text });
  }

  /** Deletes this account's message `id` for everyone in the conversation. */
  deleteMessage(conversation, id) {
    return this.#control(conversation, { type: 'delete', targetId: id });
  }

  /** Sets (or with "" removes) this account's reaction to `author`'s message `id`. */
  react(conversation, author, id, emoji) {
    return this.#control(conversation, { type: 'reaction', targetAuthor: author, targetId: id, emoji });
  }

  /** Sets the conversation's disappearing-messages timer (0: off) for every participant. */
  async setTimer(conversation, seconds) {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_TIMER_SECONDS) {
      throw new Error(`A timer is 0 (off) to ${MAX_TIMER_SECONDS} seconds.`);
    }
    return this.#control(conversation, { type: 'timer', expireSeconds: seconds });
  }

  /** A control made here: checked and applied here like a received one, then queued. */
  async #control(conversation, fields) {
    const refused = this.#blocked(conversation);
    if (refused) throw new Error(refused);
    const payload = { id: randomId(), sentAt: Date.now(), ...fields };
    this.#checkSize(conversation, payload);
    await this.#queue(conversation, payload, { apply: true });
    return payload.id;
  }

  /**
   * Queues `payload` as it is, without applying it here: the lower level of every send, for a
   * client that must send exactly what it was given (tests drive it to play a forger).
   */
  queuePayload(conversation, payload) {
    return this.#queue(conversation, payload, {});
  }

  #checkSize(conversation, payload) {
    try {
      encodePayload(payload);
      if (!this.#isGroup(conversation)) encodePayload({ type: 'sent-payload', id: payload.id, sentAt: payload.sentAt, peer: conversation, inner: payload });
    } catch (e) {
      throw new Error(`Too large to send (${e.message}): shorten the text.`);
    }
  }

  /**
   * One transaction: the message record (`record`) or the control applied here (`apply`), the
   * outbox entry and, 1:1, the sync copy for this account's other devices.
   */
  async #queue(conversation, payload, { record = null, apply = false }) {
    const { db, messenger, groups } = this.#chat;
    const me = messenger.username;
    const group = this.#isGroup(conversation);
    const expiresIn = payload.type === 'message' && payload.expireSeconds > 0 ? payload.expireSeconds : undefined;
    const stores = [...new Set([...CONTENT_STORES, 'outbox', group ? 'groups' : 'contacts'])];
    const effects = await tx(db, stores, 'readwrite', async (s) => {
      const changed = [];
      if (record) {
        const full = group ? { ...record, group: true, audience: groups.row(conversation).state.members.map((m) => m.username).filter((u) => u !== me), receipts: {} } : record;
        changed.push(...(await storeMessage(s, full, me)).messages);
      } else if (apply) {
        if (payload.type !== 'timer') await this.#checkTarget(s, conversation, payload, me);
        const out = await applyControl(s, { conversation, author: me, control: payload, serverTime: Date.now(), me });
        if (out.refused) throw new Error(`Not sent: ${out.refused}.`);
        changed.push(...out.messages);
      }
      if (group) {
        s.outbox.add({ multi: true, to: conversation, group: conversation, kind: record ? 'group-text' : 'group-control', id: payload.id, payload, audience: null, content: null, parts: {}, done: [], expiresIn });
      } else {
        s.outbox.add({ to: conversation, kind: record ? 'text' : 'control', id: payload.id, payload, expiresIn });
        this.#chat.queueSync(s.outbox, { type: 'sent-payload', id: payload.id, sentAt: payload.sentAt, peer: conversation, inner: payload }, { expiresIn });
      }
      let row = null;
      let contact = null;
      if (record) {
        const lastMessage = { text: previewText(record), at: payload.sentAt, direction: 'out' };
        if (group) {
          row = { ...(await done(s.groups.get(conversation))), lastMessage };
          s.groups.put(row);
        } else {
          contact = await updateContactIn(s.contacts, messenger.contacts, conversation, (c) => ({ ...c, lastMessage }));
        }
      }
      return { changed, row, contact };
    });
    if (effects.contact) {
      messenger.contacts.set(conversation, effects.contact);
      messenger.emit('contacts');
    }
    if (effects.row) groups.updated(effects.row);
    for (const message of effects.changed) messenger.emit('message', { peer: conversation, message });
    this.#chat.pump();
  }

  /** A control made here names a message of this conversation, and an edit or delete one of this account's. */
  async #checkTarget(s, conversation, payload, me) {
    const target = await findMessage(s.messages, conversation, payload.targetId);
    if (!target || (target.direction !== 'in' && target.direction !== 'out')) throw new Error('That message is not in this conversation.');
    if (payload.type !== 'reaction' && authorOf(target, me) !== me) throw new Error('Only its author can change a message.');
  }
}
