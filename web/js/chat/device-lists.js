/**
 * The device lists this device relies on (docs/design/LINKED-DEVICES.md, "The device list"):
 * for every contact it sends to, and for its own account, the highest signed list it accepted
 * (checked by web/js/protocol's `checkDeviceList` under the account's identity) and, when the server's latest
 * answer was refused, why. Stored in the account database (`deviceLists`, account-db.js).
 *
 * DeviceListEntry = { username, identity: Uint8Array(64) (the identity the list was checked
 *   under), list: wire DeviceList | null, problem: null | DEVICE_LIST_REFUSALS value | 'missing', checkedAt,
 *   unapproved: number[] (own account only: device ids the server has rows for that the
 *   signed list does not name, or the reverse), servers: [{ id, lastSeen? }] (own account
 *   only: the server's rows) }
 *
 * Invariants:
 * - Nothing is encrypted to an account whose latest list was refused (`problem`), or that has
 *   no accepted list; `recipients` throws DevicesRefused instead, until a valid list comes.
 * - A list is kept per identity: after a contact's identity change the old list is not a
 *   baseline (versions restart with the new identity).
 * - Accepting a list deletes the group receiving chains of the account's devices it no longer
 *   names.
 * - For its own account, the device compares the server's device rows with the signed list
 *   on every refresh (each login and `devices_changed`), and says so when they differ.
 */

import { equalBytes, checkDeviceList, DEVICE_LIST_REFUSALS as REFUSALS } from '../protocol/index.js';
import { tx, done, getAll } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { GetDevices } from '../wire/devices.js';

/** Why a send is held: the account's device list was refused or is unknown. */
export class DevicesRefused extends Error {
  constructor(username, reason) {
    super(`${username}'s device list is not signed by ${username} (${reason}): nothing is sent to ${username} until a valid one comes.`);
    this.username = username;
    this.reason = reason;
  }
}

/** What the user is told about a refused list. */
export const PROBLEM_TEXT = Object.freeze({
  [REFUSALS.MALFORMED]: 'a malformed device list',
  [REFUSALS.BAD_SIGNATURE]: 'a device list not signed by this contact',
  [REFUSALS.ROLLBACK]: 'an older device list than one already seen',
  [REFUSALS.CONFLICT]: 'a second, different device list under the same version',
  [REFUSALS.REUSED_ID]: 'a device list that gives a device id used before to another device',
  missing: 'no device list yet: an account from before linked devices that has not signed in since',
});

export class DeviceLists {
  #chat;
  #entries = new Map();

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  async init() {
    const all = await tx(this.#chat.db, 'deviceLists', 'readonly', ({ deviceLists }) => getAll(deviceLists));
    this.#entries = new Map(all.map((e) => [e.username, e]));
  }

  get(username) {
    return this.#entries.get(username) ?? null;
  }

  /** Why nothing is encrypted to `username` now, or null. */
  problem(username) {
    return this.#entries.get(username)?.problem ?? null;
  }

  /** The identity lists of `username` are checked under: the contact's trusted one, or this account's. */
  #identityOf(username) {
    const { messenger } = this.#chat;
    return username === messenger.username ? messenger.identity.publicIdentity : messenger.contacts.get(username)?.identity ?? null;
  }

  /**
   * Fetches `username`'s list (`get_devices`), checks it under `identity` (by default the
   * contact's trusted identity, or this account's) and stores the outcome. -> the entry.
   * Throws the connection's errors (offline, unknown_user...).
   */
  async refresh(username, identity = this.#identityOf(username)) {
    const { db, connection, messenger } = this.#chat;
    if (!identity) throw new Error(`${username}'s identity is not known yet.`);
    const answer = await connection.request(GetDevices.of({ username }));
    const old = this.#entries.get(username);
    const own = username === messenger.username;
    // This account's baseline is at least the list this device made or received itself.
    const previous = old && equalBytes(old.identity, identity) ? old.list : (own ? messenger.signedOwnList : null);
    const outcome = answer.list
      ? await checkDeviceList(identity.subarray(0, 32), previous, answer.list)
      : { accepted: false, reason: 'missing' };
    const entry = {
      username, identity, checkedAt: Date.now(),
      list: outcome.accepted ? answer.list : previous,
      problem: outcome.accepted ? null : outcome.reason,
      unapproved: own ? differences(answer.list, answer.servers) : [],
      servers: own ? answer.servers : [],
    };
    const changed = !old || old.problem !== entry.problem || old.list?.version !== entry.list?.version
      || String(old.unapproved) !== String(entry.unapproved) || own;
    await tx(db, ['deviceLists', 'log', 'senderKeys'], 'readwrite', async ({ deviceLists, log, senderKeys }) => {
      deviceLists.put(entry);
      if (outcome.accepted && !outcome.same) await forgetUnlistedSenderKeys(senderKeys, username, entry.list);
      if (!outcome.accepted && old?.problem !== entry.problem) {
        addEvent(log, { event: EVENTS.deviceListRefused, peer: username, detail: PROBLEM_TEXT[entry.problem] ?? entry.problem });
      } else if (outcome.accepted && !outcome.same) {
        addEvent(log, { event: EVENTS.deviceListAccepted, peer: username, detail: `version ${entry.list.version}: devices ${entry.list.devices.map((d) => d.id).join(', ')}` });
      }
    });
    this.#entries.set(username, entry);
    if (changed) messenger.emit('devices', { username });
    return entry;
  }

  /**
   * Why a message relayed as from `username`'s device `device` is not accepted as that
   * account's, or null when it is (docs/WEB-CLIENT.md, "Receiving"). `identity` is the one the
   * message's session proves (the sender holds its private key), so the list is checked under
   * it: a contact seen for the first time, or under a new identity, is checked too. The device
   * must be in the highest list accepted under that identity; when the held list lacks it (it
   * may have been linked a moment ago) the list is fetched and checked once more. A list
   * refused since still vouches for the devices of the last accepted one (the server could as
   * well serve that one again). For this account, this device's own id is never a sender.
   * Throws the connection's errors (offline...), after which the message is not acknowledged.
   */
  async senderRefusal(username, device, identity) {
    const { messenger } = this.#chat;
    const refusal = `sent from a device (${device}) that ${username}'s signed device list does not have`;
    if (username === messenger.username && device === messenger.deviceId) return `sent under this device's own id (${device}), which no other device has`;
    const listed = (entry) => Boolean(entry && equalBytes(entry.identity, identity) && entry.list?.devices.some((d) => d.id === device));
    if (listed(this.#entries.get(username))) return null;
    return listed(await this.refresh(username, identity)) ? null : refusal;
  }

  /**
   * The device ids to encrypt a message to `username` for: every device of the accepted
   * list (for this account: every other device). Fetches the list when there is none for the
   * current identity. Throws DevicesRefused when the latest list was refused.
   */
  async recipients(username) {
    const { messenger } = this.#chat;
    let entry = this.#entries.get(username);
    const identity = this.#identityOf(username);
    if (!entry || !identity || !equalBytes(entry.identity, identity) || !entry.list) entry = await this.refresh(username);
    if (entry.problem || !entry.list) throw new DevicesRefused(username, PROBLEM_TEXT[entry.problem ?? 'missing']);
    const ids = entry.list.devices.map((d) => d.id);
    return username === messenger.username ? ids.filter((id) => id !== messenger.deviceId) : ids;
  }
}

/**
 * Deletes the group receiving chains of `username`'s devices that `list` no longer names (an
 * unlinked device reads nothing new: its senders rotate, and nothing it sends is accepted).
 */
async function forgetUnlistedSenderKeys(senderKeys, username, list) {
  const listed = new Set(list.devices.map((d) => d.id));
  const rows = await getAll(senderKeys.index('bySender'), IDBKeyRange.bound([username, 0], [username, Infinity]));
  for (const row of rows) if (!listed.has(row.device)) senderKeys.delete([row.group, row.sender, row.device]);
}

/** Device ids in only one of the signed list and the server's rows (sorted). */
function differences(list, servers) {
  const listed = new Set((list?.devices ?? []).map((d) => d.id));
  const rows = new Set(servers.map((s) => s.id));
  return [...new Set([...listed, ...rows])].filter((id) => listed.has(id) !== rows.has(id)).sort((a, b) => a - b);
}
