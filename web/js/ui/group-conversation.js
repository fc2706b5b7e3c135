/**
 * A group conversation: a header with the group's name and its members (admins marked; the
 * members dialog is one click away), a warning naming members whose identity changed, the
 * history (incoming messages with their sender's name; this account's own with "delivered to
 * 3 of 5 · read by 2 of 5", a click showing each member; system lines for every change and
 * warnings for refused ones), who is typing, and the composer. Text is set with textContent
 * only. Incoming messages are marked read once shown (read-tracker.js).
 */

import { h, icon, avatar, replaceChildren } from './dom.js';
import { formatTime, formatFull, formatDay, dayKey, messageTime } from './format.js';
import { createComposer } from './composer.js';
import { createReadTracker } from './read-tracker.js';
import { openMembersDialog, openReceiptsDialog } from './group-dialogs.js';
import { createMessageFeatures } from './message-features.js';
import { createTimerSetting } from './timer-setting.js';

const OUT_ICONS = { sending: 'clock', stored: 'check', delivered: 'checks', read: 'eye', failed: 'alert' };

/** "delivered to 3 of 5 · read by 2 of 5" for one of this account's messages. */
export function receiptSummary(message) {
  if (message.status === 'sending') return 'Sending…';
  if (message.status === 'failed') return `Not sent${message.reason ? ` (${message.reason})` : ''}`;
  const audience = message.audience ?? [];
  const states = audience.map((u) => message.receipts?.[u]);
  const delivered = states.filter(Boolean).length;
  const read = states.filter((s) => s === 'read').length;
  return `delivered to ${delivered} of ${audience.length} · read by ${read} of ${audience.length}`;
}

export function createGroupConversation({ messenger, group, onBack, onShowError }) {
  const groups = messenger.groups;
  const elements = new Map();
  let lastDay = null;
  let loaded = false;
  const early = [];

  const title = h('h2', { class: 'peer-name', testid: 'group-title', data: { groupId: group } });
  const memberLine = h('button', {
    type: 'button', class: 'member-line', testid: 'group-members', onclick: () => openMembersDialog({ messenger, group, onShowError }),
  });
  const changed = h('p', { class: 'lookalike-warning', testid: 'group-identity-warning', role: 'alert', hidden: true });
  const statusNote = h('p', { class: 'lookalike-warning', testid: 'group-status', hidden: true });
  const list = h('ol', { class: 'message-list', testid: 'message-list', aria: { live: 'polite' } });
  const scroller = h('div', { class: 'message-scroller' }, list);
  const typingText = h('span', {});
  const typing = h('div', { class: 'typing-indicator', testid: 'typing-indicator', hidden: true, aria: { live: 'polite' } },
    h('span', { class: 'typing-dots', aria: { hidden: 'true' } }, h('i'), h('i'), h('i')), typingText);
  const composer = createComposer({
    messenger, peer: group,
    target: {
      refusal: (text) => groups.refusal(group, text),
      typing: (hasText) => groups.typingChanged(group, hasText),
      label: groups.view(group)?.name ?? 'the group',
    },
  });
  /** Replies, edits, deletes, reactions and expiry (message-features.js); the timer setting. */
  const features = createMessageFeatures({ messenger, conversation: group, elements, composer, rerender: (m) => replace(m) });
  const timer = createTimerSetting({ messenger, conversation: group, onError: (text) => composer.showError(text) });
  const header = h('header', { class: 'conversation-header' },
    h('button', { type: 'button', class: 'icon-button back', aria: { label: 'Back to conversations' }, onclick: onBack }, icon('back')),
    avatar(groups.view(group)?.name ?? '#', 36),
    h('div', { class: 'peer' }, title, memberLine),
    timer.element);
  const element = h('section', { class: 'conversation group-conversation', aria: { label: 'Group conversation' } },
    header, changed, statusNote, scroller, typing, composer.element);
  const reads = createReadTracker({ root: scroller, onShown: (ids) => groups.markRead(group, ids).catch((e) => console.error(e)) });

  function bubble(message) {
    if (message.direction === 'system') {
      return h('li', { class: ['system-note', message.kind === 'change' && 'group-change-line', message.kind === 'timer' && 'timer-line'], testid: 'system-line', data: { kind: message.kind ?? 'warning' } },
        icon({ change: 'info', timer: 'clock' }[message.kind] ?? 'alert', { size: 14 }), message.text);
    }
    const out = message.direction === 'out';
    const at = messageTime(message);
    const meta = h('span', { class: 'meta' },
      features.marks(message),
      h('time', { datetime: new Date(at).toISOString(), title: formatFull(at) }, formatTime(at)),
      out ? h('button', {
        type: 'button', class: ['status', 'receipt-summary', `status-${message.status}`], testid: 'group-receipt-summary',
        aria: { label: receiptSummary(message) }, title: receiptSummary(message), onclick: () => openReceiptsDialog({ message }),
      }, icon(OUT_ICONS[message.status] ?? 'clock', { size: 16 }), h('span', { class: 'status-text' }, receiptSummary(message))) : null);
    return h('li', {
      class: ['message', out ? 'out' : 'in'], testid: 'message',
      data: { direction: out ? 'out' : 'in', status: out ? message.status : 'received', id: message.id, sender: out ? messenger.username : message.sender },
    }, h('div', { class: 'bubble' },
      out ? null : h('span', { class: 'message-sender', testid: 'message-sender' }, message.sender),
      features.content(message), meta), features.after(message));
  }

  function add(message) {
    const day = dayKey(messageTime(message));
    if (day !== lastDay) {
      lastDay = day;
      list.append(h('li', { class: 'day-separator', role: 'separator' }, h('span', {}, formatDay(messageTime(message)))));
    }
    features.remember(message);
    const el = bubble(message);
    elements.set(message.id, el);
    list.append(el);
    if (message.direction === 'in' && !message.read) reads.watch(message.id, el);
  }

  function upsert(message) {
    if (!loaded) return void early.push(message);
    if (elements.has(message.id)) {
      replace(message);
      features.refreshQuoters(message.id);
      return;
    }
    const stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80 || message.direction !== 'in';
    add(message);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }

  /** Builds the bubble of a message on screen again. */
  function replace(message) {
    const existing = elements.get(message.id);
    features.remember(message);
    const el = bubble(message);
    existing.replaceWith(el);
    elements.set(message.id, el);
    if (message.direction === 'in' && !message.read) reads.watch(message.id, el);
  }

  /** What the header shows, so unrelated events (presence) rebuild nothing. */
  let shown = null;

  function renderGroup() {
    const view = groups.view(group);
    if (!view) return;
    const key = JSON.stringify([view.name, view.status, view.members]);
    if (key === shown) return;
    shown = key;
    title.textContent = view.name;
    replaceChildren(memberLine, view.members.map((m) => `${m.me ? 'you' : m.username}${m.admin ? ' (admin)' : ''}`).join(', '));
    memberLine.setAttribute('aria-label', `Members: ${view.members.length}. Show the members`);
    const flagged = view.members.filter((m) => m.identityChanged).map((m) => m.username);
    changed.hidden = flagged.length === 0;
    if (flagged.length > 0) replaceChildren(changed, icon('alert', { size: 16 }), `The identity of ${flagged.join(', ')} changed. Compare safety numbers in Members before trusting what they send.`);
    statusNote.hidden = view.status === 'active';
    if (view.status !== 'active') statusNote.textContent = view.status === 'left' ? 'You left this group.' : 'You were removed from this group.';
    composer.setBlocked(view.status === 'active' ? null : 'You are no longer a member of this group.');
  }

  function renderTyping() {
    const who = groups.typingIn(group);
    typing.hidden = who.length === 0;
    typingText.textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing`;
  }

  const unsubscribe = [
    messenger.on('message', ({ peer, message }) => { if (peer === group) upsert(message); }),
    messenger.on('message-removed', ({ peer, id }) => { if (peer === group) features.removed(id); }),
    timer.destroy,
    messenger.on('groups', renderGroup),
    messenger.on('contacts', renderGroup),
    messenger.on('typing', ({ peer }) => { if (peer === group) renderTyping(); }),
  ];
  renderGroup();
  renderTyping();
  list.append(h('li', { class: 'encryption-note' }, icon('lock', { size: 16 }),
    'Messages in this group are end-to-end encrypted. Only its members can read them; the server cannot add anyone.'));
  groups.conversation(group).then((messages) => {
    for (const m of messages) if (!elements.has(m.id)) add(m);
    loaded = true;
    early.splice(0).forEach(upsert);
    scroller.scrollTop = scroller.scrollHeight;
  });

  return {
    element,
    focus: () => composer.focus(),
    destroy() {
      unsubscribe.forEach((off) => off());
      reads.destroy();
      composer.destroy();
    },
  };
}
