/**
 * The account's devices as the settings show them, and the actions on them
 * (docs/design/LINKED-DEVICES.md): approving a waiting device (link-approve.js), unlinking
 * another device, signing this one out. Reached as `messenger.linkedDevices`; the UI never
 * sees keys or frames.
 *
 * DeviceRow = { id, name, linkedAt, lastSeen (the UTC day's start, ms, or null), thisDevice }
 */

import { loadAccount } from './account.js';
import { approveLink, cannotApprove, deviceName, deviceNames, peekLink, publishWithout, queueHistory } from './link-approve.js';
import { MAX_DEVICES } from '../wire/limits.js';

export class LinkedDevices {
  #chat;

  /** `chat`: the messenger's shared state (messenger.js). */
  constructor(chat) {
    this.#chat = chat;
  }

  /** The accepted list of this account: the latest checked one, else the one this device holds. */
  async #state() {
    const account = await loadAccount(this.#chat.db);
    const entry = this.#chat.devices.get(account.username);
    const ownList = entry?.list && entry.list.version >= account.deviceList.version ? entry.list : account.deviceList;
    return { account, ownList, entry, contacts: this.#chat.messenger.contacts };
  }

  /** -> { devices: DeviceRow[], cannotApprove: string | null, full: boolean } */
  async view() {
    const { account, ownList, entry } = await this.#state();
    const names = await deviceNames(this.#chat.db);
    const seen = new Map((entry?.servers ?? []).map((s) => [s.id, s.lastSeen ?? null]));
    return {
      devices: ownList.devices.map((d) => ({
        id: d.id, name: deviceName(names, account, d.id),
        linkedAt: d.linkedAt, lastSeen: seen.get(d.id) ?? null, thisDevice: d.id === account.deviceId,
      })),
      cannotApprove: cannotApprove(account.identity),
      full: ownList.devices.length >= MAX_DEVICES,
    };
  }

  /** Reads the request of the device waiting with `code`: -> { name, fingerprint, expiresAt, ... } (LinkError in words). */
  peek(code) {
    return peekLink(this.#chat, code);
  }

  /**
   * Approves the peeked device; with `history`, queues the recent history for it; queues every
   * group's state for it (groups/group-snapshots.js). Shows the
   * "new device" notice here too (the new device tells the account's other devices).
   */
  async approve(peeked, { history }) {
    const state = await this.#state();
    const { device } = await approveLink(this.#chat, state, peeked, { history });
    await this.#chat.reloadAccount();
    await this.#chat.devices.refresh(state.account.username).catch((e) => this.#chat.report(e));
    const chunks = history ? await queueHistory(this.#chat.db, state.account.username) : 0;
    // The new device has no group state: every group's goes to it (trusted as this account's).
    await this.#chat.groups.queueSnapshotsForOwnDevices();
    this.#chat.messenger.emit('device-notice', { text: `A new device was linked: ${peeked.name}, ${new Date().toLocaleString()}` });
    if (chunks > 0) this.#chat.messenger.emit('history-progress', { direction: 'out', index: 0, total: chunks });
    this.#chat.pump();
    return { device, chunks };
  }

  /** Unlinks device `id` (not this one): a new list without it. */
  async unlink(id) {
    const state = await this.#state();
    if (id === state.account.deviceId) throw new Error('Use "Sign out this device" for this device.');
    await publishWithout(this.#chat, state, [id]);
    await this.#chat.reloadAccount();
    await this.#chat.devices.refresh(state.account.username).catch((e) => this.#chat.report(e));
  }

  /** Removes this device from the account's list; the caller then forgets the account here. */
  async signOut() {
    const state = await this.#state();
    if (state.ownList.devices.length === 1) throw new Error('This is the account\'s only device: signing it out would leave the account with none.');
    await publishWithout(this.#chat, state, [state.account.deviceId]);
  }
}
