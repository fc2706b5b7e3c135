/**
 * The message composer: Enter sends, Shift+Enter adds a line. The draft is kept per contact
 * in localStorage until it is sent, so nothing typed is lost on a reload; a sent message
 * goes to the account's outbox (IndexedDB) before anything else, so it survives being offline.
 */

import { h, icon } from './dom.js';
import { MAX_TEXT_BYTES } from '../chat/messenger.js';

const MAX_ROWS_PX = 160;

export function createComposer({ messenger, peer }) {
  const draftKey = `parley.draft.${messenger.username}.${peer}`;
  const error = h('p', { class: 'composer-error', role: 'alert', hidden: true });
  const input = h('textarea', {
    class: 'message-input', testid: 'message-input', rows: '1', placeholder: `Message ${peer}`,
    aria: { label: `Message to ${peer}` }, maxlength: String(MAX_TEXT_BYTES),
  });
  input.value = localStorage.getItem(draftKey) ?? '';
  const send = h('button', { type: 'submit', class: 'send-button', testid: 'message-send', aria: { label: 'Send' } }, icon('send'));
  let blockedReason = null;

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_ROWS_PX)}px`;
  }

  function showError(text) {
    error.textContent = text ?? '';
    error.hidden = !text;
  }

  async function submit() {
    const text = input.value;
    if (text.trim() === '' || blockedReason) return;
    showError(null);
    try {
      await messenger.sendText(peer, text);
      input.value = '';
      localStorage.removeItem(draftKey);
      autosize();
    } catch (e) {
      showError(e.message);
    }
    input.focus();
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    if (input.value === '') localStorage.removeItem(draftKey);
    else localStorage.setItem(draftKey, input.value);
    messenger.typingChanged(peer, input.value.trim() !== '');
  });
  input.addEventListener('blur', () => messenger.typingChanged(peer, false));

  const form = h('form', { class: 'composer', onsubmit: (event) => { event.preventDefault(); submit(); } },
    input, send);
  const element = h('div', { class: 'composer-wrap' }, error, form);
  queueMicrotask(autosize);

  return {
    element,
    focus: () => input.focus(),
    setBlocked(reason) {
      blockedReason = reason;
      input.disabled = Boolean(reason);
      send.disabled = Boolean(reason);
      input.placeholder = reason ?? `Message ${peer}`;
    },
    destroy() {
      messenger.typingChanged(peer, false);
    },
  };
}
