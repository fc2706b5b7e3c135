/**
 * The group part of the outbox (docs/CLIENT-MODEL.md, "The outbox"; docs/design/GROUPS.md,
 * "Transport: send_multi"): outbox entries with `multi: true`, each one `send_multi` to many
 * accounts under one message id, sent in order while online, by the same rules as the
 * pairwise outbox (outbox.js):
 *
 * - Committed before sending; sealed once: a group text's content (the group message) when it
 *   first leaves, each recipient's part (its devices, with a pairwise envelope where one is
 *   needed) when it is first sent to that recipient, each committed with the session and chain
 *   states that made it before anything goes out; resent unchanged under the same id.
 * - The server answers one `stored` with per-recipient refusals: `mismatched_devices` refetches
 *   and checks that member's list and reseals only that member's part; `queue_full`,
 *   `queue_share_full` and `unknown_device` are retried after RETRY_MS; `unknown_user` drops
 *   that recipient. A whole-frame refusal that resolves itself is retried, any other is final
 *   (a text becomes `failed`).
 * - A frame that would pass MAX_FRAME_CHARS is split by recipient, each part carrying the
 *   content, under the same id.
 * - Recipient sets (recipient-sets.js): a frame whose list the server answered with a set
 *   before, with content and no envelope, names that set instead of its list; a set the server
 *   no longer holds (`unknown_recipient_set`) makes the same frame go again with its list, which
 *   is not a failure. Refusals of a recipient are the same either way, and its fix (a resealed
 *   part) goes with its list.
 *
 * MultiEntry = { seq, multi: true, to: group id text, group, kind: 'group-text' | 'group-change'
 *   | 'group-snapshot', id, payload (the text payload, or the pairwise payload every device
 *   gets), audience: [username] | null (a text's: set when its content is sealed),
 *   content: b64 | null, distribution, chainId, parts: { username: { devices, encryptedFor,
 *   carries: [deviceKey] } }, done: [username] }
 */

import { singleFlight } from '../../lib/single-flight.js';
import { tx, done, getAll } from '../../store/idb.js';
import { ServerError } from '../../net/connection.js';
import { ErrorCode } from '../../wire/errors.js';
import { randomId } from '../../lib/ids.js';
import { isBlocked } from '../contacts.js';
import { Blocked, sessionForSending, trustedIdentity } from '../sessions.js';
import { DevicesRefused } from '../device-lists.js';
import { encryptForDevices } from '../device-envelopes.js';
import { advanceStatus } from '../messages.js';
import { RETRIED_CODES } from '../outbox.js';
import { deviceKey } from './group-store.js';
import { distributedSet, markDistributed } from './group-chain.js';
import { listFingerprint, loadSets, rememberSets, sendToRecipients } from './recipient-sets.js';

const RETRY_MS = 10_000;
/** A frame is at most 64 KiB (WireLimits); this leaves room for the frame's own fields. */
export const MAX_FRAME_CHARS = 60_000;

/** Entries sealed once with the sending chain (the content every member device opens): texts, messages and controls. */
function chained(entry) {
  return entry.kind === 'group-text' || entry.kind === 'group-control';
}

function connectionLost(e) {
  return e instanceof ServerError && (e.code === 'offline' || e.code === 'timeout');
}

export class MultiOutbox {
  #chat;
  #window;
  #pump = singleFlight(() => this.#pumpOnce(), (e) => this.#chat.report(e));
  #retryTimer = null;
  /** Entries (by seq) waiting for the retry timer. */
  #held = new Set();

  /** `chat`: the messenger's shared state; `window`: the pairwise outbox's SendWindow (one per connection). */
  constructor(chat, window) {
    this.#chat = chat;
    this.#window = window;
  }

  pump() {
    return this.#pump();
  }

  async #pumpOnce() {
    const { db, connection } = this.#chat;
    if (connection.state !== 'online') return;
    const entries = (await tx(db, 'outbox', 'readonly', ({ outbox }) => getAll(outbox))).filter((e) => e.multi);
    for (const entry of entries) {
      if (connection.state !== 'online') return;
      if (this.#held.has(entry.seq)) continue;
      try {
        await this.#send(entry);
      } catch (e) {
        if (connectionLost(e)) return;
        this.#holdForRetry(entry, e);
      }
    }
  }

  #holdForRetry(entry, e) {
    this.#held.add(entry.seq);
    if (e && !(e instanceof ServerError && RETRIED_CODES.has(e.code))) this.#chat.report(e);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#held.clear();
      this.pump();
    }, RETRY_MS);
  }

  async #save(entry) {
    await tx(this.#chat.db, 'outbox', 'readwrite', ({ outbox }) => outbox.put(entry));
  }

  /** Seals what is not sealed yet, sends every recipient still pending and applies the answers. */
  async #send(entry) {
    const { groups } = this.#chat;
    if (chained(entry) && !entry.content) {
      const sealed = await groups.sealText(entry);
      if (!sealed) {
        await this.#finish(entry, 'failed', { reason: 'not_member' });
        return;
      }
      entry = sealed;
    }
    let retry = null;
    const pending = entry.audience.filter((u) => !entry.done.includes(u));
    for (const username of pending) {
      if (entry.parts[username]) continue;
      try {
        entry = await this.#chat.locks.run(username, () => this.#sealPart(entry, username));
      } catch (e) {
        if (e instanceof DevicesRefused) this.#chat.messenger.emit('devices', { username });
        else if (e instanceof Blocked) this.#chat.messenger.emit('contacts');
        else if (connectionLost(e)) throw e;
        else if (!(await this.#listChanged(username, e))) retry = e;
      }
    }
    const ready = pending.filter((u) => entry.parts[u]);
    if (ready.length > 0) entry = await this.#sendFrames(entry, ready);
    if (!entry) return; // refused for good: it left the outbox
    if (entry.audience.every((u) => entry.done.includes(u))) await this.#finish(entry, 'stored', entry.serverTime ? { serverTime: entry.serverTime } : {});
    else if (retry || entry.retry) this.#holdForRetry(entry, retry);
  }

  /**
   * Seals `username`'s part: its devices (the checked list; none for this account's own name
   * when it has no other device: then it is done), each with a pairwise envelope when it needs
   * one. Committed with the session states. Runs under the recipient's lock.
   */
  async #sealPart(entry, username) {
    const chat = this.#chat;
    if (username !== chat.messenger.username && isBlocked(chat.messenger.contacts.get(username))) throw new Blocked();
    const devices = await chat.devices.recipients(username);
    const next = { ...entry, parts: { ...entry.parts }, done: [...entry.done] };
    if (devices.length === 0) {
      next.done.push(username);
      await this.#save(next);
      return next;
    }
    const holding = chained(entry) ? await distributedSet(chat.db, entry.group, entry.chainId) : new Set();
    const needing = devices.filter((d) => !holding.has(deviceKey(username, d)));
    const payload = chained(entry)
      ? { type: 'sender-key', id: randomId(), sentAt: Date.now(), distribution: entry.distribution }
      : entry.payload;
    let envelopes = new Map();
    let records = new Map();
    if (needing.length > 0) {
      for (const d of needing) records.set(d, await sessionForSending(chat, username, d));
      const out = await encryptForDevices(records, payload);
      records = out.records;
      envelopes = new Map(out.copies.devices.map((c) => [c.device, c.envelope]));
    }
    next.parts[username] = {
      devices: devices.map((device) => (envelopes.has(device) ? { device, envelope: envelopes.get(device) } : { device })),
      encryptedFor: trustedIdentity(chat, username),
      carries: chained(entry) ? needing.map((d) => deviceKey(username, d)) : [],
    };
    await tx(chat.db, ['deviceSessions', 'outbox'], 'readwrite', ({ deviceSessions, outbox }) => {
      for (const [device, record] of records) deviceSessions.put({ peer: username, device, record });
      outbox.put(next);
    });
    return next;
  }

  /**
   * A bundle fetch named a device the server no longer has (unlinked meanwhile): the list is
   * fetched and checked again. -> true when it changed (sealed again at once), false (retried later).
   */
  async #listChanged(username, e) {
    if (!(e instanceof ServerError && e.code === ErrorCode.UNKNOWN_DEVICE)) return false;
    const before = this.#chat.devices.get(username)?.list?.version;
    const after = await this.#chat.devices.refresh(username).then((entry) => entry.list?.version, () => before);
    if (after === before) return false;
    void this.#pump(); // one more pass after this one (single flight: never awaited here)
    return true;
  }

  /**
   * Sends the sealed parts of `usernames` in frames of at most MAX_FRAME_CHARS; applies each
   * `stored`. -> the entry as saved, or null when the server refused the frame for good.
   */
  async #sendFrames(entry, usernames) {
    const frames = [];
    let current = [];
    let size = 200 + (entry.content?.length ?? 0);
    for (const username of usernames) {
      const part = entry.parts[username];
      const partSize = username.length + 40 + part.devices.reduce((n, d) => n + 30 + (d.envelope?.length ?? 0), 0);
      if (current.length > 0 && size + partSize > MAX_FRAME_CHARS) {
        frames.push(current);
        current = [];
        size = 200 + (entry.content?.length ?? 0);
      }
      current.push(username);
      size += partSize;
    }
    if (current.length > 0) frames.push(current);
    let next = { ...entry, retry: false };
    const { db, connection } = this.#chat;
    // Only a text's parts are the group's whole list; other sends (changes, snapshots) keep it.
    const list = chained(entry) ? await listFingerprint(entry.parts) : null;
    const held = await loadSets(db, entry.group);
    const remembered = list === null || held.list === list ? held : { list, sets: [] };
    const learned = [];
    const dropped = [];
    const answers = await Promise.all(frames.map(async (names) => {
      await this.#window.acquire();
      try {
        const recipients = names.map((to) => ({ to, devices: entry.parts[to].devices }));
        const sent = await sendToRecipients(connection, remembered, { id: entry.id, content: entry.content ?? undefined, recipients, expiresIn: entry.expiresIn });
        if (sent.learned) learned.push(sent.learned);
        if (sent.dropped) dropped.push(sent.dropped);
        return { names, answer: sent.answer };
      } catch (e) {
        return { names, error: e };
      } finally {
        this.#window.release();
      }
    }));
    const row = await rememberSets(db, entry.group, { list, learned, dropped });
    if (row) this.#chat.groups.keep(row);
    for (const { names, answer, error } of answers) {
      if (error) {
        if (connectionLost(error)) throw error;
        if (error instanceof ServerError && !RETRIED_CODES.has(error.code)) {
          await this.#finish(next, 'failed', { reason: error.code });
          return null;
        }
        next.retry = true;
        continue;
      }
      next = await this.#applyStored(next, names, answer);
    }
    await this.#save(next);
    return next;
  }

  /** One `stored`: every recipient it does not refuse is done; refusals as the module says. */
  async #applyStored(entry, names, answer) {
    const refused = new Map((answer.refused ?? []).map((r) => [r.to, r]));
    const next = { ...entry, parts: { ...entry.parts }, done: [...entry.done], serverTime: answer.serverTime };
    const carried = [];
    for (const username of names) {
      const refusal = refused.get(username);
      if (!refusal) {
        next.done.push(username);
        carried.push(...(entry.parts[username].carries ?? []));
      } else if (refusal.code === ErrorCode.UNKNOWN_USER) {
        next.done.push(username); // no such account any more: nothing will ever reach it
      } else if (refusal.code === ErrorCode.MISMATCHED_DEVICES || refusal.code === ErrorCode.UNKNOWN_DEVICE) {
        if (await this.#mismatched(entry, username, refusal)) delete next.parts[username];
        else next.retry = true;
      } else {
        next.retry = true; // queue_full, queue_share_full: resolve themselves
      }
    }
    if (chained(entry)) await markDistributed(this.#chat.db, entry.group, entry.chainId, carried);
    if (Object.keys(next.parts).length < Object.keys(entry.parts).length) void this.#pump(); // one more pass after this one (single flight: never awaited here)
    return next;
  }

  /**
   * `mismatched_devices` for `username`: its list is fetched and checked again. -> true when the
   * checked list names other devices than the part (reseal it), false when it still names the
   * same (the server routes by a set the account did not sign: retried later, the user told).
   */
  async #mismatched(entry, username, refusal) {
    const sent = entry.parts[username].devices.map((d) => d.device);
    let devices;
    try {
      await this.#chat.devices.refresh(username);
      devices = await this.#chat.devices.recipients(username);
    } catch (e) {
      if (e instanceof DevicesRefused) this.#chat.messenger.emit('devices', { username });
      return false;
    }
    if (String(devices) !== String(sent)) return true;
    if (refusal.code === ErrorCode.MISMATCHED_DEVICES) {
      this.#chat.report(new Error(`The server asks for other devices of ${username} (missing ${refusal.missing ?? []}, extra ${refusal.extra ?? []}) than ${username}'s signed device list names: not sent, will retry.`));
    }
    return false;
  }

  /** The entry leaves the outbox; a group text becomes `status` ('stored' or 'failed'). */
  async #finish(entry, status, details) {
    const updated = await tx(this.#chat.db, ['outbox', 'messages'], 'readwrite', async ({ outbox, messages }) => {
      outbox.delete(entry.seq);
      if (entry.kind !== 'group-text') return null;
      const updated = await advanceStatus(messages, entry.group, entry.id, status, details);
      // A disappearing message expires counted from the server's time, as on every member's device.
      if (updated?.serverTime && updated.expireSeconds > 0) {
        updated.expiresAt = updated.serverTime + updated.expireSeconds * 1000;
        messages.put(updated);
      }
      return updated;
    });
    if (updated) this.#chat.messenger.emit('message', { peer: entry.group, message: updated });
  }
}

