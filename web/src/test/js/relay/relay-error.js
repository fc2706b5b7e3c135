/** What the stand-in relay (test-relay.js) refuses with, and its random ids. */

/** A refusal: sent as `error` with `code` and `extra` (e.g. `missing`, `extra`). */
export class RelayError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    this.extra = extra;
  }
}

/** 32 random bytes as base64url (challenge nonces; a prefix makes a set id). */
export function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}
