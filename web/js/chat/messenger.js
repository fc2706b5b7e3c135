/**
 * The client model of one logged-in account (docs/CLIENT-MODEL.md): the only code that writes
 * the account's store and sends frames; the UI only calls its methods and listens to its
 * events. It joins its parts, one per frame family: the account's login (here), the directory
 * and contacts (directory-sync.js, contacts.js), prekeys (prekeys.js), sessions for sending
 * (sessions.js), the outbox (outbox.js), texts, read receipts and resends queued (texts.js),
 * typing (typing-sender.js) and receiving (receiver.js).
 *
 * Events: 'contacts' (the contact list or presence changed), 'message' ({peer, message}: added
 * or updated), 'typing' ({peer, typing}), 'notice' ({text}: something the user should see),
 * 'devices' ({username}: an account's device list or its problem changed), 'device-notice'
 * ({text}: a device was linked to this account), 'history-progress' ({direction, index, total}),
 * 'groups' (a group's state, list or unread count changed; groups/groups.js, reached as
 * `messenger.groups`), 'message-removed' ({peer, id}: a disappearing message expired and was
 * erased, expiry.js). 'message' is also emitted for every edit, delete and reaction applied.
 *
 * Several devices per account (docs/design/LINKED-DEVICES.md): every send goes to each device
 * of the recipient's checked device list (device-lists.js), and what this device does that
 * its other devices must know (a text sent, messages read, a trust decision) is queued as a
 * sync payload to this account's own username (sync.js).
 *
 * Invariants:
 * - Every session operation for one peer runs under that peer's lock (KeyedMutex).
 * - A ciphertext is sent only after the session record that made it is committed, and the
 *   ciphertext itself is kept in the outbox entry until the server's `stored`, so a resend
 *   after a reconnect or a reload sends the same bytes under the same id.
 * - A relayed message is acknowledged only after its effects (session, consumed prekeys,
 *   history, receipt to send, `seen` marker) are committed in one transaction.
 */

import { Emitter } from '../lib/emitter.js';
import { KeyedMutex } from '../lib/mutex.js';
import { randomId } from '../lib/ids.js';
import { tx, done, getAll } from '../store/idb.js';
import { listEvents, exportEvents } from '../store/security-log.js';
import { ServerError } from '../net/connection.js';
import { PublicKeys, Presence } from '../wire/directory.js';
import { PreKeysLow } from '../wire/prekeys.js';
import { RelayMessage } from '../wire/delivery.js';
import { GetServerLimits } from '../wire/session.js';
import { DevicesChanged, PublishDevices } from '../wire/devices.js';
import { DeviceLists, PROBLEM_TEXT } from './device-lists.js';
import { markRegistered, markListed, loadAccount } from './account.js';
import { LinkedDevices } from './linked-devices.js';
import { loadContacts, acceptIdentity, setVerified } from './contacts.js';
import { loadConversation } from './messages.js';
import { OutboxSender } from './outbox.js';
import { PreKeyUpkeep } from './prekeys.js';
import { DirectorySync } from './directory-sync.js';
import { Receiver } from './receiver.js';
import { TypingSender } from './typing-sender.js';
import { Texts } from './texts.js';
import { sessionForSending, trustedIdentity } from './sessions.js';
import { Groups } from './groups/groups.js';
import { Blocking } from './blocking.js';
import { MultiOutbox } from './groups/multi-outbox.js';
import { ContentSender } from './content-send.js';
import { ExpirySweeper } from './expiry.js';
import { keepPreviewsInStep } from './content-previews.js';

const SEEN_RETENTION_MS = 31 * 24 * 60 * 60 * 1000;

export class Messenger extends Emitter {
  contacts = new Map();
  presence = new Map();
  typing = new Map();
  #db;
  #account;
  #connection;
  #outbox;
  #prekeys;
  #directory;
  #typingSender;
  #devices;
  #multi;
  #expiry;
  #texts;

  constructor({ db, account, connection }) {
    super();
    this.#db = db;
    this.#account = account;
    this.#connection = connection;
    /** The state the parts share; each part is reached through it. */
    const chat = {
      db, connection, messenger: this, locks: new KeyedMutex(),
      identity: () => this.#account.identity,
      report: (e) => this.#report(e),
      pump: () => this.pump(),
      reloadAccount: async () => { this.#account = await loadAccount(db); },
      /** Group state and sending chains: taken inside a peer's lock, never around one. */
      groupLocks: new KeyedMutex(),
      queueSync: (outbox, payload, extra) => this.#queueSync(outbox, payload, extra),
    };
    /** The directory (directory-sync.js): its mode, and finding users by exact name. */
    chat.directory = this.directory = this.#directory = new DirectorySync(chat);
    /** Blocking (blocking.js): the user's block list, synced to this account's devices. */
    chat.blocking = this.blocking = new Blocking(chat);
    chat.devices = this.#devices = new DeviceLists(chat);
    /** The account's devices for the settings (linked-devices.js). */
    this.linkedDevices = new LinkedDevices(chat);
    chat.receiver = new Receiver(chat);
    /** Groups (groups/groups.js): the UI's actions on groups, and their receiving. */
    chat.groups = this.groups = new Groups(chat);
    /** Messages with content and their controls (content-send.js), and their expiry (expiry.js). */
    chat.content = this.content = new ContentSender(chat);
    this.#expiry = new ExpirySweeper(chat);
    keepPreviewsInStep(chat);
    this.#prekeys = new PreKeyUpkeep(chat);
    this.#typingSender = new TypingSender(chat);
    /** Texts, read receipts and resends to one peer (texts.js). */
    this.#texts = new Texts(chat, this.#typingSender);
    this.#outbox = new OutboxSender({
      db, connection, locks: chat.locks, contacts: () => this.contacts,
      sessionForSending: (peer, device) => sessionForSending(chat, peer, device),
      devices: this.#devices, identityOf: (peer) => trustedIdentity(chat, peer),
      report: chat.report, emit: (type, detail) => this.emit(type, detail),
    });
    this.#multi = new MultiOutbox(chat, this.#outbox.window);
    connection.on('online', () => this.#onOnline().catch((e) => this.#report(e)));
    connection.on('frame', (frame) => this.#onFrame(frame, chat));
    connection.on('state', (state) => {
      if (state !== 'online') this.#directory.offline();
    });
  }

  get username() {
    return this.#account.username;
  }

  get identity() {
    return this.#account.identity;
  }

  /** The account's list as this device made or received it (register, reset, linking, unlinking). */
  get signedOwnList() {
    return this.#account.deviceList ?? null;
  }

  /** This device's id in the account's device list. */
  get deviceId() {
    return this.#account.deviceId;
  }

  /** The checked device list entry of `username` (device-lists.js), or null. */
  deviceList(username) {
    return this.#devices.get(username);
  }

  /** Why nothing is sent to `username` (a refused device list), in words, or null. */
  deviceProblem(username) {
    const entry = this.#devices.get(username);
    return entry?.problem ? `${username}'s device list cannot be trusted (${PROBLEM_TEXT[entry.problem] ?? entry.problem}): nothing is sent to ${username} until a valid one comes.` : null;
  }

  /** Devices the server has for this account that its signed list does not name, or the reverse (ids). */
  unapprovedDevices() {
    return this.#devices.get(this.username)?.unapproved ?? [];
  }

  /** Whether this account has devices other than this one (sync payloads are sent to them). */
  #hasOtherDevices() {
    const list = this.#devices.get(this.username)?.list ?? this.#account.deviceList;
    return (list?.devices ?? []).some((d) => d.id !== this.deviceId);
  }

  /** Queues a sync payload for this account's other devices (in the caller's transaction with `outbox`). */
  #queueSync(outbox, payload, extra = {}) {
    if (this.#hasOtherDevices()) outbox.add({ to: this.username, kind: 'sync', id: payload.id, payload, ...extra });
  }

  async init() {
    await this.#devices.init();
    this.contacts = await loadContacts(this.#db);
    await this.groups.init();
    await this.content.init();
    await this.#expiry.start();
    const cutoff = Date.now() - SEEN_RETENTION_MS;
    await tx(this.#db, 'seen', 'readwrite', async ({ seen }) => {
      for (const entry of await getAll(seen)) if (entry.at < cutoff) seen.delete(entry.key);
    });
  }

  /** After each login: prekeys first (others cannot start a session without them), then the directory and the outbox. */
  async #onOnline() {
    if (!this.#account.registered) this.#account = await markRegistered(this.#db);
    if (this.#account.unlisted) await this.#publishFirstList();
    this.#account = await this.#prekeys.afterLogin(this.#account);
    await this.#devices.refresh(this.username);
    if (this.#account.announceLinked) await this.#announceLinked();
    const limits = await this.#connection.request(GetServerLimits.of());
    await this.#directory.afterLogin(limits);
    this.#outbox.adaptTo(limits);
    this.pump();
  }

  /**
   * An account from before linked devices (account.js `upgradeLocalAccount`): its first list
   * goes to the server before anything else, which the server refuses until then. (If the
   * answer is lost after the server stored it, the next identity-signed login is refused:
   * app.js then marks the account listed and logs in with the device key.)
   */
  async #publishFirstList() {
    await this.#connection.request(PublishDevices.of({ list: this.#account.deviceList }));
    this.#account = await markListed(this.#db);
  }

  /** A device just linked tells the account's other devices (device-linked sync payload), once. */
  async #announceLinked() {
    const { deviceId, linkedAt, name } = this.#account.announceLinked;
    await tx(this.#db, ['meta', 'outbox'], 'readwrite', async ({ meta, outbox }) => {
      const account = await done(meta.get('account'));
      if (!account.announceLinked) return;
      this.#queueSync(outbox, { type: 'device-linked', sentAt: Date.now(), id: randomId(), deviceId, linkedAt, name });
      meta.put({ ...account, announceLinked: null }, 'account');
    });
    this.#account = { ...this.#account, announceLinked: null };
    this.emit('device-notice', { text: `This browser was linked to ${this.username} as "${name}".` });
  }

  #onFrame(frame, chat) {
    switch (frame.type) {
      case RelayMessage.type:
        chat.receiver.receive(frame).catch((e) => this.#report(e));
        break;
      case PublicKeys.type:
        this.#directory.apply(frame.users).catch((e) => this.#report(e));
        break;
      case Presence.type:
        this.#directory.presence(frame);
        break;
      case PreKeysLow.type:
        this.#prekeys.replenish(frame);
        break;
      case DevicesChanged.type:
        if (frame.username === this.username || this.#devices.get(frame.username)) {
          this.#devices.refresh(frame.username).then(() => this.pump(), (e) => this.#report(e));
        }
        break;
      default:
        break;
    }
  }

  #report(error) {
    if (error instanceof ServerError && (error.code === 'offline' || error.code === 'timeout')) return;
    console.error(error);
    this.emit('notice', { text: error instanceof ServerError ? `Server: ${error.message}` : String(error.message ?? error) });
  }

  // ---- sending ----

  /**
   * Why `text` cannot be sent to `peer` now, or null. Synchronous, so the composer can check
   * before it takes the text out of the input.
   */
  refusal(peer, text) {
    return this.#texts.refusal(peer, text);
  }

  /**
   * Queues a text for `peer` (kept locally until the server has it) and starts sending.
   * Texts queued one after the other keep their order: the checks are synchronous and the
   * transaction that stores the message is opened before the first await.
   */
  sendText(peer, text) {
    return this.#texts.sendText(peer, text);
  }

  // Messages with content and controls (content-send.js): `conversation` is a username or a group id text.
  sendMessage(conversation, draft) { return this.content.sendMessage(conversation, draft); }
  editMessage(conversation, id, text) { return this.content.editMessage(conversation, id, text); }
  deleteMessage(conversation, id) { return this.content.deleteMessage(conversation, id); }
  react(conversation, author, id, emoji) { return this.content.react(conversation, author, id, emoji); }
  setTimer(conversation, seconds) { return this.content.setTimer(conversation, seconds); }
  /** The conversation's disappearing-messages timer in seconds (0: off). */
  conversationTimer(conversation) { return this.content.conversationTimer(conversation); }

  /** Sends the outbox in order while online; safe to call any time (single flight). */
  pump() {
    return Promise.all([this.#outbox.pump(), this.#multi.pump()]);
  }

  /** The composer's text changed: throttled 'typing' and, after a pause, 'stopped'. */
  typingChanged(peer, hasText) {
    this.#typingSender.changed(peer, hasText);
  }

  // ---- reading and trust ----

  /**
   * Marks read the incoming messages `ids` of `peer` that the user has been shown (the view
   * decides: conversation open, page visible, message scrolled into view) and queues read
   * receipts for them. Never marks what was not shown.
   */
  markRead(peer, ids) {
    return this.#texts.markRead(peer, ids);
  }

  /**
   * Sends again, to `peer`'s current identity, the messages the identity change left
   * undelivered: each becomes a new message (new id, queued in order), and the old one
   * records the copy's id. Only after the new identity was accepted.
   */
  resendUndelivered(peer) {
    return this.#texts.resendUndelivered(peer);
  }

  async acceptIdentity(peer) {
    await acceptIdentity(this.#db, this.contacts, peer);
    await this.#syncTrust(peer, 'accepted-change');
    this.emit('contacts');
    await this.groups.retryHeld();
    this.pump();
  }

  async setVerified(peer, verified) {
    await setVerified(this.#db, this.contacts, peer, verified);
    await this.#syncTrust(peer, verified ? 'verified' : 'unverified');
    this.emit('contacts');
    this.pump();
  }

  /** Tells this account's other devices a trust decision about `peer`'s current identity. */
  async #syncTrust(peer, state) {
    const identity = this.contacts.get(peer)?.identity;
    if (!identity || !this.#hasOtherDevices()) return;
    await tx(this.#db, 'outbox', 'readwrite', ({ outbox }) => this.#queueSync(outbox, { type: 'trust-decision', sentAt: Date.now(), id: randomId(), peer, identity, state }));
  }

  /**
   * Sends a request frame (wire/) over this account's connection and resolves with its answer:
   * how attachments (chat/attachments/) reserve a blob (`blob_upload`) and read the server's
   * limits. Rejects with the ServerError of a refusal.
   */
  request(frame) {
    return this.#connection.request(frame);
  }

  /** Messages still waiting in the outbox (shown as "sending"). */
  async pendingCount() {
    return tx(this.#db, 'outbox', 'readonly', ({ outbox }) => done(outbox.count()));
  }

  /** The history with `peer`, in order. */
  conversation(peer) {
    return loadConversation(this.#db, peer);
  }

  /** The security log's events, oldest first. */
  securityLog() {
    return listEvents(this.#db);
  }

  /** The security log as the JSON text of its export. */
  exportSecurityLog() {
    return exportEvents(this.#db, this.username);
  }
}
