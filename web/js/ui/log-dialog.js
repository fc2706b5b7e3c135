/** The local security log, viewable and exportable as JSON. No message content is in it. */

import { h } from './dom.js';
import { openDialog } from './dialog.js';
import { formatFull } from './format.js';

const DESCRIPTIONS = {
  'identity-created': 'Identity keys generated',
  'account-registered': 'Account registered',
  'account-reset': 'Account moved to new keys',
  'prekeys-uploaded': 'Prekeys uploaded',
  'signed-prekey-rotated': 'Signed prekey rotated',
  'session-initiated': 'Encrypted session started',
  'session-accepted': 'Encrypted session accepted',
  'contact-first-seen': 'Contact key first seen',
  'identity-changed': 'Contact identity changed',
  'identity-accepted': 'New identity accepted',
  'contact-verified': 'Contact verified',
  'contact-unverified': 'Verification cleared',
  'decrypt-failed': 'Message could not be decrypted',
  'session-replaced': 'Signed in elsewhere',
};

export async function openLogDialog({ messenger }) {
  const events = (await messenger.securityLog()).reverse();
  const rows = events.map((e) => h('li', { class: 'log-entry', testid: 'log-entry', data: { event: e.event } },
    h('div', { class: 'log-top' },
      h('strong', {}, DESCRIPTIONS[e.event] ?? e.event),
      e.peer ? h('span', { class: 'log-peer' }, e.peer) : null,
      h('time', { datetime: new Date(e.at).toISOString() }, formatFull(e.at))),
    e.fingerprint ? h('code', { class: 'log-fingerprint' }, e.fingerprint) : null,
    e.detail ? h('p', { class: 'log-detail' }, e.detail) : null));
  const exportButton = h('button', {
    type: 'button', class: 'button', testid: 'export-log',
    onclick: async () => {
      const json = await messenger.exportSecurityLog();
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const a = h('a', { href: url, download: `parley-security-log-${messenger.username}.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  }, 'Export JSON');
  openDialog({
    title: 'Security log', testid: 'security-log', className: 'log-dialog',
    body: [
      h('p', { class: 'hint' }, 'Kept only in this browser: key generation, sessions, identity changes and verifications, with key fingerprints. Never message content or secret keys.'),
      h('div', { class: 'button-row' }, exportButton),
      h('ol', { class: 'log-list' }, rows),
    ],
  });
}
