/**
 * Sending the user's typing state (docs/CLIENT-MODEL.md, outbox rule 8): throttled "typing"
 * while the composer has text, "stopped" after a pause. Typing is ephemeral: sent only while
 * online, never queued. The first "typing" may start the session, so the indicator works
 * from the first keystroke: it is then the session's first message, a PreKeyMessage like any
 * other (CRYPTO.md §2), and the text that follows uses the same session, so one of the
 * contact's one-time prekeys is spent once per session, not per keystroke. "Stopped" never
 * starts a session.
 */

import { randomId } from '../lib/ids.js';
import { tx } from '../store/idb.js';
import { ServerError } from '../net/connection.js';
import { SendMessage } from '../wire/delivery.js';
import { isBlocked } from './contacts.js';
import { Blocked, loadRecord, encryptsTo, sessionForSending, trustedIdentity } from './sessions.js';
import { DevicesRefused } from './device-lists.js';
import { encryptForDevices } from './device-envelopes.js';

const TYPING_REFRESH_MS = 4_000;
const TYPING_IDLE_MS = 5_000;

export class TypingSender {
  #chat;
  #sent = new Map();
  #timers = new Map();

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  /** The composer's text for `peer` changed. */
  changed(peer, hasText) {
    if (this.#chat.blocking.isBlocked(peer)) return; // blocking.js: nothing is sent to a blocked account
    clearTimeout(this.#timers.get(peer));
    const last = this.#sent.get(peer);
    if (!hasText) {
      if (last) this.#send(peer, false);
      return;
    }
    if (!last || Date.now() - last > TYPING_REFRESH_MS) this.#send(peer, true);
    this.#timers.set(peer, setTimeout(() => this.#send(peer, false), TYPING_IDLE_MS));
  }

  /** A text was sent to `peer`: it ends the typing without a "stopped". */
  sent(peer) {
    this.#sent.delete(peer);
    clearTimeout(this.#timers.get(peer));
  }

  #send(peer, typing) {
    if (typing) this.#sent.set(peer, Date.now());
    else this.sent(peer);
    const payload = { type: 'typing', sentAt: Date.now(), id: randomId(), typing };
    this.#sendEphemeral(peer, payload, { start: typing }).catch((e) => this.#chat.report(e));
  }

  /**
   * Encrypts `payload` for every device of `peer` that has a session (and, with `start`,
   * starts the missing ones) and sends it once, unqueued. Devices without a session are
   * skipped when not starting; the server then answers `mismatched_devices`, which for an
   * ephemeral frame is simply dropped.
   */
  async #sendEphemeral(peer, payload, { start }) {
    const { connection, db, messenger, devices: lists } = this.#chat;
    if (connection.state !== 'online' || isBlocked(messenger.contacts.get(peer))) return;
    const copies = await this.#chat.locks.run(peer, async () => {
      let devices;
      try {
        devices = await lists.recipients(peer);
      } catch (e) {
        if (e instanceof DevicesRefused || e instanceof ServerError) return null;
        throw e;
      }
      const identity = trustedIdentity(this.#chat, peer);
      const records = new Map();
      for (const device of devices) {
        let record = await loadRecord(db, peer, device);
        if (!encryptsTo(record, identity)) {
          if (!start) continue;
          try {
            record = await sessionForSending(this.#chat, peer, device);
          } catch (e) {
            if (e instanceof Blocked || e instanceof ServerError) return null;
            throw e;
          }
        }
        records.set(device, record);
      }
      if (records.size === 0) return null;
      const out = await encryptForDevices(records, payload);
      await tx(db, 'deviceSessions', 'readwrite', ({ deviceSessions }) => {
        for (const [device, record] of out.records) deviceSessions.put({ peer, device, record });
      });
      return out.copies;
    });
    if (copies) await connection.request(SendMessage.of({ id: payload.id, to: peer, ...copies })).catch(() => {});
  }
}
