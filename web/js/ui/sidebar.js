/**
 * The contact list: every user of the server with presence, unread count, last message and
 * a filter. Rebuilt from the messenger's state on each change (lists are small); the filter
 * input and the scroll position live outside the rebuilt part. A contact whose name looks
 * like another contact's (chat/lookalike.js) is marked with a warning in words, and so is a
 * contact whose device list this device refused (nothing is sent to them until a valid one).
 * Groups (`group-<id>`) are listed above the contacts, with their unread counts, and "New
 * group" opens the group dialog; `onSelect(key, kind)` opens a contact ('contact') or a group
 * ('group').
 */

import { h, icon, avatar, replaceChildren } from './dom.js';
import { formatShort } from './format.js';
import { isBlocked } from '../chat/contacts.js';
import { lookalikes } from '../chat/lookalike.js';

export function createSidebar({ messenger, onSelect, onNewGroup }) {
  let selected = null;
  const list = h('ul', { class: 'contact-list', testid: 'contact-list', aria: { label: 'Contacts' } });
  const groupList = h('ul', { class: 'contact-list group-list', testid: 'group-list', aria: { label: 'Groups' } });
  const newGroup = h('button', { type: 'button', class: 'button small ghost new-group', testid: 'new-group', onclick: () => onNewGroup() },
    icon('plus', { size: 16 }), 'New group');
  const filter = h('input', {
    type: 'search', class: 'filter', placeholder: 'Search people', testid: 'contact-filter',
    aria: { label: 'Search people' }, oninput: () => render(),
  });
  const empty = h('p', { class: 'empty-note' });

  function sortKey(c) {
    return c.lastMessage?.at ?? 0;
  }

  function render() {
    const query = filter.value.trim().toLowerCase();
    const contacts = [...messenger.contacts.values()]
      .filter((c) => c.username !== messenger.username)
      .sort((a, b) => sortKey(b) - sortKey(a) || a.username.localeCompare(b.username));
    const shown = contacts.filter((c) => c.username.includes(query));
    const groups = messenger.groups.list()
      .filter((g) => g.name.toLowerCase().includes(query))
      .sort((a, b) => (b.lastMessage?.at ?? 0) - (a.lastMessage?.at ?? 0) || a.name.localeCompare(b.name));
    const groupFocus = groupList.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    replaceChildren(groupList, groups.map(groupItem));
    groupList.hidden = groups.length === 0;
    if (groupFocus) groupList.querySelector(`[data-testid="${CSS.escape(groupFocus)}"]`)?.focus();
    // Rebuilding must not take the keyboard focus away from the contact that has it.
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    const similar = lookalikes(contacts.map((c) => c.username));
    replaceChildren(list, shown.map((c) => item(c, similar.get(c.username))));
    if (focused) list.querySelector(`[data-testid="${CSS.escape(focused)}"]`)?.focus();
    empty.textContent = contacts.length === 0
      ? 'Nobody else is here yet. Open Parley in another tab or browser and create a second account.'
      : (shown.length === 0 ? `No one matches “${filter.value}”.` : '');
    empty.hidden = empty.textContent === '';
  }

  function groupItem(group) {
    const last = group.lastMessage;
    const typing = messenger.groups.typingIn(group.id);
    const preview = typing.length > 0 ? `${typing.join(', ')} typing…`
      : (last ? `${last.direction === 'out' ? 'You: ' : (last.sender ? `${last.sender}: ` : '')}${last.text}` : `${group.members.length} members`);
    const unread = group.unread ?? 0;
    const flagged = group.members.some((m) => m.identityChanged);
    const button = h('button', {
      type: 'button', class: ['contact', group.id === selected && 'selected'], testid: `group-${group.id}`, data: { groupId: group.id, name: group.name },
      aria: { current: group.id === selected ? 'true' : 'false', label: `Group ${group.name}, ${group.members.length} members${unread ? `, ${unread} unread` : ''}${flagged ? ', a member\'s identity changed' : ''}` },
      onclick: () => onSelect(group.id, 'group'),
    },
    h('span', { class: 'avatar-wrap' }, avatar(group.name)),
    h('span', { class: 'contact-main' },
      h('span', { class: 'contact-top' },
        h('span', { class: 'contact-name' }, group.name),
        flagged ? h('span', { class: 'badge-warning', title: 'A member\'s identity changed' }, icon('alert', { size: 14, label: 'a member\'s identity changed' })) : null,
        h('span', { class: 'contact-time' }, last ? formatShort(last.at) : '')),
      h('span', { class: 'contact-bottom' },
        h('span', { class: ['contact-preview', typing.length > 0 && 'typing'] }, preview),
        unread > 0 ? h('span', { class: 'unread', testid: `group-unread-${group.id}` }, unread > 99 ? '99+' : String(unread)) : null)));
    return h('li', {}, button);
  }

  function item(contact, looksLike) {
    const online = messenger.presence.get(contact.username) === true;
    const typing = messenger.typing.get(contact.username) === true;
    const last = contact.lastMessage;
    const preview = typing ? 'typing…' : (last ? `${last.direction === 'out' ? 'You: ' : ''}${last.text}` : 'No messages yet');
    const unread = contact.unread ?? 0;
    const devicesRefused = Boolean(messenger.deviceProblem(contact.username));
    const button = h('button', {
      type: 'button', class: ['contact', contact.username === selected && 'selected'],
      testid: `contact-${contact.username}`, data: { presence: online ? 'online' : 'offline' },
      aria: {
        current: contact.username === selected ? 'true' : 'false',
        label: `${contact.username}, ${online ? 'online' : 'offline'}${unread ? `, ${unread} unread` : ''}${looksLike ? `, looks like ${looksLike.join(', ')}` : ''}${devicesRefused ? ', device list not signed by this contact' : ''}`,
      },
      onclick: () => onSelect(contact.username, 'contact'),
    },
    h('span', { class: 'avatar-wrap' }, avatar(contact.username), h('span', { class: ['presence-dot', online && 'online'] })),
    h('span', { class: 'contact-main' },
      h('span', { class: 'contact-top' },
        h('span', { class: 'contact-name' }, contact.username),
        contact.verified ? h('span', { class: 'badge-verified', title: 'Verified' }, icon('shield', { size: 14, label: 'verified' })) : null,
        isBlocked(contact) || contact.identityChange ? h('span', { class: 'badge-warning', title: 'Identity changed' }, icon('alert', { size: 14, label: 'identity changed' })) : null,
        devicesRefused ? h('span', { class: 'badge-warning', testid: `device-problem-${contact.username}`, title: 'Device list not signed by this contact' }, icon('alert', { size: 14, label: 'device list not signed by this contact' })) : null,
        h('span', { class: 'contact-time' }, last ? formatShort(last.at) : '')),
      looksLike ? h('span', { class: 'contact-lookalike', testid: `lookalike-${contact.username}` },
        icon('alert', { size: 12 }), `looks like ${looksLike.join(', ')}`) : null,
      h('span', { class: 'contact-bottom' },
        h('span', { class: ['contact-preview', typing && 'typing'] }, preview),
        unread > 0 ? h('span', { class: 'unread', testid: `unread-${contact.username}` }, unread > 99 ? '99+' : String(unread)) : null)));
    return h('li', {}, button);
  }

  messenger.on('contacts', render);
  messenger.on('devices', render);
  messenger.on('typing', render);
  messenger.on('groups', render);
  render();

  return {
    element: h('nav', { class: 'sidebar-list', aria: { label: 'Conversations' } },
      h('div', { class: 'filter-wrap' }, icon('search', { size: 16 }), filter), newGroup, groupList, list, empty),
    /** Marks the open conversation (a username or a group's key). */
    select(key) {
      selected = key;
      render();
    },
  };
}
