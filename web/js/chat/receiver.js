/**
 * Receiving (docs/CLIENT-MODEL.md, "Receiving"): a relayed message is decrypted under the
 * sender's lock; its effects (session record, consumed prekeys, history entry, the delivery
 * receipt to send, the `(from, id)` marker that deduplicates replays) are committed in one
 * transaction, and only then is it acknowledged. A replay of a committed message is
 * acknowledged again; a message that cannot be decrypted is acknowledged, logged and shown as
 * a note. Also keeps the contacts' typing indicators.
 *
 * Sessions are per sending device (`from`, `fromDevice`); a fan-out's key message and content
 * arrive apart and are joined again (device-envelopes.js). A message from this account's own
 * username is a sync payload from another of its devices (sync.js): accepted only when the
 * session's identity is this account's, and only sync types are applied from it.
 *
 * A message is accepted as `from`'s only if `fromDevice` is in `from`'s signed device list
 * (device-lists.js `senderRefusal`, fetched again once if the held list lacks it), for
 * contacts and this account alike: otherwise it is acknowledged (it can never become valid)
 * and shown as a note, and nothing of it is committed (no session, no used prekey).
 *
 * Groups (groups/group-receiver.js): a `send_multi` copy with content (`multi`: a group
 * message; never judged by the content's first byte, which a fan-out's ciphertext may share),
 * and a pairwise message carrying a group payload, are handed to the group receiver before
 * acknowledging.
 */

import { decryptEnvelope, ProtocolError, equalBytes } from '../protocol/index.js';
import { randomId } from '../lib/ids.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { tx, done } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { Ack } from '../wire/delivery.js';
import { prekeyLookup, deleteUsedPreKeys } from './prekeys.js';
import { observeIdentity, updateContactIn } from './contacts.js';
import { advanceStatus, findMessage } from './messages.js';
import { CONTROL_TYPES, applyControl, contentFields, previewText, storeMessage } from './content-apply.js';
import { loadRecord } from './sessions.js';
import { relayedEnvelope } from './device-envelopes.js';
import { applySync, SYNC_TYPES, trustFingerprint } from './sync.js';
import { GROUP_PAYLOAD_TYPES } from './groups/group-store.js';

/** How long a contact's "typing" shows without a refresh. */
const TYPING_SHOWN_MS = 10_000;
/** The stores a received message's effects are committed to. */
export const RECEIVE_STORES = ['deviceSessions', 'oneTimePreKeys', 'kemPreKeys', 'seen', 'messages', 'outbox', 'contacts', 'meta', 'log'];

export class Receiver {
  #chat;
  #typingTimers = new Map();

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  /** A `relay_message` frame. */
  receive(frame) {
    return this.#chat.locks.run(frame.from, () => this.#receiveLocked(frame));
  }

  #ack(id, from) {
    this.#chat.connection.post(Ack.of({ id, from }));
  }

  async #receiveLocked(frame) {
    const { id, from, fromDevice, serverTime } = frame;
    const { db, messenger } = this.#chat;
    const seenKey = `${from}|${fromDevice}|${id}`;
    if (await tx(db, 'seen', 'readonly', ({ seen }) => done(seen.get(seenKey)))) {
      this.#ack(id, from);
      return;
    }
    const own = from === messenger.username;
    const groups = this.#chat.groups.receiver;
    if (groups.isGroupFrame(frame)) {
      await groups.receiveMessage(frame, seenKey);
      this.#ack(id, from);
      return;
    }
    let out;
    try {
      out = await decryptEnvelope(await loadRecord(db, from, fromDevice), relayedEnvelope(frame), {
        identity: this.#chat.identity(), capabilities: 0, prekeys: prekeyLookup(db), now: Date.now(),
        devices: { local: messenger.deviceId, remote: fromDevice },
      });
      if (own && !equalBytes(out.remoteIdentity, messenger.identity.publicIdentity)) {
        throw new ProtocolError('not-own-device', 'a message under this account\'s name from another identity');
      }
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      await this.#undecryptable(from, seenKey, id, serverTime, e);
      this.#ack(id, from);
      return;
    }
    // Nothing of the message is committed yet: a refused sender leaves no session and no used prekey.
    const refusal = await this.#chat.devices.senderRefusal(from, fromDevice, out.remoteIdentity);
    if (refusal) {
      await this.#undecryptable(from, seenKey, id, serverTime, { code: 'unlisted-device', message: refusal });
      this.#ack(id, from);
      return;
    }
    if (GROUP_PAYLOAD_TYPES.has(out.payload.type)) {
      if (out.established && !own) await this.#observe(from, out.remoteIdentity);
      await groups.receivePairwise(frame, seenKey, out);
      this.#ack(id, from);
      return;
    }
    if (own) {
      await this.#sync(frame, seenKey, out);
      this.#ack(id, from);
      return;
    }
    if (out.established) await this.#observe(from, out.remoteIdentity);
    const fingerprint = out.established ? await keyFingerprint(out.remoteIdentity) : null;
    const effects = await this.#commit(from, fromDevice, seenKey, serverTime, out, fingerprint);
    this.#ack(id, from);
    if (effects.contact) {
      messenger.contacts.set(from, effects.contact);
      messenger.emit('contacts');
    }
    for (const message of effects.messages) messenger.emit('message', { peer: from, message });
    if (out.payload.type === 'typing') this.setTyping(from, out.payload.typing);
    if (out.payload.type === 'text' || out.payload.type === 'message') {
      this.setTyping(from, false);
      this.#chat.pump();
    }
  }

  /** The identity a new session with `from` proves, observed for trust. */
  async #observe(from, identity) {
    const { db, messenger } = this.#chat;
    const seen = await observeIdentity(db, messenger.contacts, from, identity);
    if (seen === 'changed') await this.#chat.directory.identityChanged(from);
    if (seen !== 'same') messenger.emit('contacts');
  }

  /** Every effect of a decrypted message, in one transaction. -> { messages, contact } */
  #commit(from, fromDevice, seenKey, serverTime, out, fingerprint) {
    const { db, messenger } = this.#chat;
    const { payload } = out;
    const now = Date.now();
    return tx(db, RECEIVE_STORES, 'readwrite', async (s) => {
      commitSession(s, from, fromDevice, seenKey, out, fingerprint);
      const result = { messages: [], contact: null };
      if (payload.type === 'text' || payload.type === 'message') {
        const message = { peer: from, id: payload.id, direction: 'in', text: payload.text, sentAt: payload.sentAt, serverTime, status: 'received', read: false };
        if (payload.type === 'message') Object.assign(message, contentFields(payload, serverTime ?? now));
        const stored = await storeMessage(s, message, messenger.username);
        if (!stored) return result;
        result.messages.push(...stored.messages);
        s.outbox.add({ to: from, kind: 'delivery', id: randomId(), payload: { type: 'delivery', sentAt: now, id: randomId(), ids: [payload.id] } });
        result.contact = await updateContactIn(s.contacts, messenger.contacts, from, (c) => ({
          ...c, unread: (c.unread ?? 0) + 1, lastMessage: { text: previewText(stored.messages[0]), at: serverTime ?? now, direction: 'in' },
        }));
      } else if (CONTROL_TYPES.has(payload.type)) {
        const applied = await applyControl(s, { conversation: from, author: from, control: payload, serverTime: serverTime ?? now, me: messenger.username });
        result.messages.push(...applied.messages);
      } else if (payload.type === 'delivery' || payload.type === 'read') {
        const status = payload.type === 'delivery' ? 'delivered' : 'read';
        for (const messageId of payload.ids) {
          const updated = await advanceStatus(s.messages, from, messageId, status);
          if (updated) result.messages.push(updated);
        }
      }
      return result;
    });
  }

  /**
   * A payload from another device of this account: its session committed with the sync's
   * effects (sync.js) in one transaction; anything but a sync type is ignored.
   */
  async #sync({ from, fromDevice, serverTime }, seenKey, out) {
    const { db, messenger } = this.#chat;
    const { payload } = out;
    const identityFingerprint = await trustFingerprint(payload);
    const effects = await tx(db, RECEIVE_STORES, 'readwrite', async (s) => {
      s.deviceSessions.put({ peer: from, device: fromDevice, record: out.record });
      deleteUsedPreKeys(s, out.preKeysUsed);
      s.seen.put({ key: seenKey, at: Date.now() });
      if (out.established) addEvent(s.log, { event: EVENTS.sessionAccepted, peer: from, detail: `session started by this account's device ${fromDevice}` });
      if (!SYNC_TYPES.has(payload.type)) return null;
      return applySync(s, messenger.contacts, payload, { serverTime, identityFingerprint, me: messenger.username });
    });
    if (!effects) return;
    for (const contact of effects.contacts) messenger.contacts.set(contact.username, contact);
    if (effects.contacts.length > 0) messenger.emit('contacts');
    for (const { peer, message } of effects.messages) messenger.emit('message', { peer, message });
    if (effects.notice) messenger.emit('device-notice', { text: effects.notice });
    if (effects.progress) messenger.emit('history-progress', { direction: 'in', ...effects.progress });
  }

  async #undecryptable(from, seenKey, id, serverTime, error) {
    const { db, messenger } = this.#chat;
    if (error.code === 'duplicate') {
      await tx(db, 'seen', 'readwrite', ({ seen }) => seen.put({ key: seenKey, at: Date.now() }));
      return;
    }
    const message = {
      peer: from, id: `undecryptable-${id}`, direction: 'system', sentAt: serverTime ?? Date.now(), serverTime,
      text: error.code === 'unlisted-device'
        ? `A message from ${from} was not accepted: ${error.message}.`
        : `A message from ${from} could not be decrypted (${error.code}).`,
      status: 'received', read: true,
    };
    const stored = await tx(db, ['seen', 'messages', 'log'], 'readwrite', async ({ seen, messages, log }) => {
      seen.put({ key: seenKey, at: Date.now() });
      addEvent(log, { event: EVENTS.decryptFailed, peer: from, detail: error.code === 'unlisted-device' ? `${error.code}: ${error.message}` : error.code });
      if (await findMessage(messages, from, message.id)) return null;
      message.seq = await done(messages.add(message));
      return message;
    });
    if (stored) messenger.emit('message', { peer: from, message: stored });
  }

  /** Shows or hides `peer`'s typing indicator (hidden again after TYPING_SHOWN_MS without news). */
  setTyping(peer, typing) {
    const { messenger } = this.#chat;
    clearTimeout(this.#typingTimers.get(peer));
    const was = messenger.typing.get(peer) ?? false;
    if (typing) {
      messenger.typing.set(peer, true);
      this.#typingTimers.set(peer, setTimeout(() => this.setTyping(peer, false), TYPING_SHOWN_MS));
    } else {
      messenger.typing.delete(peer);
    }
    if (was !== typing) messenger.emit('typing', { peer, typing });
  }
}

/**
 * The effects every decrypted pairwise message has, in the caller's transaction over
 * RECEIVE_STORES: its session state, the prekeys it used, its `seen` marker, and the log
 * event when it started the session.
 */
export function commitSession(s, from, fromDevice, seenKey, out, fingerprint = null) {
  s.deviceSessions.put({ peer: from, device: fromDevice, record: out.record });
  deleteUsedPreKeys(s, out.preKeysUsed);
  s.seen.put({ key: seenKey, at: Date.now() });
  if (out.established) {
    addEvent(s.log, { event: EVENTS.sessionAccepted, peer: from, fingerprint, detail: `session started by the contact's device ${fromDevice} (PreKeyMessage)` });
  }
}
