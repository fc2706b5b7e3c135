/**
 * Serialises async work per key. Every operation on one peer's session record (encrypt,
 * decrypt, initiate) runs under that peer's lock: two concurrent encryptions on copies of the
 * same record would reuse a message key.
 */
export class KeyedMutex {
  #tails = new Map();

  /** Runs `fn` after every earlier task for `key` has settled; resolves with its result. */
  run(key, fn) {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => fn(), () => fn());
    const tail = result.then(() => undefined, () => undefined);
    this.#tails.set(key, tail);
    tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
