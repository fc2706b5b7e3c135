/**
 * Contacts and trust. Every account this client knows is a contact: in an open directory
 * every account on the server, in a private one those found by exact name, conversation
 * peers and the senders of messages (directory-sync.js).
 *
 * Contact = { username, identity: Uint8Array(64) | null (the identity this device trusts for
 *             the name: first seen in the directory, or accepted after a change),
 *             verified: boolean (the user compared safety numbers for `identity`),
 *             identityChange: null | { at, previousFingerprint, fingerprint, blocking },
 *             userBlocked: boolean (absent = false; the user blocked this account: its
 *             messages, typing and receipts are dropped and nothing is sent to it),
 *             lastMessage: null | { text, at, direction }, unread: number, firstSeenAt }
 *
 * Two different things stop sending, and they are never confused: `identityChange.blocking`
 * ({@link isBlocked}: a verified contact's identity changed, sending pauses until the user
 * accepts the new one) and `userBlocked` ({@link isUserBlocked}: the user's own decision,
 * synced to this account's devices, blocking.js).
 *
 * Identity changes: a directory entry (`public_keys`, complete or pushed), a prekey bundle, or
 * an accepted PreKeyMessage showing another identity for a known name. The new identity
 * replaces the old one (new sessions use it), `verified` is cleared, and `identityChange`
 * records it for the banner; `blocking` is set when the contact had been verified: then
 * nothing is sent to that contact until the user accepts the new identity.
 */

import { equalBytes } from '../protocol/index.js';
import { tx, done, getAll } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { keyFingerprint } from '../lib/fingerprint.js';

export function newContact(username, identity) {
  return { username, identity, verified: false, identityChange: null, lastMessage: null, unread: 0, firstSeenAt: Date.now() };
}

export async function loadContacts(db) {
  const list = await tx(db, 'contacts', 'readonly', ({ contacts }) => getAll(contacts));
  return new Map(list.map((c) => [c.username, c]));
}

/** Sending paused: a verified contact's identity changed and the user has not accepted the new one. */
export function isBlocked(contact) {
  return Boolean(contact?.identityChange?.blocking);
}

/** The user blocked this account (blocking.js): not the same as {@link isBlocked}. */
export function isUserBlocked(contact) {
  return contact?.userBlocked === true;
}

/**
 * Applies an identity seen for `username` (from the directory, a bundle or a PreKeyMessage).
 * -> 'new' | 'same' | 'changed'. Persists the contact and logs first sight and changes.
 */
export async function observeIdentity(db, contacts, username, identity) {
  const existing = contacts.get(username);
  if (existing && existing.identity && equalBytes(existing.identity, identity)) return 'same';
  const fingerprint = await keyFingerprint(identity);
  let contact;
  let result;
  let event;
  if (!existing || !existing.identity) {
    contact = { ...(existing ?? newContact(username, null)), identity };
    result = 'new';
    event = { event: EVENTS.contactFirstSeen, peer: username, fingerprint };
  } else {
    const previousFingerprint = await keyFingerprint(existing.identity);
    const blocking = existing.verified || isBlocked(existing);
    contact = {
      ...existing, identity, verified: false,
      identityChange: { at: Date.now(), previousFingerprint, fingerprint, blocking },
    };
    result = 'changed';
    event = {
      event: EVENTS.identityChanged, peer: username, fingerprint,
      detail: `previous identity ${previousFingerprint}${blocking ? '; was verified: sending paused until accepted' : ''}`,
    };
  }
  await tx(db, ['contacts', 'log'], 'readwrite', ({ contacts: store, log }) => {
    store.put(contact);
    addEvent(log, event);
  });
  contacts.set(username, contact);
  return result;
}

/** The user accepted the identity shown: the banner goes, sending resumes (still unverified). */
export async function acceptIdentity(db, contacts, username) {
  const contact = contacts.get(username);
  if (!contact?.identityChange) return;
  const updated = { ...contact, identityChange: null };
  const fingerprint = await keyFingerprint(contact.identity);
  await tx(db, ['contacts', 'log'], 'readwrite', ({ contacts: store, log }) => {
    store.put(updated);
    addEvent(log, { event: EVENTS.identityAccepted, peer: username, fingerprint });
  });
  contacts.set(username, updated);
}

/** Marks the contact's current identity as verified (or not) after comparing safety numbers. */
export async function setVerified(db, contacts, username, verified) {
  const contact = contacts.get(username);
  if (!contact?.identity) return;
  const updated = { ...contact, verified, identityChange: verified ? null : contact.identityChange };
  const fingerprint = await keyFingerprint(contact.identity);
  await tx(db, ['contacts', 'log'], 'readwrite', ({ contacts: store, log }) => {
    store.put(updated);
    addEvent(log, { event: verified ? EVENTS.verified : EVENTS.unverified, peer: username, fingerprint });
  });
  contacts.set(username, updated);
}

/** Updates a contact inside a transaction that includes `contacts`; returns the new value. */
export async function updateContactIn(store, contacts, username, change) {
  const current = (await done(store.get(username))) ?? contacts.get(username) ?? newContact(username, null);
  const updated = change(current);
  store.put(updated);
  return updated;
}
