/**
 * The durable message path (docs/PROTOCOL.md §6), as Java's `DeliveryFrames`: a sender's
 * `send_message` is answered `stored` once committed; the server relays it to the recipient,
 * who acknowledges it with `ack` once it has durably processed it, and only then is it erased.
 */

import { answer, clientFrame, request, serverFrame } from './frame-type.js';
import { bad, base64Text, flag, id, integer, objects, optionalBase64Text, string } from './fields.js';
import { deviceId } from './devices.js';
import { MAX_DEVICES, MAX_LONG, MAX_NAME_CHARS } from './limits.js';

/** One device's copy: its key message (with `content`) or its whole message (without). */
export const DEVICE_ENVELOPE = Object.freeze({ device: deviceId(), envelope: base64Text() });

/** 1 to MAX_DEVICES envelopes, each device once. */
function eachDeviceOnce(devices, path) {
  if (devices.length === 0) throw bad(path, `an array of 1 to ${MAX_DEVICES} envelopes`);
  if (new Set(devices.map((d) => d.device)).size !== devices.length) throw bad(path, 'an array naming each device once');
}

/**
 * `id` is the message id (128 random bits in clients), unique per sender and recipient.
 * `devices`: one envelope per device of the recipient's current list (to one's own username:
 * every device but the sending one), else the server answers `mismatched_devices`. With
 * `content` (a fan-out) each envelope is that device's key message and `content` the shared
 * ciphertext, sent once.
 */
export const SendMessage = request('send_message', {
  to: string(MAX_NAME_CHARS), content: optionalBase64Text(), devices: objects(MAX_DEVICES, DEVICE_ENVELOPE, eachDeviceOnce),
});

/** The message is on the server's disk; `duplicate` when it had been already (a resend). */
export const Stored = answer('stored', { serverTime: integer(0, MAX_LONG), duplicate: flag() });

/** One device's copy; with `content`, the receiver rebuilds the FanOutMessage from `envelope` and `content`. */
export const RelayMessage = serverFrame('relay_message', {
  id: id(), from: string(MAX_NAME_CHARS), fromDevice: deviceId(), envelope: base64Text(), content: optionalBase64Text(),
  serverTime: integer(0, MAX_LONG),
});

/** The recipient has the message: the server erases it. Has no answer. */
export const Ack = clientFrame('ack', { id: id(), from: string(MAX_NAME_CHARS) });

export const DELIVERY_FRAMES = Object.freeze([SendMessage, Stored, RelayMessage, Ack]);
