/**
 * Reading comfort in a conversation (docs/WEB-CLIENT.md, "Reading comfort"): the "new
 * messages" divider above the first message that was unread when the conversation opened, a
 * jump-to-latest button with the count of new messages below the view while scrolled up, the
 * conversation's draft (kept in the account's IndexedDB by chat/local-state.js), and showing
 * one message (a search result) scrolled into view and highlighted.
 *
 * The conversation views call it with a few hooks: `attach` once their elements exist,
 * `loaded(messages)` after the history is shown, `arrived(message)` for each new message,
 * `reveal(id)` and `destroy()`. It changes no message and marks nothing read (read-tracker.js
 * does, from what was shown).
 */

import { h, icon } from './dom.js';

/** Scrolled up by more than this (or a third of the view) shows the jump button. */
const FAR_FROM_BOTTOM_PX = 160;
const HIGHLIGHT_MS = 4000;

/** `local`: chat/local-state.js. -> { forConversation(key) } */
export function createReadingComfort({ local }) {
  return {
    forConversation: (key) => conversationComfort(local, key),
  };
}

function conversationComfort(local, key) {
  let scroller = null;
  let list = null;
  let jump = null;
  let badge = null;
  let loaded = false;
  let pendingReveal = null;
  let frame = 0;
  /** Incoming messages not yet scrolled into view: unread at opening, or arrived since. */
  const unseen = new Set();

  function messageElement(id) {
    return list?.querySelector(`[data-testid="message"][data-id="${CSS.escape(id)}"]`) ?? null;
  }

  function distanceFromBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
  }

  /** Drops from `unseen` what has been inside the view; shows or hides the button. */
  function update() {
    frame = 0;
    if (!scroller) return;
    const bottom = scroller.getBoundingClientRect().bottom;
    for (const id of unseen) {
      const el = messageElement(id);
      if (!el || el.getBoundingClientRect().top < bottom - 8) unseen.delete(id);
    }
    const far = distanceFromBottom() > Math.max(FAR_FROM_BOTTOM_PX, scroller.clientHeight / 3);
    jump.hidden = !far;
    const count = unseen.size;
    badge.hidden = count === 0;
    badge.textContent = count > 99 ? '99+' : String(count);
    jump.dataset.count = String(count);
    const label = count === 0 ? 'Jump to the latest message' : `Jump to the latest message: ${count} new ${count === 1 ? 'message' : 'messages'} below`;
    jump.setAttribute('aria-label', label);
    jump.title = label;
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(update);
  }

  function scrollToLatest() {
    scroller.scrollTop = scroller.scrollHeight;
    update();
  }

  function placeDivider(messages) {
    const firstUnread = messages.find((m) => m.direction === 'in' && !m.read);
    if (!firstUnread) return null;
    const el = messageElement(firstUnread.id);
    if (!el) return null;
    const count = messages.filter((m) => m.direction === 'in' && !m.read).length;
    const text = count === 1 ? '1 new message' : `${count} new messages`;
    const divider = h('li', { class: 'new-messages-divider', testid: 'new-messages-divider', role: 'separator', aria: { label: text } },
      h('span', {}, text));
    el.before(divider);
    return divider;
  }

  function doReveal(id) {
    const el = messageElement(id);
    if (!el) return false;
    list.querySelectorAll('[data-highlighted="true"]').forEach((other) => { delete other.dataset.highlighted; });
    el.scrollIntoView({ block: 'center' });
    el.dataset.highlighted = 'true';
    el.classList.add('search-highlight');
    setTimeout(() => el.classList.remove('search-highlight'), HIGHLIGHT_MS);
    update();
    return true;
  }

  return {
    /** The composer's draft of this conversation. */
    drafts: {
      load: () => local.draft(key),
      save: (text) => local.saveDraft(key, text).catch((e) => console.error(e)),
    },

    /** `element`: the conversation; `scroller` and `list`: its scrolling pane and message list. */
    attach({ scroller: pane, list: messageList }) {
      scroller = pane;
      list = messageList;
      badge = h('span', { class: 'jump-latest-count', hidden: true, aria: { hidden: 'true' } });
      jump = h('button', { type: 'button', class: 'jump-latest', testid: 'jump-latest', hidden: true, onclick: scrollToLatest },
        icon('back', { size: 18 }), badge);
      // A zero-height dock after the scrolling pane: the button floats over the pane's bottom.
      scroller.after(h('div', { class: 'jump-latest-dock' }, jump));
      scroller.addEventListener('scroll', schedule, { passive: true });
    },

    /** The history is in the list: divider, then the first unread (or a wanted message) in view. */
    loaded(messages) {
      loaded = true;
      for (const m of messages) if (m.direction === 'in' && !m.read) unseen.add(m.id);
      const divider = placeDivider(messages);
      if (pendingReveal && doReveal(pendingReveal)) {
        pendingReveal = null;
      } else if (divider && divider.getBoundingClientRect().top < scroller.getBoundingClientRect().top) {
        // More unread than fits: start at the divider, the rest is below (and stays unread until shown).
        scroller.scrollTop += divider.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
      }
      update();
    },

    /** A message added below (not an update of one shown). */
    arrived(message) {
      if (message.direction === 'in' && !message.read) unseen.add(message.id);
      schedule();
    },

    /** Scrolls message `id` into view and highlights it (now, or once the history is loaded). */
    reveal(id) {
      if (!loaded || !doReveal(id)) pendingReveal = id;
    },

    destroy() {
      if (frame) cancelAnimationFrame(frame);
      scroller?.removeEventListener('scroll', schedule);
    },
  };
}
