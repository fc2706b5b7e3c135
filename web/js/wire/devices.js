/**
 * An account's devices and linking a new one (docs/design/LINKED-DEVICES.md, "Wire"), as
 * Java's `DeviceFrames`. The device list is signed by the account identity (signed.js
 * `deviceListBytes`); the server stores and routes by it but never builds one. Linking runs on
 * a channel named by `SHA-256(E_pub)` of the new device's one-time key: the new device opens
 * it unauthenticated (`link_open`), an existing device reads the sealed request (`link_peek`)
 * and approves it with the next list and the sealed link message (`link_approve`), which the
 * server passes to the new device (`link_sealed`).
 */

import { answer, request, serverFrame } from './frame-type.js';
import { array, byteRange, bytes, integer, object, objects, optionalInteger, optionalObject, refuse, string } from './fields.js';
import { ErrorCode } from './errors.js';
import {
  ED25519_KEY_BYTES, LINK_CHANNEL_BYTES, MAX_DEVICES, MAX_DEVICE_ID, MAX_LINK_REQUEST_BYTES, MAX_LINK_SEALED_BYTES, MAX_LONG,
  MAX_NAME_CHARS, MIN_LINK_REQUEST_BYTES, MIN_LINK_SEALED_BYTES, SIGNATURE_BYTES,
} from './limits.js';

/** A username as frames carry it (auth.js `username`, not imported: auth.js imports this file). */
const username = () => string(MAX_NAME_CHARS);

/** A device id, 1 to 255. */
export const deviceId = () => integer(1, MAX_DEVICE_ID);

/** One entry of a device list: its id, its device key (Ed25519), when it was linked (ms). */
export const DEVICE_ENTRY = Object.freeze({ id: deviceId(), key: bytes(ED25519_KEY_BYTES), linkedAt: integer(0, MAX_LONG) });

/**
 * The list's entries, well formed as Java's `DeviceList.read` requires: each entry valid, then
 * 1 to MAX_DEVICES of them (`bad_device_list` when empty, `too_many_devices` above), ids
 * ascending and distinct, device keys distinct (`bad_device_list`).
 */
function wellFormed(devices, path) {
  if (devices.length === 0) throw refuse(ErrorCode.BAD_DEVICE_LIST, path, 'a non-empty array');
  if (devices.length > MAX_DEVICES) throw refuse(ErrorCode.TOO_MANY_DEVICES, path, `at most ${MAX_DEVICES} devices`);
  const keys = new Set();
  devices.forEach((d, i) => {
    if (i > 0 && d.id <= devices[i - 1].id) throw refuse(ErrorCode.BAD_DEVICE_LIST, path, 'in ascending order of distinct ids');
    if (keys.has(d.key)) throw refuse(ErrorCode.BAD_DEVICE_LIST, path, 'of distinct device keys');
    keys.add(d.key);
  });
}

/**
 * A signed device list, signed by the account's IKs over signed.js `deviceListBytes`. A decoded
 * list is well formed (`wellFormed`); whether it verifies and follows the one held before is
 * the receiver's check (web/js/protocol/device-list.js `checkDeviceList`).
 */
export const DEVICE_LIST = Object.freeze({
  version: integer(1, MAX_LONG), issuedAt: integer(0, MAX_LONG), devices: objects(MAX_DEVICE_ID, DEVICE_ENTRY, wellFormed),
  signature: bytes(SIGNATURE_BYTES),
});

/** A device row the server holds; `lastSeen` (the UTC day's start, ms) only in the answer about one's own account. */
export const SERVER_DEVICE = Object.freeze({ id: deviceId(), lastSeen: optionalInteger(0, MAX_LONG) });

/** The link channel: SHA-256 of the new device's one-time X25519 public key. */
const channel = () => bytes(LINK_CHANNEL_BYTES);
/** The sealed link request and the sealed link message. */
const sealedRequest = () => byteRange(MIN_LINK_REQUEST_BYTES, MAX_LINK_REQUEST_BYTES);
const sealedMessage = () => byteRange(MIN_LINK_SEALED_BYTES, MAX_LINK_SEALED_BYTES);

export const GetDevices = request('get_devices', { username: username() });

/** `list`: the stored signed list (absent only for an account that has none); `servers`: the server's device rows. */
export const Devices = answer('devices', {
  username: username(), list: optionalObject(DEVICE_LIST), servers: array(MAX_DEVICE_ID, SERVER_DEVICE),
});

/** A new version of one's own list without some devices (unlinking). */
export const PublishDevices = request('publish_devices', { list: object(DEVICE_LIST) });

export const DevicesPublished = answer('devices_published', { version: integer(1, MAX_LONG) });

/** Unprompted: `username`'s list is now at `version` (directory subscribers and the account's own devices). */
export const DevicesChanged = serverFrame('devices_changed', { username: username(), version: integer(1, MAX_LONG) });

/** The new device, not logged in: opens (or re-attaches to) a link channel with its sealed request. */
export const LinkOpen = request('link_open', { channel: channel(), request: sealedRequest() });

export const LinkOpened = answer('link_opened', { expiresAt: integer(0, MAX_LONG) });

/** An existing device reads the sealed request of a channel. */
export const LinkPeek = request('link_peek', { channel: channel() });

export const LinkRequest = answer('link_request', { channel: channel(), request: sealedRequest(), expiresAt: integer(0, MAX_LONG) });

/** An existing device approves: the next list (with the new device) and the link message sealed to the channel's key. */
export const LinkApprove = request('link_approve', { channel: channel(), list: object(DEVICE_LIST), sealed: sealedMessage() });

export const LinkApproved = answer('link_approved', { device: deviceId() });

/** Unprompted, to the new device's waiting connection: its sealed link message and its device id. */
export const LinkSealed = serverFrame('link_sealed', { channel: channel(), sealed: sealedMessage(), device: deviceId() });

export const DEVICE_FRAMES = Object.freeze([
  GetDevices, Devices, PublishDevices, DevicesPublished, DevicesChanged,
  LinkOpen, LinkOpened, LinkPeek, LinkRequest, LinkApprove, LinkApproved, LinkSealed,
]);
