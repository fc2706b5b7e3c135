/**
 * "Offline: reconnecting…": shown once the connection to the server has been lost (or could
 * not be made at start), until it is back. The app keeps working meanwhile from this
 * browser's copy (history, drafts, search; messages written wait in the outbox). Not shown
 * while the first connection is simply being made, nor after the server closed this device
 * for good (the error banner says why; nothing reconnects then).
 */

import { h, icon } from './dom.js';

export function createOfflineIndicator(connection) {
  const element = h('div', { class: 'offline-banner', role: 'status', testid: 'offline-banner', hidden: true },
    icon('alert', { size: 16 }),
    h('span', {}, 'Offline: reconnecting…'),
    h('span', { class: 'hint' }, ' Your history is here; what you write is sent when the server is back.'));
  let lost = false;

  // Only a change to 'offline' counts (a connection not started yet is 'offline' too).
  connection.on('state', (state) => {
    if (state === 'online') lost = false;
    else if (state === 'offline') lost = true;
    element.hidden = !lost;
  });
  connection.on('fatal', () => {
    lost = false;
    element.hidden = true;
  });
  return element;
}
