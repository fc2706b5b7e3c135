/**
 * This device's own key and the signatures it makes as a device of its account
 * (docs/design/LINKED-DEVICES.md, "Keys"):
 * - the device key `DKs` (Ed25519), generated here non-extractable: it never leaves the
 *   browser and signs only this device's logins (wire/signed.js `deviceAuthBytes`);
 * - the account's device list, signed by the account identity `IKs` (wire/signed.js
 *   `deviceListBytes`), which this device builds at registration, reset and linking and when
 *   it unlinks a device.
 *
 * A device list here is its wire form (`{ version, issuedAt, devices: [{ id, key, linkedAt }],
 * signature }`, keys and signature base64url), as `register`, `reset`, `link_approve` and
 * `publish_devices` carry it.
 */

import { b64, unb64 } from '../protocol/index.js';
import { ed25519Generate, ed25519Sign } from '../protocol/primitives.js';
import { deviceAuthBytes, deviceListBytes } from '../wire/signed.js';

/** The first device of an account (registration, and the resetting device after a reset). */
export const FIRST_DEVICE_ID = 1;

/** A new device key pair: `{ privateKey: non-extractable CryptoKey, publicKey: 32 bytes }`. */
export function generateDeviceKey() {
  return ed25519Generate();
}

/** The list `{ version, issuedAt, devices }` signed by the account identity: its wire form. */
export async function signDeviceList(identity, { version, issuedAt, devices }) {
  const entries = devices.map(({ id, key, linkedAt }) => ({ id, key: typeof key === 'string' ? key : b64(key), linkedAt }))
    .sort((a, b) => a.id - b.id);
  const signature = await ed25519Sign(identity.signing.privateKey, deviceListBytes({ version, issuedAt, devices: entries }));
  return { version, issuedAt, devices: entries, signature: b64(signature) };
}

/** Version 1 of a new (or reset) account's list: this device alone, as device 1. */
export function firstDeviceList(identity, deviceKey, now = Date.now()) {
  return signDeviceList(identity, { version: 1, issuedAt: now, devices: [{ id: FIRST_DEVICE_ID, key: deviceKey.publicKey, linkedAt: now }] });
}

/**
 * The next version of `list` with `add` (one new entry) added or the ids `remove` removed,
 * signed by the account identity. The new device's id is one more than the largest id the
 * account has listed (`largestId`, kept by the caller), so ids are never reused.
 */
export function nextDeviceList(identity, list, { add = null, remove = [] } = {}, now = Date.now()) {
  const devices = list.devices.filter((d) => !remove.includes(d.id));
  if (add) devices.push(add);
  return signDeviceList(identity, { version: list.version + 1, issuedAt: now, devices });
}

/** The 64-byte signature of this device's `login`: by its device key over `deviceAuthBytes`. */
export function signDeviceLogin(deviceKey, { nonce, origin, timestamp, username, device }) {
  return ed25519Sign(deviceKey.privateKey, deviceAuthBytes({ nonce, origin, timestamp, username, device }));
}

/** The device key of entry `id` of a wire list, as bytes, or null. */
export function listedKey(list, id) {
  const entry = list?.devices.find((d) => d.id === id);
  return entry ? unb64(entry.key) : null;
}
