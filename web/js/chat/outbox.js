/**
 * The outbox sender (docs/CLIENT-MODEL.md, "The outbox"): sends the account's outbox
 * (IndexedDB store `outbox`: texts, receipts) in order while online, pipelined up to the
 * server's window (send-window.js), and applies the server's answers: `stored` advances the
 * message to 'stored' and removes the entry; a refusal that resolves itself (RETRIED_CODES)
 * holds the peer and retries later; any other refusal is final: the entry leaves the outbox
 * and its message becomes 'failed', with the refusal's code as its `reason`.
 *
 * Invariants:
 * - An entry is removed only on its own `stored` (or a final refusal), so a message is kept
 *   on the device until the server has it.
 * - A ciphertext is sent only after the session record that made it is committed; the
 *   ciphertext is kept in the entry and reused for every resend under the same id, so the
 *   server's deduplication applies and no message key is used twice.
 * - Session operations on a peer run under that peer's lock (the messenger's KeyedMutex).
 */

import { encryptPayload, remoteIdentity, equalBytes } from '../protocol/index.js';
import { tx, getAll } from '../store/idb.js';
import { ServerError } from '../net/connection.js';
import { ErrorCode } from '../wire/errors.js';
import { isBlocked } from './contacts.js';
import { Blocked } from './sessions.js';
import { advanceStatus } from './messages.js';
import { SendWindow } from './send-window.js';
import { SendMessage } from '../wire/delivery.js';

const RETRY_MS = 10_000;

/** Server refusals that resolve themselves: the outbox retries them quietly. Every other refusal is final. */
export const RETRIED_CODES = Object.freeze(new Set([ErrorCode.RATE_LIMITED, ErrorCode.QUEUE_FULL, ErrorCode.QUEUE_SHARE_FULL,
  ErrorCode.QUOTA_EXCEEDED, ErrorCode.STORAGE_FULL, ErrorCode.NO_PREKEYS, ErrorCode.INTERNAL_ERROR]));

/** The connection's own failures (not the server's answers): the entry stays and is sent again after the next login. */
function connectionLost(e) {
  return e instanceof ServerError && (e.code === 'offline' || e.code === 'timeout');
}

export class OutboxSender {
  #db;
  #connection;
  #locks;
  #contacts;
  #sessionForSending;
  #report;
  #emit;
  #pumping = null;
  #pumpAgain = false;
  #retryTimer = null;
  /** Outbox entries (by seq) sent and waiting for their ack or refusal. */
  #inFlight = new Set();
  /** Peers whose sends wait for the retry timer after a refusal that resolves itself. */
  #held = new Set();
  #window = new SendWindow();

  /**
   * `contacts`: the messenger's live Map; `sessionForSending(peer)`: a session record that can
   * encrypt to the contact's current identity (called under the peer's lock); `report(error)`
   * and `emit(type, detail)`: the messenger's.
   */
  constructor({ db, connection, locks, contacts, sessionForSending, report, emit }) {
    this.#db = db;
    this.#connection = connection;
    this.#locks = locks;
    this.#contacts = contacts;
    this.#sessionForSending = sessionForSending;
    this.#report = report;
    this.#emit = emit;
  }

  /** Adapts to the server's settings (`server_limits`, asked after each login): sends in flight at most its window. */
  adaptTo(serverLimits) {
    this.#window.resize(serverLimits.sendWindow);
  }

  /** Sends the outbox in order while online; safe to call any time (single flight). */
  pump() {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return this.#pumping;
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#pumpAgain = false;
          await this.#pumpOnce();
        } while (this.#pumpAgain);
      } finally {
        this.#pumping = null;
      }
    })().catch((e) => this.#report(e));
    return this.#pumping;
  }

  /**
   * One pass over the outbox: every entry not yet in flight is encrypted (per peer, in order,
   * under the peer's lock) and sent without waiting for the acks of the earlier ones, up to the
   * send window. The server stores one connection's sends in the order it reads them, so the
   * order is kept; only a send the server refuses (rate_limited, queue_full...) is retried
   * later, after those of its peer already in flight, and nothing more goes to that peer
   * until the retry.
   */
  async #pumpOnce() {
    if (this.#connection.state !== 'online') return;
    const entries = await tx(this.#db, 'outbox', 'readonly', ({ outbox }) => getAll(outbox));
    const byPeer = new Map();
    for (const entry of entries) {
      if (this.#inFlight.has(entry.seq) || this.#held.has(entry.to)) continue;
      if (!byPeer.has(entry.to)) byPeer.set(entry.to, []);
      byPeer.get(entry.to).push(entry);
    }
    for (const [peer, pending] of byPeer) {
      if (isBlocked(this.#contacts().get(peer))) continue;
      let ready;
      try {
        ready = await this.#locks.run(peer, () => this.#envelopesFor(peer, pending));
      } catch (e) {
        if (e instanceof Blocked) this.#emit('contacts');
        else if (connectionLost(e)) return;
        else this.#holdForRetry(peer, e);
        continue;
      }
      for (const entry of ready) {
        await this.#window.acquire();
        if (this.#connection.state !== 'online') {
          this.#window.release();
          return;
        }
        if (this.#held.has(peer)) {
          this.#window.release();
          break;
        }
        this.#inFlight.add(entry.seq);
        this.#connection.request(SendMessage.of({ id: entry.id, to: entry.to, envelope: entry.envelope }))
          .then((ack) => this.#stored(entry, ack), (e) => this.#sendRefused(entry, e))
          .catch((e) => this.#report(e))
          .finally(() => {
            this.#inFlight.delete(entry.seq);
            this.#window.release();
          });
      }
    }
  }

  async #sendRefused(entry, e) {
    if (connectionLost(e)) return; // the entry stays; the next login sends it again under the same id
    if (e instanceof ServerError && !RETRIED_CODES.has(e.code)) await this.#fail(entry, e.code);
    else this.#holdForRetry(entry.to, e);
  }

  /**
   * A refusal that resolves itself (no_prekeys when the contact has just registered, the
   * rate, queue, quota and disk limits, internal_error), or a bundle that failed verification:
   * the peer's entries stay and are retried later; other peers' messages go on. Only the
   * unexpected is shown to the user.
   */
  #holdForRetry(peer, e) {
    this.#held.add(peer);
    if (!(e instanceof ServerError && RETRIED_CODES.has(e.code))) this.#report(e);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#held.clear();
      this.pump();
    }, RETRY_MS);
  }

  /**
   * The outbox entries of one peer with their envelopes: the stored envelope of an entry made
   * for the contact's current identity, else a fresh encryption (a new session when needed).
   * The session record and every new envelope are committed in one transaction before any
   * of them is sent. Runs under the peer lock.
   */
  async #envelopesFor(peer, entries) {
    const contact = this.#contacts().get(peer);
    const reusable = (entry) => entry.envelope && contact?.identity && entry.encryptedFor && equalBytes(entry.encryptedFor, contact.identity);
    if (entries.every(reusable)) return entries;
    let record = await this.#sessionForSending(peer);
    const ready = [];
    for (const entry of entries) {
      if (reusable(entry)) {
        ready.push(entry);
        continue;
      }
      const out = await encryptPayload(record, entry.payload);
      record = out.record;
      ready.push({ ...entry, envelope: out.envelope, encryptedFor: remoteIdentity(out.record) });
    }
    await tx(this.#db, ['sessions', 'outbox'], 'readwrite', ({ sessions, outbox }) => {
      sessions.put({ peer, record });
      for (const entry of ready) outbox.put(entry);
    });
    return ready;
  }

  async #stored(entry, ack) {
    const currentIdentity = this.#contacts().get(entry.to)?.identity;
    const updated = await tx(this.#db, ['outbox', 'messages'], 'readwrite', async ({ outbox, messages }) => {
      outbox.delete(entry.seq);
      if (entry.kind !== 'text') return null;
      const message = await advanceStatus(messages, entry.to, entry.id, 'stored');
      if (message) {
        // The identity it was encrypted for: if that identity is reset before the message is
        // delivered, the server drops it and the message is shown as not delivered.
        message.encryptedFor = entry.encryptedFor;
        if (ack.serverTime) message.serverTime = ack.serverTime;
        // Stored after the contact's identity changed, for the old one: it will not arrive.
        if (entry.encryptedFor && currentIdentity && !equalBytes(entry.encryptedFor, currentIdentity)) message.status = 'undelivered';
        messages.put(message);
      }
      return message;
    });
    if (updated) this.#emit('message', { peer: entry.to, message: updated });
  }

  /** A final refusal: the entry leaves the outbox; a text becomes 'failed' with the refusal's code as `reason`. */
  async #fail(entry, reason) {
    const updated = await tx(this.#db, ['outbox', 'messages'], 'readwrite', async ({ outbox, messages }) => {
      outbox.delete(entry.seq);
      if (entry.kind !== 'text') return null;
      const failed = await advanceStatus(messages, entry.to, entry.id, 'failed', { reason });
      return failed;
    });
    if (updated) this.#emit('message', { peer: entry.to, message: updated });
  }
}
