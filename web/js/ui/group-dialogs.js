/**
 * The group dialogs: "New group" (a name and a member picker), adding members (the same
 * picker without the current members), the members of a group (admins marked, each member's
 * safety number one click away, a member whose identity changed flagged; remove, rename and
 * add for admins; leave), and who received and read one of this account's messages.
 * Everything goes through `messenger.groups`.
 */

import { h, icon, avatar, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';
import { memberByName } from './member-by-name.js';
import { openSafetyDialog } from './safety-dialog.js';

const RECEIPT_WORDS = { read: 'Read', delivered: 'Delivered', none: 'Not delivered yet' };

/** A checkbox per contact (`group-member-<username>`) and a filter. -> { element, chosen() } */
function memberPicker(messenger, exclude) {
  const names = [...messenger.contacts.keys()].filter((u) => u !== messenger.username && !exclude.includes(u)).sort();
  const boxes = names.map((username) => pickerRow(username));
  const list = h('ul', { class: 'member-picker', aria: { label: 'Members' } }, boxes);
  const empty = names.length === 0 ? h('p', { class: 'hint' }, 'Nobody else to add yet.') : null;
  const byName = memberByName(messenger, exclude, list, pickerRow); // member-by-name.js: exact names (private directory)
  return {
    element: h('div', {}, list, empty, byName),
    chosen: () => [...list.querySelectorAll('input:checked')].map((b) => b.value),
  };
}

/** One checkbox row of the picker (`group-member-<username>`). */
function pickerRow(username, checked = false) {
  const box = h('input', { type: 'checkbox', id: `pick-${username}`, testid: `group-member-${username}`, value: username, checked });
  return h('li', { class: 'picker-row' }, box, h('label', { for: `pick-${username}` }, avatar(username, 28), username));
}

/** "New group": `onCreated(id)` with the new group's key. */
export function openNewGroupDialog({ messenger, onCreated }) {
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'group-error' });
  const name = h('input', { type: 'text', id: 'group-name', testid: 'group-name-input', maxlength: '64', required: true, autocomplete: 'off' });
  const picker = memberPicker(messenger, []);
  let dialog = null;
  const create = h('button', {
    type: 'submit', class: 'button primary', testid: 'group-create',
  }, 'Create group');
  const form = h('form', {
    class: 'group-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const members = picker.chosen();
      if (name.value.trim() === '') return void (error.textContent = 'Give the group a name.');
      if (members.length === 0) return void (error.textContent = 'Choose at least one member.');
      create.disabled = true;
      error.textContent = '';
      try {
        const id = await messenger.groups.create(name.value.trim(), members);
        dialog.close();
        onCreated(id);
      } catch (e) {
        error.textContent = e.message;
        create.disabled = false;
      }
    },
  }, h('label', { for: 'group-name' }, 'Group name'), name, h('p', { class: 'hint' }, 'Members'), picker.element, error,
  h('div', { class: 'button-row' }, create));
  dialog = openDialog({ title: 'New group', testid: 'new-group-dialog', className: 'group-dialog', body: form });
  name.focus();
}

/** Adding members (admins): the picker without the current members. */
function openAddMembersDialog({ messenger, group }) {
  const view = messenger.groups.view(group);
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'group-error' });
  const picker = memberPicker(messenger, view.members.map((m) => m.username));
  let dialog = null;
  const add = h('button', {
    type: 'button', class: 'button primary', testid: 'group-add-confirm',
    onclick: async () => {
      const chosen = picker.chosen();
      if (chosen.length === 0) return void (error.textContent = 'Choose someone to add.');
      add.disabled = true;
      try {
        await messenger.groups.add(group, chosen);
        dialog.close();
      } catch (e) {
        error.textContent = e.message;
        add.disabled = false;
      }
    },
  }, 'Add');
  dialog = openDialog({ title: `Add to ${view.name}`, testid: 'group-add-dialog', className: 'group-dialog', body: [picker.element, error, h('div', { class: 'button-row' }, add)] });
}

/** The members of `group`, kept up to date while open. */
export function openMembersDialog({ messenger, group, onShowError }) {
  const body = h('div', { class: 'group-members', testid: 'group-members-list' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'group-error' });
  const act = (work) => work().catch((e) => { error.textContent = e.message; });
  const rename = h('input', { type: 'text', testid: 'group-rename-input', value: messenger.groups.view(group)?.name ?? '', maxlength: '64', aria: { label: 'Group name' } });
  /** Rebuilt only when what it shows changed, so a click or typing is never lost to an unrelated event. */
  let shown = null;

  function render() {
    const view = messenger.groups.view(group);
    if (!view) return;
    const key = JSON.stringify([view.name, view.status, view.admin, view.members]);
    if (key === shown) return;
    shown = key;
    const rows = view.members.map((m) => h('li', { class: 'member-row', testid: `group-member-row-${m.username}`, data: { admin: String(m.admin) } },
      avatar(m.username, 28),
      h('span', { class: 'member-name' }, m.me ? `${m.username} (you)` : m.username),
      m.admin ? h('span', { class: 'admin-badge', testid: `group-admin-${m.username}` }, 'admin') : null,
      m.verified ? h('span', { class: 'badge-verified', title: 'Verified' }, icon('shield', { size: 14, label: 'verified' })) : null,
      m.identityChanged ? h('span', { class: 'badge-warning', testid: `group-member-changed-${m.username}`, title: 'Identity changed' },
        icon('alert', { size: 14, label: 'identity changed' }), 'identity changed') : null,
      h('span', { class: 'member-actions' },
        m.me ? null : h('button', {
          type: 'button', class: 'button small ghost', testid: `group-safety-${m.username}`,
          onclick: () => openSafetyDialog({ messenger, peer: m.username }).catch((e) => onShowError(e.message)),
        }, 'Safety number'),
        view.admin && !m.me ? h('button', {
          type: 'button', class: 'button small', testid: `group-remove-${m.username}`,
          onclick: () => act(() => messenger.groups.remove(group, [m.username])),
        }, 'Remove') : null)));
    replaceChildren(body,
      h('p', { class: 'hint' }, `${view.members.length} members${view.status !== 'active' ? ` · ${view.status === 'left' ? 'you left this group' : 'you were removed from this group'}` : ''}`),
      h('ul', { class: 'member-list' }, rows),
      view.admin ? h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button', testid: 'group-add-member', onclick: () => openAddMembersDialog({ messenger, group }) }, 'Add members')) : null,
      view.admin ? h('div', { class: 'button-row' },
        rename,
        h('button', { type: 'button', class: 'button', testid: 'group-rename', onclick: () => act(() => messenger.groups.rename(group, rename.value.trim())) }, 'Rename')) : null,
      view.status === 'active' ? h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button danger', testid: 'group-leave', onclick: () => act(() => messenger.groups.leave(group)) }, 'Leave group')) : null,
      error);
  }

  const offs = [messenger.on('groups', render), messenger.on('contacts', render)];
  render();
  openDialog({ title: 'Members', testid: 'group-members-dialog', className: 'group-dialog', body, onClose: () => offs.forEach((off) => off()) });
}

/** Who received and read `message` (one of this account's group messages). */
export function openReceiptsDialog({ message }) {
  const rows = (message.audience ?? []).map((username) => {
    const state = message.receipts?.[username] ?? 'none';
    return h('li', { class: 'member-row', testid: `group-receipt-${username}`, data: { state } },
      avatar(username, 28), h('span', { class: 'member-name' }, username), h('span', { class: `receipt-state receipt-${state}` }, RECEIPT_WORDS[state]));
  });
  openDialog({ title: 'Message info', testid: 'group-receipts', className: 'group-dialog', body: h('ul', { class: 'member-list' }, rows) });
}
