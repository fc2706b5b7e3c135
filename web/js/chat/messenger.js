/**
 * The messaging engine of one logged-in account: directory and presence, sending through the
 * local outbox (outbox.js), receiving and acknowledging, receipts, typing, prekey upkeep. It joins the
 * protocol modules (js/protocol), the account database (js/store) and the connection
 * (js/net); the UI only calls its methods and listens to its events.
 *
 * Events: 'contacts' (the contact list or presence changed), 'message' ({peer, message}: added
 * or updated), 'typing' ({peer, typing}), 'notice' ({text}: something the user should see).
 *
 * Invariants:
 * - Every session operation for one peer runs under that peer's lock (KeyedMutex).
 * - A ciphertext is sent only after the session record that made it is committed, and the
 *   ciphertext itself is kept in the outbox entry until the server's `ack`, so a resend after a
 *   reconnect or a reload sends the same bytes under the same id.
 * - A relayed message is acknowledged only after its effects (session, consumed prekeys,
 *   history, receipt to send, `seen` marker) are committed in one transaction.
 */

import {
  emptyRecord, restoreRecord, canEncrypt, remoteIdentity, initiateSession, verifyBundle, encryptPayload,
  decryptEnvelope, equalBytes, unb64, ProtocolError, verifyIdentityBinding,
} from '../protocol/index.js';
import { Emitter } from '../lib/emitter.js';
import { KeyedMutex } from '../lib/mutex.js';
import { randomId } from '../lib/ids.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { tx, done, getAll } from '../store/idb.js';
import { addEvent, appendEvent, EVENTS } from '../store/security-log.js';
import { ServerError } from '../net/connection.js';
import { prekeyLookup, deleteUsedPreKeys, uploadInitialPreKeys, replenish } from './prekeys.js';
import { markRegistered } from './account.js';
import {
  loadContacts, observeIdentity, isBlocked, acceptIdentity, setVerified, updateContactIn, newContact,
} from './contacts.js';
import { advanceStatus, findMessage, unreadIn, markUndelivered, undeliveredIn } from './messages.js';
import { checkText } from './text-limit.js';
import { OutboxSender, Blocked } from './outbox.js';
import { GetPublicKeys, PublicKeys, Presence } from '../wire/directory.js';
import { GetPreKeyCount, PreKeysLow, GetPreKeyBundle } from '../wire/prekeys.js';
import { SendMessage, RelayMessage, Ack } from '../wire/delivery.js';

/** Receipts per payload: ids are 22 characters, so this stays in a small padding bucket. */
const RECEIPT_IDS_PER_PAYLOAD = 200;
const TYPING_REFRESH_MS = 4_000;
const TYPING_IDLE_MS = 5_000;
const TYPING_SHOWN_MS = 10_000;
const SEEN_RETENTION_MS = 31 * 24 * 60 * 60 * 1000;


export class Messenger extends Emitter {
  contacts = new Map();
  presence = new Map();
  typing = new Map();
  #db;
  #account;
  #connection;
  #locks = new KeyedMutex();
  #outbox;
  #typingSent = new Map();
  #typingTimers = new Map();
  #receivedTyping = new Map();
  #replenishing = null;
  #replenishAgain = false;

  constructor({ db, account, connection }) {
    super();
    this.#db = db;
    this.#account = account;
    this.#connection = connection;
    this.#outbox = new OutboxSender({
      db, connection, locks: this.#locks, contacts: () => this.contacts,
      sessionForSending: (peer) => this.#sessionForSending(peer),
      report: (e) => this.#report(e), emit: (type, detail) => this.emit(type, detail),
    });
    connection.on('online', () => this.#onOnline().catch((e) => this.#report(e)));
    connection.on('frame', (frame) => this.#onFrame(frame));
    connection.on('state', (state) => {
      if (state !== 'online') {
        for (const peer of this.presence.keys()) this.presence.set(peer, false);
        this.emit('contacts');
      }
    });
  }

  get username() {
    return this.#account.username;
  }

  get identity() {
    return this.#account.identity;
  }

  get db() {
    return this.#db;
  }

  async init() {
    this.contacts = await loadContacts(this.#db);
    const cutoff = Date.now() - SEEN_RETENTION_MS;
    await tx(this.#db, 'seen', 'readwrite', async ({ seen }) => {
      for (const entry of await getAll(seen)) if (entry.at < cutoff) seen.delete(entry.key);
    });
  }

  // ---- connection lifecycle ----

  /** After each login: prekeys first (others cannot start a session without them), then the directory and the outbox. */
  async #onOnline() {
    if (!this.#account.registered) this.#account = await markRegistered(this.#db);
    if (!this.#account.prekeysUploaded) {
      await uploadInitialPreKeys(this.#db, this.#account.identity, this.#connection);
      this.#account = { ...this.#account, prekeysUploaded: true };
    } else {
      const counts = await this.#connection.request(GetPreKeyCount.of());
      this.#replenish(counts);
    }
    const directory = await this.#connection.request(GetPublicKeys.of());
    await this.#applyDirectory(directory.users);
    this.pump();
  }

  #onFrame(frame) {
    switch (frame.type) {
      case RelayMessage.type:
        this.#receive(frame).catch((e) => this.#report(e));
        break;
      case PublicKeys.type:
        this.#applyDirectory(frame.users).catch((e) => this.#report(e));
        break;
      case Presence.type:
        this.presence.set(frame.username, Boolean(frame.online));
        if (!frame.online) this.#setTyping(frame.username, false);
        this.emit('contacts');
        break;
      case PreKeysLow.type:
        this.#replenish(frame);
        break;
      default:
        break;
    }
  }

  /**
   * Tops up the server's prekey stock. One upload at a time: every bundle fetch below the
   * threshold sends another `prekeys_low`; warnings that arrive during an upload make it check
   * the server's count again afterwards, so a shortage of the other kind is not missed.
   */
  #replenish(counts) {
    if (this.#replenishing) {
      this.#replenishAgain = true;
      return this.#replenishing;
    }
    this.#replenishing = (async () => {
      let next = counts;
      for (;;) {
        this.#replenishAgain = false;
        await replenish(this.#db, this.#account.identity, this.#connection, next);
        if (!this.#replenishAgain) return;
        next = await this.#connection.request(GetPreKeyCount.of());
      }
    })().catch((e) => this.#report(e)).finally(() => { this.#replenishing = null; });
    return this.#replenishing;
  }

  async #applyDirectory(users) {
    for (const user of users ?? []) {
      if (user.username === this.username) continue;
      if (user.online !== undefined) this.presence.set(user.username, Boolean(user.online));
      let identity;
      try {
        identity = await verifiedDirectoryIdentity(user.identity);
      } catch {
        continue;
      }
      const seen = await observeIdentity(this.#db, this.contacts, user.username, identity);
      if (seen === 'changed') {
        this.#setTyping(user.username, false);
        await this.#identityChanged(user.username);
      }
    }
    this.emit('contacts');
    this.pump();
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
    const check = checkText(text);
    if (check.tooLong) return check.message;
    if (isBlocked(this.contacts.get(peer))) return `${peer}'s identity changed: accept it before sending.`;
    return null;
  }

  /**
   * Queues a text for `peer` (kept locally until the server has it) and starts sending.
   * Texts queued one after the other keep their order: the checks are synchronous and the
   * transaction that stores the message is opened before the first await.
   */
  async sendText(peer, text) {
    const refused = this.refusal(peer, text);
    if (refused) throw new Error(refused);
    const id = randomId();
    const sentAt = Date.now();
    const message = { peer, id, direction: 'out', text, sentAt, status: 'sending' };
    const stored = await tx(this.#db, ['messages', 'outbox', 'contacts'], 'readwrite', async ({ messages, outbox, contacts }) => {
      const seq = await done(messages.add(message));
      outbox.add({ to: peer, kind: 'text', id, payload: { type: 'text', sentAt, id, text } });
      const contact = await updateContactIn(contacts, this.contacts, peer, (c) => ({ ...c, lastMessage: { text, at: sentAt, direction: 'out' } }));
      return { message: { ...message, seq }, contact };
    });
    this.contacts.set(peer, stored.contact);
    this.#typingSent.delete(peer);
    clearTimeout(this.#typingTimers.get(peer));
    this.emit('message', { peer, message: stored.message });
    this.emit('contacts');
    this.pump();
    return stored.message;
  }

  /** Sends the outbox in order while online; safe to call any time (single flight). */
  pump() {
    return this.#outbox.pump();
  }

  async #loadRecord(peer) {
    const row = await tx(this.#db, 'sessions', 'readonly', ({ sessions }) => done(sessions.get(peer)));
    return row ? restoreRecord(row.record) : emptyRecord();
  }

  /** A record whose current session can encrypt to the contact's current identity. */
  async #sessionForSending(peer) {
    let record = await this.#loadRecord(peer);
    const contact = this.contacts.get(peer);
    if (canEncrypt(record) && contact?.identity && equalBytes(remoteIdentity(record), contact.identity)) return record;
    const answer = await this.#connection.request(GetPreKeyBundle.of({ username: peer }));
    const bundle = await verifyBundle(answer.bundle);
    const seen = await observeIdentity(this.#db, this.contacts, peer, bundle.identity.publicIdentity);
    if (seen === 'changed') await this.#identityChanged(peer);
    if (seen !== 'same') this.emit('contacts');
    if (isBlocked(this.contacts.get(peer))) throw new Blocked();
    const started = await initiateSession(record, { identity: this.#account.identity, bundle });
    record = started.record;
    await appendEvent(this.#db, {
      event: EVENTS.sessionInitiated, peer, fingerprint: await keyFingerprint(bundle.identity.publicIdentity),
      detail: `PQXDH (X25519 + ML-KEM-768, ${bundle.oneTimePreKey ? 'with' : 'without'} one-time prekey, ${bundle.kemPreKey.kind} KEM prekey)`,
    });
    return record;
  }

  /**
   * Sends an ephemeral payload (typing) when online; never queues. Typing (`start`) may start
   * the session, so the indicator works from the first keystroke: the typing payload is then
   * the session's first message, a PreKeyMessage like any other (CRYPTO.md §2), and the text
   * that follows uses the same session, so it spends one of the contact's one-time prekeys once
   * per session, not per keystroke. "Stopped" never starts a session.
   */
  async #sendEphemeral(peer, payload, { start = false } = {}) {
    if (this.#connection.state !== 'online' || isBlocked(this.contacts.get(peer))) return;
    const envelope = await this.#locks.run(peer, async () => {
      let record = await this.#loadRecord(peer);
      const contact = this.contacts.get(peer);
      const current = canEncrypt(record) && contact?.identity && equalBytes(remoteIdentity(record), contact.identity);
      if (!current) {
        if (!start) return null;
        try {
          record = await this.#sessionForSending(peer);
        } catch (e) {
          if (e instanceof Blocked || e instanceof ServerError) return null;
          throw e;
        }
      }
      const out = await encryptPayload(record, payload);
      await tx(this.#db, 'sessions', 'readwrite', ({ sessions }) => sessions.put({ peer, record: out.record }));
      return out.envelope;
    });
    if (envelope) await this.#connection.request(SendMessage.of({ id: payload.id, to: peer, envelope })).catch(() => {});
  }

  /** The composer's text changed: throttled 'typing' and, after a pause, 'stopped'. */
  typingChanged(peer, hasText) {
    clearTimeout(this.#typingTimers.get(peer));
    const last = this.#typingSent.get(peer);
    if (!hasText) {
      if (last) this.#sendTyping(peer, false);
      return;
    }
    if (!last || Date.now() - last > TYPING_REFRESH_MS) this.#sendTyping(peer, true);
    this.#typingTimers.set(peer, setTimeout(() => this.#sendTyping(peer, false), TYPING_IDLE_MS));
  }

  #sendTyping(peer, typing) {
    if (typing) this.#typingSent.set(peer, Date.now());
    else {
      this.#typingSent.delete(peer);
      clearTimeout(this.#typingTimers.get(peer));
    }
    const id = randomId();
    this.#sendEphemeral(peer, { type: 'typing', sentAt: Date.now(), id, typing }, { start: typing }).catch((e) => this.#report(e));
  }

  // ---- receiving ----

  #receive(frame) {
    return this.#locks.run(frame.from, () => this.#receiveLocked(frame));
  }

  async #receiveLocked({ id, from, envelope, serverTime }) {
    const seenKey = `${from}|${id}`;
    const already = await tx(this.#db, 'seen', 'readonly', ({ seen }) => done(seen.get(seenKey)));
    if (already) {
      this.#connection.post(Ack.of({ id, from }));
      return;
    }
    const record = await this.#loadRecord(from);
    let out;
    try {
      out = await decryptEnvelope(record, envelope, {
        identity: this.#account.identity, capabilities: 0, prekeys: prekeyLookup(this.#db), now: Date.now(),
      });
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      await this.#undecryptable(from, id, serverTime, e);
      this.#connection.post(Ack.of({ id, from }));
      return;
    }
    if (out.established) {
      const seen = await observeIdentity(this.#db, this.contacts, from, out.remoteIdentity);
      if (seen === 'changed') await this.#identityChanged(from);
      if (seen !== 'same') this.emit('contacts');
    }
    const fingerprint = out.established ? await keyFingerprint(out.remoteIdentity) : null;
    const payload = out.payload;
    const now = Date.now();
    const effects = await tx(this.#db, ['sessions', 'oneTimePreKeys', 'kemPreKeys', 'seen', 'messages', 'outbox', 'contacts', 'log'], 'readwrite', async (s) => {
      s.sessions.put({ peer: from, record: out.record });
      deleteUsedPreKeys(s, out.preKeysUsed);
      s.seen.put({ key: seenKey, at: now });
      if (out.established) {
        addEvent(s.log, { event: EVENTS.sessionAccepted, peer: from, fingerprint, detail: 'session started by the contact (PreKeyMessage)' });
      }
      const result = { messages: [], contact: null };
      if (payload.type === 'text') {
        if (await findMessage(s.messages, from, payload.id)) return result;
        const message = { peer: from, id: payload.id, direction: 'in', text: payload.text, sentAt: payload.sentAt, serverTime, status: 'received', read: false };
        message.seq = await done(s.messages.add(message));
        result.messages.push(message);
        s.outbox.add({ to: from, kind: 'delivery', id: randomId(), payload: { type: 'delivery', sentAt: now, id: randomId(), ids: [payload.id] } });
        result.contact = await updateContactIn(s.contacts, this.contacts, from, (c) => ({
          ...c, unread: (c.unread ?? 0) + 1, lastMessage: { text: payload.text, at: serverTime ?? now, direction: 'in' },
        }));
      } else if (payload.type === 'delivery' || payload.type === 'read') {
        const status = payload.type === 'delivery' ? 'delivered' : 'read';
        for (const messageId of payload.ids) {
          const updated = await advanceStatus(s.messages, from, messageId, status);
          if (updated) result.messages.push(updated);
        }
      }
      return result;
    });
    this.#connection.post(Ack.of({ id, from }));
    if (effects.contact) {
      this.contacts.set(from, effects.contact);
      this.emit('contacts');
    }
    for (const message of effects.messages) this.emit('message', { peer: from, message });
    if (payload.type === 'typing') this.#setTyping(from, payload.typing);
    if (payload.type === 'text') {
      this.#setTyping(from, false);
      this.pump();
    }
  }

  async #undecryptable(from, id, serverTime, error) {
    if (error.code === 'duplicate') {
      await tx(this.#db, 'seen', 'readwrite', ({ seen }) => seen.put({ key: `${from}|${id}`, at: Date.now() }));
      return;
    }
    const message = {
      peer: from, id: `undecryptable-${id}`, direction: 'system', sentAt: serverTime ?? Date.now(), serverTime,
      text: `A message from ${from} could not be decrypted (${error.code}).`, status: 'received', read: true,
    };
    const stored = await tx(this.#db, ['seen', 'messages', 'log'], 'readwrite', async ({ seen, messages, log }) => {
      seen.put({ key: `${from}|${id}`, at: Date.now() });
      addEvent(log, { event: EVENTS.decryptFailed, peer: from, detail: error.code });
      if (await findMessage(messages, from, message.id)) return null;
      message.seq = await done(messages.add(message));
      return message;
    });
    if (stored) this.emit('message', { peer: from, message: stored });
  }

  #setTyping(peer, typing) {
    clearTimeout(this.#receivedTyping.get(peer));
    const was = this.typing.get(peer) ?? false;
    if (typing) {
      this.typing.set(peer, true);
      this.#receivedTyping.set(peer, setTimeout(() => this.#setTyping(peer, false), TYPING_SHOWN_MS));
    } else {
      this.typing.delete(peer);
    }
    if (was !== typing) this.emit('typing', { peer, typing });
  }

  // ---- reading and trust ----

  /**
   * Marks read the incoming messages `ids` of `peer` that the user has been shown (the view
   * decides: conversation open, page visible, message scrolled into view) and queues read
   * receipts for them. Never marks what was not shown.
   */
  async markRead(peer, ids) {
    const wanted = new Set(ids);
    if (wanted.size === 0) return;
    const contact = await tx(this.#db, ['messages', 'outbox', 'contacts'], 'readwrite', async ({ messages, outbox, contacts }) => {
      const unread = await unreadIn(messages, peer);
      const shown = unread.filter((m) => wanted.has(m.id));
      if (shown.length === 0) return null;
      for (const m of shown) messages.put({ ...m, read: true });
      for (let i = 0; i < shown.length; i += RECEIPT_IDS_PER_PAYLOAD) {
        const receiptIds = shown.slice(i, i + RECEIPT_IDS_PER_PAYLOAD).map((m) => m.id);
        outbox.add({ to: peer, kind: 'read', id: randomId(), payload: { type: 'read', sentAt: Date.now(), id: randomId(), ids: receiptIds } });
      }
      const stored = await done(contacts.get(peer));
      const updated = { ...(stored ?? newContact(peer, null)), unread: unread.length - shown.length };
      contacts.put(updated);
      return updated;
    });
    if (contact) {
      this.contacts.set(peer, contact);
      this.emit('contacts');
      this.pump();
    }
  }

  /**
   * `peer`'s identity changed (an account reset): what was stored for the old identity and
   * not delivered is dropped by the server, so it is shown as not delivered.
   */
  async #identityChanged(peer) {
    const identity = this.contacts.get(peer)?.identity;
    const updated = await tx(this.#db, 'messages', 'readwrite', ({ messages }) => markUndelivered(messages, peer, identity));
    for (const message of updated) this.emit('message', { peer, message });
  }

  /**
   * Sends again, to `peer`'s current identity, the messages the identity change left
   * undelivered: each becomes a new message (new id, queued in order), and the old one
   * records the copy's id. Only after the new identity was accepted.
   */
  async resendUndelivered(peer) {
    const contact = this.contacts.get(peer);
    if (!contact || contact.identityChange) throw new Error(`Accept ${peer}'s new identity before resending.`);
    const changed = await tx(this.#db, ['messages', 'outbox', 'contacts'], 'readwrite', async ({ messages, outbox, contacts }) => {
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
        result.contact = await updateContactIn(contacts, this.contacts, peer, (c) => ({ ...c, lastMessage: { text: last.text, at: last.at, direction: 'out' } }));
      }
      return result;
    });
    if (changed.contact) this.contacts.set(peer, changed.contact);
    for (const message of changed.messages) this.emit('message', { peer, message });
    this.emit('contacts');
    this.pump();
  }

  async acceptIdentity(peer) {
    await acceptIdentity(this.#db, this.contacts, peer);
    this.emit('contacts');
    this.pump();
  }

  async setVerified(peer, verified) {
    await setVerified(this.#db, this.contacts, peer, verified);
    this.emit('contacts');
    this.pump();
  }

  /** Messages still waiting in the outbox (shown as "sending"). */
  async pendingCount() {
    return tx(this.#db, 'outbox', 'readonly', ({ outbox }) => done(outbox.count()));
  }
}

/**
 * A directory entry's identity (PROTOCOL.md §4) with its binding signature checked (the
 * Ed25519 key signs the X25519 key, CRYPTO.md §1.1). -> IK, 64 bytes.
 */
async function verifiedDirectoryIdentity(json) {
  const signingKey = unb64(json.signingKey);
  const dhKey = unb64(json.dhKey);
  if (signingKey.length !== 32 || dhKey.length !== 32) throw new Error('malformed identity');
  if (!(await verifyIdentityBinding(signingKey, dhKey, unb64(json.binding)))) throw new Error('bad identity binding');
  const identity = new Uint8Array(64);
  identity.set(signingKey, 0);
  identity.set(dhKey, 32);
  return identity;
}
