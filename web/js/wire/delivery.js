/**
 * The durable message path (docs/PROTOCOL.md §6), as Java's `DeliveryFrames`: a sender's
 * `send_message` is answered `stored` once committed; the server relays it to the recipient,
 * who acknowledges it with `ack` once it has durably processed it, and only then is it erased.
 */

import { answer, clientFrame, request, serverFrame } from './frame-type.js';
import { base64Text, flag, id, integer, string } from './fields.js';
import { MAX_LONG, MAX_NAME_CHARS } from './limits.js';

/** `id` is the message id (128 random bits in clients), unique per sender and recipient. */
export const SendMessage = request('send_message', { to: string(MAX_NAME_CHARS), envelope: base64Text() });

/** The message is on the server's disk; `duplicate` when it had been already (a resend). */
export const Stored = answer('stored', { serverTime: integer(0, MAX_LONG), duplicate: flag() });

export const RelayMessage = serverFrame('relay_message', {
  id: id(), from: string(MAX_NAME_CHARS), envelope: base64Text(), serverTime: integer(0, MAX_LONG),
});

/** The recipient has the message: the server erases it. Has no answer. */
export const Ack = clientFrame('ack', { id: id(), from: string(MAX_NAME_CHARS) });

export const DELIVERY_FRAMES = Object.freeze([SendMessage, Stored, RelayMessage, Ack]);
