/**
 * A group's state (docs/design/GROUPS.md "Group state"), as Java's `groups.GroupState`:
 *
 * ```
 * StateBytes = u8 0x01 || 32 groupId || u64 version || u8 len || utf8 name
 *           || u16 count || count x ( u8 role || u8 len || utf8 username )
 * stateHash  = SHA-256( utf8("parley-group-state-v1") || 0x00 || StateBytes )
 * ```
 *
 * State object: `{ id: Uint8Array(32), version (1..2^53-1), name, members: [{ username, admin }] }`,
 * members in ascending username order, each once, 1..1000 of them, at least one admin; name
 * by the device-name rule. Encoding and decoding apply the same rules (FormatError).
 */

import { concat, u8, u16, u64, utf8, Reader } from '../encoding.js';
import { FormatError } from '../errors.js';
import { sha256 } from '../primitives.js';
import { HASH_GROUP_STATE } from '../labels.js';
import { MAX_GROUP_MEMBERS } from '../limits.js';
import { GROUP_ID_BYTES, checkGroupId } from './group-id.js';
import { encodeGroupName, readGroupName, encodeMembers, readMembers } from './fields.js';

export const STATE_FORMAT = 0x01;

/** A version: 1..2^53-1 (the first state is version 1; JS numbers stay exact below 2^53). */
export function checkVersion(version, what = 'version') {
  if (!Number.isSafeInteger(version) || version < 1) throw new FormatError(`${what} must be 1..2^53-1`);
  return version;
}

/** StateBytes of a state object; FormatError for a state the rules refuse. */
export function encodeGroupState(state) {
  checkGroupId(state.id);
  checkVersion(state.version);
  return concat(u8(STATE_FORMAT), state.id, u64(state.version), encodeGroupName(state.name),
    u16(state.members.length), encodeMembers(state.members, MAX_GROUP_MEMBERS, { asState: true }));
}

/** The state object of StateBytes: strict (format, bounds, order, no trailing bytes), FormatError otherwise. */
export function decodeGroupState(bytes) {
  const r = new Reader(bytes);
  if (r.u8('state format') !== STATE_FORMAT) throw new FormatError('unknown group state format');
  const id = r.take(GROUP_ID_BYTES, 'group id');
  const version = checkVersion(r.u64('version'));
  const name = readGroupName(r);
  const count = r.u16('member count');
  if (count < 1 || count > MAX_GROUP_MEMBERS) throw new FormatError(`a group has 1..${MAX_GROUP_MEMBERS} members`);
  const members = readMembers(r, count, MAX_GROUP_MEMBERS, { asState: true });
  r.end('group state');
  return { id, version, name, members };
}

/** stateHash of a state object (or of StateBytes). */
export async function groupStateHash(state) {
  const bytes = state instanceof Uint8Array ? decodeAndReencode(state) : encodeGroupState(state);
  return sha256(concat(utf8(HASH_GROUP_STATE), u8(0), bytes));
}

function decodeAndReencode(bytes) {
  decodeGroupState(bytes);
  return bytes;
}

/** The member entry of `username`, or undefined. */
export function memberOf(state, username) {
  return state.members.find((m) => m.username === username);
}

export function isGroupMember(state, username) {
  return memberOf(state, username) !== undefined;
}

export function isGroupAdmin(state, username) {
  return memberOf(state, username)?.admin === true;
}
