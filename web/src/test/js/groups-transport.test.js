/**
 * How group messages travel (docs/PROTOCOL.md §6, §6a), through the client's real code against
 * relay/test-relay.js: a copy is a group message only when the relay says it came from a
 * `send_multi` (`multi`), never by its content's first byte; a group's recipient list is sent
 * once and then named by its recipient set, sent again when the server forgot the set or the
 * list changed (a member linked a device).
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { TestRelay } from './relay/test-relay.js';
import { installFakeWebSocket, inPage } from './relay/fake-socket.js';
import { registerDevice, groupSnapshot, snapshot, until } from './relay/device-driver.js';
import { windowDevice } from './relay/device-window.js';
import { unb64 } from '/web/js/protocol/index.js';
import { encryptForDevices } from '/web/js/chat/device-envelopes.js';
import { SendMessage } from '/web/js/wire/delivery.js';
import { tx, done } from '/web/js/store/idb.js';
import { randomId } from '/web/js/lib/ids.js';

const texts = (snap, direction) => snap.messages.filter((m) => m.direction === direction).map((m) => m.text);
const MAX_SEALS = 5_000;

export async function run() {
  const { test, run: runSuite } = createSuite();
  const relay = new TestRelay();
  installFakeWebSocket(inPage(relay));
  const suffix = Math.random().toString(36).slice(2, 8);
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => `${n}_${suffix}`);
  const s = {};
  /** The send_multi frames of message `id`, as the relay saw them. */
  const framesOf = (id) => relay.multis.filter((m) => m.id === id);
  /** Alice sends `text` to the group and waits until bob and carol show it. -> the message id */
  async function groupText(text) {
    const { id } = await s.a1.messenger.groups.sendText(s.group, text);
    for (const member of [s.bob, s.carol]) {
      await until(async () => texts(await groupSnapshot(member, s.group), 'in').includes(text), `${text} on a member`);
    }
    return id;
  }

  test('a 1:1 fan-out whose content starts with 0x04 (a group message\'s first byte) is received as a normal message', async () => {
    s.a1 = await registerDevice(alice);
    s.bob = await registerDevice(bob);
    s.carol = await registerDevice(carol);
    await until(() => [bob, carol].every((u) => s.a1.messenger.contacts.get(u)?.identity), 'alice sees everyone');
    const hello = await s.a1.messenger.sendText(bob, 'hello bob');
    // Bob's receipt moves alice's session too: wait for it before sealing outside the outbox.
    await until(async () => (await snapshot(s.a1, bob)).messages.find((m) => m.id === hello.id)?.status === 'delivered', 'hello delivered');
    const record = await tx(s.a1.db, 'deviceSessions', 'readonly', ({ deviceSessions }) => done(deviceSessions.get([bob, 1])));
    const id = randomId();
    const payload = { type: 'text', sentAt: Date.now(), id, text: 'a fan-out that looks like a group message' };
    let sealed = null;
    for (let i = 0; i < MAX_SEALS && !sealed; i++) {
      const out = await encryptForDevices(new Map([[1, record.record]]), payload);
      if (unb64(out.copies.content)[0] === 0x04) sealed = out;
    }
    assert(sealed, `no sealing in ${MAX_SEALS} started with 0x04`);
    await tx(s.a1.db, 'deviceSessions', 'readwrite', ({ deviceSessions }) => deviceSessions.put({ peer: bob, device: 1, record: sealed.records.get(1) }));
    await s.a1.connection.request(SendMessage.of({ id, to: bob, content: sealed.copies.content, devices: sealed.copies.devices }));
    const onBob = await until(async () => {
      const snap = await snapshot(s.bob, alice);
      return texts(snap, 'in').includes(payload.text) ? snap : null;
    }, 'bob shows the text');
    assertEqual(onBob.messages.filter((m) => m.direction === 'system').length, 0, 'no note of an undecryptable or refused message');
    const log = await s.bob.messenger.securityLog();
    assert(!log.some((e) => e.event === 'group-message-refused'), 'nothing taken for a group message');
  });

  test('a second message to an unchanged group names its recipient set, and so does typing', async () => {
    s.group = await s.a1.messenger.groups.create('Sets', [bob, carol]);
    await until(() => s.bob.messenger.groups.view(s.group) && s.carol.messenger.groups.view(s.group), 'both members hold the group');
    const first = await groupText('first');
    assert(framesOf(first).every((f) => f.recipientSet === null), 'the first carries the sender key: its list');
    const second = await groupText('second');
    const frames = framesOf(second);
    assertEqual(frames.length, 1, 'one frame');
    assert(frames[0].recipientSet, 'the second names a set');
    assertEqual(frames[0].devices.sort().join(), [`${bob}:1`, `${carol}:1`].sort().join(), 'the set is the group\'s list');
    for (const member of [s.bob, s.carol]) {
      assertEqual(texts(await groupSnapshot(member, s.group), 'in').filter((t) => t === 'second').length, 1, 'shown once');
    }
    const row = await tx(s.a1.db, 'groups', 'readonly', ({ groups }) => done(groups.get(s.group)));
    assertEqual(row.recipientSets.sets.map((x) => x.set).join(), frames[0].recipientSet, 'remembered in the group\'s row');
    const texted = new Set(relay.multis.map((m) => m.id));
    s.a1.messenger.groups.typingChanged(s.group, true);
    await until(() => s.bob.messenger.groups.typingIn(s.group).join() === alice, 'bob sees alice typing');
    const typing = relay.multis.filter((m) => m.from === alice && !texted.has(m.id));
    assert(typing.length > 0 && typing.every((m) => m.recipientSet === frames[0].recipientSet), 'typing names the same set');
    s.a1.messenger.groups.typingChanged(s.group, false);
    await until(() => s.bob.messenger.groups.typingIn(s.group).length === 0, 'and stops');
  });

  test('a set the relay forgot: the frame goes again with its list, the message arrives once, later ones name the new set', async () => {
    relay.forgetRecipientSets();
    const id = await groupText('after a restart');
    const frames = framesOf(id);
    assertEqual(frames.map((f) => (f.refused ?? (f.recipientSet ? 'set' : 'list'))).join(), 'unknown_recipient_set,list', 'the set refused, then the list');
    await until(async () => (await groupSnapshot(s.a1, s.group)).messages.find((m) => m.id === id)?.status === 'delivered', 'delivered, not failed');
    for (const member of [s.bob, s.carol]) {
      assertEqual(texts(await groupSnapshot(member, s.group), 'in').filter((t) => t === 'after a restart').length, 1, 'shown once');
    }
    const next = await groupText('and the next');
    assert(framesOf(next).length === 1 && framesOf(next)[0].recipientSet, 'the next names the new set');
  });

  test('a member who linked a device: the set is refused for that member alone, and the next message names the list again', async () => {
    relay.pushDevicesChanged = false; // alice learns of bob's new device only from the refusal
    s.b2 = windowDevice(relay);
    await s.b2.ready;
    const { code } = await s.b2.call('link', 'Laptop');
    await s.bob.messenger.linkedDevices.approve(await s.bob.messenger.linkedDevices.peek(code), { history: false });
    await s.b2.call('linked');
    await until(async () => (await s.b2.call('groups')).some((g) => g.id === s.group), 'the group on bob\'s new device');
    const refusalsBefore = relay.refusals.length;
    const linked = await groupText('after bob linked');
    await until(async () => texts(await s.b2.call('groupSnapshot', s.group), 'in').includes('after bob linked'), 'bob\'s new device receives it');
    const frames = framesOf(linked);
    assert(frames[0].recipientSet, 'the first frame named the set alice knew');
    assert(relay.refusals.slice(refusalsBefore).includes('mismatched_devices missing=2 extra='), `bob refused: ${relay.refusals.slice(refusalsBefore)}`);
    assertEqual(frames.slice(1).map((f) => `${f.recipientSet ? 'set' : 'list'} ${f.devices.join()}`).join(' | '), `list ${bob}:1+2`, 'bob\'s fix with his list');
    assertEqual(texts(await groupSnapshot(s.bob, s.group), 'in').filter((t) => t === 'after bob linked').length, 1, 'bob\'s device 1 once');
    const next = await groupText('the list again');
    await until(async () => texts(await s.b2.call('groupSnapshot', s.group), 'in').includes('the list again'), 'bob\'s new device receives the next');
    const nextFrames = framesOf(next);
    assertEqual(nextFrames.map((f) => `${f.recipientSet ? 'set' : 'list'} ${f.devices.sort().join()}`).join(' | '), `list ${[`${bob}:1+2`, `${carol}:1`].sort().join()}`, 'the whole new list');
    const after = await groupText('and a set again');
    assert(framesOf(after).length === 1 && framesOf(after)[0].recipientSet, 'then its set');
  });

  return runSuite();
}
