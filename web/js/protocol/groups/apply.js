/**
 * Applying a group change to the held state (docs/design/GROUPS.md "Applying"), as Java's
 * `groups.GroupRules.apply`. The result is the new state, or a GroupChangeRefused whose
 * `reason` the client shows as a warning in the group and writes to its security log.
 *
 * The checks run in this order, so that one change always gets one reason:
 * 1. `invalid`: the change names another group than the held state;
 * 2. `bad_signature`: the signature does not verify under the author's IKs as this device knows it;
 * 3. `invalid`: a create on a held group, anything but a create with no state held, or a create
 *    not at version 1 from a zero parent hash, or whose author is not one of its admins;
 * 4. `stale` (version <= held), `gap` (version > held + 1), `forked` (version = held + 1 with
 *    another parent hash);
 * 5. `not_admin`: the author is not an admin of the held state (not a member, for leave);
 * 6. `invalid`: the op does not fit the state (adding a member, removing a non-member or
 *    oneself, promoting a non-member or an admin, demoting a non-admin, the last admin leaving
 *    or being demoted, the only member leaving, more than 1,000 members).
 * A refusal changes nothing: the caller keeps the state it held.
 */

import { equalBytes } from '../encoding.js';
import { ed25519Verify } from '../primitives.js';
import { groupChangeBytes } from '../../wire/signed.js';
import { MAX_GROUP_MEMBERS } from '../limits.js';
import { encodeChangeBody, NO_PARENT } from './change.js';
import { groupStateHash, isGroupAdmin, isGroupMember } from './state.js';
import { compareUsernames, sortMembers, checkMembers } from './fields.js';

export const REFUSAL_REASONS = Object.freeze(['bad_signature', 'not_admin', 'stale', 'forked', 'gap', 'invalid']);

export class GroupChangeRefused extends Error {
  constructor(reason, message) {
    super(`${reason}: ${message}`);
    this.name = 'GroupChangeRefused';
    this.reason = reason;
  }
}

function refuse(reason, message) {
  throw new GroupChangeRefused(reason, message);
}

/** `state` (null only for a create) after `change`, signed by `authorSigningKey` (the author's IKs_pub, 32 bytes). */
export async function applyGroupChange(state, change, authorSigningKey) {
  const held = state !== null && state !== undefined;
  if (held && !equalBytes(change.groupId, state.id)) refuse('invalid', 'the change is for another group');
  if (!(await ed25519Verify(authorSigningKey, groupChangeBytes(encodeChangeBody(change)), change.signature))) {
    refuse('bad_signature', `the change does not verify under ${change.author}'s identity`);
  }
  const { op } = change;
  if (op.type === 'create') {
    if (held) refuse('invalid', 'a create for a group already held');
    return applyCreate(change);
  }
  if (!held) refuse('invalid', `a ${op.type} needs the group's state`);
  if (change.version <= state.version) refuse('stale', `version ${change.version} is not after the held ${state.version}`);
  if (change.version > state.version + 1) refuse('gap', `version ${change.version} after the held ${state.version}`);
  if (!equalBytes(change.parentHash, await groupStateHash(state))) refuse('forked', 'the change names another parent state');
  const { author } = change;
  if (op.type === 'leave' ? !isGroupMember(state, author) : !isGroupAdmin(state, author)) {
    refuse('not_admin', op.type === 'leave' ? `${author} is not a member` : `${author} is not an admin`);
  }
  return { id: state.id, version: change.version, ...nextContent(state, author, op) };
}

function applyCreate(change) {
  const { op } = change;
  if (change.version !== 1 || !equalBytes(change.parentHash, NO_PARENT)) refuse('invalid', 'a create is version 1 with no parent');
  if (!op.members.some((m) => m.admin && m.username === change.author)) refuse('invalid', 'the creator must be an admin of the new group');
  const state = { id: change.groupId, version: 1, name: op.name, members: sortMembers(op.members) };
  try {
    checkMembers(state.members, MAX_GROUP_MEMBERS, { asState: true });
  } catch (e) {
    refuse('invalid', e.message);
  }
  return state;
}

/** `{ name, members }` after a valid op by `author` (an admin; a member for leave). */
function nextContent(state, author, op) {
  let members = state.members.map((m) => ({ ...m }));
  const has = (u) => members.some((m) => m.username === u);
  switch (op.type) {
    case 'add':
      for (const u of op.usernames) if (has(u)) refuse('invalid', `${u} is already a member`);
      if (members.length + op.usernames.length > MAX_GROUP_MEMBERS) refuse('invalid', `more than ${MAX_GROUP_MEMBERS} members`);
      members = members.concat(op.usernames.map((username) => ({ username, admin: false })))
        .sort((a, b) => compareUsernames(a.username, b.username));
      break;
    case 'remove':
      for (const u of op.usernames) {
        if (u === author) refuse('invalid', 'an admin removes itself by leaving');
        if (!has(u)) refuse('invalid', `${u} is not a member`);
      }
      members = members.filter((m) => !op.usernames.includes(m.username));
      break;
    case 'leave':
      if (members.length === 1) refuse('invalid', 'the last member cannot leave a group');
      members = members.filter((m) => m.username !== author);
      if (!members.some((m) => m.admin)) refuse('invalid', 'the last admin cannot leave while others remain');
      break;
    case 'rename':
      return { name: op.name, members };
    case 'promote': {
      const target = members.find((m) => m.username === op.username);
      if (!target) refuse('invalid', `${op.username} is not a member`);
      if (target.admin) refuse('invalid', `${op.username} is already an admin`);
      target.admin = true;
      break;
    }
    case 'demote': {
      const target = members.find((m) => m.username === op.username);
      if (!target?.admin) refuse('invalid', `${op.username} is not an admin`);
      target.admin = false;
      if (!members.some((m) => m.admin)) refuse('invalid', 'the last admin cannot demote itself');
      break;
    }
    default:
      refuse('invalid', `unknown op ${op.type}`);
  }
  return { name: state.name, members };
}
