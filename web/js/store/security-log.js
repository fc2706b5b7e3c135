/**
 * The local security log: what happened to keys and trust, with times and key fingerprints.
 * Never message content, never secret keys (only public-key fingerprints and counts).
 *
 * SecurityEvent = { seq, at (ms), event, peer?, fingerprint?, detail? } with `event` one of
 * the EVENTS below.
 */

import { tx, done, getAll } from './idb.js';

export const EVENTS = Object.freeze({
  identityCreated: 'identity-created',
  accountRegistered: 'account-registered',
  accountReset: 'account-reset',
  prekeysUploaded: 'prekeys-uploaded',
  signedPreKeyRotated: 'signed-prekey-rotated',
  sessionInitiated: 'session-initiated',
  sessionAccepted: 'session-accepted',
  contactFirstSeen: 'contact-first-seen',
  identityChanged: 'identity-changed',
  identityAccepted: 'identity-accepted',
  verified: 'contact-verified',
  unverified: 'contact-unverified',
  decryptFailed: 'decrypt-failed',
  signedOutElsewhere: 'session-replaced',
  deviceKeyCreated: 'device-key-created',
  deviceListAccepted: 'device-list-accepted',
  deviceListRefused: 'device-list-refused',
  deviceLinked: 'device-linked',
  deviceUnlinked: 'device-unlinked',
  groupChangeApplied: 'group-change-applied',
  groupChangeRefused: 'group-change-refused',
  groupMessageRefused: 'group-message-refused',
  controlRefused: 'control-refused',
});

/** Adds an event inside an existing transaction that includes the `log` store. */
export function addEvent(logStore, event) {
  return done(logStore.add({ at: Date.now(), ...event }));
}

export async function appendEvent(db, event) {
  return tx(db, 'log', 'readwrite', ({ log }) => addEvent(log, event));
}

export async function listEvents(db) {
  return tx(db, 'log', 'readonly', ({ log }) => getAll(log));
}

/** The log as pretty JSON, for export. */
export async function exportEvents(db, username) {
  const events = await listEvents(db);
  return JSON.stringify({
    account: username,
    exportedAt: new Date().toISOString(),
    events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  }, null, 2);
}
