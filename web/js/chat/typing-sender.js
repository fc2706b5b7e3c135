/**
 * Sending the user's typing state (docs/CLIENT-MODEL.md, outbox rule 8): throttled "typing"
 * while the composer has text, "stopped" after a pause. Typing is ephemeral: sent only while
 * online, never queued. The first "typing" may start the session, so the indicator works
 * from the first keystroke: it is then the session's first message, a PreKeyMessage like any
 * other (CRYPTO.md §2), and the text that follows uses the same session, so one of the
 * contact's one-time prekeys is spent once per session, not per keystroke. "Stopped" never
 * starts a session.
 */

import { encryptPayload } from '../protocol/index.js';
import { randomId } from '../lib/ids.js';
import { tx } from '../store/idb.js';
import { ServerError } from '../net/connection.js';
import { SendMessage } from '../wire/delivery.js';
import { isBlocked } from './contacts.js';
import { Blocked, loadRecord, encryptsToContact, sessionForSending } from './sessions.js';

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

  async #sendEphemeral(peer, payload, { start }) {
    const { connection, db, messenger } = this.#chat;
    if (connection.state !== 'online' || isBlocked(messenger.contacts.get(peer))) return;
    const envelope = await this.#chat.locks.run(peer, async () => {
      let record = await loadRecord(db, peer);
      if (!encryptsToContact(record, messenger.contacts.get(peer))) {
        if (!start) return null;
        try {
          record = await sessionForSending(this.#chat, peer);
        } catch (e) {
          if (e instanceof Blocked || e instanceof ServerError) return null;
          throw e;
        }
      }
      const out = await encryptPayload(record, payload);
      await tx(db, 'sessions', 'readwrite', ({ sessions }) => sessions.put({ peer, record: out.record }));
      return out.envelope;
    });
    if (envelope) await connection.request(SendMessage.of({ id: payload.id, to: peer, envelope })).catch(() => {});
  }
}
