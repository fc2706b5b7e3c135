/**
 * Two devices of one account and a contact, through the client's real code (account
 * creation, Connection, Messenger, outbox, receiver, linking) against relay/test-relay.js, a
 * routing double of the server that speaks the real wire. The second device runs in a window
 * opened at another origin (http://localhost instead of 127.0.0.1: its own IndexedDB). Shows: linking by code with history; a message to
 * the account reaches both devices; a reply from the second device is outgoing on the first;
 * reading on the first clears the unread count on the second; the "new device" notice; a
 * contact's send to a stale device set is answered mismatched_devices and resent; unlinking; a
 * copy relayed as from a device the sender's signed list lacks is refused and acknowledged; one
 * from a device linked since the held list was checked is accepted after fetching it again.
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { TestRelay } from './relay/test-relay.js';
import { installFakeWebSocket, inPage } from './relay/fake-socket.js';
import { registerDevice, snapshot, startDevice, until } from './relay/device-driver.js';
import { windowDevice } from './relay/device-window.js';
import { identityFromKeyPairs, publicJson } from '/web/js/protocol/keys.js';
import { ed25519Generate, x25519Generate } from '/web/js/protocol/primitives.js';
import { openAccountDb } from '/web/js/store/account-db.js';
import { tx, done } from '/web/js/store/idb.js';
import { loadAccount, upgradeLocalAccount } from '/web/js/chat/account.js';
import { nextDeviceList } from '/web/js/chat/device-keys.js';
import { ed25519Verify } from '/web/js/protocol/primitives.js';
import { unb64 } from '/web/js/protocol/encoding.js';
import { authBytes, deviceAuthBytes } from '/web/js/wire/signed.js';

const texts = (snap, direction) => snap.messages.filter((m) => m.direction === direction).map((m) => m.text);

export async function run() {
  const { test, run: runSuite } = createSuite();
  const relay = new TestRelay();
  installFakeWebSocket(inPage(relay));
  // Senders learn of list changes from mismatched_devices, the path that must work whatever pushes arrive.
  relay.pushDevicesChanged = false;
  const suffix = Math.random().toString(36).slice(2, 8);
  const alice = `alice_${suffix}`;
  const bob = `bob_${suffix}`;
  const state = {};

  test('a contact and the account\'s first device talk; the first device has one device', async () => {
    state.a1 = await registerDevice(alice);
    state.bob = await registerDevice(bob);
    await until(() => state.a1.messenger.contacts.get(bob)?.identity && state.bob.messenger.contacts.get(alice)?.identity, 'both in each other\'s directory');
    await state.bob.messenger.sendText(alice, 'before linking');
    await until(async () => texts(await snapshot(state.a1, bob), 'in').includes('before linking'), 'alice 1 receives');
    await state.a1.messenger.sendText(bob, 'reply from the first device');
    await until(async () => texts(await snapshot(state.bob, alice), 'in').includes('reply from the first device'), 'bob receives');
    const view = await state.a1.messenger.linkedDevices.view();
    assertEqual(view.devices.length, 1, 'one device');
    assert(view.devices[0].thisDevice, 'this device');
    assertEqual(view.cannotApprove, null, 'a new identity is extractable: it can approve');
  });

  test('a new device shows a code; the first device reads its name and approves it with history', async () => {
    state.a2 = windowDevice(relay);
    await state.a2.ready;
    const { code, fingerprint } = await state.a2.call('link', 'Laptop');
    const peeked = await state.a1.messenger.linkedDevices.peek(code.toLowerCase().replaceAll('-', ' '));
    assertEqual(peeked.name, 'Laptop', 'the name sealed in the request');
    assertEqual(peeked.fingerprint, fingerprint, 'the approving device shows the fingerprint the new device shows');
    const approved = await state.a1.messenger.linkedDevices.approve(peeked, { history: true });
    assertEqual(approved.device, 2, 'device 2');
    let linkedAs;
    try {
      linkedAs = await state.a2.call('linked');
    } catch (e) {
      throw new Error(`${e.message}; device 2 errors: ${(await state.a2.call('errors')).join(' || ')}`);
    }
    assertEqual(linkedAs, alice, 'linked to alice');
    const onDevice2 = await state.a2.call('devices');
    assertEqual(onDevice2.map((d) => `${d.id}:${d.name}:${d.thisDevice}`).join(), `1:${(await state.a1.messenger.linkedDevices.view()).devices[0].name}:false,2:Laptop:true`, 'device 2 knows both names');
    const view = await state.a1.messenger.linkedDevices.view();
    assertEqual(view.devices.map((d) => `${d.id}:${d.name}`).join(), `1:${view.devices[0].name},2:Laptop`, 'both devices listed');
    let refused = null;
    try {
      await state.a1.messenger.linkedDevices.peek(code);
    } catch (e) {
      refused = e.message;
    }
    // The channel is deleted at the new device's first login: the used code finds nothing.
    assert(refused?.startsWith('No device is waiting with this code'), `a used code is refused in words: ${refused}`);
  });

  test('the history reaches the new device, with progress on both sides', async () => {
    const snap = await until(async () => {
      const s = await state.a2.call('snapshot', bob);
      return texts(s, 'in').includes('before linking') && texts(s, 'out').includes('reply from the first device') ? s : null;
    }, 'history on device 2');
    assertEqual(snap.unread, 0, 'history arrives read');
    await until(() => state.a1.events.progress.some((p) => p.direction === 'out' && p.index === p.total && p.total > 0), 'sent progress complete');
    await until(async () => (await state.a2.call('events')).progress.some((p) => p.direction === 'in' && p.index === p.total), 'received progress complete');
  });

  test('every device is told that a new device was linked', async () => {
    await until(() => state.a1.events.deviceNotices.some((t) => t.startsWith('A new device was linked: Laptop')), 'notice on device 1');
  });

  test('a message to the account reaches both devices (a stale sender is answered mismatched_devices and resends)', async () => {
    const id = (await state.bob.messenger.sendText(alice, 'to both devices')).id;
    await until(async () => texts(await snapshot(state.a1, bob), 'in').includes('to both devices'), 'device 1 receives');
    await until(async () => texts(await state.a2.call('snapshot', bob), 'in').includes('to both devices'), 'device 2 receives');
    await until(async () => (await snapshot(state.bob, alice)).messages.find((m) => m.id === id)?.status === 'delivered', 'delivered on bob');
    assert(relay.refusals.includes('mismatched_devices missing=2 extra='), `bob's first try named device 1 alone: ${relay.refusals}`);
    assertEqual((await snapshot(state.bob, alice)).messages.filter((m) => m.text === 'to both devices').length, 1, 'one message on bob');
  });

  test('a reply from the second device shows as outgoing on the first', async () => {
    await state.a2.call('sendText', bob, 'from the laptop');
    await until(async () => texts(await snapshot(state.bob, alice), 'in').includes('from the laptop'), 'bob receives it');
    const snap = await until(async () => {
      const s = await snapshot(state.a1, bob);
      return texts(s, 'out').includes('from the laptop') ? s : null;
    }, 'device 1 shows it as sent');
    assertEqual(snap.messages.filter((m) => m.text === 'from the laptop').length, 1, 'once');
  });

  test('reading on the first device clears the unread count on the second', async () => {
    await state.bob.messenger.sendText(alice, 'read me once');
    const unreadOn2 = await until(async () => {
      const s = await state.a2.call('snapshot', bob);
      return texts(s, 'in').includes('read me once') ? s : null;
    }, 'arrived on device 2');
    assert(unreadOn2.unread > 0, 'unread on device 2');
    const on1 = await until(async () => (await snapshot(state.a1, bob)).messages.filter((m) => m.direction === 'in' && !m.read), 'unread on device 1');
    await state.a1.messenger.markRead(bob, on1.map((m) => m.id));
    await until(async () => (await state.a2.call('snapshot', bob)).unread === 0, 'device 2 unread back to 0');
  });

  test('unlinking the second device closes it, and the account\'s messages go to the first alone', async () => {
    await state.a1.messenger.linkedDevices.unlink(2);
    await until(async () => (await state.a2.call('events')).fatal.includes('device_unlinked'), 'device 2 told it was unlinked');
    const view = await state.a1.messenger.linkedDevices.view();
    assertEqual(view.devices.map((d) => d.id).join(), '1', 'one device left');
    await state.bob.messenger.sendText(alice, 'after unlinking');
    await until(async () => texts(await snapshot(state.a1, bob), 'in').includes('after unlinking'), 'device 1 receives');
    assert(relay.refusals.includes('mismatched_devices missing= extra=2'), `bob's stale list still named device 2: ${relay.refusals}`);
    assertEqual(state.a1.events.notices.join(' | '), '', 'no error shown on device 1');
    assertEqual(state.bob.events.notices.join(' | '), '', 'no error shown on bob');
  });

  test('a message relayed as from a device the sender\'s signed list lacks is refused and acknowledged, leaving no session and no used prekey', async () => {
    const dave = `dave_${suffix}`;
    state.dave = await registerDevice(dave);
    await until(() => state.a1.messenger.contacts.get(dave)?.identity && state.dave.messenger.contacts.get(alice)?.identity, 'alice and dave in each other\'s directory');
    const fetchesBefore = relay.received.filter((t) => t === 'get_devices').length;
    relay.tamper = (frame) => (frame.from === dave ? [{ ...frame, fromDevice: 7 }, frame] : [frame]);
    try {
      await state.dave.messenger.sendText(alice, 'from dave');
      const snap = await until(async () => {
        const s = await snapshot(state.a1, dave);
        return texts(s, 'in').includes('from dave') && s.messages.some((m) => m.direction === 'system') ? s : null;
      }, 'the forged copy refused and the real one accepted on alice');
      const note = snap.messages.find((m) => m.direction === 'system').text;
      assertEqual(note, `A message from ${dave} was not accepted: sent from a device (7) that ${dave}'s signed device list does not have.`, 'the reason in words');
    } finally {
      relay.tamper = null;
    }
    assert(relay.received.filter((t) => t === 'get_devices').length > fetchesBefore, 'dave\'s list was fetched before refusing');
    assertEqual(state.a1.messenger.deviceList(dave)?.list?.devices.map((d) => d.id).join(), '1', 'alice holds dave\'s checked list: device 1');
    const forgedSession = await tx(state.a1.db, 'deviceSessions', 'readonly', ({ deviceSessions }) => done(deviceSessions.get([dave, 7])));
    assertEqual(forgedSession ?? null, null, 'no session with the unlisted device');
    // The real copy decrypted, so the forged one did not use its one-time prekey; both copies were acknowledged.
    await until(() => relay.accounts.get(alice).devices.get(1).queue.length === 0, 'alice\'s queue empty: both acknowledged');
    assertEqual(state.a1.events.notices.join(' | '), '', 'no error shown on alice');
  });

  test('a message from a device linked after the held list was checked is accepted once the list is fetched again', async () => {
    const dave = `dave_${suffix}`;
    // Dave's device 7 is linked (list version 2, signed by dave) while alice still holds version 1.
    const { identity } = await loadAccount(state.dave.db);
    const key = (await ed25519Generate()).publicKey;
    relay.accounts.get(dave).list = await nextDeviceList(identity, relay.accounts.get(dave).list, { add: { id: 7, key, linkedAt: Date.now() } });
    assertEqual(state.a1.messenger.deviceList(dave).list.version, 1, 'alice holds version 1');
    // A new session to alice (a PreKeyMessage), relayed as from device 7.
    await tx(state.dave.db, 'deviceSessions', 'readwrite', ({ deviceSessions }) => done(deviceSessions.delete([alice, 1])));
    relay.tamper = (frame) => (frame.from === dave ? [{ ...frame, fromDevice: 7 }] : [frame]);
    try {
      await state.dave.messenger.sendText(alice, 'from the new device');
      await until(async () => texts(await snapshot(state.a1, dave), 'in').includes('from the new device'), 'alice accepts it');
    } finally {
      relay.tamper = null;
    }
    assertEqual(state.a1.messenger.deviceList(dave).list.version, 2, 'alice fetched and accepted version 2');
    const session = await tx(state.a1.db, 'deviceSessions', 'readonly', ({ deviceSessions }) => done(deviceSessions.get([dave, 7])));
    assert(session, 'a session with device 7');
    assertEqual((await snapshot(state.a1, dave)).messages.filter((m) => m.direction === 'system').length, 1, 'no new refusal note');
  });

  test('an account from before linked devices becomes device 1 by itself and talks; it cannot approve a device, and says why', async () => {
    const carol = `carol_${suffix}`;
    const identity = await identityFromKeyPairs(await ed25519Generate(), await x25519Generate());
    relay.addUnlisted(carol, publicJson.identity(identity));
    const db = await openAccountDb(carol);
    await tx(db, 'meta', 'readwrite', ({ meta }) => meta.put({
      username: carol, identity, registered: true, createdAt: 1, nextOneTimePreKeyId: 1, nextKemPreKeyId: 1, nextSignedPreKeyId: 1, prekeysUploaded: false,
    }, 'account'));
    await upgradeLocalAccount(db);
    const seen = relay.received.length;
    state.carol = await startDevice(db, await loadAccount(db));
    assertEqual(relay.received.slice(seen, seen + 2).join(), 'login,publish_devices', 'logs in with the identity, then publishes its list first');
    const first = relay.logins.filter((l) => l.frame.username === carol)[0];
    assert(await ed25519Verify(identity.signing.publicKey, authBytes({ ...first.frame, nonce: unb64(first.nonce), action: 'login' }), unb64(first.frame.signature)),
      'the first login is signed by the identity over parley-auth-v1');
    assertEqual(relay.accounts.get(carol).list.version, 1, 'list version 1');
    assert(!(await loadAccount(db)).unlisted, 'listed from now on');
    await state.carol.messenger.sendText(bob, 'hello from an old account');
    await until(async () => texts(await snapshot(state.bob, carol), 'in').includes('hello from an old account'), 'bob receives');
    await state.bob.messenger.sendText(carol, 'and back');
    await until(async () => texts(await snapshot(state.carol, bob), 'in').includes('and back'), 'carol receives');
    const view = await state.carol.messenger.linkedDevices.view();
    assert(view.cannotApprove?.includes('created before linking existed'), `says why: ${view.cannotApprove}`);
    state.carol.connection.stop();
    const published = relay.received.filter((t) => t === 'publish_devices').length;
    const again = await startDevice(db, await loadAccount(db));
    assertEqual(relay.received.filter((t) => t === 'publish_devices').length, published, 'the next login publishes nothing');
    const next = relay.logins.filter((l) => l.frame.username === carol).at(-1);
    const { deviceKey } = await loadAccount(db);
    assert(await ed25519Verify(deviceKey.publicKey, deviceAuthBytes({ ...next.frame, nonce: unb64(next.nonce) }), unb64(next.frame.signature)),
      'the next login is signed by the device key over parley-device-auth-v1');
    again.connection.stop();
  });

  return runSuite();
}
