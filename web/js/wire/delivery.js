/**
 * The durable message path (docs/PROTOCOL.md §6, §6a), as Java's `DeliveryFrames`: a sender's
 * `send_message` (one account) or `send_multi` (many accounts, the body stored once) is
 * answered `stored` once committed; the server relays it to each recipient device, which
 * acknowledges it with `ack` once it has durably processed it, and only then is that device's
 * copy erased.
 */

import { answer, clientFrame, request, serverFrame } from './frame-type.js';
import {
  bad, base64Text, choice, flag, id, integer, integers, list, objects, optionalBase64Text, optionalId, optionalInteger, optionalObjects,
  string,
} from './fields.js';
import { deviceId } from './devices.js';
import { ErrorCode } from './errors.js';
import {
  MAX_DEVICES, MAX_DEVICE_ID, MAX_EXPIRES_IN_SECONDS, MAX_LONG, MAX_MULTI_RECIPIENTS, MAX_NAME_CHARS,
} from './limits.js';

/**
 * A send's optional `expiresIn`: a disappearing message's timer, 1 to MAX_EXPIRES_IN_SECONDS
 * seconds; the server drops a copy still queued that long after storing it.
 */
const expiresIn = () => optionalInteger(1, MAX_EXPIRES_IN_SECONDS);

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
 * ciphertext, sent once. `expiresIn` (optional): a disappearing message's timer in seconds.
 */
export const SendMessage = request('send_message', {
  to: string(MAX_NAME_CHARS), content: optionalBase64Text(), devices: objects(MAX_DEVICES, DEVICE_ENVELOPE, eachDeviceOnce),
  expiresIn: expiresIn(),
});

/** One device's copy of a `send_multi`: its own envelope, or none (the copy is the content alone). */
export const MULTI_DEVICE = Object.freeze({ device: deviceId(), envelope: optionalBase64Text() });

/** One account of a `send_multi`: each of its listed devices once (to one's own account: all but the sending one). */
export const MULTI_RECIPIENT = Object.freeze({
  to: string(MAX_NAME_CHARS),
  devices: objects(MAX_DEVICES, MULTI_DEVICE, (devices, path) => {
    if (devices.length === 0) throw bad(path, `an array of 1 to ${MAX_DEVICES} devices`);
    if (new Set(devices.map((d) => d.device)).size !== devices.length) throw bad(path, 'an array naming each device once');
  }),
});

/** 1 to MAX_MULTI_RECIPIENTS accounts, each once. */
function eachAccountOnce(recipients, path) {
  if (recipients.length === 0) throw bad(path, `an array of 1 to ${MAX_MULTI_RECIPIENTS} recipients`);
  if (new Set(recipients.map((r) => r.to)).size !== recipients.length) throw bad(path, 'an array naming each account once');
}

/**
 * Exactly one of `recipients` and `recipientSet`; a frame to a set carries `content` (and no
 * envelope: it has no recipient list); otherwise every copy carries something: without
 * `content`, every device has its own envelope.
 */
function recipientsOrSet(frame) {
  if (frame.recipientSet !== undefined && frame.recipients !== undefined) {
    throw bad('recipientSet', 'absent when the frame names its recipients');
  }
  if (frame.recipientSet === undefined && frame.recipients === undefined) {
    throw bad('recipients', `an array of 1 to ${MAX_MULTI_RECIPIENTS} recipients (or a recipientSet)`);
  }
  if (frame.recipientSet !== undefined) {
    if (frame.content === undefined) throw bad('content', 'present when the frame names a recipientSet');
    return;
  }
  if (frame.content !== undefined) return;
  frame.recipients.forEach((recipient, i) => recipient.devices.forEach((device, j) => {
    if (device.envelope === undefined) throw bad(`recipients[${i}].devices[${j}].envelope`, 'present when the frame has no content');
  }));
}

/**
 * One message to many accounts (a group's members), stored once: `content`, when present, is
 * shared by every copy; each device's copy is `content` plus that device's own `envelope` when
 * it has one (a copy with neither is `bad_frame`). Each recipient's devices are exactly its
 * listed ones, as for `send_message`; the answer is one `stored` with the recipients it
 * refused in `refused`, and the id of this recipient list in `recipientSet`. A later frame of
 * the same device may name that `recipientSet` instead of `recipients` (then with `content`
 * and no envelope); the server answers `unknown_recipient_set` when it no longer holds it.
 * `id` is the message id for every recipient. `expiresIn` (optional): as in `send_message`,
 * for every copy.
 */
export const SendMulti = request('send_multi', {
  content: optionalBase64Text(),
  recipientSet: optionalId(),
  recipients: optionalObjects(MAX_MULTI_RECIPIENTS, MULTI_RECIPIENT, eachAccountOnce),
  expiresIn: expiresIn(),
}, recipientsOrSet);

/**
 * The `send_multi` frame of
 * `{ id, content?, recipients?: [{ to, devices: [{ device, envelope? }] }], recipientSet?, expiresIn? }`.
 */
export const sendMulti = (values) => SendMulti.of(values);

/** The refusals that concern one recipient of a `send_multi`; every other refusal is the whole frame's `error`. */
export const RECIPIENT_REFUSAL_CODES = Object.freeze([
  ErrorCode.UNKNOWN_USER, ErrorCode.UNKNOWN_DEVICE, ErrorCode.MISMATCHED_DEVICES, ErrorCode.QUEUE_FULL, ErrorCode.QUEUE_SHARE_FULL,
]);

/** A recipient of a `send_multi` for whom nothing was stored; `missing`/`extra` as in `mismatched_devices`. */
export const RECIPIENT_REFUSAL = Object.freeze({
  to: string(MAX_NAME_CHARS), code: choice(RECIPIENT_REFUSAL_CODES),
  missing: integers(MAX_DEVICE_ID, 1, MAX_DEVICE_ID), extra: integers(MAX_DEVICE_ID, 1, MAX_DEVICE_ID),
});

/**
 * The message is on the server's disk; `duplicate` when it had been already (a resend that
 * stored no new copy). `refused`: the recipients of a `send_multi` for whom nothing was stored
 * (`[]` when absent, as always for `send_message`). `recipientSet`: for a `send_multi` that
 * named its recipients, the id a later frame of this device may name instead (absent otherwise).
 */
export const Stored = answer('stored', {
  serverTime: integer(0, MAX_LONG), duplicate: flag(), refused: list(MAX_MULTI_RECIPIENTS, RECIPIENT_REFUSAL),
  recipientSet: optionalId(),
});

/**
 * One device's copy: `envelope`, `content` or both. `multi` (false when absent): the copy was
 * stored by a `send_multi`, so its `content`, if any, is a group message; otherwise it is a
 * `send_message` copy, and with both fields the receiver rebuilds the FanOutMessage from
 * `envelope` and `content`. Never decide by the content's bytes: a fan-out's content is bare
 * ciphertext and may start with any byte.
 */
export const RelayMessage = serverFrame('relay_message', {
  id: id(), from: string(MAX_NAME_CHARS), fromDevice: deviceId(), envelope: optionalBase64Text(), content: optionalBase64Text(),
  serverTime: integer(0, MAX_LONG), multi: flag(),
}, (frame) => {
  if (frame.envelope === undefined && frame.content === undefined) throw bad('envelope', 'present when the copy has no content');
});

/** The recipient has the message: the server erases it. Has no answer. */
export const Ack = clientFrame('ack', { id: id(), from: string(MAX_NAME_CHARS) });

export const DELIVERY_FRAMES = Object.freeze([SendMessage, SendMulti, Stored, RelayMessage, Ack]);
