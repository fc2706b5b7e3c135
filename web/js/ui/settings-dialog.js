/**
 * Settings: the account's linked devices (docs/design/LINKED-DEVICES.md). Lists every device
 * of the signed list (name, when linked, last seen, this device), unlinks another device or
 * signs this one out, and approves a new device from its link code: the code is pasted, the
 * waiting device's name and key fingerprint are shown, and only an explicit approval links it,
 * with the recent history offered (on by default, can be declined) and its progress shown.
 */

import { h, icon, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';
import { formatFull, formatUtcDay } from './format.js';
import { historyProgress } from './history-progress.js';
import { notificationSettings } from './notifications.js';

const HISTORY_OFFER = 'Also send the last 30 days of messages (at most 10,000), end-to-end encrypted';

export function openSettingsDialog({ messenger, onSignedOut, notifier = null }) {
  const devices = messenger.linkedDevices;
  const list = h('ul', { class: 'device-list', aria: { label: 'Devices of this account' } });
  const listError = h('p', { class: 'form-error', role: 'alert' });
  /** The confirmation of an unlink or sign-out, asked in the dialog itself. */
  const confirmArea = h('div', { class: 'device-confirm', hidden: true });

  function ask(text, label, testid, action) {
    confirmArea.hidden = false;
    const go = h('button', {
      type: 'button', class: 'button small primary', testid,
      onclick: async () => {
        go.disabled = true;
        listError.textContent = '';
        let stay = true;
        try {
          stay = (await action()) !== 'gone';
        } catch (e) {
          listError.textContent = e.message;
        }
        confirmArea.hidden = true;
        if (stay) renderList();
      },
    }, label);
    replaceChildren(confirmArea, h('p', {}, text), h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button small', onclick: () => { confirmArea.hidden = true; } }, 'Cancel'), go));
    go.focus();
  }
  const linkArea = h('div', { class: 'link-area' });
  const progress = historyProgress(messenger, 'out');

  /** What the link area shows: the code form (redrawn when the list changes), a request to confirm, or the outcome. */
  let linkStep = 'form';

  async function renderList() {
    const view = await devices.view();
    replaceChildren(list, view.devices.map((d) => h('li', { class: 'device-row', testid: `device-${d.id}`, data: { thisDevice: String(d.thisDevice) } },
      icon('devices', { size: 20 }),
      h('div', { class: 'device-text' },
        h('strong', { class: 'device-name' }, d.name, d.thisDevice ? h('span', { class: 'device-this' }, ' (this device)') : null),
        h('span', { class: 'hint' }, `Linked ${formatFull(d.linkedAt)}`
          + (d.thisDevice ? '' : ` · last seen ${d.lastSeen ? formatUtcDay(d.lastSeen) : 'never'}`))),
      d.thisDevice
        ? h('button', { type: 'button', class: 'button small', testid: 'sign-out-device', onclick: () => signOut() }, 'Sign out this device')
        : h('button', { type: 'button', class: 'button small', testid: `unlink-device-${d.id}`, onclick: () => unlink(d) }, 'Unlink'))));
    if (linkStep === 'form') renderLinkForm(view);
  }

  function unlink(d) {
    ask(`Unlink "${d.name}"? It will no longer receive or send messages for this account. It keeps the copy of the account's keys it received when it was linked: if you no longer trust that device, reset the account with its recovery code instead.`,
      'Unlink', 'confirm-unlink', () => devices.unlink(d.id));
  }

  function signOut() {
    ask('Sign this device out of the account? It leaves the account\'s device list, and its messages and keys are removed from this browser.',
      'Sign out', 'confirm-sign-out', async () => {
        await devices.signOut();
        onSignedOut();
        return 'gone'; // this account leaves the browser: nothing left to show
      });
  }

  function renderLinkForm(view) {
    linkStep = 'form';
    if (view.cannotApprove) {
      replaceChildren(linkArea, h('p', { class: 'hint', testid: 'link-unavailable' }, view.cannotApprove));
      return;
    }
    if (view.full) {
      replaceChildren(linkArea, h('p', { class: 'hint', testid: 'link-unavailable' }, 'This account has 6 devices, the most it may have: unlink one to link another.'));
      return;
    }
    const error = h('p', { class: 'form-error', role: 'alert', testid: 'link-error' });
    const input = h('input', {
      id: 'link-code-input', testid: 'link-code-input', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
      placeholder: 'XXXX-XXXX-…', aria: { describedby: 'link-code-hint' },
    });
    const check = h('button', { type: 'submit', class: 'button', testid: 'link-check' }, 'Continue');
    const form = h('form', {
      class: 'card-form', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = '';
        check.disabled = true;
        try {
          confirmStep(await devices.peek(input.value));
        } catch (e) {
          error.textContent = e.message;
          check.disabled = false;
        }
      },
    },
    h('label', { for: 'link-code-input' }, 'Link a new device'),
    h('p', { id: 'link-code-hint', class: 'hint' }, 'On the new device, choose "Link to an existing account", then type or paste the code it shows.'),
    input, check, error);
    replaceChildren(linkArea, form);
  }

  function confirmStep(peeked) {
    linkStep = 'confirm';
    const error = h('p', { class: 'form-error', role: 'alert', testid: 'link-error' });
    const history = h('input', { type: 'checkbox', id: 'link-history', testid: 'link-history', checked: true });
    const approve = h('button', {
      type: 'button', class: 'button primary', testid: 'link-approve',
      onclick: async () => {
        approve.disabled = true;
        error.textContent = '';
        try {
          await devices.approve(peeked, { history: history.checked });
          linkStep = 'done';
          replaceChildren(linkArea, h('p', { class: 'hint', testid: 'link-done' }, `"${peeked.name}" is linked.`),
            h('button', { type: 'button', class: 'button small', onclick: async () => renderLinkForm(await devices.view()) }, 'Link another device'));
          renderList();
        } catch (e) {
          error.textContent = e.message;
          approve.disabled = false;
        }
      },
    }, 'Approve');
    replaceChildren(linkArea, h('div', { class: 'link-confirm', testid: 'link-confirm' },
      h('p', {}, 'A device asks to join this account:'),
      h('p', { class: 'device-name', testid: 'link-device-name' }, peeked.name),
      h('p', { class: 'hint' }, 'Its key fingerprint: ', h('code', { testid: 'link-device-fingerprint' }, peeked.fingerprint)),
      h('p', { class: 'hint' }, 'Approve only a device you are holding or that you just set up yourself. It receives a copy of this account\'s keys, its contacts and their verification.'),
      h('label', { class: 'check-row', for: 'link-history' }, history, HISTORY_OFFER),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button', onclick: async () => renderLinkForm(await devices.view()) }, 'Cancel'),
        approve),
      error));
  }

  const offDevices = messenger.on('devices', ({ username }) => { if (username === messenger.username) renderList(); });
  openDialog({
    title: 'Settings', testid: 'settings-dialog', className: 'settings-dialog',
    onClose: () => { offDevices(); progress.destroy(); },
    body: [
      h('section', { class: 'linked-devices', testid: 'linked-devices', aria: { label: 'Linked devices' } },
        h('h3', {}, 'Linked devices'),
        h('p', { class: 'hint' }, 'Every device of this account holds its keys and gets every message. An account has at most 6 devices.'),
        list, confirmArea, listError, progress.element, linkArea),
      notifier ? notificationSettings(notifier) : null,
    ],
  });
  renderList();
}
