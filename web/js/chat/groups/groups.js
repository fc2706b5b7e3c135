/**
 * Groups as the UI sees them (docs/design/GROUPS.md), reached as `messenger.groups`: the list,
 * one group's members and history, and every action (create, send, add, remove, leave,
 * rename, mark read, typing). The parts: group-changes.js (changes made here), group-apply.js
 * (changes received), group-chain.js (this device's sending chains), multi-outbox.js (sending),
 * group-receiver.js (receiving), group-typing.js.
 *
 * Events on the messenger: 'groups' (the list, a state or an unread count changed), 'message'
 * ({ peer: group id text, message }), 'typing' ({ peer: group id text, typing }: who types is in
 * `typingIn(group)`).
 *
 * A group's conversation key is its id's text (43 characters, never a username).
 */

import { randomId } from '../../lib/ids.js';
import { tx, done, getAll } from '../../store/idb.js';
import { checkText } from '../text-limit.js';
import { isBlocked } from '../contacts.js';
import { DevicesRefused } from '../device-lists.js';
import { loadConversation } from '../messages.js';
import { loadGroups } from './group-store.js';
import { createGroup, changeGroup } from './group-changes.js';
import { sealWithChain } from './group-chain.js';
import { GroupReceiver } from './group-receiver.js';
import { GroupTyping } from './group-typing.js';
import { snapshotsForOwnDevices } from './group-snapshots.js';

const RECEIPT_IDS_PER_PAYLOAD = 200;
/** The receipt states of a member for one message, by rank. */
export const RECEIPT_RANK = Object.freeze({ delivered: 1, read: 2 });

export class Groups {
  #chat;
  #rows = new Map();
  #typing;

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
    this.receiver = new GroupReceiver(chat, this);
    this.#typing = new GroupTyping(chat, this);
  }

  async init() {
    this.#rows = await loadGroups(this.#chat.db);
  }

  /** The GroupRow of `id` as last committed (group-store.js), or null. */
  row(id) {
    return this.#rows.get(id) ?? null;
  }

  /** Keeps the in-memory row after a commit and tells the UI. */
  updated(row) {
    this.#rows.set(row.id, row);
    this.#chat.messenger.emit('groups');
  }

  /** Reloads the rows from the store (after changes committed elsewhere). */
  async reload() {
    this.#rows = await loadGroups(this.#chat.db);
    this.#chat.messenger.emit('groups');
  }

  /** The groups this device holds a state of: [{ id, name, members, admin, status, unread, lastMessage }]. */
  list() {
    return [...this.#rows.values()].filter((r) => r.state).map((r) => this.view(r.id));
  }

  /** One group as the UI shows it, or null. */
  view(id) {
    const row = this.#rows.get(id);
    if (!row?.state) return null;
    const me = this.#chat.messenger.username;
    const contacts = this.#chat.messenger.contacts;
    return {
      id, name: row.state.name, version: row.version, status: row.status, unread: row.unread ?? 0, lastMessage: row.lastMessage,
      admin: row.status === 'active' && row.state.members.some((m) => m.username === me && m.admin),
      members: row.state.members.map((m) => ({
        username: m.username, admin: m.admin, me: m.username === me,
        verified: Boolean(contacts.get(m.username)?.verified),
        identityChanged: Boolean(contacts.get(m.username)?.identityChange),
      })),
    };
  }

  /** Who is typing in `group` (usernames). */
  typingIn(group) {
    return this.#typing.shown(group);
  }

  setTyping(group, username, typing) {
    this.#typing.show(group, username, typing);
  }

  conversation(group) {
    return loadConversation(this.#chat.db, group);
  }

  #active(group) {
    const row = this.#rows.get(group);
    if (!row?.state || row.status !== 'active') throw new Error('You are not a member of this group.');
    return row;
  }

  #admin(group) {
    const row = this.#active(group);
    if (!row.state.members.some((m) => m.username === this.#chat.messenger.username && m.admin)) throw new Error('Only an admin can do this.');
    return row;
  }

  /** Runs a change under the group's lock, then sends. */
  async #locked(group, work) {
    const row = await this.#chat.groupLocks.run(group, work);
    this.updated(row);
    this.#chat.pump();
    return row;
  }

  /** Creates a group with `usernames`; -> its id text. */
  async create(name, usernames) {
    const row = await createGroup(this.#chat, name, usernames);
    this.updated(row);
    this.#chat.pump();
    return row.id;
  }

  add(group, usernames) {
    return this.#locked(group, () => changeGroup(this.#chat, this.#admin(group), { type: 'add', usernames }));
  }

  remove(group, usernames) {
    return this.#locked(group, () => changeGroup(this.#chat, this.#admin(group), { type: 'remove', usernames }));
  }

  rename(group, name) {
    return this.#locked(group, () => changeGroup(this.#chat, this.#admin(group), { type: 'rename', name }));
  }

  promote(group, username) {
    return this.#locked(group, () => changeGroup(this.#chat, this.#admin(group), { type: 'promote', username }));
  }

  leave(group) {
    return this.#locked(group, () => changeGroup(this.#chat, this.#active(group), { type: 'leave' }));
  }

  /** Why `text` cannot be sent to `group` now, or null (synchronous, for the composer). */
  refusal(group, text) {
    const check = checkText(text);
    if (check.tooLong) return check.message;
    const row = this.#rows.get(group);
    if (!row?.state || row.status !== 'active') return 'You are no longer a member of this group.';
    return null;
  }

  /** Queues a group text (committed before anything is sent) and starts sending. */
  async sendText(group, text) {
    const refused = this.refusal(group, text);
    if (refused) throw new Error(refused);
    const row = this.#rows.get(group);
    const me = this.#chat.messenger.username;
    const id = randomId();
    const sentAt = Date.now();
    const audience = row.state.members.map((m) => m.username).filter((u) => u !== me);
    const message = { peer: group, id, direction: 'out', text, sentAt, status: 'sending', group: true, audience, receipts: {} };
    const lastMessage = { text, at: sentAt, direction: 'out' };
    const stored = await tx(this.#chat.db, ['messages', 'outbox', 'groups'], 'readwrite', async ({ messages, outbox, groups }) => {
      const seq = await done(messages.add(message));
      outbox.add({
        multi: true, to: group, group, kind: 'group-text', id, payload: { type: 'text', sentAt, id, text },
        audience: null, content: null, parts: {}, done: [],
      });
      const current = await done(groups.get(group));
      groups.put({ ...current, lastMessage });
      return { ...message, seq };
    });
    this.#rows.set(group, { ...this.#rows.get(group), lastMessage });
    this.#typing.sent(group);
    this.#chat.messenger.emit('message', { peer: group, message: stored });
    this.#chat.messenger.emit('groups');
    this.#chat.pump();
    return stored;
  }

  typingChanged(group, hasText) {
    this.#typing.changed(group, hasText);
  }

  /**
   * The recipients of a group message now: every other member's checked devices and this
   * account's other devices. Members whose list was refused or whose new identity waits to
   * be accepted get nothing. -> Map username -> device ids (members without devices left out).
   */
  async recipients(row) {
    const { messenger, devices } = this.#chat;
    const out = new Map();
    for (const { username } of row.state.members) {
      if (username !== messenger.username && isBlocked(messenger.contacts.get(username))) continue;
      let ids;
      try {
        ids = await devices.recipients(username);
      } catch (e) {
        if (!(e instanceof DevicesRefused)) throw e;
        messenger.emit('devices', { username });
        continue;
      }
      if (ids.length > 0) out.set(username, ids);
    }
    return out;
  }

  /**
   * Seals a queued group text (multi-outbox.js): the group message made once with this
   * device's chain, committed in the entry with the chain. -> the entry, or null when this
   * account is no longer a member.
   */
  sealText(entry) {
    return this.#chat.groupLocks.run(entry.group, async () => {
      const row = this.#rows.get(entry.group);
      if (!row?.state || row.status !== 'active') return null;
      const recipients = await this.recipients(row);
      let next = null;
      await sealWithChain(this.#chat.db, row, recipients, entry.payload, {
        stores: ['outbox'],
        alsoIn: (s, sealed) => {
          next = { ...entry, audience: [...recipients.keys()], content: sealed.content, distribution: sealed.distribution, chainId: sealed.chainId };
          s.outbox.put(next);
        },
      });
      return next;
    });
  }

  /**
   * Marks read the incoming group messages `ids` the user was shown; queues read receipts to
   * each message's sender and "read up to" to this account's other devices.
   */
  async markRead(group, ids) {
    const wanted = new Set(ids);
    if (wanted.size === 0) return;
    const row = this.#rows.get(group);
    const updated = await tx(this.#chat.db, ['messages', 'outbox', 'groups'], 'readwrite', async ({ messages, outbox, groups }) => {
      const all = await getAll(messages.index('byPeer'), IDBKeyRange.bound([group, 0], [group, Infinity]));
      const unread = all.filter((m) => m.direction === 'in' && !m.read);
      const shown = unread.filter((m) => wanted.has(m.id));
      if (shown.length === 0) return null;
      const bySender = new Map();
      for (const m of shown) {
        messages.put({ ...m, read: true });
        if (!bySender.has(m.sender)) bySender.set(m.sender, []);
        bySender.get(m.sender).push(m.id);
      }
      for (const [sender, senderIds] of bySender) {
        for (let i = 0; i < senderIds.length; i += RECEIPT_IDS_PER_PAYLOAD) {
          const id = randomId();
          outbox.add({ to: sender, kind: 'group-receipt', id, payload: { type: 'group-receipt', id, sentAt: Date.now(), groupId: row.groupId, kind: 'read', ids: senderIds.slice(i, i + RECEIPT_IDS_PER_PAYLOAD) } });
        }
      }
      const readUpTo = Math.max(...shown.map((m) => m.serverTime ?? 0));
      if (readUpTo > 0) this.#chat.queueSync(outbox, { type: 'group-read-up-to', id: randomId(), sentAt: Date.now(), groupId: row.groupId, readUpTo });
      const current = await done(groups.get(group));
      const next = { ...current, unread: unread.length - shown.length };
      groups.put(next);
      return next;
    });
    if (updated) {
      this.updated(updated);
      this.#chat.pump();
    }
  }

  /** An author's new identity was accepted: the changes held for it are tried again. */
  async retryHeld() {
    for (const id of [...this.#rows.keys()]) await this.#chat.groupLocks.run(id, () => this.receiver.replayHeld(this.#rows.get(id)));
  }

  /** A device was just linked: every group's state goes to it (group-snapshots.js). */
  queueSnapshotsForOwnDevices() {
    return snapshotsForOwnDevices(this.#chat, [...this.#rows.values()].filter((r) => r.state));
  }
}
