/**
 * A counting window over sends that wait for the server's ack. The server reads up to 256 of
 * one connection's unacknowledged sends before it stops reading the socket (PROTOCOL.md §6,
 * back-pressure), so the outbox pipelines up to that many instead of waiting for each ack.
 */

import { DELIVERY_WINDOW } from '../wire/limits.js';

/** Sends of one connection the server accepts in flight before it applies back-pressure. */
export const SEND_WINDOW = DELIVERY_WINDOW;

export class SendWindow {
  #size;
  #free;
  #waiters = [];

  constructor(size = SEND_WINDOW) {
    this.#size = size;
    this.#free = size;
  }

  get size() {
    return this.#size;
  }

  /**
   * Takes the server's own window (`server_limits.sendWindow`): places taken now stay taken,
   * a smaller window lets no new send out until enough are released, a larger one lets waiting
   * sends out at once.
   */
  resize(size) {
    this.#free += size - this.#size;
    this.#size = size;
    while (this.#free > 0 && this.#waiters.length > 0) {
      this.#free -= 1;
      this.#waiters.shift()();
    }
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
    if (this.#free < 0) {
      this.#free += 1; // the window shrank below what was in flight: pay that back first
      return;
    }
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free += 1;
  }
}
