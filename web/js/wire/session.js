/** The connection itself: the auth challenge, keep-alive and errors (docs/PROTOCOL.md §1, §3, §7), as Java's `SessionFrames`. */

import { answer, request, serverFrame } from './frame-type.js';
import { bytes, integer, integers, optionalInteger, string, text } from './fields.js';
import { MAX_DEVICES, MAX_DEVICE_ID, NONCE_BYTES } from './limits.js';

/** Error messages are short human text; longer ones are not the server's. */
export const MAX_ERROR_MESSAGE_CHARS = 1024;

/** Sent on connect and after every failed auth attempt; the next register, login or reset signs `nonce`. */
export const Challenge = serverFrame('challenge', { nonce: bytes(NONCE_BYTES) });

export const Ping = request('ping');

export const Pong = answer('pong');

/** Asks for the server's limits that a client adapts to; needs no login. */
export const GetServerLimits = request('get_server_limits');

const positive = () => integer(1, 2 ** 31 - 1);

/**
 * The operator's settings a client adapts to (docs/PROTOCOL.md §1): the largest envelope, the
 * sends of one connection that may wait for their commit before the server stops reading the
 * socket, the frame rate and burst per account, and how long an undelivered message is kept.
 */
export const ServerLimits = answer('server_limits', {
  maxEnvelopeChars: positive(), sendWindow: positive(), framesPerSecond: positive(), frameBurst: positive(),
  queueTtlSeconds: integer(1, Number.MAX_SAFE_INTEGER),
  /** The largest attachment in plaintext bytes that `blob_upload` takes (as its blob length); absent when the server does not say. */
  maxAttachmentBytes: optionalInteger(1, Number.MAX_SAFE_INTEGER),
});

/**
 * A refused frame (`re` = its id when it had a usable one), or, with no `re`, the reason the
 * server is closing the connection. `code` is any short string, so that a code newer than
 * this catalogue (errors.js) still reaches the caller. `missing` and `extra` (device ids) come
 * with `mismatched_devices` only.
 */
export const ErrorFrame = answer('error', {
  code: string(64), message: text(MAX_ERROR_MESSAGE_CHARS),
  missing: integers(MAX_DEVICES, 1, MAX_DEVICE_ID), extra: integers(MAX_DEVICE_ID, 1, MAX_DEVICE_ID),
});

export const SESSION_FRAMES = Object.freeze([Challenge, Ping, Pong, GetServerLimits, ServerLimits, ErrorFrame]);
