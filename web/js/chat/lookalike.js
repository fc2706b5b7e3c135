/**
 * Look-alike contacts. The server refuses new look-alike registrations (wire/usernames.js
 * defines the skeleton), but accounts made before may already collide, so the client marks
 * them.
 */

import { skeleton } from '../wire/usernames.js';

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
