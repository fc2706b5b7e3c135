/**
 * A progress bar of the history sent to a new device (`direction` 'out', on the approving
 * device) or received from the approving one ('in', on the new device), from the messenger's
 * 'history-progress' events ({ direction, index, total }: chunks done and in all).
 */

import { h } from './dom.js';

export function historyProgress(messenger, direction) {
  const bar = h('progress', { max: 1, value: 0, testid: 'history-progress', aria: { label: 'History transfer' } });
  const text = h('span', { class: 'hint', aria: { live: 'polite' } });
  const element = h('div', { class: 'history-progress', hidden: true }, bar, text);
  const off = messenger.on('history-progress', (p) => {
    if (p.direction !== direction) return;
    element.hidden = false;
    bar.max = p.total;
    bar.value = p.index;
    bar.dataset.done = String(p.index >= p.total);
    text.textContent = p.index >= p.total ? 'History transferred.' : `History: part ${p.index} of ${p.total}`;
  });
  return { element, destroy: off };
}
