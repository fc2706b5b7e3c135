/**
 * The sidebar: conversations first, then the other people this client knows.
 *
 * - **Conversations** (`conversation-list`): groups and the 1:1 conversations with at least one
 *   message, most recent first (a group or contact with no message yet sorts by name after
 *   those with one).
 * - **People** (`people-list`): the other accounts this client knows and has no conversation
 *   with: in an open directory every account on the server; in a private one only those found
 *   by exact name, senders and group members (the list of accounts is never sent there).
 *   Once there are more than {@link FILTER_ABOVE} of them a search box (`contact-filter`)
 *   filters both lists.
 *
 * Every person keeps the `contact-<username>` test id, groups `group-<id>`. "New chat"
 * (`new-chat`) opens new-chat-dialog.js, "New group" the group dialog; `onSelect(key, kind)`
 * opens a contact ('contact') or a group ('group'). A contact whose name looks like another's
 * (chat/lookalike.js) is marked in words, and so is one whose device list this device refused,
 * one whose identity changed, and one the user blocked (chat/blocking.js). Rebuilt from the
 * messenger's state on each change (lists are small); the filter input and the scroll position
 * live outside the rebuilt part, and the keyboard focus stays on the row that had it.
 */

import { h, icon, avatar, replaceChildren } from './dom.js';
import { formatShort } from './format.js';
import { isBlocked, isUserBlocked } from '../chat/contacts.js';
import { lookalikes } from '../chat/lookalike.js';

/** The search box shows once the people list is longer than this. */
export const FILTER_ABOVE = 20;

export function createSidebar({ messenger, onSelect, onNewGroup, onNewChat }) {
  let selected = null;
  const conversations = h('ul', { class: 'contact-list conversation-list', testid: 'conversation-list', aria: { labelledby: 'sidebar-conversations' } });
  const people = h('ul', { class: 'contact-list people-list', testid: 'people-list', aria: { labelledby: 'sidebar-people' } });
  const conversationsTitle = h('h2', { class: 'sidebar-section', id: 'sidebar-conversations' }, 'Conversations');
  const peopleTitle = h('h2', { class: 'sidebar-section', id: 'sidebar-people' }, 'People');
  const newChat = h('button', { type: 'button', class: 'button small primary new-chat', testid: 'new-chat', onclick: () => onNewChat() },
    icon('plus', { size: 16 }), 'New chat');
  const newGroup = h('button', { type: 'button', class: 'button small ghost new-group', testid: 'new-group', onclick: () => onNewGroup() },
    icon('plus', { size: 16 }), 'New group');
  const filter = h('input', {
    type: 'search', class: 'filter', placeholder: 'Search people', testid: 'contact-filter',
    aria: { label: 'Search people and conversations' }, oninput: () => render(),
  });
  const filterWrap = h('div', { class: 'filter-wrap', hidden: true }, icon('search', { size: 16 }), filter);
  const empty = h('p', { class: 'empty-note', testid: 'sidebar-empty' });
  const scroller = h('div', { class: 'sidebar-scroll', testid: 'contact-list' }, conversationsTitle, conversations, peopleTitle, people, empty);

  function lastAt(entry) {
    return entry.lastMessage?.at ?? 0;
  }

  function render() {
    const others = [...messenger.contacts.values()].filter((c) => c.username !== messenger.username);
    const talkedTo = others.filter((c) => c.lastMessage);
    const rest = others.filter((c) => !c.lastMessage).sort((a, b) => a.username.localeCompare(b.username));
    filterWrap.hidden = rest.length <= FILTER_ABOVE;
    if (filterWrap.hidden && filter.value !== '') filter.value = '';
    const query = filter.value.trim().toLowerCase();
    const entries = [
      ...messenger.groups.list().map((g) => ({ kind: 'group', name: g.name, at: lastAt(g), value: g })),
      ...talkedTo.map((c) => ({ kind: 'contact', name: c.username, at: lastAt(c), value: c })),
    ].filter((e) => e.name.toLowerCase().includes(query))
      .sort((a, b) => b.at - a.at || a.name.localeCompare(b.name));
    const shownPeople = rest.filter((c) => c.username.includes(query));
    const similar = lookalikes(others.map((c) => c.username));
    // Rebuilding must not take the keyboard focus away from the row that has it.
    const focused = scroller.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    replaceChildren(conversations, entries.map((e) => (e.kind === 'group' ? groupItem(e.value) : item(e.value, similar.get(e.name)))));
    replaceChildren(people, shownPeople.map((c) => item(c, similar.get(c.username))));
    if (focused) scroller.querySelector(`[data-testid="${CSS.escape(focused)}"]`)?.focus();
    conversationsTitle.hidden = conversations.hidden = entries.length === 0;
    peopleTitle.hidden = people.hidden = shownPeople.length === 0;
    empty.textContent = emptyText(others.length, entries.length + shownPeople.length);
    empty.hidden = empty.textContent === '';
  }

  function emptyText(known, shown) {
    if (known === 0) {
      return messenger.directory.mode === 'private'
        ? 'No conversations yet. Use “New chat” to find someone by their exact username.'
        : 'Nobody else is here yet. Open Parley in another tab or browser and create a second account.';
    }
    return shown === 0 ? `No one matches “${filter.value}”.` : '';
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
    const blockedByUser = isUserBlocked(contact);
    const typing = !blockedByUser && messenger.typing.get(contact.username) === true;
    const last = contact.lastMessage;
    const preview = blockedByUser ? 'Blocked' : typing ? 'typing…' : (last ? `${last.direction === 'out' ? 'You: ' : ''}${last.text}` : 'No messages yet');
    const unread = contact.unread ?? 0;
    const devicesRefused = Boolean(messenger.deviceProblem(contact.username));
    const button = h('button', {
      type: 'button', class: ['contact', contact.username === selected && 'selected', blockedByUser && 'user-blocked'],
      testid: `contact-${contact.username}`, data: { presence: online ? 'online' : 'offline', blocked: String(blockedByUser) },
      aria: {
        current: contact.username === selected ? 'true' : 'false',
        label: `${contact.username}, ${blockedByUser ? 'blocked' : (online ? 'online' : 'offline')}${unread ? `, ${unread} unread` : ''}${looksLike ? `, looks like ${looksLike.join(', ')}` : ''}${devicesRefused ? ', device list not signed by this contact' : ''}`,
      },
      onclick: () => onSelect(contact.username, 'contact'),
    },
    h('span', { class: 'avatar-wrap' }, avatar(contact.username), h('span', { class: ['presence-dot', online && !blockedByUser && 'online'] })),
    h('span', { class: 'contact-main' },
      h('span', { class: 'contact-top' },
        h('span', { class: 'contact-name' }, contact.username),
        contact.verified ? h('span', { class: 'badge-verified', title: 'Verified' }, icon('shield', { size: 14, label: 'verified' })) : null,
        isBlocked(contact) || contact.identityChange ? h('span', { class: 'badge-warning', title: 'Identity changed' }, icon('alert', { size: 14, label: 'identity changed' })) : null,
        blockedByUser ? h('span', { class: 'badge-blocked', testid: `blocked-${contact.username}`, title: 'You blocked this account' }, icon('block', { size: 14, label: 'blocked' })) : null,
        devicesRefused ? h('span', { class: 'badge-warning', testid: `device-problem-${contact.username}`, title: 'Device list not signed by this contact' }, icon('alert', { size: 14, label: 'device list not signed by this contact' })) : null,
        h('span', { class: 'contact-time' }, last ? formatShort(last.at) : '')),
      looksLike ? h('span', { class: 'contact-lookalike', testid: `lookalike-${contact.username}` },
        icon('alert', { size: 12 }), `looks like ${looksLike.join(', ')}`) : null,
      h('span', { class: 'contact-bottom' },
        h('span', { class: ['contact-preview', typing && 'typing'] }, preview),
        unread > 0 && !blockedByUser ? h('span', { class: 'unread', testid: `unread-${contact.username}` }, unread > 99 ? '99+' : String(unread)) : null)));
    return h('li', {}, button);
  }

  messenger.on('contacts', render);
  messenger.on('devices', render);
  messenger.on('typing', render);
  messenger.on('groups', render);
  messenger.on('directory-mode', render);
  render();

  return {
    element: h('nav', { class: 'sidebar-list', aria: { label: 'Conversations and people' } },
      h('div', { class: 'sidebar-actions' }, newChat, newGroup), filterWrap, scroller),
    /** Marks the open conversation (a username or a group's key). */
    select(key) {
      selected = key;
      render();
    },
  };
}
