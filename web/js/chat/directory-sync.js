/**
 * The directory and presence (docs/PROTOCOL.md §4) applied to the contacts: every account in a
 * `public_keys` answer or push becomes a contact, its identity checked (binding signature)
 * before it is observed for trust; `presence` moves the online marks. An identity change marks
 * what was stored for the old identity and not delivered as `undelivered`
 * (docs/CLIENT-MODEL.md, outbox rule 7).
 */

import { unb64, concat, verifyIdentityBinding } from '../protocol/index.js';
import { tx } from '../store/idb.js';
import { observeIdentity } from './contacts.js';
import { markUndelivered } from './messages.js';

export class DirectorySync {
  #chat;

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  /** Applies the `users` of a `public_keys` frame. */
  async apply(users) {
    const { messenger, db } = this.#chat;
    for (const user of users) {
      if (user.username === messenger.username) continue;
      messenger.presence.set(user.username, user.online);
      let identity;
      try {
        identity = await verifiedDirectoryIdentity(user.identity);
      } catch {
        continue;
      }
      const seen = await observeIdentity(db, messenger.contacts, user.username, identity);
      if (seen === 'changed') {
        this.#chat.receiver.setTyping(user.username, false);
        await this.identityChanged(user.username);
      }
    }
    messenger.emit('contacts');
    this.#chat.pump();
  }

  /** A `presence` frame. */
  presence({ username, online }) {
    this.#chat.messenger.presence.set(username, online);
    if (!online) this.#chat.receiver.setTyping(username, false);
    this.#chat.messenger.emit('contacts');
  }

  /** The connection went away: nobody is known to be online. */
  offline() {
    const { presence } = this.#chat.messenger;
    for (const peer of presence.keys()) presence.set(peer, false);
    this.#chat.messenger.emit('contacts');
  }

  /**
   * `peer`'s identity changed (an account reset): what was stored for the old identity and
   * not delivered is dropped by the server, so it is shown as not delivered.
   */
  async identityChanged(peer) {
    const { messenger, db } = this.#chat;
    const identity = messenger.contacts.get(peer)?.identity;
    const updated = await tx(db, 'messages', 'readwrite', ({ messages }) => markUndelivered(messages, peer, identity));
    for (const message of updated) messenger.emit('message', { peer, message });
  }
}

/**
 * A directory entry's identity (base64url fields, checked in form by the wire codec) with its
 * binding signature checked (the Ed25519 key signs the X25519 key, CRYPTO.md §1.1). -> IK, 64 bytes.
 */
async function verifiedDirectoryIdentity({ signingKey, dhKey, binding }) {
  const signing = unb64(signingKey);
  const dh = unb64(dhKey);
  if (!(await verifyIdentityBinding(signing, dh, unb64(binding)))) throw new Error('bad identity binding');
  return concat(signing, dh);
}
