/**
 * Bodies of the sync payloads (docs/CRYPTO.md §4, types 0x06..0x0A), sent only between one
 * account's own devices; as Java's `payload.SyncBodies` / `SyncFields`.
 *
 * ```
 * 0x06 sent-transcript  u8 len || utf8 peer || u32 len || utf8 text
 * 0x07 read-up-to       u8 len || utf8 peer || u64 readUpTo
 * 0x08 trust-decision   u8 len || utf8 peer || 64 IK || u8 state (0 unverified, 1 verified, 2 accepted change)
 * 0x09 device-linked    u8 deviceId || u64 linkedAt || u8 len || utf8 name
 * 0x0A history-chunk    u16 index || u16 total || u16 count || count x entry
 *      entry = u8 direction (0 in, 1 out) || u8 len || utf8 peer || u8 len || utf8 id || u64 sentAt || u32 len || utf8 text
 * ```
 *
 * Objects: `{ type: 'sent-transcript', peer, text }`, `{ type: 'read-up-to', peer, readUpTo }`,
 * `{ type: 'trust-decision', peer, identity (64 bytes), state: 'unverified' | 'verified' | 'accepted-change' }`,
 * `{ type: 'device-linked', deviceId (1..255), linkedAt, name }`,
 * `{ type: 'history-chunk', index, total, entries: [{ direction: 'in' | 'out', peer, id, sentAt, text }] }`
 * (each also with the payload's `id` and `sentAt`). A peer is a username (`[a-z0-9_]{3,32}`),
 * timestamps are 0..2^53-1, `index < total`, entry ids 1..64 bytes. Encoding and decoding
 * apply the same rules; a value they refuse is a FormatError.
 */

import { concat, u8, u16, u32, u64, utf8, fromUtf8 } from './encoding.js';
import { FormatError } from './errors.js';
import { USERNAME } from '../wire/limits.js';
import { MAX_MESSAGE_ID_BYTES, MAX_PAYLOAD } from './limits.js';
import { encodeDeviceName, readDeviceName } from './device-name.js';

export const SYNC_TYPE_CODES = Object.freeze({
  'sent-transcript': 0x06, 'read-up-to': 0x07, 'trust-decision': 0x08, 'device-linked': 0x09, 'history-chunk': 0x0a,
});
export const TRUST_STATES = Object.freeze(['unverified', 'verified', 'accepted-change']);
const DIRECTIONS = Object.freeze(['in', 'out']);
const IDENTITY_BYTES = 64;

function peerBytes(peer) {
  if (typeof peer !== 'string' || !USERNAME.test(peer)) throw new FormatError('peer must be a username ([a-z0-9_]{3,32})');
  return utf8(peer);
}

function prefixed8(bytes) {
  return concat(u8(bytes.length), bytes);
}

function prefixed32(bytes) {
  return concat(u32(bytes.length), bytes);
}

function timestamp(value, what) {
  if (!Number.isSafeInteger(value) || value < 0) throw new FormatError(`${what} must be 0..2^53-1`);
  return u64(value);
}

function messageIdBytes(id) {
  const b = utf8(typeof id === 'string' ? id : '');
  if (b.length < 1 || b.length > MAX_MESSAGE_ID_BYTES) throw new FormatError('message id must be 1..64 UTF-8 bytes');
  return b;
}

function checkChunkPosition(index, total) {
  if (!Number.isInteger(total) || !Number.isInteger(index) || total < 1 || total > 0xffff || index < 0 || index >= total) {
    throw new FormatError('history chunk index must be 0..total-1, total 1..65535');
  }
}

/** One history entry's bytes. */
export function encodeHistoryEntry(e) {
  const direction = DIRECTIONS.indexOf(e.direction);
  if (direction < 0) throw new FormatError('history direction must be "in" or "out"');
  if (typeof e.text !== 'string') throw new FormatError('history entry text missing');
  return concat(u8(direction), prefixed8(peerBytes(e.peer)), prefixed8(messageIdBytes(e.id)),
    timestamp(e.sentAt, 'history entry sentAt'), prefixed32(utf8(e.text)));
}

/** The body of a sync payload object. */
export function encodeSyncBody(p) {
  switch (p.type) {
    case 'sent-transcript':
      if (typeof p.text !== 'string') throw new FormatError('sent transcript text missing');
      return concat(prefixed8(peerBytes(p.peer)), prefixed32(utf8(p.text)));
    case 'read-up-to':
      return concat(prefixed8(peerBytes(p.peer)), timestamp(p.readUpTo, 'readUpTo'));
    case 'trust-decision': {
      const state = TRUST_STATES.indexOf(p.state);
      if (state < 0) throw new FormatError(`unknown trust state ${p.state}`);
      if (!(p.identity instanceof Uint8Array) || p.identity.length !== IDENTITY_BYTES) throw new FormatError('identity must be 64 bytes');
      return concat(prefixed8(peerBytes(p.peer)), p.identity, u8(state));
    }
    case 'device-linked':
      if (!Number.isInteger(p.deviceId) || p.deviceId < 1 || p.deviceId > 255) throw new FormatError('device id must be 1..255');
      return concat(u8(p.deviceId), timestamp(p.linkedAt, 'linkedAt'), encodeDeviceName(p.name));
    case 'history-chunk':
      checkChunkPosition(p.index, p.total);
      if (!Array.isArray(p.entries) || p.entries.length > 0xffff) throw new FormatError('history chunk entries: at most 65535');
      return concat(u16(p.index), u16(p.total), u16(p.entries.length), ...p.entries.map(encodeHistoryEntry));
    default:
      throw new FormatError(`not a sync payload type: ${p.type}`);
  }
}

function readPeer(r) {
  const peer = fromUtf8(r.take(r.u8('peer length'), 'peer'));
  if (!USERNAME.test(peer)) throw new FormatError('peer must be a username ([a-z0-9_]{3,32})');
  return peer;
}

function readMessageId(r) {
  const len = r.u8('entry id length');
  if (len < 1 || len > MAX_MESSAGE_ID_BYTES) throw new FormatError('entry id: length out of range');
  return fromUtf8(r.take(len, 'entry id'));
}

function readText(r, field) {
  return fromUtf8(r.take(r.u32(`${field} length`), field));
}

/** Reads the body of sync type `type` (a name of SYNC_TYPE_CODES) into `head` ({ type, id, sentAt }). */
export function decodeSyncBody(head, r) {
  switch (head.type) {
    case 'sent-transcript':
      return { ...head, peer: readPeer(r), text: readText(r, 'text') };
    case 'read-up-to':
      return { ...head, peer: readPeer(r), readUpTo: r.u64('readUpTo') };
    case 'trust-decision': {
      const peer = readPeer(r);
      const identity = r.take(IDENTITY_BYTES, 'identity');
      const state = TRUST_STATES[r.u8('trust state')];
      if (state === undefined) throw new FormatError('trust state must be 0, 1 or 2');
      return { ...head, peer, identity, state };
    }
    case 'device-linked': {
      const deviceId = r.u8('device id');
      if (deviceId === 0) throw new FormatError('device id must be 1..255');
      return { ...head, deviceId, linkedAt: r.u64('linkedAt'), name: readDeviceName(r) };
    }
    case 'history-chunk': {
      const index = r.u16('chunk index');
      const total = r.u16('chunk total');
      checkChunkPosition(index, total);
      const count = r.u16('entry count');
      const entries = [];
      for (let i = 0; i < count; i++) {
        const direction = DIRECTIONS[r.u8('direction')];
        if (direction === undefined) throw new FormatError('history direction must be 0 or 1');
        entries.push({ direction, peer: readPeer(r), id: readMessageId(r), sentAt: r.u64('entry sentAt'), text: readText(r, 'entry text') });
      }
      return { ...head, index, total, entries };
    }
    default:
      throw new FormatError(`not a sync payload type: ${head.type}`);
  }
}

const CHUNK_HEADER = 6; // u16 index || u16 total || u16 count

/**
 * Splits history entries into chunks that each fit the largest padded payload (as Java's
 * `HistoryChunks.pack`), in order, filling each greedily, for chunk payloads whose ids are
 * `chunkIdBytes` UTF-8 bytes long. An entry too large for a chunk of its own is returned in
 * `tooLarge` for the caller to report, never silently cut. -> { chunks: [entries[]], tooLarge }
 */
export function packHistory(entries, chunkIdBytes) {
  if (!Number.isInteger(chunkIdBytes) || chunkIdBytes < 1 || chunkIdBytes > MAX_MESSAGE_ID_BYTES) {
    throw new FormatError('chunk id must be 1..64 bytes');
  }
  const budget = MAX_PAYLOAD - (1 + 1 + 8 + 1 + chunkIdBytes) - CHUNK_HEADER;
  const chunks = [];
  const tooLarge = [];
  let chunk = [];
  let used = 0;
  for (const entry of entries) {
    const size = encodeHistoryEntry(entry).length;
    if (size > budget) {
      tooLarge.push(entry);
      continue;
    }
    if (used + size > budget || chunk.length === 0xffff) {
      chunks.push(chunk);
      chunk = [];
      used = 0;
    }
    chunk.push(entry);
    used += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return { chunks, tooLarge };
}
