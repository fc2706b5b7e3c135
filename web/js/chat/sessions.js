/**
 * Session records for sending (docs/CLIENT-MODEL.md, outbox rule 2), one per device of each
 * account (docs/design/LINKED-DEVICES.md, "Sessions"): the stored record of `(peer, device)`,
 * or a new session from that device's prekey bundle (`get_prekey_bundle` with `device`,
 * verified as a whole, its identity observed for trust). Every device of an account holds the
 * account's identity, so the handshake and the safety number stay per account. Sessions with
 * this account's own other devices are made the same way; their bundle must carry this
 * account's own identity. Callers hold the peer's lock.
 */

import {
  emptyRecord, restoreRecord, canEncrypt, remoteIdentity, initiateSession, verifyBundle, equalBytes,
} from '../protocol/index.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { tx, done } from '../store/idb.js';
import { appendEvent, EVENTS } from '../store/security-log.js';
import { GetPreKeyBundle } from '../wire/prekeys.js';
import { observeIdentity, isBlocked } from './contacts.js';

/** Thrown while preparing a send to a contact whose new identity must be accepted first. */
export class Blocked extends Error {}

/** The stored record of `(peer, device)` in a transaction including `deviceSessions`, or an empty one. */
export async function loadRecordIn(deviceSessions, peer, device) {
  const row = await done(deviceSessions.get([peer, device]));
  return row ? restoreRecord(row.record) : emptyRecord();
}

export async function loadRecord(db, peer, device) {
  return tx(db, 'deviceSessions', 'readonly', ({ deviceSessions }) => loadRecordIn(deviceSessions, peer, device));
}

/** The identity this device trusts for `peer`: the contact's, or this account's own for its own devices. */
export function trustedIdentity(chat, peer) {
  const { messenger } = chat;
  return peer === messenger.username ? messenger.identity.publicIdentity : messenger.contacts.get(peer)?.identity ?? null;
}

/** Whether `record` can encrypt to `identity` (the identity this device trusts for the account). */
export function encryptsTo(record, identity) {
  return canEncrypt(record) && Boolean(identity) && equalBytes(remoteIdentity(record), identity);
}

/**
 * A record of `(peer, device)` whose current session can encrypt to the account's trusted
 * identity. `chat` is the messenger's shared state. Throws Blocked when the bundle shows an
 * identity the user must accept first, and Error when a bundle of one's own device shows
 * another identity than this account's.
 */
export async function sessionForSending(chat, peer, device) {
  const record = await loadRecord(chat.db, peer, device);
  if (encryptsTo(record, trustedIdentity(chat, peer))) return record;
  const answer = await chat.connection.request(GetPreKeyBundle.of({ username: peer, device }));
  const bundle = await verifyBundle(answer.bundle);
  const { messenger } = chat;
  if (peer === messenger.username) {
    if (!equalBytes(bundle.identity.publicIdentity, messenger.identity.publicIdentity)) {
      throw new Error(`The server gave a bundle for this account's device ${device} under another identity.`);
    }
  } else {
    const seen = await observeIdentity(chat.db, messenger.contacts, peer, bundle.identity.publicIdentity);
    if (seen === 'changed') await chat.directory.identityChanged(peer);
    if (seen !== 'same') messenger.emit('contacts');
    if (isBlocked(messenger.contacts.get(peer))) throw new Blocked();
  }
  const started = await initiateSession(record, { identity: chat.identity(), bundle });
  await appendEvent(chat.db, {
    event: EVENTS.sessionInitiated, peer, fingerprint: await keyFingerprint(bundle.identity.publicIdentity),
    detail: `device ${device}: PQXDH (X25519 + ML-KEM-768, ${bundle.oneTimePreKey ? 'with' : 'without'} one-time prekey, ${bundle.kemPreKey.kind} KEM prekey)`,
  });
  return started.record;
}
