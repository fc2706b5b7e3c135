/**
 * The confusable skeleton of a username, as Java's `UsernameSkeleton`: Unicode TR39's
 * skeleton restricted to the username alphabet `[a-z0-9_]`, DEFINED by
 * test-vectors/usernames/skeletons.json. Each character is replaced by its entry in the map,
 * in one left-to-right pass (a replacement is not looked at again); other characters stay.
 * Two usernames are confusable when their skeletons are equal (`a1ice` and `alice`). The
 * server refuses a registration whose skeleton equals an existing account's
 * (`username_confusable`).
 */

/** The replacements; no replacement's output contains a key, so one pass is enough. */
export const CONFUSABLE_MAP = Object.freeze({ 0: 'o', 1: 'l', m: 'rn', w: 'vv', d: 'cl' });

export function skeleton(username) {
  let out = '';
  for (const c of username) out += CONFUSABLE_MAP[c] ?? c;
  return out;
}

export function confusable(a, b) {
  return skeleton(a) === skeleton(b);
}
