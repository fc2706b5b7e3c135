/**
 * Sessions with one peer device: the record stored per (peer, device), the PreKeyMessage
 * wrapping of the first messages, and the simultaneous-initiation rule (docs/CRYPTO.md §2.1,
 * §2.3, §8).
 *
 * SessionRecord (version 1; structured-clone friendly for IndexedDB, CryptoKeys inside):
 * ```
 * { version: 1,
 *   current:  Session | null,        used for sending
 *   archived: Session[] }            newest first, at most MAX_ARCHIVED_SESSIONS
 *
 * Session = {
 *   mode:              0x01 PQXDH | 0x02 X3DH
 *   ad:                Uint8Array(128)   IK_initiator || IK_responder
 *   localIdentity:     Uint8Array(64)
 *   remoteIdentity:    Uint8Array(64)
 *   initiatorIdentity: Uint8Array(64)   IK of the side that ran the handshake as initiator
 *   baseKey:           Uint8Array(32)   the initiator's EK: names the handshake
 *   pendingPreKey:     PreKeyMessage header fields | null   (initiator, until a reply arrives)
 *   ratchet:           RatchetState (ratchet.js) }
 * ```
 *
 * Every function returns a new record and leaves its input untouched; the caller stores the
 * returned record (before sending, for `encryptMessage`) and, after a PreKeyMessage, deletes
 * the prekeys listed in `preKeysUsed` in the same transaction.
 */

import { compareBytes, concat, equalBytes } from './encoding.js';
import { ProtocolError, FormatError } from './errors.js';
import { MAX_ARCHIVED_SESSIONS } from './limits.js';
import { KIND_PREKEY, KIND_RATCHET } from './header.js';
import { initiate, respond, encodePreKeyMessage, parsePreKeyMessage } from './pqxdh.js';
import { initInitiator, initResponder, ratchetEncrypt, ratchetDecrypt } from './ratchet.js';
import { systemEntropy } from './entropy.js';

export const RECORD_VERSION = 1;

export function emptyRecord() {
  return { version: RECORD_VERSION, current: null, archived: [] };
}

/** Checks a record read back from storage; unknown versions are refused, not guessed. */
export function restoreRecord(value) {
  if (!value || typeof value !== 'object') throw new FormatError('session record: not an object');
  if (value.version !== RECORD_VERSION) throw new ProtocolError('unknown-version', `session record version ${value.version}`);
  if (!Array.isArray(value.archived) || (value.current !== null && typeof value.current !== 'object')) {
    throw new FormatError('session record: malformed');
  }
  return value;
}

export function hasSession(record) {
  return record.current !== null;
}

/** True when the current session can encrypt (an initiator can; a responder after receiving). */
export function canEncrypt(record) {
  return record.current !== null && record.current.ratchet.sending !== null;
}

/** The peer's 64-byte public identity of the current session, or null. */
export function remoteIdentity(record) {
  return record.current ? record.current.remoteIdentity : null;
}

/**
 * Runs PQXDH as initiator against a verified bundle and makes the new session current (an
 * older current session is archived). -> { record, mode }
 */
export async function initiateSession(record, { identity, bundle, entropy = systemEntropy, platformHasKem = true }) {
  const hs = await initiate({ identity, bundle, entropy, platformHasKem });
  const ratchet = await initInitiator({ sk: hs.sk, theirRatchetKey: bundle.signedPreKey.key, ourRatchetPair: await entropy.x25519() });
  const session = {
    mode: hs.mode,
    ad: hs.ad,
    localIdentity: identity.publicIdentity,
    remoteIdentity: bundle.identity.publicIdentity,
    initiatorIdentity: identity.publicIdentity,
    baseKey: hs.ephemeral.publicKey,
    pendingPreKey: hs.header,
    ratchet,
  };
  return { record: adopt(record, session), mode: hs.mode };
}

/**
 * Encrypts padded plaintext with the current session: a PreKeyMessage while the session is
 * pending, a RatchetMessage after. -> { record, message }
 */
export async function encryptMessage(record, plaintext) {
  const session = record.current;
  if (!session) throw new ProtocolError('no-session', 'no session with this device');
  const out = await ratchetEncrypt(session.ratchet, plaintext, session.ad);
  const message = session.pendingPreKey ? encodePreKeyMessage(session.pendingPreKey, out.message) : out.message;
  return { record: { ...record, current: { ...session, ratchet: out.state } }, message };
}

/**
 * Decrypts a PreKeyMessage or RatchetMessage for this record.
 *
 * `ctx = { identity, capabilities (own flags), prekeys (see pqxdh.respond), now (ms),
 *          entropy, devices }`; `identity`, `capabilities` and `prekeys` are needed only for
 * PreKeyMessages. `devices = { local, remote }` (device ids 1..255: this device's and the
 * peer device's) is required between two devices of this account, whose IKs are equal: it
 * breaks the §2.3 tie (§10.5); between different identities it changes nothing and may be
 * omitted.
 *
 * -> { record, plaintext, remoteIdentity, established: boolean (a new session was created),
 *      preKeysUsed: { oneTimePreKeyId?, kemPreKey?: {id, kind} } | null }
 * On any error the input record is unchanged and nothing is to be deleted.
 */
export async function decryptMessage(record, message, ctx) {
  const entropy = ctx.entropy ?? systemEntropy;
  const now = ctx.now;
  if (message.length === 0) throw new FormatError('empty message');
  if (message[0] === KIND_PREKEY) return decryptPreKeyMessage(record, message, { ...ctx, entropy, now });
  if (message[0] === KIND_RATCHET) {
    const sessions = [record.current, ...record.archived].filter((s) => s !== null);
    if (sessions.length === 0) throw new ProtocolError('no-session', 'no session with this device');
    let firstError = null;
    for (const session of sessions) {
      try {
        const out = await ratchetDecrypt(session.ratchet, message, session.ad, { now, entropy });
        const updated = { ...session, ratchet: out.state, pendingPreKey: null };
        return { record: replace(record, session, updated), plaintext: out.plaintext, remoteIdentity: session.remoteIdentity, established: false, preKeysUsed: null };
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        if (e.code === 'bad-format') throw e;
        if (firstError === null || e.code === 'duplicate') firstError = e;
      }
    }
    throw firstError;
  }
  throw new FormatError(`unknown message kind ${message[0]}`);
}

async function decryptPreKeyMessage(record, message, ctx) {
  const { header, ratchetMessage } = parsePreKeyMessage(message);
  const initiatorIdentity = concat(header.signingKey, header.dhKey);

  // A further PreKeyMessage of a handshake we already accepted: same session, no prekeys.
  const existing = [record.current, ...record.archived].find((s) => s !== null
    && equalBytes(s.baseKey, header.baseKey) && equalBytes(s.initiatorIdentity, initiatorIdentity));
  if (existing) {
    const out = await ratchetDecrypt(existing.ratchet, ratchetMessage, existing.ad, ctx);
    return {
      record: replace(record, existing, { ...existing, ratchet: out.state }),
      plaintext: out.plaintext, remoteIdentity: existing.remoteIdentity, established: false, preKeysUsed: null,
    };
  }

  const hs = await respond({ identity: ctx.identity, capabilities: ctx.capabilities ?? 0, prekeys: ctx.prekeys, header });
  const initial = initResponder({ sk: hs.sk, ourRatchetPair: hs.ratchetPair });
  const out = await ratchetDecrypt(initial, ratchetMessage, hs.ad, ctx);
  const session = {
    mode: hs.mode,
    ad: hs.ad,
    localIdentity: ctx.identity.publicIdentity,
    remoteIdentity: hs.remoteIdentity,
    initiatorIdentity: hs.remoteIdentity,
    baseKey: header.baseKey,
    pendingPreKey: null,
    ratchet: out.state,
  };
  return {
    record: adoptIncoming(record, session, ctx.devices),
    plaintext: out.plaintext, remoteIdentity: hs.remoteIdentity, established: true, preKeysUsed: hs.used,
  };
}

/**
 * §2.3 for a session created by an incoming PreKeyMessage. While our current session is one
 * we initiated with the same peer identity and no reply has arrived on it (both sides
 * initiated at the same time), the session whose initiator has the bytewise smaller IK is
 * current, so both sides pick the same one. Otherwise the peer started afresh or changed its
 * identity (Signal's behaviour) and the new session is current.
 *
 * Between two devices of one account the IKs are equal, and the rule compares
 * `IK || u8 deviceId` of each initiator (`devices`: the current session was initiated by
 * `devices.local`, the incoming one by `devices.remote`). Without `devices` a tie keeps the
 * current session, as Java's PeerSessions does.
 */
function adoptIncoming(record, session, devices) {
  const current = record.current;
  const simultaneous = current !== null && current.pendingPreKey !== null
    && equalBytes(current.initiatorIdentity, current.localIdentity)
    && equalBytes(current.remoteIdentity, session.remoteIdentity);
  if (simultaneous) {
    let order = compareBytes(session.initiatorIdentity, current.initiatorIdentity);
    if (order === 0 && devices) order = checkDeviceId(devices.remote) - checkDeviceId(devices.local);
    if (order >= 0) return { ...record, archived: capArchive([session, ...record.archived]) };
  }
  return adopt(record, session);
}

function checkDeviceId(id) {
  if (!Number.isInteger(id) || id < 1 || id > 255) throw new FormatError('device ids must be 1..255');
  return id;
}

/** Makes `session` current and archives the previous current session. */
function adopt(record, session) {
  const archived = record.current ? [record.current, ...record.archived] : record.archived.slice();
  return { version: RECORD_VERSION, current: session, archived: capArchive(archived) };
}

function capArchive(list) {
  return list.slice(0, MAX_ARCHIVED_SESSIONS);
}

/** Replaces `old` (by identity) with `updated` where it is: no promotion (§2.3). */
function replace(record, old, updated) {
  if (record.current === old) return { ...record, current: updated };
  return { ...record, archived: record.archived.map((s) => (s === old ? updated : s)) };
}
