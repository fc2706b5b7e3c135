/**
 * One account's database (`parley-account-<username>`): everything the device knows, kept in
 * IndexedDB so that a reload (or a crash) loses nothing.
 *
 * Object stores (version 1):
 * - `meta`            key 'account' -> { username, identity (Identity with non-extractable
 *                     private CryptoKeys), registered, createdAt, nextOneTimePreKeyId,
 *                     nextKemPreKeyId, nextSignedPreKeyId, currentSignedPreKeyId,
 *                     currentKemLastResortId, signedPreKeyAt }
 * - `signedPreKeys`   keyPath id   -> SignedPreKey (+ createdAt, retiredAt)
 * - `oneTimePreKeys`  keyPath id   -> OneTimePreKey (deleted when a PreKeyMessage uses it)
 * - `kemPreKeys`      keyPath key ("<kind>:<id>") -> KemPreKey (one-time ones deleted on use)
 * - `sessions`        keyPath peer -> { peer, record } (SessionRecord of js/protocol/session.js)
 * - `contacts`        keyPath username -> Contact (contacts.js)
 * - `messages`        autoIncrement seq, index `byPeer` [peer, seq], unique index `byId`
 *                     [peer, id] -> Message (messages.js)
 * - `outbox`          autoIncrement seq -> OutboxEntry (outbox.js): what still has to reach
 *                     the server, in order
 * - `seen`            keyPath key ("<from>|<id>") -> { key, at }: relays already processed,
 *                     so a replay after a lost ack is not shown twice
 * - `log`             autoIncrement seq -> SecurityEvent (security-log.js)
 *
 * Invariant: a session record is stored before a ciphertext made with it leaves the tab, and a
 * relayed message is acknowledged only after its effects are committed here.
 */

import { openDatabase, deleteDatabase } from './idb.js';

export const VERSION = 1;

export function databaseName(username) {
  return `parley-account-${username}`;
}

export function openAccountDb(username) {
  return openDatabase(databaseName(username), VERSION, (db, oldVersion) => {
    if (oldVersion < 1) {
      db.createObjectStore('meta');
      db.createObjectStore('signedPreKeys', { keyPath: 'id' });
      db.createObjectStore('oneTimePreKeys', { keyPath: 'id' });
      db.createObjectStore('kemPreKeys', { keyPath: 'key' });
      db.createObjectStore('sessions', { keyPath: 'peer' });
      db.createObjectStore('contacts', { keyPath: 'username' });
      const messages = db.createObjectStore('messages', { keyPath: 'seq', autoIncrement: true });
      messages.createIndex('byPeer', ['peer', 'seq']);
      messages.createIndex('byId', ['peer', 'id'], { unique: true });
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('seen', { keyPath: 'key' });
      db.createObjectStore('log', { keyPath: 'seq', autoIncrement: true });
    }
  });
}

export function deleteAccountDb(username) {
  return deleteDatabase(databaseName(username));
}

export function kemKey(kind, id) {
  return `${kind}:${id}`;
}
