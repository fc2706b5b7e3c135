/**
 * Messages with content and their controls as the web client applies them
 * (web/js/chat/content-apply.js) and their expiry (expiry.js), on a real account database in
 * IndexedDB: the author rule (only the author's account edits or deletes; one's own devices
 * count as the author), the 24-hour window by server time, controls waiting for their target
 * (at most 100), one reaction per account, the timer and its line, refusals written to the
 * security log and changing nothing, and expired messages erased from the store.
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { openAccountDb, deleteAccountDb } from '/web/js/store/account-db.js';
import { tx, done, getAll } from '/web/js/store/idb.js';
import { Emitter } from '/web/js/lib/emitter.js';
import { findMessage } from '/web/js/chat/messages.js';
import {
  CONTENT_STORES, MAX_WAITING, CONTROL_WINDOW_MS, applyControl, contentFields, readTimers, storeMessage, describeTimer,
} from '/web/js/chat/content-apply.js';
import { ExpirySweeper } from '/web/js/chat/expiry.js';

const suite = createSuite();
const test = (name, fn) => suite.test(name, fn);
const ME = 'alice';
const HOUR = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

async function freshDb() {
  const name = `content-${Math.random().toString(36).slice(2)}`;
  const db = await openAccountDb(name);
  return { db, close: async () => { db.close(); await deleteAccountDb(name); } };
}

const inTx = (db, work) => tx(db, [...CONTENT_STORES, 'contacts', 'groups'], 'readwrite', work);
const incoming = (peer, id, text, extra = {}) => ({ peer, id, direction: 'in', text, sentAt: T0, serverTime: T0, status: 'received', read: false, ...extra });
const outgoing = (peer, id, text, extra = {}) => ({ peer, id, direction: 'out', text, sentAt: T0, serverTime: T0, status: 'stored', ...extra });
const edit = (targetId, text) => ({ type: 'edit', id: `e-${targetId}-${text}`, sentAt: T0, targetId, text });
const del = (targetId) => ({ type: 'delete', id: `d-${targetId}`, sentAt: T0, targetId });
const reaction = (targetAuthor, targetId, emoji) => ({ type: 'reaction', id: `r-${Math.random()}`, sentAt: T0, targetAuthor, targetId, emoji });

const sorted = (o) => JSON.stringify(Object.fromEntries(Object.entries(o).sort()));

async function message(db, peer, id) {
  return tx(db, 'messages', 'readonly', ({ messages }) => findMessage(messages, peer, id));
}

async function refusals(db) {
  return (await tx(db, 'log', 'readonly', ({ log }) => getAll(log))).filter((e) => e.event === 'control-refused');
}

async function apply(db, args) {
  return inTx(db, (s) => applyControl(s, { me: ME, serverTime: T0 + HOUR, ...args }));
}

test('an edit and a delete from the message\'s author apply; from anyone else they are refused, logged and change nothing', async () => {
  const { db, close } = await freshDb();
  try {
    await inTx(db, (s) => storeMessage(s, incoming('bob', 'm1', 'hello', { quote: { author: ME, id: 'x' } }), ME));
    await inTx(db, (s) => storeMessage(s, outgoing('bob', 'm2', 'mine'), ME));
    // bob may not edit alice's message, even in their conversation.
    const forged = await apply(db, { conversation: 'bob', author: 'bob', control: edit('m2', 'forged') });
    assertEqual(forged.refused, 'not the author\'s message', 'forged edit refused');
    assertEqual((await message(db, 'bob', 'm2')).text, 'mine', 'unchanged');
    const forgedDelete = await apply(db, { conversation: 'bob', author: 'bob', control: del('m2') });
    assert(forgedDelete.refused, 'forged delete refused');
    assert(!(await message(db, 'bob', 'm2')).deleted, 'not deleted');
    assertEqual((await refusals(db)).length, 2, 'two refusals in the security log');
    assert(!(await refusals(db))[0].detail.includes('forged'), 'the log holds no message text');

    await apply(db, { conversation: 'bob', author: 'bob', control: edit('m1', 'hello again') });
    const edited = await message(db, 'bob', 'm1');
    assertEqual(edited.text, 'hello again', 'edited text');
    assertEqual(edited.edited, true, 'edited mark');
    // This account's own devices are the author of its messages.
    await apply(db, { conversation: 'bob', author: ME, control: edit('m2', 'mine, edited') });
    assertEqual((await message(db, 'bob', 'm2')).text, 'mine, edited', 'own edit');
    await apply(db, { conversation: 'bob', author: 'bob', control: del('m1') });
    const deleted = await message(db, 'bob', 'm1');
    assertEqual(deleted.deleted, true, 'deleted');
    assertEqual(deleted.text, '', 'text erased');
    assertEqual(deleted.quote, undefined, 'quote erased');
    const late = await apply(db, { conversation: 'bob', author: 'bob', control: edit('m1', 'resurrected') });
    assertEqual(late.messages.length, 0, 'a deleted message is not edited');
    assertEqual((await message(db, 'bob', 'm1')).text, '', 'still deleted');
  } finally {
    await close();
  }
});

test('edits and deletes are refused more than 24 hours after the message, by server time', async () => {
  const { db, close } = await freshDb();
  try {
    await inTx(db, (s) => storeMessage(s, incoming('bob', 'old', 'old text'), ME));
    const tooLate = await apply(db, { conversation: 'bob', author: 'bob', control: edit('old', 'new'), serverTime: T0 + CONTROL_WINDOW_MS + 1 });
    assertEqual(tooLate.refused, 'more than 24 hours after the message', 'refused');
    assertEqual((await message(db, 'bob', 'old')).text, 'old text', 'unchanged');
    const inTime = await apply(db, { conversation: 'bob', author: 'bob', control: edit('old', 'new'), serverTime: T0 + CONTROL_WINDOW_MS });
    assertEqual(inTime.refused, null, 'accepted at exactly 24 hours');
  } finally {
    await close();
  }
});

test('in a group only the member who wrote a message may change it', async () => {
  const { db, close } = await freshDb();
  const group = 'G'.repeat(43);
  try {
    await inTx(db, (s) => storeMessage(s, incoming(group, 'g1', 'from bob', { sender: 'bob', group: true }), ME));
    const forged = await apply(db, { conversation: group, author: 'carol', control: del('g1') });
    assert(forged.refused, 'carol cannot delete bob\'s message');
    await apply(db, { conversation: group, author: 'bob', control: edit('g1', 'bob edited') });
    assertEqual((await message(db, group, 'g1')).text, 'bob edited', 'bob can');
    // A reaction names the author: naming another is refused.
    const wrong = await apply(db, { conversation: group, author: 'carol', control: reaction('dave', 'g1', '👍') });
    assert(wrong.refused, 'reaction naming the wrong author refused');
  } finally {
    await close();
  }
});

test('a control that arrives before its message waits for it (at most 100 per conversation)', async () => {
  const { db, close } = await freshDb();
  try {
    const early = await apply(db, { conversation: 'bob', author: 'bob', control: edit('later', 'edited before arrival') });
    assertEqual(early.refused, null, 'waits');
    const stored = await inTx(db, (s) => storeMessage(s, incoming('bob', 'later', 'original'), ME));
    assertEqual(stored.messages[0].text, 'edited before arrival', 'applied when the message came');
    assertEqual((await message(db, 'bob', 'later')).edited, true, 'stored edited');
    // A waiting edit from someone else is refused when the message comes.
    await apply(db, { conversation: 'bob', author: 'mallory', control: del('later2') });
    await inTx(db, (s) => storeMessage(s, incoming('bob', 'later2', 'kept'), ME));
    assertEqual((await message(db, 'bob', 'later2')).text, 'kept', 'a waiting forged delete changes nothing');
    for (let i = 0; i < MAX_WAITING; i++) await apply(db, { conversation: 'carol', author: 'carol', control: del(`none-${i}`) });
    const full = await apply(db, { conversation: 'carol', author: 'carol', control: del('one-more') });
    assertEqual(full.refused, 'too many controls wait for their message', 'the 101st is refused');
  } finally {
    await close();
  }
});

test('one reaction per account and message: a new one replaces it, an empty one removes it', async () => {
  const { db, close } = await freshDb();
  try {
    await inTx(db, (s) => storeMessage(s, outgoing('bob', 'm', 'react to me'), ME));
    await apply(db, { conversation: 'bob', author: 'bob', control: reaction(ME, 'm', '👍') });
    await apply(db, { conversation: 'bob', author: ME, control: reaction(ME, 'm', '😂') });
    await apply(db, { conversation: 'bob', author: 'bob', control: reaction(ME, 'm', '❤️') });
    assertEqual(sorted((await message(db, 'bob', 'm')).reactions), sorted({ alice: '😂', bob: '❤️' }), 'one each, replaced');
    await apply(db, { conversation: 'bob', author: 'bob', control: reaction(ME, 'm', '') });
    assertEqual(sorted((await message(db, 'bob', 'm')).reactions), sorted({ alice: '😂' }), 'removed');
  } finally {
    await close();
  }
});

test('a timer sets the conversation\'s timer and adds its line; messages carry their own expiry', async () => {
  const { db, close } = await freshDb();
  try {
    const out = await apply(db, { conversation: 'bob', author: 'bob', control: { type: 'timer', id: 't1', sentAt: T0, expireSeconds: 300 } });
    assertEqual(out.messages[0].text, 'bob set disappearing messages to 5 minutes', 'line');
    assertEqual(out.messages[0].kind, 'timer', 'kind');
    assertEqual((await tx(db, 'meta', 'readonly', ({ meta }) => readTimers(meta))).bob, 300, 'stored');
    await apply(db, { conversation: 'bob', author: ME, control: { type: 'timer', id: 't2', sentAt: T0, expireSeconds: 0 } });
    assertEqual((await tx(db, 'meta', 'readonly', ({ meta }) => readTimers(meta))).bob, undefined, 'off');
    assertEqual(describeTimer(604_800), '1 week', 'words');
    const fields = contentFields({ text: 'x', expireSeconds: 60, quote: null, attachment: null, sentAt: 1 }, 1_000);
    assertEqual(fields.expiresAt, 61_000, 'expiry counted from the server time');
  } finally {
    await close();
  }
});

test('the sweep erases expired messages from IndexedDB, recomputes the preview and says which', async () => {
  const { db, close } = await freshDb();
  try {
    const now = Date.now();
    await inTx(db, async (s) => {
      await storeMessage(s, incoming('bob', 'keep', 'stays'), ME);
      await storeMessage(s, incoming('bob', 'gone', 'disappears', { expiresAt: now - 1, expireSeconds: 5, reactions: { alice: '👍' } }), ME);
      await storeMessage(s, incoming('bob', 'soon', 'a little later', { expiresAt: now + 300, expireSeconds: 5 }), ME);
      s.contacts.put({ username: 'bob', unread: 3, lastMessage: { text: 'a little later', at: now, direction: 'in' } });
    });
    const messenger = new Emitter();
    messenger.username = ME;
    messenger.contacts = new Map();
    const removed = [];
    messenger.on('message-removed', (e) => removed.push(e.id));
    const sweeper = new ExpirySweeper({ db, messenger, groups: { updated() {} }, report: (e) => { throw e; } });
    await sweeper.start();
    assertEqual(JSON.stringify(removed), JSON.stringify(['gone']), 'the expired one');
    assertEqual(await message(db, 'bob', 'gone'), undefined, 'erased from the store');
    assert(await message(db, 'bob', 'soon'), 'the later one is still there');
    const deadline = Date.now() + 5_000;
    while (removed.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assertEqual(JSON.stringify(removed), JSON.stringify(['gone', 'soon']), 'swept at its instant');
    assertEqual(await message(db, 'bob', 'soon'), undefined, 'erased too');
    const contact = await tx(db, 'contacts', 'readonly', ({ contacts }) => done(contacts.get('bob')));
    assertEqual(contact.lastMessage.text, 'stays', 'preview from what is left');
    assertEqual(contact.unread, 1, 'unread from what is left');
  } finally {
    await close();
  }
});

export function run() {
  return suite.run();
}
