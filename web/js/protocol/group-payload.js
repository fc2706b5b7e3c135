/**
 * Bodies of the group payloads (docs/design/GROUPS.md "Payloads", types 0x0B..0x0E), sent
 * inside the pairwise sessions; as Java's `payload.PayloadCodec` group bodies.
 *
 * ```
 * 0x0B sender-key           Distribution (32 groupId || 16 chainId || u32 iteration || 32 chainKey || 32 signingPublic)
 * 0x0C group update         32 groupId || u8 kind || kind body
 *      kind 0x01 change         u32 len || SignedChange                       (type 'group-change')
 *      kind 0x02 snapshot part  u64 version || 32 stateHash || u16 index || u16 total || u32 len || part
 *                                                                            (type 'group-snapshot-part')
 * 0x0D group receipt        32 groupId || u8 kind (0x02 delivery, 0x03 read) || u16 count || count x (u8 len || utf8 id)
 * 0x0E group read up to     32 groupId || u64 readUpTo
 * ```
 *
 * Objects (each also with the payload's `id` and `sentAt`): `{ type: 'sender-key', distribution }`,
 * `{ type: 'group-change', change }` (a change object of groups/change.js; the outer group id
 * is the change's), `{ type: 'group-snapshot-part', groupId, version, stateHash, index, total, part }`,
 * `{ type: 'group-receipt', groupId, kind: 'delivery' | 'read', ids }`,
 * `{ type: 'group-read-up-to', groupId, readUpTo }`. Encoding and decoding apply the same
 * rules (index < total, total >= 1, a non-empty part, version >= 1, ids of 1..64 bytes, the
 * change decoding strictly and naming the outer group); a value they refuse is a FormatError.
 */

import { concat, equalBytes, u8, u16, u32, u64, utf8, fromUtf8 } from './encoding.js';
import { FormatError } from './errors.js';
import { MAX_MESSAGE_ID_BYTES } from './limits.js';
import { GROUP_ID_BYTES, checkGroupId } from './groups/group-id.js';
import { encodeGroupChange, decodeGroupChange, HASH_BYTES } from './groups/change.js';
import { checkVersion } from './groups/state.js';
import { encodeSenderKeyDistribution, decodeSenderKeyDistribution } from './groups/distribution.js';

const UPDATE = 0x0c;
export const GROUP_TYPE_CODES = Object.freeze({
  'sender-key': 0x0b, 'group-change': UPDATE, 'group-snapshot-part': UPDATE, 'group-receipt': 0x0d, 'group-read-up-to': 0x0e,
});
/** The payload type codes that carry a group body. */
export const GROUP_CODES = Object.freeze(new Set(Object.values(GROUP_TYPE_CODES)));

const UPDATE_KINDS = Object.freeze({ 'group-change': 0x01, 'group-snapshot-part': 0x02 });
const RECEIPT_KINDS = Object.freeze({ delivery: 0x02, read: 0x03 });

function idBytes(id) {
  const b = utf8(typeof id === 'string' ? id : '');
  if (b.length < 1 || b.length > MAX_MESSAGE_ID_BYTES) throw new FormatError('receipt id must be 1..64 UTF-8 bytes');
  return concat(u8(b.length), b);
}

function readId(r) {
  const len = r.u8('receipt id length');
  if (len < 1 || len > MAX_MESSAGE_ID_BYTES) throw new FormatError('receipt id: length out of range');
  return fromUtf8(r.take(len, 'receipt id'));
}

function timestamp(value, what) {
  if (!Number.isSafeInteger(value) || value < 0) throw new FormatError(`${what} must be 0..2^53-1`);
  return u64(value);
}

function checkPart(index, total, part) {
  if (!Number.isInteger(total) || !Number.isInteger(index) || total < 1 || total > 0xffff || index < 0 || index >= total) {
    throw new FormatError('snapshot part index must be 0..total-1, total 1..65535');
  }
  if (!(part instanceof Uint8Array) || part.length < 1) throw new FormatError('a snapshot part is not empty');
}

/** The body of a group payload object. */
export function encodeGroupBody(p) {
  switch (p.type) {
    case 'sender-key':
      return encodeSenderKeyDistribution(p.distribution);
    case 'group-change': {
      const change = encodeGroupChange(p.change);
      return concat(checkGroupId(p.change.groupId), u8(UPDATE_KINDS[p.type]), u32(change.length), change);
    }
    case 'group-snapshot-part':
      checkPart(p.index, p.total, p.part);
      if (!(p.stateHash instanceof Uint8Array) || p.stateHash.length !== HASH_BYTES) throw new FormatError('state hash must be 32 bytes');
      return concat(checkGroupId(p.groupId), u8(UPDATE_KINDS[p.type]), u64(checkVersion(p.version)), p.stateHash,
        u16(p.index), u16(p.total), u32(p.part.length), p.part);
    case 'group-receipt': {
      const kind = RECEIPT_KINDS[p.kind];
      if (kind === undefined) throw new FormatError('group receipt kind must be "delivery" or "read"');
      if (!Array.isArray(p.ids) || p.ids.length > 0xffff) throw new FormatError('group receipt ids: at most 65535');
      return concat(checkGroupId(p.groupId), u8(kind), u16(p.ids.length), ...p.ids.map(idBytes));
    }
    case 'group-read-up-to':
      return concat(checkGroupId(p.groupId), timestamp(p.readUpTo, 'readUpTo'));
    default:
      throw new FormatError(`not a group payload type: ${p.type}`);
  }
}

/** Reads the body of group type code `code` (one of GROUP_CODES) into `head` ({ id, sentAt }). */
export function decodeGroupBody(code, head, r) {
  switch (code) {
    case 0x0b:
      return { type: 'sender-key', ...head, distribution: decodeSenderKeyDistribution(r) };
    case UPDATE: {
      const groupId = r.take(GROUP_ID_BYTES, 'group id');
      const kind = r.u8('group update kind');
      if (kind === UPDATE_KINDS['group-change']) {
        const change = decodeGroupChange(r.take(r.u32('change length'), 'change'));
        if (!equalBytes(change.groupId, groupId)) throw new FormatError('the change is for another group than its update');
        return { type: 'group-change', ...head, change };
      }
      if (kind === UPDATE_KINDS['group-snapshot-part']) {
        const version = checkVersion(r.u64('snapshot version'));
        const stateHash = r.take(HASH_BYTES, 'state hash');
        const index = r.u16('part index');
        const total = r.u16('part total');
        const part = r.take(r.u32('part length'), 'part');
        checkPart(index, total, part);
        return { type: 'group-snapshot-part', ...head, groupId, version, stateHash, index, total, part };
      }
      throw new FormatError(`unknown group update kind ${kind}`);
    }
    case 0x0d: {
      const groupId = r.take(GROUP_ID_BYTES, 'group id');
      const code = r.u8('receipt kind');
      const kind = Object.keys(RECEIPT_KINDS).find((k) => RECEIPT_KINDS[k] === code);
      if (kind === undefined) throw new FormatError('group receipt kind must be 2 (delivery) or 3 (read)');
      const count = r.u16('receipt count');
      const ids = [];
      for (let i = 0; i < count; i++) ids.push(readId(r));
      return { type: 'group-receipt', ...head, groupId, kind, ids };
    }
    case 0x0e:
      return { type: 'group-read-up-to', ...head, groupId: r.take(GROUP_ID_BYTES, 'group id'), readUpTo: r.u64('readUpTo') };
    default:
      throw new FormatError(`not a group payload type: ${code}`);
  }
}
