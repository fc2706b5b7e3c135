/**
 * The conversation view: header (presence, verified badge, safety number), the identity
 * change banner, the history with day separators and per-message delivery state, the typing
 * indicator, and the composer. Message text is set with textContent only.
 *
 * Incoming messages are marked read only once they were shown (read-tracker.js); messages
 * left undelivered by a contact's identity change are listed in a notice that offers to send
 * them again once the new identity is accepted. A contact whose device list this device
 * refused is named so above the history (nothing is sent to them until a valid list comes).
 */

import { h, icon, avatar, replaceChildren } from './dom.js';
import { formatTime, formatDay, formatFull, dayKey, messageTime } from './format.js';
import { isBlocked } from '../chat/contacts.js';
import { createComposer } from './composer.js';
import { ErrorCode } from '../wire/errors.js';
import { createReadTracker } from './read-tracker.js';
import { lookalikes } from '../chat/lookalike.js';
import { createMessageFeatures } from './message-features.js';
import { createTimerSetting } from './timer-setting.js';

/** Why the server refused a message for good, in words (docs/CLIENT-MODEL.md, `failed`). */
const FAILURE_REASONS = {
  [ErrorCode.UNKNOWN_USER]: 'there is no such user',
  [ErrorCode.ENVELOPE_TOO_LARGE]: 'too large for this server',
  [ErrorCode.BAD_FRAME]: 'malformed',
};

/**
 * Outgoing states. Each has its own icon shape and an accessible name (the status is a
 * role=img with that name), and read also shows the word: delivered and read never differ
 * by colour alone.
 */
const STATUS = {
  sending: { icon: 'clock', label: () => 'Sending: kept on this device until the server has it' },
  stored: { icon: 'check', label: () => 'Stored on the server, not yet delivered' },
  delivered: { icon: 'checks', label: () => 'Delivered' },
  read: { icon: 'eye', label: () => 'Read', text: 'Read' },
  failed: {
    icon: 'alert', text: 'Not sent',
    label: (peer, m) => `Not sent: the server refused it${m.reason ? ` (${FAILURE_REASONS[m.reason] ?? m.reason})` : ''}`,
  },
  undelivered: {
    icon: 'alert', text: (m) => (m.resentAs ? 'Not delivered, resent below' : 'Not delivered'),
    label: (peer, m) => (m.resentAs
      ? `Not delivered: ${peer}'s identity changed before it arrived. Resent to the new identity.`
      : `Not delivered: ${peer}'s identity changed before it arrived`),
  },
};

export function createConversation({ messenger, peer, onBack, onSafety }) {
  const elements = new Map();
  let lastDay = null;
  let lastDirection = null;
  let shownChange = null;
  /** Events that arrive while the history is loading are applied after it, in order. */
  let loaded = false;
  const early = [];

  const list = h('ol', { class: 'message-list', testid: 'message-list', aria: { label: `Messages with ${peer}`, live: 'polite' } });
  const scroller = h('div', { class: 'message-scroller' }, list);
  const typing = h('div', { class: 'typing-indicator', testid: 'typing-indicator', hidden: true, aria: { live: 'polite' } },
    h('span', { class: 'typing-dots', aria: { hidden: 'true' } }, h('i'), h('i'), h('i')), `${peer} is typing`);
  const status = h('span', { class: 'peer-status' });
  const badge = h('span', { class: 'verified-badge', testid: 'verified-badge', hidden: true }, icon('shield', { size: 14 }), 'Verified');
  const banner = h('div', { class: 'identity-banner', role: 'alert', testid: 'identity-changed-banner', hidden: true });
  const lookalike = h('p', { class: 'lookalike-warning', testid: 'lookalike-warning', hidden: true });
  const devicesWarning = h('p', { class: 'lookalike-warning', testid: 'device-list-warning', role: 'alert', hidden: true });
  /** Undelivered messages not yet resent: id -> message. */
  const undelivered = new Map();
  const undeliveredText = h('span', { class: 'banner-text' });
  const resend = h('button', {
    type: 'button', class: 'button small primary', testid: 'resend-undelivered',
    onclick: () => messenger.resendUndelivered(peer).catch((e) => { undeliveredText.textContent = e.message; }),
  }, 'Resend to the new identity');
  const undeliveredNotice = h('div', { class: 'undelivered-notice', role: 'status', testid: 'undelivered-notice', hidden: true },
    icon('alert', { size: 20 }), undeliveredText, h('div', { class: 'banner-actions' }, resend));
  const composer = createComposer({ messenger, peer });
  /** Replies, edits, deletes, reactions and expiry (message-features.js); the timer setting. */
  const features = createMessageFeatures({ messenger, conversation: peer, elements, composer, rerender: (m) => replace(m) });
  const timer = createTimerSetting({ messenger, conversation: peer, onError: (text) => composer.showError(text) });
  /** Messages that arrived below while the user was scrolled up (they stay unread until shown). */
  let arrivedBelow = 0;
  const jump = h('button', {
    type: 'button', class: 'jump-to-new', testid: 'jump-to-new', hidden: true,
    onclick: () => { scrollToBottom(); renderJump(0); },
  });

  const header = h('header', { class: 'conversation-header' },
    h('button', { type: 'button', class: 'icon-button back', aria: { label: 'Back to contacts' }, onclick: onBack }, icon('back')),
    avatar(peer, 36),
    h('div', { class: 'peer' }, h('h2', { class: 'peer-name' }, peer, badge), status),
    timer.element,
    h('button', {
      type: 'button', class: 'button ghost safety-button', testid: 'open-safety', onclick: onSafety,
      aria: { label: `Safety number with ${peer}` },
    }, icon('shield', { size: 18 }), h('span', { class: 'label' }, 'Safety number')));

  const element = h('section', { class: 'conversation', aria: { label: `Conversation with ${peer}` } },
    header, lookalike, devicesWarning, banner, undeliveredNotice, scroller, jump, typing, composer.element);
  const reads = createReadTracker({ root: scroller, onShown: (ids) => messenger.markRead(peer, ids).catch((e) => console.error(e)) });

  function renderJump(count) {
    arrivedBelow = count;
    jump.hidden = count === 0;
    replaceChildren(jump, `${count === 1 ? '1 new message' : `${count} new messages`} below`, icon('back', { size: 14 }));
  }

  scroller.addEventListener('scroll', () => {
    if (arrivedBelow > 0 && nearBottom()) renderJump(0);
  }, { passive: true });

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function bubble(message) {
    if (message.direction === 'system') {
      return h('li', { class: ['system-note', message.kind === 'timer' && 'timer-line'], testid: 'system-message', data: { kind: message.kind ?? 'note' } },
        icon(message.kind === 'timer' ? 'clock' : 'alert', { size: 14 }), message.text);
    }
    const out = message.direction === 'out';
    const at = messageTime(message);
    const state = STATUS[message.status] ?? STATUS.sending;
    const meta = h('span', { class: 'meta' },
      features.marks(message),
      h('time', { datetime: new Date(at).toISOString(), title: formatFull(at) }, formatTime(at)),
      out ? h('span', {
        class: ['status', `status-${message.status}`], testid: 'message-status', role: 'img',
        title: state.label(peer, message), aria: { label: state.label(peer, message) }, data: { icon: state.icon },
      }, icon(state.icon, { size: 16 }), state.text ? h('span', { class: 'status-text' }, typeof state.text === 'function' ? state.text(message) : state.text) : null) : null);
    return h('li', {
      class: ['message', out ? 'out' : 'in'], testid: 'message',
      data: { direction: out ? 'out' : 'in', status: out ? message.status : 'received', id: message.id },
    }, h('div', { class: 'bubble' }, features.content(message), meta), features.after(message));
  }

  /** Watches unread incoming messages until shown; keeps the undelivered notice in step. */
  function track(message) {
    if (message.direction === 'in' && !message.read) reads.watch(message.id, elements.get(message.id));
    if (message.direction !== 'out') return;
    if (message.status === 'undelivered' && !message.resentAs) undelivered.set(message.id, message);
    else undelivered.delete(message.id);
    renderUndelivered();
  }

  function renderUndelivered() {
    const count = undelivered.size;
    undeliveredNotice.hidden = count === 0;
    if (count === 0) return;
    const pending = Boolean(messenger.contacts.get(peer)?.identityChange);
    undeliveredText.textContent = `${count === 1 ? '1 message' : `${count} messages`} to ${peer} ${count === 1 ? 'was' : 'were'} not delivered: `
      + `${peer}'s identity changed (an account reset) before ${count === 1 ? 'it' : 'they'} arrived. `
      + (pending ? `Accept the new identity to send ${count === 1 ? 'it' : 'them'} again.` : `You can send ${count === 1 ? 'it' : 'them'} again to the new identity.`);
    resend.hidden = pending;
  }

  function add(message) {
    const day = dayKey(messageTime(message));
    if (day !== lastDay) {
      lastDay = day;
      lastDirection = null;
      list.append(h('li', { class: 'day-separator', role: 'separator' }, h('span', {}, formatDay(messageTime(message)))));
    }
    features.remember(message);
    const el = bubble(message);
    // A change of speaker starts a new group, with a little more space above it.
    if (lastDirection !== null && lastDirection !== message.direction) el.classList.add('new-group');
    lastDirection = message.direction;
    elements.set(message.id, el);
    list.append(el);
    track(message);
  }

  function upsert(message) {
    if (!loaded) {
      early.push(message);
      return;
    }
    if (elements.has(message.id)) {
      replace(message);
      features.refreshQuoters(message.id);
      return;
    }
    const stick = nearBottom() || message.direction === 'out';
    add(message);
    if (stick) scrollToBottom();
    else if (message.direction === 'in') renderJump(arrivedBelow + 1);
  }

  /** Builds the bubble of a message on screen again. */
  function replace(message) {
    const existing = elements.get(message.id);
    features.remember(message);
    const el = bubble(message);
    if (existing.classList.contains('new-group')) el.classList.add('new-group');
    existing.replaceWith(el);
    elements.set(message.id, el);
    track(message);
  }

  function renderContact() {
    const contact = messenger.contacts.get(peer);
    const online = messenger.presence.get(peer) === true;
    status.textContent = messenger.typing.get(peer) ? 'typing…' : (online ? 'online' : 'offline');
    status.classList.toggle('online', online);
    badge.hidden = !contact?.verified;
    const change = contact?.identityChange;
    banner.hidden = !change;
    // Rebuild only when the change itself differs, so keyboard focus in the banner survives updates.
    const changeKey = change ? `${change.at}:${change.blocking}` : null;
    if (change && changeKey !== shownChange) {
      replaceChildren(banner,
        icon('alert', { size: 20 }),
        h('div', { class: 'banner-text' },
          h('strong', {}, `${peer}'s identity changed.`),
          ` ${change.blocking
            ? 'You had verified the previous one, so sending is paused. Compare the new safety number with them, then accept it.'
            : 'They may have reset their account or moved to a new browser. Compare safety numbers to be sure.'}`),
        h('div', { class: 'banner-actions' },
          h('button', { type: 'button', class: 'button small', onclick: onSafety }, 'View safety number'),
          h('button', { type: 'button', class: 'button small primary', testid: 'accept-identity', onclick: () => messenger.acceptIdentity(peer) }, 'Accept new identity')));
    }
    shownChange = changeKey;
    const others = lookalikes([...messenger.contacts.keys()].filter((n) => n !== messenger.username)).get(peer);
    lookalike.hidden = !others;
    if (others) replaceChildren(lookalike, icon('alert', { size: 16 }), `${peer} looks like ${others.join(', ')}: check that this is the person you mean.`);
    const problem = messenger.deviceProblem(peer);
    devicesWarning.hidden = !problem;
    if (problem) replaceChildren(devicesWarning, icon('alert', { size: 16 }), `${problem} Messages you write wait on this device.`);
    renderUndelivered();
    composer.setBlocked(isBlocked(contact) ? `Sending to ${peer} is paused until you accept their new identity.` : null);
  }

  function renderTyping() {
    typing.hidden = !messenger.typing.get(peer);
    renderContact();
  }

  const unsubscribe = [
    messenger.on('message', ({ peer: p, message }) => { if (p === peer) upsert(message); }),
    messenger.on('message-removed', ({ peer: p, id }) => { if (p === peer) features.removed(id); }),
    timer.destroy,
    messenger.on('contacts', renderContact),
    messenger.on('devices', ({ username }) => { if (username === peer) renderContact(); }),
    messenger.on('typing', ({ peer: p }) => { if (p === peer) renderTyping(); }),
  ];

  renderContact();
  renderTyping();
  list.append(h('li', { class: 'encryption-note' },
    icon('lock', { size: 16 }),
    `Messages with ${peer} are end-to-end encrypted. Only you and ${peer} can read them.`));
  messenger.conversation(peer).then((messages) => {
    for (const m of messages) if (!elements.has(m.id)) add(m);
    loaded = true;
    early.splice(0).forEach(upsert);
    scrollToBottom();
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
