/**
 * Session records for sending (docs/CLIENT-MODEL.md, outbox rule 2): the stored record of a
 * peer, or a new session from the peer's prekey bundle (fetched with `get_prekey_bundle`,
 * verified as a whole, its identity observed for trust). Callers hold the peer's lock.
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

export async function loadRecord(db, peer) {
  const row = await tx(db, 'sessions', 'readonly', ({ sessions }) => done(sessions.get(peer)));
  return row ? restoreRecord(row.record) : emptyRecord();
}

/** Whether `record` can encrypt to the identity this device trusts for the contact. */
export function encryptsToContact(record, contact) {
  return canEncrypt(record) && Boolean(contact?.identity) && equalBytes(remoteIdentity(record), contact.identity);
}

/**
 * A record whose current session can encrypt to the contact's current identity. `chat` is the
 * messenger's shared state (messenger.js `ChatState`). Throws Blocked when the bundle shows an
 * identity the user must accept first.
 */
export async function sessionForSending(chat, peer) {
  const record = await loadRecord(chat.db, peer);
  const contacts = chat.messenger.contacts;
  if (encryptsToContact(record, contacts.get(peer))) return record;
  const answer = await chat.connection.request(GetPreKeyBundle.of({ username: peer }));
  const bundle = await verifyBundle(answer.bundle);
  const seen = await observeIdentity(chat.db, contacts, peer, bundle.identity.publicIdentity);
  if (seen === 'changed') await chat.directory.identityChanged(peer);
  if (seen !== 'same') chat.messenger.emit('contacts');
  if (isBlocked(contacts.get(peer))) throw new Blocked();
  const started = await initiateSession(record, { identity: chat.identity(), bundle });
  await appendEvent(chat.db, {
    event: EVENTS.sessionInitiated, peer, fingerprint: await keyFingerprint(bundle.identity.publicIdentity),
    detail: `PQXDH (X25519 + ML-KEM-768, ${bundle.oneTimePreKey ? 'with' : 'without'} one-time prekey, ${bundle.kemPreKey.kind} KEM prekey)`,
  });
  return started.record;
}
