/**
 * Snapshots of a group's state (docs/design/GROUPS.md "A new member"), as Java's
 * `groups.GroupSnapshots`: StateBytes cut into parts that each fit a payload, sent with the
 * version and stateHash they make; the parts, in index order, concatenate to StateBytes of
 * that version and hash.
 */

import { concat, equalBytes } from '../encoding.js';
import { FormatError } from '../errors.js';
import { encodeGroupState, decodeGroupState, groupStateHash } from './state.js';

/** Parts are numbered by a u16. */
export const MAX_SNAPSHOT_PARTS = 0xffff;

/** StateBytes of `state` in parts of at most `maxPartBytes` (>= 1) bytes, in index order. */
export function splitGroupSnapshot(state, maxPartBytes) {
  if (!Number.isInteger(maxPartBytes) || maxPartBytes < 1) throw new RangeError('maxPartBytes must be a positive integer');
  const bytes = encodeGroupState(state);
  const parts = [];
  for (let o = 0; o < bytes.length; o += maxPartBytes) parts.push(bytes.slice(o, o + maxPartBytes));
  if (parts.length > MAX_SNAPSHOT_PARTS) throw new RangeError(`a snapshot has at most ${MAX_SNAPSHOT_PARTS} parts`);
  return parts;
}

/**
 * The state the parts (in index order) make, checked to be of `version` with `stateHash`;
 * FormatError for parts that do not decode or make another state.
 */
export async function joinGroupSnapshot(version, stateHash, parts) {
  if (!Array.isArray(parts) || parts.length < 1 || parts.length > MAX_SNAPSHOT_PARTS) {
    throw new FormatError(`a snapshot has 1..${MAX_SNAPSHOT_PARTS} parts`);
  }
  const state = decodeGroupState(concat(...parts));
  if (state.version !== version) throw new FormatError(`the snapshot is version ${state.version}, not ${version}`);
  if (!equalBytes(await groupStateHash(state), stateHash)) throw new FormatError('the snapshot does not match its state hash');
  return state;
}
