/**
 * Groups through the client's real code (account creation, Connection, Messenger, the group
 * model, the outbox with send_multi, the receiver) against relay/test-relay.js: three accounts,
 * one of them with a second device in a window of another origin (linked after the group was
 * made, so it gets the groups' snapshots from the approving device). Shows: changes held for a
 * gap and applied in order; creating a group;
 * messages encrypted once and read by every member device; receipts per member; a linked
 * device taking part; a removed member getting nothing new (and the sender's chain rotated);
 * an added member getting the state and new messages only; changes a member's client forges,
 * makes without being admin, replays or makes on another version refused with a warning line
 * and a security log event.
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { TestRelay } from './relay/test-relay.js';
import { installFakeWebSocket, inPage } from './relay/fake-socket.js';
import { registerDevice, groupSnapshot, until } from './relay/device-driver.js';
import { windowDevice } from './relay/device-window.js';
import { loadAccount } from '/web/js/chat/account.js';
import {
  nextGroupChange, groupIdText, createGroupChange, applyGroupChange, randomGroupId, groupStateHash, generateIdentity,
} from '/web/js/protocol/index.js';
import { plan } from '/web/js/chat/groups/group-apply.js';
import { newGroupRow } from '/web/js/chat/groups/group-store.js';
import { tx, done } from '/web/js/store/idb.js';
import { pairwiseEntry } from '/web/js/chat/groups/group-changes.js';
import { randomId } from '/web/js/lib/ids.js';
import { createShell } from '/web/js/ui/shell.js';

const texts = (snap, direction) => snap.messages.filter((m) => m.direction === direction).map((m) => m.text);
const lines = (snap) => snap.messages.filter((m) => m.direction === 'system').map((m) => m.text);

/** The group state `device` holds (the store's row). */
async function heldState(device, group) {
  return tx(device.db, 'groups', 'readonly', async ({ groups }) => (await done(groups.get(group))).state);
}

/**
 * A change queued in `member`'s own outbox as its client would send one, to `audience`: what a
 * member's (modified or compromised) client can do. The server cannot make any: it has no
 * session with the members.
 */
async function injectChange(member, change, audience) {
  const entry = pairwiseEntry(groupIdText(change.groupId), 'group-change', { type: 'group-change', id: randomId(), sentAt: Date.now(), change }, audience);
  await tx(member.db, 'outbox', 'readwrite', ({ outbox }) => outbox.add(entry));
  await member.messenger.pump();
}

export async function run() {
  const { test, run: runSuite } = createSuite();
  const relay = new TestRelay();
  installFakeWebSocket(inPage(relay));
  // Members learn of alice's new device from mismatched_devices, the path that must work whatever pushes arrive.
  relay.pushDevicesChanged = false;
  const suffix = Math.random().toString(36).slice(2, 8);
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) => `${n}_${suffix}`);
  const s = {};

  test('a change that arrives before the one it follows is held, then both apply in order; a full hold refuses', async () => {
    const identity = await generateIdentity();
    const key = identity.publicIdentity.subarray(0, 32);
    const groupId = randomGroupId();
    const create = await createGroupChange(identity, 'ann', groupId, 'Held', [{ username: 'ann', admin: true }, { username: 'ben', admin: false }]);
    const v1 = await applyGroupChange(null, create, key);
    const add = await nextGroupChange(identity, 'ann', v1, { type: 'add', usernames: ['cat'] });
    const rename = await nextGroupChange(identity, 'ann', await applyGroupChange(v1, add, key), { type: 'rename', name: 'Later' });
    const row = { ...newGroupRow(groupIdText(groupId), groupId), state: v1, hash: await groupStateHash(v1), version: 1, status: 'active' };
    const decide = (from, held, change) => plan({ row: from, held, change, from: 'ann', me: 'ben', authorKey: async () => key });
    const early = await decide(row, [], rename);
    assert(early.hold && early.applied === 0 && early.lines.length === 0, 'version 3 before 2 is held, silently');
    const both = await decide(early.row, [early.hold], add);
    assertEqual(both.applied, 2, 'both applied');
    assertEqual(both.row.state.name, 'Later', 'the held rename applied after the add');
    assertEqual(both.dropHeld.join(), early.hold.key, 'the held change leaves the hold');
    assertEqual(both.lines.map((l) => l.text).join(' | '), 'ann added cat | ann renamed the group to "Later"', 'a line each');
    const full = await decide(row, Array.from({ length: 32 }, (_, i) => ({ ...early.hold, key: `k${i}` })), rename);
    assert(!full.hold && full.lines[0].text.includes('too many changes are missing'), `a full hold refuses: ${full.lines[0]?.text}`);
  });

  test('alice creates a group with bob and carol: every member holds the same state', async () => {
    s.a1 = await registerDevice(alice);
    s.bob = await registerDevice(bob);
    s.carol = await registerDevice(carol);
    s.dave = await registerDevice(dave);
    await until(() => [bob, carol, dave].every((u) => s.a1.messenger.contacts.get(u)?.identity), 'alice sees everyone');
    s.group = await s.a1.messenger.groups.create('Trip', [bob, carol]);
    for (const member of [s.bob, s.carol]) {
      const snap = await until(async () => {
        const g = member.messenger.groups.view(s.group) && await groupSnapshot(member, s.group);
        return g && lines(g).length > 0 ? g : null;
      }, 'the group on a member');
      assertEqual(snap.view.name, 'Trip', 'the name');
      assertEqual(snap.view.members.map((m) => `${m.username}:${m.admin}`).join(), [alice, bob, carol].sort().map((u) => `${u}:${u === alice}`).join(), 'members, alice admin');
      assertEqual(lines(snap).join(), `${alice} created the group "Trip"`, 'the system line');
    }
    assert(relay.multis.some((m) => m.from === alice && !m.content), 'the change went as send_multi envelopes');
  });

  test('a group text is encrypted once and read by every member; receipts count per member; typing shows', async () => {
    const sent = await s.a1.messenger.groups.sendText(s.group, 'hello group');
    for (const member of [s.bob, s.carol]) {
      await until(async () => texts(await groupSnapshot(member, s.group), 'in').includes('hello group'), 'a member receives');
    }
    const multi = relay.multis.find((m) => m.id === sent.id);
    assert(multi.content, 'the text is the shared content');
    assertEqual(multi.recipients.sort().join(), [bob, carol].sort().join(), 'to both members (alice has no other device)');
    const bobView = await groupSnapshot(s.bob, s.group);
    assertEqual(bobView.messages.find((m) => m.text === 'hello group').sender, alice, 'shown with its sender');
    await until(async () => (await groupSnapshot(s.a1, s.group)).messages.find((m) => m.id === sent.id)?.status === 'delivered', 'delivered to both');
    await s.bob.messenger.groups.markRead(s.group, bobView.messages.filter((m) => m.direction === 'in').map((m) => m.id));
    const mine = await until(async () => {
      const m = (await groupSnapshot(s.a1, s.group)).messages.find((x) => x.id === sent.id);
      return m.receipts[bob] === 'read' ? m : null;
    }, 'bob\'s read receipt');
    assertEqual(mine.receipts[carol], 'delivered', 'carol delivered, not read');
    assertEqual(mine.status, 'delivered', 'read by one of two: still delivered');
    await s.bob.messenger.groups.sendText(s.group, 'hi from bob');
    await until(async () => texts(await groupSnapshot(s.carol, s.group), 'in').includes('hi from bob'), 'carol receives bob');
    await until(async () => texts(await groupSnapshot(s.a1, s.group), 'in').includes('hi from bob'), 'alice receives bob');
    s.bob.messenger.groups.typingChanged(s.group, true);
    await until(() => s.carol.messenger.groups.typingIn(s.group).join() === bob, 'carol sees bob typing');
    s.bob.messenger.groups.typingChanged(s.group, false);
    await until(() => s.carol.messenger.groups.typingIn(s.group).length === 0, 'and stop');
  });

  test('a device linked afterwards gets the group from the approving device and takes part', async () => {
    s.a2 = windowDevice(relay);
    await s.a2.ready;
    const { code } = await s.a2.call('link', 'Laptop');
    await s.a1.messenger.linkedDevices.approve(await s.a1.messenger.linkedDevices.peek(code), { history: true });
    await s.a2.call('linked');
    await until(async () => (await s.a2.call('groups')).some((g) => g.id === s.group && g.members.length === 3), 'the group on device 2');
    await s.bob.messenger.groups.sendText(s.group, 'after linking');
    await until(async () => texts(await s.a2.call('groupSnapshot', s.group), 'in').includes('after linking'), 'device 2 receives bob');
    await until(async () => texts(await groupSnapshot(s.a1, s.group), 'in').includes('after linking'), 'device 1 receives bob');
    assert(relay.refusals.includes('mismatched_devices missing=2 extra='), `bob's first send named alice's device 1 alone, and was resealed for alice only: ${relay.refusals}`);
    await s.a2.call('groupSend', s.group, 'from the laptop');
    await until(async () => texts(await groupSnapshot(s.carol, s.group), 'in').includes('from the laptop'), 'carol receives device 2');
    const onA1 = await until(async () => {
      const snap = await groupSnapshot(s.a1, s.group);
      return texts(snap, 'out').includes('from the laptop') ? snap : null;
    }, 'device 1 shows it as sent');
    assertEqual(onA1.messages.filter((m) => m.text === 'from the laptop').length, 1, 'once');
  });

  test('a removed member gets nothing new: the remaining senders rotate their chains', async () => {
    await s.a1.messenger.groups.remove(s.group, [carol]);
    const onCarol = await until(async () => {
      const snap = await groupSnapshot(s.carol, s.group);
      return snap.view.status === 'removed' ? snap : null;
    }, 'carol learns she was removed');
    assert(lines(onCarol).includes(`${alice} removed you`), `carol's system line: ${lines(onCarol)}`);
    await until(async () => lines(await groupSnapshot(s.bob, s.group)).includes(`${alice} removed ${carol}`), 'bob applies the removal');
    const chainBefore = await tx(s.bob.db, 'senderChains', 'readonly', ({ senderChains }) => done(senderChains.get(s.group)));
    const sent = await s.bob.messenger.groups.sendText(s.group, 'secret after removal');
    await until(async () => texts(await groupSnapshot(s.a1, s.group), 'in').includes('secret after removal'), 'alice receives it');
    const chainAfter = await tx(s.bob.db, 'senderChains', 'readonly', ({ senderChains }) => done(senderChains.get(s.group)));
    assert(chainAfter.chainId !== chainBefore.chainId, 'bob started a new chain');
    assert(!relay.multis.find((m) => m.id === sent.id).recipients.includes(carol), 'carol is not a recipient');
    assert(!relay.accounts.get(carol).devices.get(1).queue.some((m) => m.id === sent.id), 'nothing queued for carol');
    assert(!texts(await groupSnapshot(s.carol, s.group), 'in').includes('secret after removal'), 'carol shows nothing new');
    assertEqual(s.carol.messenger.groups.refusal(s.group, 'x'), 'You are no longer a member of this group.', 'carol cannot send');
  });

  test('an added member gets the state and new messages, none from before', async () => {
    await s.a1.messenger.groups.add(s.group, [dave]);
    const snap = await until(async () => {
      const g = s.dave.messenger.groups.view(s.group) && await groupSnapshot(s.dave, s.group);
      return g?.view.members.some((m) => m.username === dave) ? g : null;
    }, 'dave holds the group');
    assertEqual(snap.view.members.map((m) => m.username).join(), [alice, bob, dave].sort().join(), 'dave sees the members');
    assertEqual(lines(snap).join(), `${alice} added you`, 'dave\'s only line');
    await s.bob.messenger.groups.sendText(s.group, 'welcome dave');
    await until(async () => texts(await groupSnapshot(s.dave, s.group), 'in').includes('welcome dave'), 'dave receives bob');
    assertEqual(texts(await groupSnapshot(s.dave, s.group), 'in').join(), 'welcome dave', 'nothing from before');
  });

  test('an unlinked device gets nothing new: members drop its chains and start new ones once they know', async () => {
    const chainBefore = await tx(s.bob.db, 'senderChains', 'readonly', ({ senderChains }) => done(senderChains.get(s.group)));
    assert(chainBefore.distributed.includes(`${alice}:2`), 'alice\'s device 2 held bob\'s chain');
    await s.a1.messenger.linkedDevices.unlink(2);
    // Bob's held list still names device 2: the server stores nothing for it and refuses alice's part.
    const first = await s.bob.messenger.groups.sendText(s.group, 'after unlinking');
    await until(async () => texts(await groupSnapshot(s.a1, s.group), 'in').includes('after unlinking'), 'device 1 receives');
    assert(relay.refusals.includes('mismatched_devices missing= extra=2'), `bob still named device 2 and was told: ${relay.refusals}`);
    assert(!relay.accounts.get(alice).devices.has(2), 'device 2 is gone from the server');
    const kept = await tx(s.bob.db, 'senderKeys', 'readonly', ({ senderKeys }) => done(senderKeys.get([s.group, alice, 2])));
    assertEqual(kept ?? null, null, 'bob dropped the chains of alice\'s device 2');
    await s.bob.messenger.groups.sendText(s.group, 'after unlinking, again');
    await until(async () => texts(await groupSnapshot(s.a1, s.group), 'in').includes('after unlinking, again'), 'device 1 receives the next');
    const chainAfter = await tx(s.bob.db, 'senderChains', 'readonly', ({ senderChains }) => done(senderChains.get(s.group)));
    assert(chainAfter.chainId !== chainBefore.chainId, 'bob started a new chain for the next message');
    assert(!chainAfter.distributed.includes(`${alice}:2`), 'the new chain never went to device 2');
    assert(relay.multis.some((m) => m.id === first.id), 'the first was sent once more, for alice alone');
  });

  test('changes a member forges, makes without being admin, replays or makes on another version are refused with a warning line', async () => {
    const bobIdentity = (await loadAccount(s.bob.db)).identity;
    const state = await heldState(s.bob, s.group);
    const audience = [alice, dave];
    await injectChange(s.bob, await nextGroupChange(bobIdentity, bob, state, { type: 'rename', name: 'Bob\'s now' }), audience);
    await injectChange(s.bob, await nextGroupChange(bobIdentity, alice, state, { type: 'add', usernames: [carol] }), audience);
    await injectChange(s.bob, await nextGroupChange(bobIdentity, bob, { ...state, version: state.version - 1 }, { type: 'leave' }), audience);
    await injectChange(s.bob, await nextGroupChange(bobIdentity, bob, { ...state, name: 'another branch' }, { type: 'leave' }), audience);
    const expected = ['its author is not an admin', 'its signature does not verify', 'it is older than the group', 'it changes another version of the group'];
    for (const member of [s.a1, s.dave]) {
      const warnings = await until(async () => {
        const w = (await groupSnapshot(member, s.group)).messages.filter((m) => m.direction === 'system' && m.kind === 'warning').map((m) => m.text);
        return w.length >= 4 ? w : null;
      }, 'four warnings');
      expected.forEach((words, i) => assert(warnings[i].includes(words), `warning ${i}: ${warnings[i]}`));
      assertEqual(member.messenger.groups.view(s.group).name, 'Trip', 'the name is unchanged');
      assert(!member.messenger.groups.view(s.group).members.some((m) => m.username === carol), 'carol was not added');
      const log = await member.messenger.securityLog();
      assertEqual(log.filter((e) => e.event === 'group-change-refused').length, 4, 'four refusals in the security log');
    }
  });

  test('the page: New group, the sidebar entry, sending, receipts, members, remove and leave by their test ids', async () => {
    const shell = createShell({ messenger: s.dave.messenger, connection: s.dave.connection, onReconnect: () => {}, onSignedOut: () => {} });
    document.body.append(shell.element);
    try {
      byId('new-group').click();
      byId('group-name-input').value = 'Lunch';
      byId(`group-member-${bob}`).click();
      byId('group-create').click();
      const lunch = await until(() => s.dave.messenger.groups.list().find((g) => g.name === 'Lunch')?.id, 'the group made from the page');
      await until(() => document.querySelector(`[data-testid="group-${CSS.escape(lunch)}"]`), 'its sidebar entry');
      await until(() => [...all('system-line')].some((l) => l.textContent === 'you created the group "Lunch"'), 'the open conversation shows the system line');
      const input = byId('message-input');
      input.value = 'lunch at noon?';
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await until(async () => texts(await groupSnapshot(s.bob, lunch), 'in').includes('lunch at noon?'), 'bob receives the text typed in the page');
      await until(() => byId('group-receipt-summary')?.textContent === 'delivered to 1 of 1 · read by 0 of 1', 'the receipt summary');
      byId('group-receipt-summary').click();
      assertEqual(byId(`group-receipt-${bob}`).dataset.state, 'delivered', 'the per-member view');
      await closeDialog();
      const unread = s.dave.messenger.groups.view(s.group).unread;
      await s.bob.messenger.groups.sendText(s.group, 'in the other group');
      await until(() => byId(`group-unread-${s.group}`)?.textContent === String(unread + 1), 'the other group\'s unread count');
      byId('group-members').click();
      assert(byId(`group-admin-${dave}`), 'dave marked admin');
      assert(!byId(`group-admin-${bob}`), 'bob not admin');
      assert(byId(`group-safety-${bob}`), 'bob\'s safety number one click away');
      assert(byId('group-add-member'), 'an admin can add');
      byId(`group-remove-${bob}`).click();
      await until(() => [...all('system-line')].some((l) => l.textContent === `you removed ${bob}`), 'the removal line');
      await closeDialog();
      byId(`group-${s.group}`).click();
      byId('group-members').click();
      assert(!byId(`group-remove-${alice}`), 'a member who is not admin removes nobody');
      byId('group-leave').click();
      await until(() => byId('group-status')?.textContent === 'You left this group.', 'left');
      await until(async () => lines(await groupSnapshot(s.a1, s.group)).includes(`${dave} left`), 'alice sees dave leave');
      assert(byId('message-input').disabled, 'the composer is disabled');
    } finally {
      document.querySelectorAll('dialog').forEach((d) => d.close());
      shell.element.remove();
    }
  });

  return runSuite();
}

function byId(testid) {
  return document.querySelector(`[data-testid="${CSS.escape(testid)}"]`);
}

/** Closes the open dialog and waits until it has left the page (its `close` event comes a task later). */
async function closeDialog() {
  byId('dialog-close').click();
  await until(() => !document.querySelector('dialog'), 'the dialog closed');
}

function all(testid) {
  return document.querySelectorAll(`[data-testid="${CSS.escape(testid)}"]`);
}
