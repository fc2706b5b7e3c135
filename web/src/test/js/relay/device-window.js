/**
 * A device of the multi-device tests in a window of another origin (http://localhost instead
 * of 127.0.0.1: its own IndexedDB), served by the page's relay (fake-socket.js) and driven by
 * postMessage calls to relay/device-host.js. -> { ready: Promise, call(name, ...args) }
 */

import { serveWindow } from './fake-socket.js';

export function windowDevice(relay) {
  const win = window.open(`http://localhost:${location.port}/test/relay/device-frame.html`, 'device2');
  if (!win) throw new Error('the second device\'s window could not be opened');
  serveWindow(win, relay);
  let seq = 0;
  const pending = new Map();
  const ready = new Promise((resolve) => {
    addEventListener('message', (event) => {
      const m = event.data;
      if (event.source !== win || m?.channel !== 'rpc') return;
      if (m.ready) resolve();
      const waiting = pending.get(m.seq);
      if (!waiting) return;
      pending.delete(m.seq);
      if ('error' in m) waiting.reject(new Error(`device 2: ${m.error}`));
      else waiting.resolve(m.result);
    });
  });
  const call = (name, ...args) => new Promise((resolve, reject) => {
    const id = ++seq;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`device 2: no answer to ${name} in 30 s (relay saw: ${relay.received.slice(-12).join(', ')})`));
    }, 30_000);
    pending.set(id, { resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: (e) => { clearTimeout(timer); reject(e); } });
    win.postMessage({ channel: 'rpc', seq: id, call: name, args }, '*');
  });
  return { ready, call };
}
