/**
 * Group changes (docs/design/GROUPS.md "Changes"), as Java's `groups.GroupChange`:
 *
 * ```
 * ChangeBody = u8 0x01 || 32 groupId || u64 version || 32 parentHash || u8 len || utf8 author
 *           || u8 op || opBody
 *   op 0x01 create   u8 len || utf8 name || u16 count || count x ( u8 role || u8 len || utf8 username )
 *   op 0x02 add      u16 count || count x ( u8 len || utf8 username )
 *   op 0x03 remove   u16 count || count x ( u8 len || utf8 username )
 *   op 0x04 leave    (empty)
 *   op 0x05 rename   u8 len || utf8 name
 *   op 0x06 promote  u8 len || utf8 username
 *   op 0x07 demote   u8 len || utf8 username
 * SignedChange = ChangeBody || 64 signature over wire/signed.js groupChangeBytes(ChangeBody)
 * changeHash   = SHA-256(SignedChange)
 * ```
 *
 * Change object: `{ groupId, version, parentHash, author, op, signature, bytes }` (`bytes` =
 * SignedChange), `op` one of `{type:'create', name, members}`, `{type:'add'|'remove', usernames}`,
 * `{type:'leave'}`, `{type:'rename', name}`, `{type:'promote'|'demote', username}`.
 *
 * The layout rules hold in both directions (FormatError): usernames by the username rule, a
 * name by the device-name rule, 1..64 usernames per create/add/remove, each once, in the order
 * given (`createGroupChange` sorts its members; a decoded create may list them in any order).
 * Whether a change may apply is `apply.js`'s question.
 */

import { concat, u8, u16, u64, Reader } from '../encoding.js';
import { FormatError } from '../errors.js';
import { ed25519Sign, sha256, ED25519_SIGNATURE_BYTES } from '../primitives.js';
import { groupChangeBytes } from '../../wire/signed.js';
import { MAX_CHANGE_USERNAMES } from '../limits.js';
import { GROUP_ID_BYTES, checkGroupId } from './group-id.js';
import { checkVersion, groupStateHash } from './state.js';
import {
  encodeUsername, readUsername, encodeGroupName, readGroupName, encodeMembers, readMembers, sortMembers,
} from './fields.js';

export { MAX_CHANGE_USERNAMES };

export const CHANGE_FORMAT = 0x01;
export const HASH_BYTES = 32;
export const OP_CODES = Object.freeze({ create: 0x01, add: 0x02, remove: 0x03, leave: 0x04, rename: 0x05, promote: 0x06, demote: 0x07 });
const OP_NAMES = Object.fromEntries(Object.entries(OP_CODES).map(([k, v]) => [v, k]));

/** The parent hash of a create: 32 zero bytes. */
export const NO_PARENT = new Uint8Array(HASH_BYTES);

function checkUsernameList(usernames) {
  if (!Array.isArray(usernames) || usernames.length < 1 || usernames.length > MAX_CHANGE_USERNAMES) {
    throw new FormatError(`a change names 1..${MAX_CHANGE_USERNAMES} usernames`);
  }
  if (new Set(usernames).size !== usernames.length) throw new FormatError('a change names each username once');
  return usernames;
}

function encodeOpBody(op) {
  switch (op?.type) {
    case 'create':
      if (!Array.isArray(op.members) || op.members.length > MAX_CHANGE_USERNAMES) {
        throw new FormatError(`a create names 1..${MAX_CHANGE_USERNAMES} members`);
      }
      return concat(encodeGroupName(op.name), u16(op.members.length), encodeMembers(op.members, MAX_CHANGE_USERNAMES, { asState: false }));
    case 'add':
    case 'remove':
      checkUsernameList(op.usernames);
      return concat(u16(op.usernames.length), ...op.usernames.map((u) => encodeUsername(u)));
    case 'leave':
      return new Uint8Array(0);
    case 'rename':
      return encodeGroupName(op.name);
    case 'promote':
    case 'demote':
      return encodeUsername(op.username);
    default:
      throw new FormatError(`unknown group change op ${op?.type}`);
  }
}

function readOpBody(type, r) {
  switch (type) {
    case 'create': {
      const name = readGroupName(r);
      const count = r.u16('member count');
      if (count < 1 || count > MAX_CHANGE_USERNAMES) throw new FormatError(`a create names 1..${MAX_CHANGE_USERNAMES} members`);
      return { type, name, members: readMembers(r, count, MAX_CHANGE_USERNAMES, { asState: false }) };
    }
    case 'add':
    case 'remove': {
      const count = r.u16('username count');
      if (count < 1 || count > MAX_CHANGE_USERNAMES) throw new FormatError(`a change names 1..${MAX_CHANGE_USERNAMES} usernames`);
      const usernames = [];
      for (let i = 0; i < count; i++) usernames.push(readUsername(r));
      return { type, usernames: checkUsernameList(usernames) };
    }
    case 'leave':
      return { type };
    case 'rename':
      return { type, name: readGroupName(r) };
    case 'promote':
    case 'demote':
      return { type, username: readUsername(r) };
    default:
      throw new FormatError(`unknown group change op ${type}`);
  }
}

function checkHash(bytes, what) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== HASH_BYTES) throw new FormatError(`${what} must be ${HASH_BYTES} bytes`);
  return bytes;
}

/** ChangeBody of the unsigned fields `{ groupId, version, parentHash, author, op }`. */
export function encodeChangeBody({ groupId, version, parentHash, author, op }) {
  checkGroupId(groupId);
  checkVersion(version);
  checkHash(parentHash, 'parent hash');
  return concat(u8(CHANGE_FORMAT), groupId, u64(version), parentHash, encodeUsername(author, 'author'),
    u8(OP_CODES[op?.type] ?? 0), encodeOpBody(op));
}

async function signChange(identity, fields) {
  const body = encodeChangeBody(fields);
  const signature = await ed25519Sign(identity.signing.privateKey, groupChangeBytes(body));
  return { ...fields, signature, bytes: concat(body, signature) };
}

/** The create change of a new group: version 1, no parent; `members` in any order (sorted here). */
export async function createGroupChange(identity, author, groupId, name, members) {
  const op = { type: 'create', name, members: sortMembers(members) };
  return signChange(identity, { groupId, version: 1, parentHash: NO_PARENT, author, op });
}

/** The change `op` (any but create) of `parentState`: version parent + 1, parentHash its stateHash. */
export async function nextGroupChange(identity, author, parentState, op) {
  if (op?.type === 'create') throw new FormatError('a create has no parent state');
  const parentHash = await groupStateHash(parentState);
  return signChange(identity, { groupId: parentState.id, version: parentState.version + 1, parentHash, author, op });
}

/** SignedChange bytes of a change object (re-encoded from its fields, so a changed field shows). */
export function encodeGroupChange(change) {
  if (!(change.signature instanceof Uint8Array) || change.signature.length !== ED25519_SIGNATURE_BYTES) {
    throw new FormatError(`signature must be ${ED25519_SIGNATURE_BYTES} bytes`);
  }
  return concat(encodeChangeBody(change), change.signature);
}

/** The change object of SignedChange bytes; strict, FormatError otherwise. The signature is not checked here. */
export function decodeGroupChange(bytes) {
  const r = new Reader(bytes);
  if (r.u8('change format') !== CHANGE_FORMAT) throw new FormatError('unknown group change format');
  const groupId = r.take(GROUP_ID_BYTES, 'group id');
  const version = checkVersion(r.u64('version'));
  const parentHash = r.take(HASH_BYTES, 'parent hash');
  const author = readUsername(r, 'author');
  const type = OP_NAMES[r.u8('op')];
  if (type === undefined) throw new FormatError('unknown group change op');
  const op = readOpBody(type, r);
  const signature = r.take(ED25519_SIGNATURE_BYTES, 'signature');
  r.end('group change');
  return { groupId, version, parentHash, author, op, signature, bytes: r.bytes.slice() };
}

/** The ChangeBody part of a change's bytes (what its signature covers). */
export function changeBody(change) {
  return encodeChangeBody(change);
}

/** changeHash = SHA-256(SignedChange). */
export async function groupChangeHash(change) {
  return sha256(encodeGroupChange(change));
}
