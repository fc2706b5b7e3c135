/**
 * The message composer: Enter sends, Shift+Enter adds a line. The draft is kept per
 * conversation by `drafts` (reading-comfort.js: the account's IndexedDB, never localStorage,
 * since a draft is plaintext) until it is sent, so nothing typed is lost on a reload; a sent message
 * goes to the account's outbox (IndexedDB) before anything else, so it survives being offline.
 *
 * Invariant: nothing typed is lost or cut, whatever the typing speed. At Enter the text is
 * checked, taken out of the input and the input cleared in the same event, before anything is
 * awaited; sends are queued in order. Text typed while earlier sends are being stored stays in
 * the input untouched. A send that fails puts its text back in front of whatever is in the input.
 *
 * The length limit is in UTF-8 bytes (chat/text-limit.js): near it the composer shows what is
 * left, over it why the message cannot be sent, and sending is refused before anything is queued.
 */

import { h, icon, replaceChildren } from './dom.js';
import { checkText } from '../chat/text-limit.js';
import { snippet } from './message-extras.js';
import { createAttachControl } from './attachment-composer.js';

const MAX_ROWS_PX = 160;

/**
 * `target` (optional) replaces the messenger's pairwise actions, for a group conversation:
 * `{ refusal(text), send(text), typing(hasText), label }`; `peer` is then the group's key.
 */
export function createComposer({ messenger, peer, target = null, drafts = null }) {
  const actions = target ?? {
    refusal: (text) => messenger.refusal(peer, text),
    typing: (hasText) => messenger.typingChanged(peer, hasText),
    label: peer,
  };
  /**
   * What the next Enter does besides a plain message: { kind: 'reply', quote: {author, id},
   * message } or { kind: 'edit', message }; shown above the input with a cancel button.
   */
  let context = null;
  /** What the input held before an edit took it over; it comes back when the edit ends. */
  let beforeEdit = '';
  const contextText = h('span', { class: 'composer-context-text' });
  const contextBar = h('div', { class: 'composer-context', testid: 'composer-context', hidden: true },
    contextText,
    h('button', {
      type: 'button', class: 'icon-button', testid: 'composer-context-cancel', aria: { label: 'Cancel' },
      onclick: () => setContext(null),
    }, icon('close', { size: 16 })));
  const error = h('p', { class: 'composer-error', role: 'alert', testid: 'composer-error', hidden: true });
  const meter = h('p', { class: 'composer-limit', testid: 'message-limit', hidden: true, aria: { live: 'polite' } });
  const input = h('textarea', {
    class: 'message-input', testid: 'message-input', rows: '1', placeholder: `Message ${actions.label}`,
    aria: { label: `Message to ${actions.label}` },
  });
  const send = h('button', { type: 'submit', class: 'send-button', testid: 'message-send', aria: { label: 'Send' } }, icon('send'));
  let blockedReason = null;
  /** Sends queued at Enter, stored one after the other in the order they were typed. */
  let queue = Promise.resolve();

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_ROWS_PX)}px`;
  }

  function showError(text) {
    error.textContent = text ?? '';
    error.hidden = !text;
  }

  /** Shows the bytes left near the limit, and why the text cannot be sent over it. */
  function renderLimit() {
    const check = checkText(input.value);
    meter.textContent = check.message ?? '';
    meter.hidden = !check.message;
    meter.classList.toggle('over', check.tooLong);
    input.setAttribute('aria-invalid', String(check.tooLong));
    if (check.tooLong) input.setAttribute('aria-describedby', meter.id);
    else input.removeAttribute('aria-describedby');
    send.disabled = Boolean(blockedReason) || check.tooLong;
    return check;
  }

  function saveDraft() {
    drafts?.save(input.value);
  }

  /** Synchronous up to the point where the text has left the input. */
  function submit() {
    const text = input.value;
    if (text.trim() === '' || blockedReason) return;
    const refused = actions.refusal(text);
    if (refused) {
      renderLimit();
      showError(refused);
      return;
    }
    showError(null);
    const sending = context;
    if (sending?.kind === 'edit') {
      // An edit keeps the input and its context until it is stored.
      messenger.editMessage(peer, sending.message.id, text).then(() => {
        if (context === sending) setContext(null);
      }, (e) => showError(e.message));
      return;
    }
    input.value = '';
    saveDraft();
    autosize();
    renderLimit();
    setContext(null);
    const quote = sending?.kind === 'reply' ? sending.quote : null;
    queue = queue.then(() => messenger.sendMessage(peer, { text, quote })).catch((e) => {
      // Not stored: the text goes back into the input, in front of anything typed since.
      input.value = input.value === '' ? text : `${text}\n${input.value}`;
      saveDraft();
      autosize();
      renderLimit();
      showError(e.message);
    });
    input.focus();
  }

  /** Replying to a message or editing one (null: a plain message). */
  function setContext(next) {
    const wasEdit = context?.kind === 'edit';
    context = next;
    contextBar.hidden = !next;
    if (next?.kind === 'reply') {
      const who = next.quote.author === messenger.username ? 'yourself' : next.quote.author;
      replaceChildren(contextText, h('strong', {}, `Replying to ${who}`), h('span', { class: 'quote-text' }, snippet(next.message)));
    } else if (next?.kind === 'edit') {
      replaceChildren(contextText, h('strong', {}, 'Editing your message'), h('span', { class: 'quote-text' }, snippet(next.message)));
      if (!wasEdit) beforeEdit = input.value;
      input.value = next.message.text;
    }
    if (wasEdit && next?.kind !== 'edit') input.value = beforeEdit;
    autosize();
    renderLimit();
    if (next) input.focus();
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && context) {
      event.preventDefault();
      setContext(null);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    if (context?.kind !== 'edit') saveDraft();
    if (!renderLimit().tooLong) showError(null);
    actions.typing(input.value.trim() !== '');
  });
  input.addEventListener('blur', () => actions.typing(false));

  meter.id = `composer-limit-${Math.random().toString(36).slice(2)}`;
  /** Files (attachment-composer.js): the attach button in the form, the upload's progress above it. */
  const attach = createAttachControl({ messenger, conversation: peer });
  const form = h('form', { class: 'composer', onsubmit: (event) => { event.preventDefault(); submit(); } },
    attach.button, input, send);
  const element = h('div', { class: 'composer-wrap' }, error, meter, contextBar, attach.element, form);
  queueMicrotask(() => {
    autosize();
    renderLimit();
  });
  // The kept draft comes back unless something was typed meanwhile.
  drafts?.load().then((text) => {
    if (!text || input.value !== '') return;
    input.value = text;
    autosize();
    renderLimit();
  }, (e) => console.error(e));

  return {
    element,
    focus: () => input.focus(),
    showError,
    /** Reply to `message` (quote {author, id}). */
    setReply: ({ author, id, message }) => setContext({ kind: 'reply', quote: { author, id }, message }),
    /** Edit this account's `message`: its text goes into the input. */
    setEdit: (message) => setContext({ kind: 'edit', message }),
    setBlocked(reason) {
      blockedReason = reason;
      input.disabled = Boolean(reason);
      input.placeholder = reason ?? `Message ${actions.label}`;
      attach.setBlocked(reason);
      renderLimit();
    },
    destroy() {
      actions.typing(false);
      attach.destroy();
    },
  };
}
