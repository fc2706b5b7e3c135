/**
 * The recipient sets of the stand-in relay (test-relay.js), as the server keeps them
 * (docs/PROTOCOL.md §6a): per sending device, at most MAX_SETS_PER_DEVICE, least recently used
 * dropped; the same list (accounts and device ids, envelopes left out) from the same device
 * gets the same id; an id this device does not hold is `unknown_recipient_set`.
 */

import { RelayError, randomNonce } from './relay-error.js';

const MAX_SETS_PER_DEVICE = 8;

export class RelaySets {
  /** "user|device" -> Map id -> { text, list }, least recently used first. */
  #byDevice = new Map();

  #held(from, fromDevice) {
    const key = `${from}|${fromDevice}`;
    if (!this.#byDevice.has(key)) this.#byDevice.set(key, new Map());
    return this.#byDevice.get(key);
  }

  /** The set id of `recipients` ([{ to, devices: [{ device, envelope? }] }]) for `from`'s `fromDevice`. */
  issue(from, fromDevice, recipients) {
    const held = this.#held(from, fromDevice);
    const list = recipients.map(({ to, devices }) => ({ to, devices: devices.map((d) => ({ device: d.device })) }));
    const text = JSON.stringify(list.map(({ to, devices }) => [to, devices.map((d) => d.device).sort()]).sort());
    let id = [...held].find(([, set]) => set.text === text)?.[0];
    if (id) held.delete(id);
    else id = randomNonce().slice(0, 22);
    held.set(id, { text, list });
    while (held.size > MAX_SETS_PER_DEVICE) held.delete(held.keys().next().value);
    return id;
  }

  /** The list of set `id` (now the most recently used), or unknown_recipient_set. */
  expand(from, fromDevice, id) {
    const held = this.#held(from, fromDevice);
    const set = held.get(id);
    if (!set) throw new RelayError('unknown_recipient_set', 'no such recipient set for this device');
    held.delete(id);
    held.set(id, set);
    return set.list;
  }

  /** Drops every set (a server restart). */
  clear() {
    this.#byDevice.clear();
  }
}
