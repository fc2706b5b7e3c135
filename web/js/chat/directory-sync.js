/**
 * The directory and presence (docs/PROTOCOL.md §4) applied to the contacts: every account in a
 * `public_keys` answer or push becomes a contact, its identity checked (binding signature)
 * before it is observed for trust; `presence` moves the online marks. An identity change marks
 * what was stored for the old identity and not delivered as `undelivered`
 * (docs/CLIENT-MODEL.md, outbox rule 7).
 *
 * Directory modes (`server_limits.directory`, learned after each login):
 * - `open`: the whole list is asked with `get_public_keys` (which also subscribes the
 *   connection to every account's pushes);
 * - `private`: the list is never asked (the server refuses it). The identities this client
 *   needs are looked up by exact name with `find_users`: the contacts it already knows at
 *   login (conversation peers, senders, people found before), a name typed in "New chat"
 *   ({@link DirectorySync#find}), a group author ({@link DirectorySync#learn}) and any
 *   contact that appears later (a new sender). The server then pushes those accounts' presence,
 *   identity and device-list changes to this connection.
 *
 * Look-ups go in batches of {@link LOOKUP_BATCH} names; a batch refused with `rate_limited`
 * (the server counts names per account a minute) is tried again after {@link RETRY_MS}.
 */

import { unb64, concat, verifyIdentityBinding } from '../protocol/index.js';
import { tx } from '../store/idb.js';
import { GetPublicKeys, FindUsers } from '../wire/directory.js';
import { ErrorCode } from '../wire/errors.js';
import { ServerError } from '../net/connection.js';
import { observeIdentity } from './contacts.js';
import { markUndelivered } from './messages.js';

/** Names per `find_users` frame: under the server's default of 60 names a minute. */
export const LOOKUP_BATCH = 50;
/** Wait before a look-up refused for the rate is tried again. */
const RETRY_MS = 61_000;

export class DirectorySync {
  #chat;
  /** 'open' | 'private' | null (not known yet: before the first login's server_limits). */
  #mode = null;
  /** Names this connection looked up (found or not): they are not looked up again until the next login. */
  #asked = new Set();
  #retryTimer = null;

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
    chat.messenger.on('contacts', () => {
      if (this.#mode === 'private') this.#lookUpNew().catch((e) => chat.report(e));
    });
  }

  /** The server's directory mode: 'open', 'private', or null before the first login. */
  get mode() {
    return this.#mode;
  }

  /**
   * After each login, with the server's `server_limits`: the whole list (open), or a look-up of
   * every contact this client knows (private).
   */
  async afterLogin(serverLimits) {
    this.#mode = serverLimits.directory === 'private' ? 'private' : 'open';
    this.#asked.clear();
    clearTimeout(this.#retryTimer);
    if (this.#mode === 'open') {
      const directory = await this.#chat.connection.request(GetPublicKeys.of());
      await this.apply(directory.users);
    } else {
      await this.#lookUpNew();
    }
    this.#chat.messenger.emit('directory-mode', { mode: this.#mode });
  }

  /**
   * Looks up `usernames` by exact name (either mode) and applies what was found.
   * -> the usernames that exist, in the asked order. Throws ServerError (rate_limited...).
   */
  async find(usernames) {
    const wanted = [...new Set(usernames)].filter((u) => u !== this.#chat.messenger.username);
    const found = [];
    for (let i = 0; i < wanted.length; i += LOOKUP_BATCH) {
      const batch = wanted.slice(i, i + LOOKUP_BATCH);
      batch.forEach((u) => this.#asked.add(u));
      const answer = await this.#chat.connection.request(FindUsers.of({ usernames: batch }));
      await this.apply(answer.users);
      found.push(...answer.users.map((u) => u.username));
    }
    return found;
  }

  /** Makes sure the identities of `usernames` are known here (a group author...): looks up those not known yet. */
  async learn(usernames) {
    const { contacts } = this.#chat.messenger;
    const missing = usernames.filter((u) => !contacts.get(u)?.identity);
    if (missing.length > 0) await this.find(missing).catch(() => []);
  }

  /** Private mode: looks up the contacts this connection has not asked about yet. */
  async #lookUpNew() {
    const { messenger, connection } = this.#chat;
    if (connection.state !== 'online') return;
    const fresh = [...messenger.contacts.keys()].filter((u) => u !== messenger.username && !this.#asked.has(u));
    if (fresh.length === 0) return;
    fresh.forEach((name) => this.#asked.add(name));
    try {
      await this.find(fresh);
    } catch (e) {
      fresh.forEach((name) => this.#asked.delete(name)); // asked again later
      if (e instanceof ServerError && e.code === ErrorCode.RATE_LIMITED) {
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => this.#lookUpNew().catch((error) => this.#chat.report(error)), RETRY_MS);
        return;
      }
      if (e instanceof ServerError && (e.code === 'offline' || e.code === 'timeout')) return;
      throw e;
    }
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
    clearTimeout(this.#retryTimer);
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
