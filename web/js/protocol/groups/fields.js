/**
 * The fields group states and changes share (docs/design/GROUPS.md): usernames and the group
 * name, each `u8 len || utf8`, checked the same way when encoding and decoding, so that a value
 * one side refuses the other never produces. A refused value is a FormatError.
 */

import { concat, u8, utf8, fromUtf8 } from '../encoding.js';
import { FormatError } from '../errors.js';
import { USERNAME } from '../../wire/limits.js';
import { deviceNameProblem } from '../device-name.js';

export const ROLE_MEMBER = 0x00;
export const ROLE_ADMIN = 0x01;

/** Null for a valid username (`[a-z0-9_]{3,32}`), else what is wrong. */
export function usernameProblem(username) {
  return typeof username === 'string' && USERNAME.test(username) ? null : 'must be a username ([a-z0-9_]{3,32})';
}

/** Null for a valid group name (the device-name rule: 1..64 UTF-8 bytes, no control or bidi formatting characters). */
export function groupNameProblem(name) {
  return deviceNameProblem(name);
}

export function encodeUsername(username, what = 'username') {
  const problem = usernameProblem(username);
  if (problem) throw new FormatError(`${what} ${problem}`);
  return concat(u8(username.length), utf8(username));
}

export function readUsername(r, what = 'username') {
  const username = fromUtf8(r.take(r.u8(`${what} length`), what));
  const problem = usernameProblem(username);
  if (problem) throw new FormatError(`${what} ${problem}`);
  return username;
}

export function encodeGroupName(name) {
  const problem = groupNameProblem(name);
  if (problem) throw new FormatError(`group name ${problem}`);
  const b = utf8(name);
  return concat(u8(b.length), b);
}

export function readGroupName(r) {
  const name = fromUtf8(r.take(r.u8('group name length'), 'group name'));
  const problem = groupNameProblem(name);
  if (problem) throw new FormatError(`group name ${problem}`);
  return name;
}

/** Usernames compare by their bytes; a username is ASCII, so by code unit. */
export function compareUsernames(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * `count x ( u8 role || u8 len || utf8 username )` of a member list, in the list's order: 1..max
 * members, each once; a state's list (`asState`) is also in ascending username order with at
 * least one admin. A create may list its members in any order (its state sorts them).
 */
export function encodeMembers(members, max, { asState }) {
  checkMembers(members, max, { asState });
  return concat(...members.map((m) => concat(u8(m.admin ? ROLE_ADMIN : ROLE_MEMBER), encodeUsername(m.username, 'member'))));
}

export function readMembers(r, count, max, { asState }) {
  const members = [];
  for (let i = 0; i < count; i++) {
    const role = r.u8('member role');
    if (role !== ROLE_MEMBER && role !== ROLE_ADMIN) throw new FormatError('member role must be 0 (member) or 1 (admin)');
    members.push({ username: readUsername(r, 'member'), admin: role === ROLE_ADMIN });
  }
  checkMembers(members, max, { asState });
  return members;
}

/** The member list rules (above); FormatError naming the first one broken. */
export function checkMembers(members, max, { asState }) {
  if (!Array.isArray(members) || members.length < 1 || members.length > max) throw new FormatError(`a member list has 1..${max} members`);
  for (const m of members) {
    const problem = usernameProblem(m?.username);
    if (problem) throw new FormatError(`member ${problem}`);
    if (typeof m.admin !== 'boolean') throw new FormatError('member admin must be a boolean');
  }
  if (asState) {
    for (let i = 1; i < members.length; i++) {
      if (compareUsernames(members[i - 1].username, members[i].username) >= 0) {
        throw new FormatError('members must be in ascending username order, each once');
      }
    }
    if (!members.some((m) => m.admin)) throw new FormatError('a group has at least one admin');
  } else if (new Set(members.map((m) => m.username)).size !== members.length) {
    throw new FormatError('a change names each username once');
  }
}

/** A member list sorted by username (a copy; `{ username, admin }` objects). */
export function sortMembers(members) {
  return members.map((m) => ({ username: m.username, admin: m.admin })).sort((a, b) => compareUsernames(a.username, b.username));
}
