/**
 * The safety number of a conversation (docs/CRYPTO.md §6): 60 digits and a QR code of
 * `parley-safety:v1:<digits>`, both computed from the two public identities. Both people see
 * the same number; if it matches over another channel, no one is in the middle.
 */

import { safetyNumber, groupDigits, qrText } from '../protocol/index.js';
import { h, icon, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';

/** Served from the qr-creator WebJar; index.html loads the same URL with an SRI hash first. */
const QR_MODULE = '/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js';

export async function openSafetyDialog({ messenger, peer }) {
  const contact = messenger.contacts.get(peer);
  if (!contact?.identity) {
    openDialog({ title: `Safety number with ${peer}`, testid: 'safety-dialog', body: h('p', {}, `${peer}'s keys are not known yet.`) });
    return;
  }
  const number = await safetyNumber(messenger.identity.publicIdentity, messenger.username, contact.identity, peer);
  const digits = h('p', { class: 'safety-number', testid: 'safety-number', data: { digits: number } },
    groupDigits(number).map((g) => h('span', {}, g)));
  const canvas = h('canvas', { class: 'safety-qr', testid: 'safety-qr', width: 240, height: 240, role: 'img', aria: { label: 'QR code of the safety number' } });
  const status = h('div', { class: 'safety-status' });
  const actions = h('div', { class: 'button-row' });

  function renderState() {
    const current = messenger.contacts.get(peer);
    replaceChildren(status, current.verified
      ? [icon('shield', { size: 18 }), h('span', {}, `You verified ${peer}.`)]
      : [icon('info', { size: 18 }), h('span', {}, `Not verified. Compare these digits with ${peer} in person or on a call you trust.`)]);
    status.classList.toggle('verified', current.verified);
    replaceChildren(actions, current.verified
      ? h('button', { type: 'button', class: 'button', testid: 'unmark-verified', onclick: () => messenger.setVerified(peer, false) }, 'Clear verification')
      : h('button', { type: 'button', class: 'button primary', testid: 'mark-verified', onclick: () => messenger.setVerified(peer, true) }, 'Mark as verified'));
  }

  const off = messenger.on('contacts', renderState);
  renderState();
  openDialog({
    title: `Safety number with ${peer}`, testid: 'safety-dialog', className: 'safety-dialog', onClose: off,
    body: [
      h('div', { class: 'safety-grid' }, h('div', { class: 'qr-frame' }, canvas), digits),
      status,
      h('p', { class: 'hint' }, 'The number changes if either of you gets new keys (a reset, a new browser). The server cannot fake it.'),
      actions,
    ],
  });
  const { default: QrCreator } = await import(QR_MODULE);
  QrCreator.render({ text: qrText(number), radius: 0, quiet: 2, ecLevel: 'M', fill: '#111418', background: '#ffffff', size: 240 }, canvas);
  canvas.dataset.rendered = 'true';
}
