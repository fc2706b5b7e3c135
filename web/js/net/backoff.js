/**
 * Reconnect delays: exponential from 500 ms, capped at 30 s, with full jitter so that many
 * clients dropped together by a server restart do not reconnect in lock-step.
 */
export class Backoff {
  #attempt = 0;

  constructor({ base = 500, cap = 30_000, random = Math.random } = {}) {
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  next() {
    const ceiling = Math.min(this.cap, this.base * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 16);
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset() {
    this.#attempt = 0;
  }
}
