/**
 * One device of the multi-device tests in a window of another origin (its own IndexedDB, so it
 * can hold the same account as a device of the page that opened it). Its sockets go to the
 * opener's relay (fake-socket.js `throughOpener`); the opener drives it by postMessage calls
 * `{ channel: 'rpc', seq, call, args }`, answered `{ channel: 'rpc', seq, result | error }`.
 */

import { installFakeWebSocket, throughOpener } from './fake-socket.js';
import { groupSnapshot, openDevice, snapshot, startLink } from './device-driver.js';

installFakeWebSocket(throughOpener());
const errors = [];
const consoleError = console.error.bind(console);
console.error = (...args) => {
  errors.push(args.map((a) => String(a?.stack ?? a?.message ?? a)).join(' '));
  consoleError(...args);
};
addEventListener('unhandledrejection', (event) => errors.push(`unhandled: ${event.reason?.stack ?? event.reason}`));

let device = null;
let linking = null;

const calls = {
  async link(name) {
    const { code, fingerprint, linked } = await startLink(name);
    linking = linked.then(async (username) => {
      device = await openDevice(username);
      return username;
    });
    return { code, fingerprint };
  },
  linked: () => linking,
  /** What this device logged to the console (errors), for failure messages. */
  errors: () => errors,
  snapshot: (peer) => snapshot(device, peer),
  events: () => device.events,
  devices: async () => (await device.messenger.linkedDevices.view()).devices,
  async sendText(peer, text) {
    return (await device.messenger.sendText(peer, text)).id;
  },
  /** Groups (groups.test.js): the groups this device holds, one group's view and history, a group text. */
  groups: () => device.messenger.groups.list(),
  groupSnapshot: (group) => groupSnapshot(device, group),
  async groupSend(group, text) {
    return (await device.messenger.groups.sendText(group, text)).id;
  },
};

addEventListener('message', async (event) => {
  const m = event.data;
  if (m?.channel !== 'rpc') return;
  try {
    opener.postMessage({ channel: 'rpc', seq: m.seq, result: await calls[m.call](...m.args) }, '*');
  } catch (e) {
    opener.postMessage({ channel: 'rpc', seq: m.seq, error: String(e.message ?? e) }, '*');
  }
});
opener.postMessage({ channel: 'rpc', ready: true }, '*');
