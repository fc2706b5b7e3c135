/**
 * The WebSocket connection to the Parley server (docs/PROTOCOL.md): challenge and signed
 * authentication, requests answered by `re`, unprompted frames as events, a ping every 30 s,
 * and automatic reconnect with backoff. Every frame goes through the wire catalogue
 * (wire/codec.js): what is sent is encoded (and so checked) by it, and every frame received is
 * decoded by it; a frame it refuses is a protocol error, logged with its code and field but
 * never its content, and dropped.
 *
 * States (`state`, event 'state'): 'connecting' (socket opening or authenticating), 'online'
 * (authenticated), 'offline' (waiting to retry, or stopped). Events: 'frame' (every
 * unprompted frame), 'online' (after each successful authentication), 'fatal' (an error after
 * which reconnecting is pointless: session replaced, identity reset, this device unlinked,
 * refused login).
 *
 * `authenticate(nonce)` is supplied by the caller and returns the signed `register`, `login`
 * or `reset` frame for the challenge `nonce` (bytes), or null for a connection that stays
 * unauthenticated (a new device waiting on its link channel, which may send only the frames
 * the server allows before login): it is 'online' as soon as the challenge arrives.
 */

import { Emitter } from '../lib/emitter.js';
import { Backoff } from './backoff.js';
import { unb64 } from '../protocol/index.js';
import { encode, decode } from '../wire/codec.js';
import { SERVER } from '../wire/frame-type.js';
import { ErrorCode, WireError } from '../wire/errors.js';
import { Challenge, ErrorFrame, Ping } from '../wire/session.js';

const PING_INTERVAL_MS = 30_000;
const REQUEST_TIMEOUT_MS = 20_000;
/** Errors after which the client must not reconnect on its own. */
const FATAL_CODES = new Set([ErrorCode.SESSION_REPLACED, ErrorCode.IDENTITY_RESET, ErrorCode.UNKNOWN_USER,
  ErrorCode.BAD_SIGNATURE, ErrorCode.BAD_ORIGIN, ErrorCode.STALE_TIMESTAMP, ErrorCode.USERNAME_TAKEN,
  ErrorCode.INVALID_USERNAME, ErrorCode.BAD_RECOVERY_CODE, ErrorCode.DEVICE_UNLINKED, ErrorCode.UNKNOWN_DEVICE]);

export class ServerError extends Error {
  constructor(frame) {
    super(frame.message || frame.code);
    this.code = frame.code;
    this.frame = frame;
  }
}

export class Connection extends Emitter {
  state = 'offline';
  #url;
  #authenticate;
  #socket = null;
  #pending = new Map();
  #counter = 0;
  #backoff = new Backoff();
  #retryTimer = null;
  #pingTimer = null;
  #stopped = true;
  #authFailure = null;

  constructor({ url, authenticate }) {
    super();
    this.#url = url;
    this.#authenticate = authenticate;
    addEventListener('online', () => this.reconnectNow());
  }

  /** Starts connecting (and keeps reconnecting until `stop`). */
  start() {
    this.#stopped = false;
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
    this.#setState('offline');
  }

  /** Skips the remaining backoff delay (the browser came online, or the user asked). */
  reconnectNow() {
    if (this.#stopped || this.state !== 'offline') return;
    clearTimeout(this.#retryTimer);
    this.#backoff.reset();
    this.#connect();
  }

  /**
   * Sends a request (a frame of wire/, given an `id` here when it has none) and resolves with
   * its decoded answer; rejects with ServerError on `error`, and with the codec's WireError
   * if the frame is not one the catalogue can write.
   */
  request(frame) {
    const id = frame.id ?? `q${++this.#counter}`;
    return this.#send({ ...frame, id }, id);
  }

  /** Sends a frame that has no answer (recipient `ack`). */
  post(frame) {
    if (this.state !== 'online') return false;
    this.#socket.send(encode(frame));
    return true;
  }

  #send(frame, key, { beforeAuth = false } = {}) {
    return new Promise((resolve, reject) => {
      const text = encode(frame);
      const socket = this.#socket;
      if (!socket || socket.readyState !== WebSocket.OPEN || (!beforeAuth && this.state !== 'online')) {
        reject(new ServerError({ code: 'offline', message: 'not connected' }));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(key);
        reject(new ServerError({ code: 'timeout', message: 'no answer from the server' }));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(key, { resolve, reject, timer });
      socket.send(text);
    });
  }

  #connect() {
    if (this.#stopped) return;
    this.#setState('connecting');
    let socket;
    try {
      socket = new WebSocket(this.#url);
    } catch (e) {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    socket.onmessage = (event) => this.#onFrame(socket, event.data);
    socket.onclose = () => this.#onClose(socket);
    socket.onerror = () => socket.close();
  }

  #onClose(socket) {
    if (this.#socket !== socket) return;
    this.#socket = null;
    clearInterval(this.#pingTimer);
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new ServerError({ code: 'offline', message: 'connection closed' }));
    }
    this.#pending.clear();
    this.#setState('offline');
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), this.#backoff.next());
  }

  async #onFrame(socket, data) {
    let frame;
    try {
      frame = decode(SERVER, data);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      console.error(`protocol error: a frame from the server was refused (${e.code}: ${e.message})`);
      return;
    }
    if (frame.type === Challenge.type) {
      this.#answerChallenge(socket, frame.nonce);
      return;
    }
    const key = frame.re;
    if (key !== undefined && this.#pending.has(key)) {
      const { resolve, reject, timer } = this.#pending.get(key);
      this.#pending.delete(key);
      clearTimeout(timer);
      if (frame.type === ErrorFrame.type) reject(new ServerError(frame));
      else resolve(frame);
      return;
    }
    if (frame.type === ErrorFrame.type && !frame.re && FATAL_CODES.has(frame.code)) {
      this.#fatal(frame);
      return;
    }
    this.emit('frame', frame);
  }

  async #answerChallenge(socket, nonce) {
    if (this.state === 'online') return;
    try {
      const frame = await this.#authenticate(unb64(nonce));
      const answer = frame === null ? null : await this.#send(frame, frame.id, { beforeAuth: true });
      if (this.#socket !== socket) return;
      this.#backoff.reset();
      this.#setState('online');
      clearInterval(this.#pingTimer);
      this.#pingTimer = setInterval(() => this.request(Ping.of()).catch(() => {}), PING_INTERVAL_MS);
      this.emit('online', answer);
    } catch (e) {
      if (e instanceof ServerError && FATAL_CODES.has(e.code)) this.#fatal(e.frame);
      else socket.close();
    }
  }

  #fatal(frame) {
    this.#stopped = true;
    this.#authFailure = frame;
    this.#socket?.close();
    this.#setState('offline');
    this.emit('fatal', frame);
  }

  get failure() {
    return this.#authFailure;
  }

  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
