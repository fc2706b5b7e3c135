/**
 * The new device's screen for "Link to an existing account" (docs/design/LINKED-DEVICES.md,
 * "Linking"): a name for this device, then the link code as text and as a QR code of
 * `parley-link:v1:<code>`, while it waits for an existing device of the account to approve it.
 * `link` is a NewDeviceLink (chat/link-new-device.js) made by the caller.
 */

import { h, icon, replaceChildren } from './dom.js';
import { formatTime } from './format.js';

/** Served from the qr-creator WebJar; index.html loads the same URL with an SRI hash first. */
const QR_MODULE = '/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js';

/**
 * `defaultName`: a suggested device name; `onStart(name)` -> a started NewDeviceLink (rejects
 * with a message in words); `onBack()`: back to the welcome screen.
 */
export function linkScreen({ defaultName, onStart, onBack }) {
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'link-error' });
  const body = h('div', { class: 'link-body' });
  const card = h('div', { class: 'welcome-card link-card' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('devices', { size: 22 })), h('h1', {}, 'Link this browser')),
    body, error,
    h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button ghost', testid: 'link-back', onclick: () => { current?.cancel(); onBack(); } }, 'Back')));
  let current = null;

  function nameStep() {
    const name = h('input', { id: 'link-device-name', testid: 'link-device-name-input', value: defaultName, maxlength: '64', required: true });
    const submit = h('button', { type: 'submit', class: 'button primary', testid: 'link-show-code' }, 'Show the link code');
    replaceChildren(body, h('form', {
      class: 'card-form', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          current = await onStart(name.value.trim());
          codeStep(current);
        } catch (e) {
          error.textContent = e.message;
          submit.disabled = false;
        }
      },
    },
    h('p', { class: 'hint' }, 'This browser joins an account you already use on another device. That device approves it and gives it the account\'s keys, contacts and, if you choose, recent messages.'),
    h('label', { for: 'link-device-name' }, 'A name for this device (your other devices show it)'), name, submit));
    name.focus();
  }

  function codeStep(link) {
    const status = h('p', { class: 'hint', testid: 'link-status', aria: { live: 'polite' } }, 'Connecting…');
    const canvas = h('canvas', { class: 'safety-qr', testid: 'link-qr', width: 240, height: 240, role: 'img', aria: { label: 'QR code of the link code' } });
    replaceChildren(body,
      h('p', {}, 'On a device where you are signed in, open Settings, then Linked devices, and enter this code:'),
      h('p', { class: 'recovery-code link-code', testid: 'link-code' }, link.code.display),
      h('div', { class: 'qr-frame' }, canvas),
      status,
      h('p', { class: 'hint' }, 'The approving device shows this device\'s key fingerprint: check that it is ',
        h('code', { testid: 'link-own-fingerprint' }, link.fingerprint), '.'),
      h('p', { class: 'hint' }, 'Only someone who sees this code can approve this browser. The server sees only a hash of it.'));
    link.on('waiting', ({ expiresAt }) => {
      status.textContent = `Waiting for approval. The code is valid until ${formatTime(expiresAt)}.`;
    });
    link.on('failed', ({ message }) => {
      status.textContent = '';
      error.textContent = message;
      replaceChildren(body, h('button', { type: 'button', class: 'button primary', testid: 'link-restart', onclick: () => { error.textContent = ''; nameStep(); } }, 'Start again'));
    });
    link.on('linked', ({ username }) => {
      status.textContent = `Approved: linked to ${username}.`;
    });
    import(QR_MODULE).then(({ default: QrCreator }) => {
      QrCreator.render({ text: link.code.qr, radius: 0, quiet: 2, ecLevel: 'M', fill: '#111418', background: '#ffffff', size: 240 }, canvas);
      canvas.dataset.rendered = 'true';
    });
  }

  nameStep();
  return h('main', { class: 'welcome', id: 'main' }, card);
}
