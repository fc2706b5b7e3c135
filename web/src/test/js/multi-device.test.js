/**
 * Several devices per account in the browser client (the chat layer), without a server: the device list's
 * signed layout, the lists this device signs as the sender's check (web/js/protocol) reads
 * them, the device keys and list signatures (device-keys.js), one message encrypted for each device of an
 * account and decrypted as relayed (device-envelopes.js), and the account database's move to
 * sessions per device (store/account-db.js, version 2).
 */

import { createSuite, assert, assertEqual, assertBytes } from './harness.js';
import { Device } from './support.js';
import { b64, unb64, concat, utf8 } from '/web/js/protocol/encoding.js';
import { ed25519Verify } from '/web/js/protocol/primitives.js';
import { generateIdentity, generateSignedPreKey, generateOneTimePreKeys, generateKemPreKey, KEM_KIND_LAST_RESORT } from '/web/js/protocol/keys.js';
import { decryptEnvelope } from '/web/js/protocol/envelope.js';
import { emptyRecord, initiateSession } from '/web/js/protocol/session.js';
import { verifyBundle } from '/web/js/protocol/keys.js';
import { deviceListBytes, deviceAuthBytes, SignatureLabel } from '/web/js/wire/signed.js';
import { decode, encode } from '/web/js/wire/codec.js';
import { SendMessage } from '/web/js/wire/delivery.js';
import { checkDeviceList, DEVICE_LIST_REFUSALS as REFUSALS } from '/web/js/protocol/device-list.js';
import { firstDeviceList, generateDeviceKey, nextDeviceList, signDeviceList, signDeviceLogin } from '/web/js/chat/device-keys.js';
import { encryptForDevices, relayedEnvelope } from '/web/js/chat/device-envelopes.js';
import { openAccountDb, deleteAccountDb, databaseName } from '/web/js/store/account-db.js';
import { openDatabase, tx, done, getAll } from '/web/js/store/idb.js';
import { Emitter } from '/web/js/lib/emitter.js';
import { createSidebar } from '/web/js/ui/sidebar.js';

const u64 = (n) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
};

async function refusedAs(identity, previous, list, reason, what) {
  const outcome = await checkDeviceList(identity.signing.publicKey, previous, list);
  assertEqual(outcome.accepted, false, `${what}: refused`);
  assertEqual(outcome.reason, reason, `${what}: reason`);
}

/** A second device of `first`'s account: the same identity, its own prekeys. */
async function sibling(first, name) {
  const d = new Device(name, first.identity, first.capabilities);
  d.addSignedPreKey(await generateSignedPreKey(first.identity, 2));
  for (const k of await generateOneTimePreKeys(500, 2)) d.addOneTimePreKey(k);
  d.addKemPreKey(await generateKemPreKey(first.identity, 2, KEM_KIND_LAST_RESORT));
  return d;
}

export async function run() {
  const { test, run: runSuite } = createSuite();

  test('deviceListBytes: label, 0x00, format, version, issuedAt, count, then id || key || linkedAt per device', () => {
    const key1 = new Uint8Array(32).fill(7);
    const key2 = new Uint8Array(32).fill(9);
    const built = deviceListBytes({ version: 3, issuedAt: 1_764_150_000_000, devices: [
      { id: 1, key: b64(key1), linkedAt: 1_700_000_000_000 }, { id: 4, key: key2, linkedAt: 1_764_150_000_000 }] });
    const expected = concat(utf8('parley-device-list-v1'), Uint8Array.of(0, 1), u64(3), u64(1_764_150_000_000), Uint8Array.of(2),
      Uint8Array.of(1), key1, u64(1_700_000_000_000), Uint8Array.of(4), key2, u64(1_764_150_000_000));
    assertBytes(built, expected, 'layout');
    assertEqual(SignatureLabel.DEVICE_LIST, 'parley-device-list-v1', 'label');
  });

  test('deviceAuthBytes ends with the device id and signs "login"', () => {
    const nonce = new Uint8Array(32).fill(1);
    const built = deviceAuthBytes({ nonce, origin: 'http://a', timestamp: 5, username: 'bob', device: 3 });
    const expected = concat(utf8('parley-device-auth-v1'), Uint8Array.of(0), nonce, Uint8Array.of(0, 8), utf8('http://a'), u64(5),
      Uint8Array.of(5), utf8('login'), Uint8Array.of(3), utf8('bob'), Uint8Array.of(3));
    assertBytes(built, expected, 'layout');
    let refused = false;
    try {
      deviceAuthBytes({ nonce, origin: 'http://a', timestamp: 5, username: 'bob', device: 0 });
    } catch (e) {
      refused = e instanceof RangeError;
    }
    assert(refused, 'device 0 cannot be signed');
  });

  test('a login is signed by the device key, not the identity', async () => {
    const identity = await generateIdentity();
    const deviceKey = await generateDeviceKey();
    const fields = { nonce: new Uint8Array(32).fill(2), origin: 'http://127.0.0.1:1', timestamp: Date.now(), username: 'carol', device: 1 };
    const signature = await signDeviceLogin(deviceKey, fields);
    assert(await ed25519Verify(deviceKey.publicKey, deviceAuthBytes(fields), signature), 'verifies under the device key');
    assert(!(await ed25519Verify(identity.signing.publicKey, deviceAuthBytes(fields), signature)), 'not under the identity');
    assert(!(await ed25519Verify(deviceKey.publicKey, deviceAuthBytes({ ...fields, device: 2 }), signature)), 'bound to the device id');
  });

  test('version 1 at registration names this device alone as device 1 and is accepted; it goes through the wire codec', async () => {
    const identity = await generateIdentity();
    const deviceKey = await generateDeviceKey();
    const list = await firstDeviceList(identity, deviceKey, 1_764_150_000_000);
    assertEqual(list.version, 1, 'version');
    assertEqual(list.devices.length, 1, 'one device');
    assertEqual(list.devices[0].id, 1, 'device 1');
    assertBytes(unb64(list.devices[0].key), deviceKey.publicKey, 'its key');
    const outcome = await checkDeviceList(identity.signing.publicKey, null, list);
    assert(outcome.accepted && !outcome.same, 'accepted');
    const frame = decode('server', JSON.stringify({ type: 'devices', re: 'q1', username: 'carol', list, servers: [{ id: 1 }] }));
    assertEqual(frame.list.signature, list.signature, 'read back');
  });

  test('the sender refuses a list signed by another key, an older version, and a second content under one version', async () => {
    const identity = await generateIdentity();
    const other = await generateIdentity();
    const k1 = await generateDeviceKey();
    const k2 = await generateDeviceKey();
    const v1 = await firstDeviceList(identity, k1, 1000);
    const v2 = await nextDeviceList(identity, v1, { add: { id: 2, key: k2.publicKey, linkedAt: 2000 } }, 2000);
    assertEqual(v2.version, 2, 'next version');
    assert((await checkDeviceList(identity.signing.publicKey, v1, v2)).accepted, 'v2 after v1');
    await refusedAs(identity, null, await signDeviceList(other, v2), REFUSALS.BAD_SIGNATURE, 'signed by another identity');
    await refusedAs(identity, null, { ...v2, version: 3 }, REFUSALS.BAD_SIGNATURE, 'version changed after signing');
    await refusedAs(identity, v2, v1, REFUSALS.ROLLBACK, 'v1 after v2');
    const otherV2 = await nextDeviceList(identity, v1, { add: { id: 2, key: (await generateDeviceKey()).publicKey, linkedAt: 2000 } }, 2000);
    await refusedAs(identity, v2, otherV2, REFUSALS.CONFLICT, 'another v2');
    const again = await checkDeviceList(identity.signing.publicKey, v2, await signDeviceList(identity, v2));
    assert(again.accepted && again.same, 'the same list signed again');
  });

  test('one text to two devices of an account: the content once, a key message each; each device decrypts its relayed copy', async () => {
    const alice = await Device.generate('alice');
    const bob1 = await Device.generate('bob');
    const bob2 = await sibling(bob1, 'bob2');
    const records = new Map();
    for (const [id, device] of [[1, bob1], [2, bob2]]) {
      const started = await initiateSession(emptyRecord(), { identity: alice.identity, bundle: await verifyBundle(device.bundle()) });
      records.set(id, started.record);
    }
    const payload = { type: 'text', sentAt: 1_764_150_000_000, id: 'm1', text: 'to both of my devices' };
    const out = await encryptForDevices(records, payload);
    assert(out.copies.content, 'a shared content');
    assertEqual(out.copies.devices.map((d) => d.device).join(), '1,2', 'one copy per device');
    const frame = decode('client', encode(SendMessage.of({ id: 'm1', to: 'bob', ...out.copies })));
    for (const [id, device] of [[1, bob1], [2, bob2]]) {
      const copy = frame.devices.find((d) => d.device === id);
      const relayed = { id: 'm1', from: 'alice', fromDevice: 1, envelope: copy.envelope, content: frame.content, serverTime: 5 };
      const opened = await decryptEnvelope(emptyRecord(), relayedEnvelope(relayed), device.context());
      assertEqual(opened.payload.text, payload.text, `device ${id} reads it`);
      assertBytes(opened.remoteIdentity, alice.identity.publicIdentity, `device ${id}: from alice`);
    }
    const wrong = { envelope: frame.devices[0].envelope, content: frame.devices[1].envelope };
    let failed = false;
    try {
      await decryptEnvelope(emptyRecord(), relayedEnvelope(wrong), bob1.context());
    } catch {
      failed = true;
    }
    assert(failed, 'a key message with foreign content does not open');
    const receipt = await encryptForDevices(out.records, { type: 'read', sentAt: 1, id: 'r1', ids: ['m1'] });
    assertEqual(receipt.copies.content, undefined, 'a receipt is a whole message per device');
    assertEqual(receipt.copies.devices.length, 2, 'to both');
  });

  test('the account database moves version 1 sessions to device 1 of each peer', async () => {
    const name = `migrate${Date.now()}`;
    await deleteAccountDb(name);
    const v1 = await openDatabase(databaseName(name), 1, (db) => {
      for (const store of ['meta', 'contacts', 'log', 'outbox', 'seen', 'signedPreKeys', 'oneTimePreKeys', 'kemPreKeys']) {
        db.createObjectStore(store, store === 'meta' ? undefined : { keyPath: store === 'contacts' ? 'username' : store === 'seen' ? 'key' : 'id', autoIncrement: store === 'log' || store === 'outbox' });
      }
      db.createObjectStore('sessions', { keyPath: 'peer' });
      const messages = db.createObjectStore('messages', { keyPath: 'seq', autoIncrement: true });
      messages.createIndex('byPeer', ['peer', 'seq']);
      messages.createIndex('byId', ['peer', 'id'], { unique: true });
    });
    await tx(v1, 'sessions', 'readwrite', ({ sessions }) => {
      sessions.put({ peer: 'bob', record: { version: 1, current: null, archived: [] } });
      sessions.put({ peer: 'dave', record: { version: 1, current: null, archived: [] } });
    });
    v1.close();
    const db = await openAccountDb(name);
    try {
      assert(!db.objectStoreNames.contains('sessions'), 'the old store is gone');
      const rows = await tx(db, 'deviceSessions', 'readonly', ({ deviceSessions }) => getAll(deviceSessions));
      assertEqual(rows.map((r) => `${r.peer}/${r.device}`).join(), 'bob/1,dave/1', 'moved to device 1');
      assert(await tx(db, 'deviceSessions', 'readonly', ({ deviceSessions }) => done(deviceSessions.get(['bob', 1]))), 'keyed by [peer, device]');
      assert(db.objectStoreNames.contains('deviceLists'), 'device lists store');
    } finally {
      db.close();
      await deleteAccountDb(name);
    }
  });

  test('the contact list marks a contact whose device list was refused, in its accessible name too', () => {
    const messenger = new Emitter();
    messenger.username = 'me';
    messenger.presence = new Map();
    messenger.typing = new Map();
    let refused = 'bob';
    messenger.deviceProblem = (name) => (name === refused ? `${name}'s device list cannot be trusted` : null);
    messenger.contacts = new Map(['alice', 'bob'].map((username) => [username, { username, unread: 0 }]));
    messenger.groups = { list: () => [], typingIn: () => [] };
    const sidebar = createSidebar({ messenger, onSelect: () => {} });
    document.body.append(sidebar.element);
    try {
      const mark = sidebar.element.querySelector('[data-testid="device-problem-bob"]');
      assert(mark, 'bob marked');
      assertEqual(mark.querySelector('svg').getAttribute('aria-label'), 'device list not signed by this contact', 'in words');
      const button = sidebar.element.querySelector('[data-testid="contact-bob"]');
      assert(button.getAttribute('aria-label').includes('device list not signed by this contact'), `accessible name: ${button.getAttribute('aria-label')}`);
      assert(!sidebar.element.querySelector('[data-testid="device-problem-alice"]'), 'alice unmarked');
      refused = null;
      messenger.emit('devices', { username: 'bob' });
      assert(!sidebar.element.querySelector('[data-testid="device-problem-bob"]'), 'cleared when a valid list came');
    } finally {
      sidebar.element.remove();
    }
  });

  return runSuite();
}
