/**
 * What the 1:1 and the group conversation share about messages with content: the records on
 * screen (for quotes), the bubble's extra parts (message-extras.js), the action menu
 * (message-menu.js) wired to the messenger and the composer (reply, edit), jumping to a quoted
 * message (it is highlighted for a moment), and erasing an expired message from the view.
 */

import { messageContent, metaMarks, reactionsRow } from './message-extras.js';
import { messageActions } from './message-menu.js';

const HIGHLIGHT_MS = 2_000;

/**
 * `conversation`: a username or a group id text; `elements`: the view's Map id -> element;
 * `composer`: the view's composer (setReply, setEdit, showError); `rerender(message)`: builds
 * a message's bubble again (for the replies quoting a message that changed).
 */
export function createMessageFeatures({ messenger, conversation, elements, composer, rerender }) {
  const records = new Map();
  /** Quoted id -> ids of the messages on screen that quote it. */
  const quoters = new Map();
  const me = messenger.username;
  const author = (m) => (m.direction === 'out' ? me : (m.sender ?? m.peer));

  const fail = (e) => composer.showError(e.message);
  const actions = {
    me,
    reply: (m) => composer.setReply({ author: author(m), id: m.id, message: m }),
    edit: (m) => composer.setEdit(m),
    remove: (m) => messenger.deleteMessage(conversation, m.id).catch(fail),
    react: (m, emoji) => messenger.react(conversation, author(m), m.id, emoji).catch(fail),
  };

  const view = {
    me,
    lookup: (id) => records.get(id) ?? null,
    jumpTo(id) {
      const el = elements.get(id);
      if (!el) return;
      el.scrollIntoView({ block: 'center' });
      el.classList.add('highlighted');
      el.setAttribute('data-highlighted', 'true');
      el.tabIndex = -1;
      el.focus({ preventScroll: true });
      setTimeout(() => {
        el.classList.remove('highlighted');
        el.removeAttribute('data-highlighted');
      }, HIGHLIGHT_MS);
    },
    toggleReaction(m, emoji) {
      actions.react(m, m.reactions?.[me] === emoji ? '' : emoji);
    },
  };

  return {
    /** Keeps the record of a message shown (call before building its bubble). */
    remember(message) {
      if (message.direction === 'system') return;
      records.set(message.id, message);
      if (message.quote) {
        if (!quoters.has(message.quote.id)) quoters.set(message.quote.id, new Set());
        quoters.get(message.quote.id).add(message.id);
      }
    },
    /** The message `id` changed or went: the replies quoting it show it anew. */
    refreshQuoters(id) {
      for (const q of quoters.get(id) ?? []) if (records.has(q) && q !== id) rerender(records.get(q));
    },
    content: (message) => messageContent(message, view),
    marks: (message) => metaMarks(message),
    /** The reactions row and the action menu, after the bubble. */
    after: (message) => (message.direction === 'system' ? [] : [reactionsRow(message, view), messageActions(message, actions)]),
    /** An expired message: erased from the view. */
    removed(id) {
      records.delete(id);
      elements.get(id)?.remove();
      elements.delete(id);
      this.refreshQuoters(id);
    },
  };
}
