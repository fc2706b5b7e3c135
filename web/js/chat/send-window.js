/**
 * A counting window over sends that wait for the server's ack. The server reads up to 256 of
 * one connection's unacknowledged sends before it stops reading the socket (PROTOCOL.md §6,
 * back-pressure), so the outbox pipelines up to that many instead of waiting for each ack.
 */

import { DELIVERY_WINDOW } from '../wire/limits.js';

/** Sends of one connection the server accepts in flight before it applies back-pressure. */
export const SEND_WINDOW = DELIVERY_WINDOW;

export class SendWindow {
  #free;
  #waiters = [];

  constructor(size = SEND_WINDOW) {
    this.#free = size;
  }

  /** Resolves when a place is free and takes it; give it back with `release()`. */
  acquire() {
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release() {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free += 1;
  }
}
