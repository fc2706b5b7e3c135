/**
 * Look-alike usernames. The confusable skeleton of a username is DEFINED by
 * test-vectors/usernames/skeletons.json (Unicode TR39's skeleton restricted to the username
 * alphabet ^[a-z0-9_]{3,32}$): each character is replaced by its entry in the map below, in
 * one left-to-right pass (a replacement is not looked at again); other characters stay. Two
 * names are confusable when their skeletons are equal. The server refuses new look-alike
 * registrations, but accounts made before may already collide, so the client marks them.
 * The map must stay equal to the vector file's (the web module's JS tests check it).
 */

export const CONFUSABLE_MAP = Object.freeze({ 0: 'o', 1: 'l', m: 'rn', w: 'vv', d: 'cl' });

export function skeleton(username) {
  let out = '';
  for (const c of username) out += CONFUSABLE_MAP[c] ?? c;
  return out;
}

export function confusable(a, b) {
  return skeleton(a) === skeleton(b);
}

/**
 * For each name that looks like another of `names`: name -> the other names it looks like
 * (sorted). Names without a look-alike are absent.
 */
export function lookalikes(names) {
  const bySkeleton = new Map();
  for (const name of new Set(names)) {
    const key = skeleton(name);
    if (!bySkeleton.has(key)) bySkeleton.set(key, []);
    bySkeleton.get(key).push(name);
  }
  const result = new Map();
  for (const group of bySkeleton.values()) {
    if (group.length < 2) continue;
    for (const name of group) result.set(name, group.filter((n) => n !== name).sort());
  }
  return result;
}
