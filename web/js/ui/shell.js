/**
 * The signed-in screen: a sidebar (account, connection state, contacts) and the open
 * conversation. Under 760 px only one of the two is shown at a time.
 *
 * With `local` (chat/local-state.js) it also reopens the conversation open last, keeps drafts
 * and reading comfort per conversation (reading-comfort.js), notifies new messages
 * (notifications.js); with `search` it offers "Search messages" (search-dialog.js).
 */

import { h, icon, avatar, replaceChildren } from './dom.js';
import { createSidebar } from './sidebar.js';
import { createConversation } from './conversation.js';
import { createGroupConversation } from './group-conversation.js';
import { openNewGroupDialog } from './group-dialogs.js';
import { openNewChatDialog } from './new-chat-dialog.js';
import { openSafetyDialog } from './safety-dialog.js';
import { openLogDialog } from './log-dialog.js';
import { openInfoDialog } from './info-dialog.js';
import { openSettingsDialog } from './settings-dialog.js';
import { historyProgress } from './history-progress.js';
import { createReadingComfort } from './reading-comfort.js';
import { createNotifier } from './notifications.js';
import { openSearchDialog } from './search-dialog.js';
import { createOfflineIndicator } from './offline-indicator.js';

const STATE_LABELS = { online: 'Connected', connecting: 'Connecting…', offline: 'Offline' };

/** `onSignedOut()`: this device left the account (settings); the caller forgets it here. */
/**
 * `local`: this device's drafts, last conversation and notification settings; `search(query)`
 * -> hits, at most `searchLimit`; `registration()`: the service worker's registration or null;
 * `onWorkerMessage(handler)`: messages the service worker posts (a notification clicked).
 */
export function createShell({ messenger, connection, onReconnect, onSignedOut, local = null, search = null, searchLimit = 200, registration = () => null, onWorkerMessage = null }) {
  const root = h('div', { class: 'shell', id: 'main' });
  let conversation = null;
  let peer = null;
  const comfort = local ? createReadingComfort({ local }) : null;
  const notifier = local ? createNotifier({
    messenger, local, current: () => peer, onOpen: (key) => openKey(key), registration,
  }) : null;
  onWorkerMessage?.((data) => {
    if (data.type === 'open-conversation' && typeof data.conversation === 'string') openKey(data.conversation);
  });

  const stateText = h('span', { class: 'state-text' });
  const pending = h('span', { class: 'pending-note' });
  const status = h('button', {
    type: 'button', class: 'connection-status', testid: 'connection-status', data: { state: connection.state },
    onclick: () => onReconnect(), aria: { live: 'polite' },
  }, h('span', { class: 'state-dot' }), stateText, pending);

  const errorText = h('span', { class: 'error-text' });
  const errorAction = h('span', { class: 'error-action' });
  const errorBanner = h('div', { class: 'error-banner', role: 'alert', testid: 'error-banner', hidden: true },
    icon('alert', { size: 18 }), errorText, errorAction,
    h('button', { type: 'button', class: 'icon-button', aria: { label: 'Dismiss' }, onclick: () => { errorBanner.hidden = true; } }, icon('close', { size: 16 })));

  /** The server has device rows for this account that its signed list does not name (or the reverse). */
  const unapproved = h('div', { class: 'error-banner', role: 'alert', testid: 'unapproved-device-warning', hidden: true });
  /** "A new device was linked: NAME, TIME", on every device of the account. */
  const noticeText = h('span', { class: 'error-text' });
  const deviceNotice = h('div', { class: 'device-notice', role: 'status', testid: 'new-device-notice', hidden: true },
    icon('info', { size: 18 }), noticeText,
    h('button', { type: 'button', class: 'icon-button', aria: { label: 'Dismiss' }, onclick: () => { deviceNotice.hidden = true; } }, icon('close', { size: 16 })));

  const sidebar = createSidebar({
    messenger, onSelect: (key, kind) => (kind === 'group' ? openGroup(key) : open(key)),
    onNewGroup: () => openNewGroupDialog({ messenger, onCreated: (id) => openGroup(id) }),
    onNewChat: () => openNewChatDialog({ messenger, onFound: (name) => open(name) }),
  });
  const main = h('div', { class: 'conversation-pane' });

  const aside = h('aside', { class: 'sidebar', aria: { label: 'Account and contacts' } },
    h('header', { class: 'sidebar-header' },
      h('div', { class: 'me' },
        avatar(messenger.username, 36),
        h('div', { class: 'me-text' },
          h('span', { class: 'account-name', testid: 'account-name' }, messenger.username),
          status)),
      h('div', { class: 'header-actions' },
        search ? h('button', {
          type: 'button', class: 'icon-button', testid: 'search-open', aria: { label: 'Search messages' }, title: 'Search messages',
          onclick: () => openSearchDialog({ messenger, search, limit: searchLimit, onChoose: (hit) => openKey(hit.conversation)?.reveal?.(hit.id) }),
        }, icon('search')) : null,
        h('button', { type: 'button', class: 'icon-button', testid: 'open-security-log', aria: { label: 'Security log' }, title: 'Security log', onclick: () => openLogDialog({ messenger }) }, icon('log')),
        h('button', { type: 'button', class: 'icon-button', testid: 'open-settings', aria: { label: 'Settings and linked devices' }, title: 'Settings and linked devices', onclick: () => openSettingsDialog({ messenger, onSignedOut, notifier }) }, icon('devices')),
        h('button', { type: 'button', class: 'icon-button', testid: 'open-info', aria: { label: 'How Parley protects you' }, title: 'How Parley protects you', onclick: () => openInfoDialog({ messenger }) }, icon('lock')))),
    sidebar.element);

  /** On a just-linked device: the history its approving device sends. */
  const incomingHistory = historyProgress(messenger, 'in');
  incomingHistory.element.classList.add('device-notice');
  root.append(errorBanner, createOfflineIndicator(connection), unapproved, deviceNotice, incomingHistory.element, h('div', { class: 'panes' }, aside, main));

  function renderEmpty() {
    replaceChildren(main, h('div', { class: 'no-conversation' },
      h('span', { class: 'big-lock' }, icon('lock', { size: 40 })),
      h('h2', {}, 'Your messages are end-to-end encrypted'),
      h('p', {}, 'Choose someone on the left to start a conversation. Only the two of you can read it; the server relays ciphertext.'),
      h('button', { type: 'button', class: 'button ghost', onclick: () => openInfoDialog({ messenger }) }, icon('info', { size: 16 }), 'What the server can and cannot see')));
  }

  function open(name) {
    conversation?.destroy();
    peer = name;
    sidebar.select(name);
    conversation = createConversation({
      messenger, peer: name, comfort: comfort?.forConversation(name),
      onBack: () => close(),
      onSafety: () => openSafetyDialog({ messenger, peer: name }).catch((e) => showError(e.message)),
    });
    replaceChildren(main, conversation.element);
    root.classList.add('has-conversation');
    conversation.focus();
    remember({ key: name, kind: 'direct' });
    return conversation;
  }

  /** Opens the conversation of the group `id` (its key). */
  function openGroup(id) {
    conversation?.destroy();
    peer = id;
    sidebar.select(id);
    conversation = createGroupConversation({
      messenger, group: id, onBack: () => close(), onShowError: (text) => showError(text), comfort: comfort?.forConversation(id),
    });
    replaceChildren(main, conversation.element);
    root.classList.add('has-conversation');
    conversation.focus();
    remember({ key: id, kind: 'group' });
    return conversation;
  }

  /** Opens the conversation `key` (a username or a group id's text) if it exists here; -> the view or null. */
  function openKey(key) {
    if (messenger.groups.view(key)) return openGroup(key);
    if (messenger.contacts.has(key)) return open(key);
    return null;
  }

  function remember(last) {
    local?.setLastConversation(last).catch((e) => console.error(e));
  }

  function close() {
    conversation?.destroy();
    conversation = null;
    peer = null;
    sidebar.select(null);
    root.classList.remove('has-conversation');
    renderEmpty();
    remember(null);
  }


  async function renderState() {
    status.dataset.state = connection.state;
    stateText.textContent = STATE_LABELS[connection.state];
    const count = await messenger.pendingCount();
    pending.textContent = connection.state !== 'online' && count > 0 ? ` · ${count} waiting to send` : '';
    status.title = connection.state === 'offline' ? 'Offline: messages are kept here and sent when the connection is back. Click to retry now.' : '';
  }

  /** `untilOnline`: the error is about the connection and goes away once it is back. */
  function showError(text, action, { untilOnline = false } = {}) {
    errorText.textContent = text;
    replaceChildren(errorAction, action ?? null);
    errorBanner.hidden = false;
    errorBanner.dataset.untilOnline = String(untilOnline);
  }

  function renderTitle() {
    let unread = 0;
    for (const c of messenger.contacts.values()) unread += c.unread ?? 0;
    for (const g of messenger.groups.list()) unread += g.unread ?? 0;
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }

  connection.on('state', renderState);
  connection.on('online', () => {
    if (errorBanner.dataset.untilOnline === 'true') errorBanner.hidden = true;
  });
  messenger.on('contacts', renderTitle);
  messenger.on('groups', renderTitle);
  messenger.on('message', () => renderState());
  messenger.on('notice', ({ text }) => showError(text));
  messenger.on('device-notice', ({ text }) => {
    noticeText.textContent = text;
    deviceNotice.hidden = false;
  });
  function renderUnapproved() {
    const ids = messenger.unapprovedDevices();
    unapproved.hidden = ids.length === 0;
    if (ids.length > 0) {
      replaceChildren(unapproved, icon('alert', { size: 18 }), h('span', { class: 'error-text' },
        `A device this account did not approve is on the server (device ${ids.join(', ')}): the server's devices differ from the list your devices signed. Contacts do not encrypt to such a device, but tell the server's operator.`));
    }
  }
  messenger.on('devices', ({ username }) => { if (username === messenger.username) renderUnapproved(); });
  renderUnapproved();
  renderState();
  renderTitle();
  renderEmpty();
  // After a reload: the conversation that was open, unless one was chosen meanwhile.
  local?.lastConversation().then((last) => {
    if (last && peer === null) openKey(last.key);
  }, (e) => console.error(e));

  return { element: root, open, openGroup, showError };
}
