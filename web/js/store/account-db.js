/**
 * One account's database (`parley-account-<username>`): everything the device knows, kept in
 * IndexedDB so that a reload (or a crash) loses nothing.
 *
 * Object stores (version 3):
 * - `meta`            key 'account' -> { username, identity (Identity), registered,
 *                     createdAt, nextOneTimePreKeyId, nextKemPreKeyId, nextSignedPreKeyId,
 *                     currentSignedPreKeyId, currentKemLastResortId, signedPreKeyAt,
 *                     deviceId (this device's id in the account's list), deviceKey ({
 *                     privateKey: non-extractable Ed25519 CryptoKey, publicKey }), deviceName,
 *                     deviceList (the account's signed list this device made or received at
 *                     registration, reset or linking) }
 * - `signedPreKeys`   keyPath id   -> SignedPreKey (+ createdAt, retiredAt)
 * - `oneTimePreKeys`  keyPath id   -> OneTimePreKey (deleted when a PreKeyMessage uses it)
 * - `kemPreKeys`      keyPath key ("<kind>:<id>") -> KemPreKey (one-time ones deleted on use)
 * - `deviceSessions`  keyPath [peer, device] -> { peer, device, record } (SessionRecord of
 *                     js/protocol/session.js): one session per device of each account,
 *                     this account's other devices included (version 1 had `sessions` keyed
 *                     by peer; its records became device 1's)
 * - `deviceLists`     keyPath username -> DeviceListEntry (chat/device-lists.js)
 * - `contacts`        keyPath username -> Contact (contacts.js)
 * - `messages`        autoIncrement seq, index `byPeer` [peer, seq], unique index `byId`
 *                     [peer, id] -> Message (messages.js)
 * - `outbox`          autoIncrement seq -> OutboxEntry (outbox.js): what still has to reach
 *                     the server, in order
 * - `seen`            keyPath key ("<from>|<fromDevice>|<id>") -> { key, at }: relays already processed,
 *                     so a replay after a lost ack is not shown twice
 * - `log`             autoIncrement seq -> SecurityEvent (security-log.js)
 *
 * Groups (version 3; the rows are documented in chat/groups/group-store.js):
 * - `groups`          keyPath id (the group id's text) -> GroupRow: the state this device last
 *                     applied, its hash and version, status, unread count
 * - `groupHeld`       keyPath key, index `byGroup` -> a change held until the versions before
 *                     it arrive (at most 32 per group)
 * - `senderChains`    keyPath group -> this device's sending chain in the group and the set of
 *                     (username, device) it was distributed to
 * - `senderKeys`      keyPath [group, sender, device], index `bySender` [sender, device] ->
 *                     the receiving chains of one member device
 * - `groupSnapshots`  keyPath key ("<group>|<from>|<version>") -> snapshot parts being collected
 * Group messages are in `messages` with `peer` = the group id's text (43 characters, never a
 * username); group sends are `outbox` entries with `multi: true` (chat/groups/multi-outbox.js).
 *
 * Invariant: a session record is stored before a ciphertext made with it leaves the tab, and a
 * relayed message is acknowledged only after its effects are committed here.
 */

import { openDatabase, deleteDatabase } from './idb.js';

export const VERSION = 3;

export function databaseName(username) {
  return `parley-account-${username}`;
}

export function openAccountDb(username) {
  return openDatabase(databaseName(username), VERSION, (db, oldVersion, transaction) => {
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
    if (oldVersion < 2) {
      const deviceSessions = db.createObjectStore('deviceSessions', { keyPath: ['peer', 'device'] });
      db.createObjectStore('deviceLists', { keyPath: 'username' });
      const sessions = transaction.objectStore('sessions');
      sessions.openCursor().onsuccess = (event) => {
        const cursor = event.target.result;
        if (cursor) {
          deviceSessions.put({ ...cursor.value, device: 1 });
          cursor.continue();
        } else {
          db.deleteObjectStore('sessions');
        }
      };
    }
    if (oldVersion < 3) {
      db.createObjectStore('groups', { keyPath: 'id' });
      db.createObjectStore('groupHeld', { keyPath: 'key' }).createIndex('byGroup', 'group');
      db.createObjectStore('senderChains', { keyPath: 'group' });
      db.createObjectStore('senderKeys', { keyPath: ['group', 'sender', 'device'] }).createIndex('bySender', ['sender', 'device']);
      db.createObjectStore('groupSnapshots', { keyPath: 'key' });
    }
  });
}

export function deleteAccountDb(username) {
  return deleteDatabase(databaseName(username));
}

export function kemKey(kind, id) {
  return `${kind}:${id}`;
}
