/**
 * A private directory and blocking, through the client's real code (Connection, Messenger,
 * directory-sync.js, blocking.js, receiver, outbox) against relay/test-relay.js in its private
 * mode. Shows: the whole list is never asked; a person is found by exact name only; a sender
 * the client did not know is looked up; a blocked account's texts, typing and receipts are
 * acknowledged and dropped and nothing is sent back (no delivery receipt, no typing), sending
 * to it is refused; after unblocking its new messages show and are receipted again.
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { TestRelay } from './relay/test-relay.js';
import { installFakeWebSocket, inPage } from './relay/fake-socket.js';
import { registerDevice, snapshot, groupSnapshot, until } from './relay/device-driver.js';

const texts = (snap, direction) => snap.messages.filter((m) => m.direction === direction).map((m) => m.text);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run() {
  const { test, run: runSuite } = createSuite();
  const relay = new TestRelay();
  relay.directory = 'private';
  installFakeWebSocket(inPage(relay));
  const suffix = Math.random().toString(36).slice(2, 8);
  const alice = `alice_${suffix}`;
  const bob = `bob_${suffix}`;
  const state = {};

  /** Resolves once `device` has nothing left in the relay's queue (every copy acknowledged). */
  const drained = (name) => until(() => [...relay.accounts.get(name).devices.values()].every((d) => d.queue.length === 0), `${name}'s queue acknowledged`);

  test('a private directory: the list is never asked, a person is found by exact name only', async () => {
    state.alice = await registerDevice(alice);
    state.bob = await registerDevice(bob);
    assertEqual(state.alice.messenger.directory.mode, 'private', 'the mode from server_limits');
    assert(!relay.received.includes('get_public_keys'), 'get_public_keys is never sent in private mode');
    assert(!state.alice.messenger.contacts.has(bob), 'nobody is known before a look-up');
    const found = await state.alice.messenger.directory.find([bob, `${bob}x`, bob.slice(0, -1)]);
    assertEqual(JSON.stringify(found), JSON.stringify([bob]), 'only the exact name is found');
    assert(state.alice.messenger.contacts.get(bob)?.identity, 'the found identity is known');
    assert(!state.alice.messenger.contacts.has(`${bob}x`), 'an absent name is not a contact');
  });

  test('a sender the client did not know is looked up by exact name', async () => {
    await state.alice.messenger.sendText(bob, 'hello bob');
    await until(async () => texts(await snapshot(state.bob, alice), 'in').includes('hello bob'), 'bob receives');
    await until(() => relay.lookups.some((names) => names.includes(alice)), 'bob looks alice up');
    await state.bob.messenger.sendText(alice, 'hello alice');
    await until(async () => texts(await snapshot(state.alice, bob), 'in').includes('hello alice'), 'alice receives');
    await until(async () => (await snapshot(state.bob, alice)).messages.some((m) => m.text === 'hello alice' && m.status === 'delivered'), 'a delivery receipt comes back');
  });

  test('a blocked sender\'s texts, typing and receipts are dropped; nothing is sent to it', async () => {
    await state.bob.messenger.blocking.set(alice, true);
    assert(state.bob.messenger.blocking.isBlocked(alice), 'blocked');
    assert(!state.bob.messenger.contacts.get(alice).identityChange, 'not an identity change');
    assertEqual(JSON.stringify(state.bob.messenger.blocking.blocked()), JSON.stringify([alice]), 'the block list');
    assert(/blocked/.test(state.bob.messenger.refusal(alice, 'hi') ?? ''), 'sending to a blocked account is refused');

    const sendsBefore = relay.received.filter((t) => t === 'send_message').length;
    state.bob.messenger.typingChanged(alice, true);
    await sleep(300);
    assertEqual(relay.received.filter((t) => t === 'send_message').length, sendsBefore, 'no typing goes to a blocked account');

    state.alice.messenger.typingChanged(bob, true);
    await state.alice.messenger.sendText(bob, 'while blocked');
    await drained(bob);
    await sleep(500);
    const seen = await snapshot(state.bob, alice);
    assert(!texts(seen, 'in').includes('while blocked'), 'the text is not stored');
    assert(!state.bob.messenger.typing.get(alice), 'the typing is not shown');
    const sent = (await snapshot(state.alice, bob)).messages.find((m) => m.text === 'while blocked');
    assertEqual(sent.status, 'stored', 'no delivery receipt was sent back');
  });

  test('after unblocking, new messages show and are receipted', async () => {
    await state.bob.messenger.blocking.set(alice, false);
    await state.alice.messenger.sendText(bob, 'after unblock');
    await until(async () => texts(await snapshot(state.bob, alice), 'in').includes('after unblock'), 'bob receives again');
    await until(async () => (await snapshot(state.alice, bob)).messages.some((m) => m.text === 'after unblock' && m.status === 'delivered'), 'delivered again');
    assert(!texts(await snapshot(state.bob, alice), 'in').includes('while blocked'), 'what came while blocked stays dropped');
  });

  test('in a group, a blocked member\'s messages are dropped; after unblocking they show again', async () => {
    const groupTexts = async (device, group) => (await groupSnapshot(device, group)).messages
      .filter((m) => m.direction === 'in').map((m) => m.text);
    const group = await state.alice.messenger.groups.create('Blocked club', [bob]);
    await until(() => state.bob.messenger.groups.view(group), 'bob has the group');
    await state.alice.messenger.groups.sendText(group, 'group hello');
    await until(async () => (await groupTexts(state.bob, group)).includes('group hello'), 'bob receives in the group');

    await state.bob.messenger.blocking.set(alice, true);
    await state.alice.messenger.groups.sendText(group, 'group while blocked');
    await drained(bob);
    await sleep(500);
    assert(!(await groupTexts(state.bob, group)).includes('group while blocked'), 'the group text is dropped');

    await state.bob.messenger.blocking.set(alice, false);
    await state.alice.messenger.groups.sendText(group, 'group after unblock');
    await until(async () => (await groupTexts(state.bob, group)).includes('group after unblock'), 'the next group text shows');
    assert(!(await groupTexts(state.bob, group)).includes('group while blocked'), 'what came while blocked stays dropped');
  });

  return runSuite();
}
