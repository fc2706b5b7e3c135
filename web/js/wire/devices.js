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
import { array, base64Text, bytes, integer, object, objects, optionalInteger, optionalObject, string } from './fields.js';
import { ED25519_KEY_BYTES, HASH_BYTES, MAX_DEVICES, MAX_DEVICE_ID, MAX_LONG, MAX_NAME_CHARS, SIGNATURE_BYTES } from './limits.js';

/** A username as frames carry it (auth.js `username`, not imported: auth.js imports this file). */
const username = () => string(MAX_NAME_CHARS);

/** A device id, 1 to 255. */
export const deviceId = () => integer(1, MAX_DEVICE_ID);

/** One entry of a device list: its id, its device key (Ed25519), when it was linked (ms). */
export const DEVICE_ENTRY = Object.freeze({ id: deviceId(), key: bytes(ED25519_KEY_BYTES), linkedAt: integer(0, MAX_LONG) });

/** A signed device list: 1 to MAX_DEVICES entries, signed by the account's IKs over signed.js `deviceListBytes`. */
export const DEVICE_LIST = Object.freeze({
  version: integer(1, MAX_LONG), issuedAt: integer(0, MAX_LONG), devices: objects(1, MAX_DEVICES, DEVICE_ENTRY), signature: bytes(SIGNATURE_BYTES),
});

/** A device row the server holds; `lastSeen` (ms) only in the answer about one's own account. */
export const SERVER_DEVICE = Object.freeze({ id: deviceId(), lastSeen: optionalInteger(0, MAX_LONG) });

/** The link channel: SHA-256 of the new device's one-time X25519 public key. */
const channel = () => bytes(HASH_BYTES);

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
export const LinkOpen = request('link_open', { channel: channel(), request: base64Text() });

export const LinkOpened = answer('link_opened', { expiresAt: integer(0, MAX_LONG) });

/** An existing device reads the sealed request of a channel. */
export const LinkPeek = request('link_peek', { channel: channel() });

export const LinkRequest = answer('link_request', { channel: channel(), request: base64Text(), expiresAt: integer(0, MAX_LONG) });

/** An existing device approves: the next list (with the new device) and the link message sealed to the channel's key. */
export const LinkApprove = request('link_approve', { channel: channel(), list: object(DEVICE_LIST), sealed: base64Text() });

export const LinkApproved = answer('link_approved', { device: deviceId() });

/** Unprompted, to the new device's waiting connection: its sealed link message and its device id. */
export const LinkSealed = serverFrame('link_sealed', { channel: channel(), sealed: base64Text(), device: deviceId() });

export const DEVICE_FRAMES = Object.freeze([
  GetDevices, Devices, PublishDevices, DevicesPublished, DevicesChanged,
  LinkOpen, LinkOpened, LinkPeek, LinkRequest, LinkApprove, LinkApproved, LinkSealed,
]);
