/**
 * Typing in groups (docs/design/GROUPS.md, "Clients"): a typing payload inside a group
 * message, throttled like the pairwise one (typing-sender.js: one per 4 s, "stopped" after 5 s
 * idle), ephemeral (sent only while online, never queued; only the chain step it used is
 * committed), and not sent in groups over MAX_TYPING_MEMBERS members. It never starts or
 * rotates a chain and carries no distribution: it goes only to the members whose every device
 * already holds the current chain. Received typing is shown per member for TYPING_SHOWN_MS.
 */

import { randomId } from '../../lib/ids.js';
import { sendMulti } from '../../wire/delivery.js';
import { deviceKey } from './group-store.js';
import { sealWithChain } from './group-chain.js';

export const MAX_TYPING_MEMBERS = 100;
const TYPING_REFRESH_MS = 4_000;
const TYPING_IDLE_MS = 5_000;
const TYPING_SHOWN_MS = 10_000;

export class GroupTyping {
  #chat;
  #groups;
  #sent = new Map();
  #timers = new Map();
  /** group -> Map username -> hide timer */
  #shown = new Map();

  constructor(chat, groups) {
    this.#chat = chat;
    this.#groups = groups;
  }

  changed(group, hasText) {
    clearTimeout(this.#timers.get(group));
    const last = this.#sent.get(group);
    if (!hasText) {
      if (last) this.#send(group, false);
      return;
    }
    if (!last || Date.now() - last > TYPING_REFRESH_MS) this.#send(group, true);
    this.#timers.set(group, setTimeout(() => this.#send(group, false), TYPING_IDLE_MS));
  }

  sent(group) {
    this.#sent.delete(group);
    clearTimeout(this.#timers.get(group));
  }

  #send(group, typing) {
    if (typing) this.#sent.set(group, Date.now());
    else this.sent(group);
    this.#sendEphemeral(group, { type: 'typing', sentAt: Date.now(), id: randomId(), typing }).catch((e) => {
      if (e?.code !== 'offline' && e?.code !== 'timeout') this.#chat.report(e);
    });
  }

  async #sendEphemeral(group, payload) {
    const { connection, db, groupLocks } = this.#chat;
    const row = this.#groups.row(group);
    if (connection.state !== 'online' || !row?.state || row.status !== 'active' || row.state.members.length > MAX_TYPING_MEMBERS) return;
    const frame = await groupLocks.run(group, async () => {
      const recipients = await this.#groups.recipients(row);
      const sealed = await sealWithChain(db, row, recipients, payload, { ephemeral: true });
      if (!sealed) return null;
      const ready = [...recipients].filter(([username, devices]) => devices.every((d) => sealed.distributed.has(deviceKey(username, d))));
      if (ready.length === 0) return null;
      return sendMulti({ id: payload.id, content: sealed.content, recipients: ready.map(([to, devices]) => ({ to, devices: devices.map((device) => ({ device })) })) });
    });
    if (frame) await connection.request(frame).catch(() => {});
  }

  /** Who is shown typing in `group`. */
  shown(group) {
    return [...(this.#shown.get(group)?.keys() ?? [])];
  }

  show(group, username, typing) {
    if (!this.#shown.has(group)) this.#shown.set(group, new Map());
    const members = this.#shown.get(group);
    clearTimeout(members.get(username));
    const was = members.has(username);
    if (typing) members.set(username, setTimeout(() => this.show(group, username, false), TYPING_SHOWN_MS));
    else members.delete(username);
    if (was !== typing) this.#chat.messenger.emit('typing', { peer: group, typing: members.size > 0 });
  }
}
