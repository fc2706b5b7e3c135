/** Shows a new recovery code once; it is never stored on this device or sent to the server. */

import { h } from './dom.js';
import { displayRecoveryCode } from '../wire/recovery.js';

export function showRecoveryCode(code) {
  return new Promise((resolve) => {
    const text = displayRecoveryCode(code);
    const copied = h('span', { class: 'hint', aria: { live: 'polite' } });
    const dialog = h('dialog', { class: 'dialog', testid: 'recovery-dialog', aria: { labelledby: 'recovery-title' } },
      h('h2', { id: 'recovery-title' }, 'Your recovery code'),
      h('p', {}, 'Write this down and keep it somewhere safe. It is the only way to move your username to a new browser if you lose this one. It is shown only now: Parley keeps only a hash of it.'),
      h('p', { class: 'recovery-code', testid: 'recovery-code' }, text),
      h('p', { class: 'hint', testid: 'recovery-devices-note' }, 'This browser holds the account\'s keys and can approve new devices for it (Settings, Linked devices): each device it approves gets a copy of them.'),
      h('div', { class: 'button-row' },
        h('button', {
          type: 'button', class: 'button',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(text);
              copied.textContent = 'Copied.';
            } catch {
              copied.textContent = 'Copy is not available here: select the code instead.';
            }
          },
        }, 'Copy'),
        h('button', { type: 'button', class: 'button primary', testid: 'recovery-done', onclick: () => dialog.close() }, 'I have saved it')),
      copied);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve();
    });
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    document.body.append(dialog);
    dialog.showModal();
  });
}
