/** What the server can and cannot see, in plain words (docs/SECURITY.md has the details). */

import { h, icon } from './dom.js';
import { openDialog } from './dialog.js';

export function openInfoDialog({ messenger }) {
  const item = (iconName, text) => h('li', {}, icon(iconName, { size: 16 }), h('span', {}, text));
  openDialog({
    title: 'How Parley protects you', testid: 'info-dialog', className: 'info-dialog',
    body: [
      h('h3', {}, 'The server cannot see'),
      h('ul', { class: 'info-list good' },
        item('lock', 'What you write: every message is encrypted in this browser (PQXDH with ML-KEM-768, then the Double Ratchet with AES-256-GCM).'),
        item('lock', 'Receipts and typing indicators: they are encrypted like messages and padded to the same sizes.'),
        item('lock', 'Your private keys: generated here, non-extractable, stored only in this browser.'),
        item('lock', 'Past messages if keys leak later (forward secrecy); the conversation heals afterwards.')),
      h('h3', {}, 'The server can see'),
      h('ul', { class: 'info-list warn' },
        item('info', 'Account names, public keys, and when users are online.'),
        item('info', 'Who sends to whom, when, and roughly how large (sizes are padded).')),
      h('h3', {}, 'What you should do'),
      h('ul', { class: 'info-list' },
        item('shield', 'Compare safety numbers with your contacts and mark them verified: then a changed key stops your messages until you accept it.'),
        item('alert', 'This page is served by the server: a malicious server could serve malicious code. Run your own server if that matters to you.')),
      h('p', { class: 'hint' }, `Signed in as ${messenger.username}. Messages and keys are stored in this browser's IndexedDB.`),
    ],
  });
}
