/**
 * Drives one device of the web client without its UI, for the multi-device tests: the real
 * account creation, Connection, Messenger and linking code, with the page's WebSocket replaced
 * by fake-socket.js. `snapshot` reads what the UI would show of a conversation.
 */

import { createLocalAccount, loadAccount, authFrame } from '/web/js/chat/account.js';
import { Messenger } from '/web/js/chat/messenger.js';
import { Connection } from '/web/js/net/connection.js';
import { NewDeviceLink } from '/web/js/chat/link-new-device.js';
import { openAccountDb } from '/web/js/store/account-db.js';

/** Resolves when `predicate()` (sync or async) is truthy; polls every 50 ms. */
export async function until(predicate, what, ms = 30_000) {
  const started = Date.now();
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A running device: { db, messenger, connection, events: { notices, deviceNotices, progress, fatal } }. */
export async function startDevice(db, account) {
  const connection = new Connection({ url: 'ws://relay.test/ws', authenticate: async (nonce) => authFrame(await loadAccount(db), nonce) });
  const messenger = new Messenger({ db, account, connection });
  await messenger.init();
  const events = { notices: [], deviceNotices: [], progress: [], fatal: [] };
  messenger.on('notice', ({ text }) => events.notices.push(text));
  messenger.on('device-notice', ({ text }) => events.deviceNotices.push(text));
  messenger.on('history-progress', (p) => events.progress.push(p));
  connection.on('fatal', (frame) => events.fatal.push(frame.code));
  const online = new Promise((resolve) => connection.on('online', resolve));
  connection.start();
  await online;
  await until(() => messenger.deviceList(messenger.username), `${account.username} device ${account.deviceId} online with its device list`);
  return { db, messenger, connection, events };
}

export async function registerDevice(username) {
  const { db, account } = await createLocalAccount(username);
  return startDevice(db, account);
}

/** Starts linking this browser; resolves once the channel is open: -> { code (as shown), fingerprint, linked: Promise<username> }. */
export async function startLink(name) {
  const link = new NewDeviceLink({ name });
  const waiting = new Promise((resolve) => link.on('waiting', resolve));
  const linked = new Promise((resolve, reject) => {
    link.on('linked', ({ username }) => resolve(username));
    link.on('failed', ({ message }) => reject(new Error(message)));
  });
  await link.start();
  await waiting;
  return { code: link.code.display, fingerprint: link.fingerprint, linked };
}

export async function openDevice(username) {
  const db = await openAccountDb(username);
  return startDevice(db, await loadAccount(db));
}

/** What a conversation shows: messages (id, direction, text, status, read) and the unread count. */
export async function snapshot(device, peer) {
  const messages = (await device.messenger.conversation(peer)).map(({ id, direction, text, status, read }) => ({ id, direction, text, status, read }));
  return { messages, unread: device.messenger.contacts.get(peer)?.unread ?? 0, problem: device.messenger.deviceProblem(peer) };
}

/** What a group conversation shows: its view (groups.js `view`) and messages (id, direction, sender, text, status, kind, receipts). */
export async function groupSnapshot(device, group) {
  const messages = (await device.messenger.groups.conversation(group))
    .map(({ id, direction, sender, text, status, kind, receipts, read }) => ({ id, direction, sender, text, status, kind, receipts, read }));
  return { view: device.messenger.groups.view(group), messages };
}
