/**
 * The outbox sender (docs/CLIENT-MODEL.md, "The outbox"): sends the account's outbox
 * (IndexedDB store `outbox`: texts, receipts) in order while online, pipelined up to the
 * server's window (send-window.js), and applies the server's answers: `stored` advances the
 * message to 'stored' and removes the entry; a refusal that resolves itself (RETRIED_CODES)
 * holds the peer and retries later; any other refusal is final: the entry leaves the outbox
 * and its message becomes 'failed', with the refusal's code as its `reason`.
 *
 * Entries with `multi: true` are the group outbox's (groups/multi-outbox.js), skipped here.
 *
 * Each entry goes to every device of the recipient's accepted signed list (device-lists.js;
 * for this account's own username, every other device of this account), as one `send_message`
 * (device-envelopes.js). When the server answers `mismatched_devices`, the list is fetched and
 * checked again and the entry is encrypted again for the new set and sent under the same id
 * (the server stored nothing); if the checked list still names the devices that were sent to,
 * the server demands devices the account did not sign: the entry is held and the user told.
 *
 * Invariants:
 * - An entry is removed only on its own `stored` (or a final refusal), so a message is kept
 *   on the device until the server has it.
 * - Nothing is encrypted to an account whose device list was refused (DevicesRefused).
 * - A ciphertext is sent only after the session record that made it is committed; the
 *   ciphertext is kept in the entry and reused for every resend under the same id, so the
 *   server's deduplication applies and no message key is used twice.
 * - Session operations on a peer run under that peer's lock (the messenger's KeyedMutex).
 */

import { equalBytes } from '../protocol/index.js';
import { singleFlight } from '../lib/single-flight.js';
import { tx, done, getAll } from '../store/idb.js';
import { ServerError } from '../net/connection.js';
import { ErrorCode } from '../wire/errors.js';
import { isBlocked, isUserBlocked } from './contacts.js';
import { Blocked } from './sessions.js';
import { advanceStatus } from './messages.js';
import { SendWindow } from './send-window.js';
import { SendMessage } from '../wire/delivery.js';
import { DevicesRefused } from './device-lists.js';
import { copiedDevices, encryptForDevices } from './device-envelopes.js';

const RETRY_MS = 10_000;

/** A disappearing message's send frame tells the server when to drop a copy still queued (PROTOCOL.md §6). */
export function expiresIn(entry) {
  return entry.expiresIn ? { expiresIn: entry.expiresIn } : {};
}

/**
 * Server refusals that resolve themselves: the outbox retries them quietly. Every other refusal is final.
 * `unavailable` (the server cannot reach its database) is an outage, like a connection loss:
 * nothing was stored, the entry stays and is sent again under the same id.
 */
export const RETRIED_CODES = Object.freeze(new Set([ErrorCode.RATE_LIMITED, ErrorCode.QUEUE_FULL, ErrorCode.QUEUE_SHARE_FULL,
  ErrorCode.QUOTA_EXCEEDED, ErrorCode.STORAGE_FULL, ErrorCode.NO_PREKEYS, ErrorCode.INTERNAL_ERROR, ErrorCode.UNKNOWN_DEVICE,
  ErrorCode.UNAVAILABLE]));

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
  #devices;
  #identityOf;
  #report;
  #emit;
  #pump = singleFlight(() => this.#pumpOnce(), (e) => this.#report(e));
  #retryTimer = null;
  /** Outbox entries (by seq) sent and waiting for their ack or refusal. */
  #inFlight = new Set();
  /** Peers whose sends wait for the retry timer after a refusal that resolves itself. */
  #held = new Set();
  #window = new SendWindow();

  /**
   * `contacts`: the messenger's live Map; `sessionForSending(peer, device)`: a session record
   * that can encrypt to the account's trusted identity (called under the peer's lock);
   * `devices`: the DeviceLists; `identityOf(peer)`: the identity trusted for the account;
   * `report(error)` and `emit(type, detail)`: the messenger's.
   */
  constructor({ db, connection, locks, contacts, sessionForSending, devices, identityOf, report, emit }) {
    this.#db = db;
    this.#connection = connection;
    this.#locks = locks;
    this.#contacts = contacts;
    this.#sessionForSending = sessionForSending;
    this.#devices = devices;
    this.#identityOf = identityOf;
    this.#report = report;
    this.#emit = emit;
  }

  /** The connection's send window, shared with the group outbox (groups/multi-outbox.js). */
  get window() {
    return this.#window;
  }

  /** Adapts to the server's settings (`server_limits`, asked after each login): sends in flight at most its window. */
  adaptTo(serverLimits) {
    this.#window.resize(serverLimits.sendWindow);
  }

  /** Sends the outbox in order while online; safe to call any time (single flight). */
  pump() {
    return this.#pump();
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
      if (entry.multi || this.#inFlight.has(entry.seq) || this.#held.has(entry.to)) continue;
      if (!byPeer.has(entry.to)) byPeer.set(entry.to, []);
      byPeer.get(entry.to).push(entry);
    }
    for (const [peer, pending] of byPeer) {
      if (isBlocked(this.#contacts().get(peer))) continue;
      if (isUserBlocked(this.#contacts().get(peer))) continue; // blocking.js: kept until unblocked
      let ready;
      try {
        ready = await this.#locks.run(peer, () => this.#envelopesFor(peer, pending));
      } catch (e) {
        if (e instanceof Blocked) this.#emit('contacts');
        else if (e instanceof DevicesRefused) this.#emit('devices', { username: peer });
        else if (connectionLost(e)) return;
        else if (e instanceof ServerError && e.code === ErrorCode.UNKNOWN_DEVICE) this.#staleDevices(peer, e);
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
        this.#connection.request(SendMessage.of({ id: entry.id, to: entry.to, content: entry.copies.content, devices: entry.copies.devices, ...expiresIn(entry) }))
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
    if (e instanceof ServerError && e.code === ErrorCode.MISMATCHED_DEVICES) await this.#mismatched(entry, e);
    else if (e instanceof ServerError && e.code === ErrorCode.UNKNOWN_DEVICE) this.#staleDevices(entry.to, e);
    else if (e instanceof ServerError && !RETRIED_CODES.has(e.code)) await this.#fail(entry, e.code);
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
   * A bundle fetch named a device the server no longer has (unlinked meanwhile): the list is
   * fetched and checked again before the retry, so the retry encrypts for the devices it names.
   */
  #staleDevices(peer, e) {
    this.#devices.refresh(peer).catch(() => {}).finally(() => this.#holdForRetry(peer, e));
  }

  /**
   * `mismatched_devices`: the server stored nothing. The recipient's list is fetched and checked
   * again; if it now names other devices, the entry's copies are dropped and it is encrypted
   * again for them at the next pass, under the same id. If it still names the devices already
   * sent to, the server routes by a set the account did not sign: held, and the user told.
   */
  async #mismatched(entry, e) {
    const peer = entry.to;
    let devices;
    try {
      await this.#devices.refresh(peer);
      devices = await this.#devices.recipients(peer);
    } catch (error) {
      if (error instanceof DevicesRefused) this.#emit('devices', { username: peer });
      else this.#holdForRetry(peer, error);
      return;
    }
    if (String(devices) === String(copiedDevices(entry.copies))) {
      this.#holdForRetry(peer, new Error(`The server asks for other devices of ${peer} (missing ${e.frame.missing ?? []}, extra ${e.frame.extra ?? []}) than ${peer}'s signed device list names: not sent, will retry.`));
      return;
    }
    await tx(this.#db, 'outbox', 'readwrite', async ({ outbox }) => {
      const stored = await done(outbox.get(entry.seq));
      if (stored) outbox.put({ ...stored, copies: null });
    });
    this.pump();
  }

  /**
   * The outbox entries of one peer with their copies: the stored copies of an entry made for
   * the account's current identity and device set, else a fresh encryption for every device
   * (a new session where needed). The session records and every new copy are committed in one
   * transaction before any of them is sent. Runs under the peer lock.
   */
  async #envelopesFor(peer, entries) {
    const identity = this.#identityOf(peer);
    const devices = await this.#devices.recipients(peer);
    const reusable = (entry) => entry.copies && identity && entry.encryptedFor && equalBytes(entry.encryptedFor, identity)
      && String(copiedDevices(entry.copies)) === String(devices);
    if (entries.every(reusable)) return entries;
    if (devices.length === 0) return this.#dropUnaddressed(entries);
    let records = new Map();
    for (const device of devices) records.set(device, await this.#sessionForSending(peer, device));
    const ready = [];
    for (const entry of entries) {
      if (reusable(entry)) {
        ready.push(entry);
        continue;
      }
      const out = await encryptForDevices(records, entry.payload);
      records = out.records;
      ready.push({ ...entry, copies: out.copies, encryptedFor: identity });
    }
    await tx(this.#db, ['deviceSessions', 'outbox'], 'readwrite', ({ deviceSessions, outbox }) => {
      for (const [device, record] of records) deviceSessions.put({ peer, device, record });
      for (const entry of ready) outbox.put(entry);
    });
    return ready;
  }

  /** Entries for this account's other devices when it has none left (all unlinked): nobody to send them to. */
  async #dropUnaddressed(entries) {
    await tx(this.#db, 'outbox', 'readwrite', ({ outbox }) => {
      for (const entry of entries) outbox.delete(entry.seq);
    });
    return [];
  }

  async #stored(entry, ack) {
    const currentIdentity = this.#contacts().get(entry.to)?.identity;
    if (entry.kind === 'history') {
      this.#emit('history-progress', { direction: 'out', index: entry.payload.index + 1, total: entry.payload.total });
    }
    const updated = await tx(this.#db, ['outbox', 'messages'], 'readwrite', async ({ outbox, messages }) => {
      outbox.delete(entry.seq);
      if (entry.kind !== 'text') return null;
      const message = await advanceStatus(messages, entry.to, entry.id, 'stored');
      if (message) {
        // The identity it was encrypted for: if that identity is reset before the message is
        // delivered, the server drops it and the message is shown as not delivered.
        message.encryptedFor = entry.encryptedFor;
        if (ack.serverTime) message.serverTime = ack.serverTime;
        // A disappearing message expires counted from the server's time, as on every other device.
        if (ack.serverTime && message.expireSeconds > 0) message.expiresAt = ack.serverTime + message.expireSeconds * 1000;
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
