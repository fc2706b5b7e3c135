/**
 * "New chat": finds a person and opens the conversation with them.
 *
 * - Private directory: the exact username is looked up on the server (find-person.js); only
 *   that name's existence is learned.
 * - Open directory: every account is already listed here, so typing filters them by prefix
 *   (`new-chat-result-<username>` rows); Enter or "Start chat" opens the exact name or the only
 *   match, and an exact name not listed yet is still looked up on the server.
 */

import { h, avatar, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';
import { findPerson } from './find-person.js';

/** Prefix matches shown at most. */
const MAX_MATCHES = 8;

/** `onFound(username)` opens the conversation. */
export function openNewChatDialog({ messenger, onFound }) {
  const open = messenger.directory.mode !== 'private';
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'new-chat-error' });
  const input = h('input', {
    type: 'text', id: 'new-chat-name', testid: 'new-chat-input', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'none', maxlength: '32', placeholder: 'e.g. alice', aria: { describedby: 'new-chat-hint' },
    oninput: () => renderMatches(),
  });
  const matches = h('ul', { class: 'member-list new-chat-matches', testid: 'new-chat-matches', aria: { label: 'Matching people' } });
  const submit = h('button', { type: 'submit', class: 'button primary', testid: 'new-chat-submit' }, 'Start chat');
  let dialog = null;

  function others() {
    return [...messenger.contacts.keys()].filter((u) => u !== messenger.username).sort();
  }

  function renderMatches() {
    error.textContent = '';
    const prefix = input.value.trim().toLowerCase();
    if (!open || prefix === '') return void replaceChildren(matches);
    const found = others().filter((u) => u.startsWith(prefix)).slice(0, MAX_MATCHES);
    replaceChildren(matches, found.map((username) => h('li', {},
      h('button', { type: 'button', class: 'member-row match', testid: `new-chat-result-${username}`, onclick: () => done(username) },
        avatar(username, 28), h('span', { class: 'member-name' }, username)))));
  }

  function done(username) {
    dialog.close();
    onFound(username);
  }

  const form = h('form', {
    class: 'group-form new-chat-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const name = input.value.trim().toLowerCase();
      const listed = others();
      if (open && !listed.includes(name)) {
        const prefixed = listed.filter((u) => u.startsWith(name));
        if (name !== '' && prefixed.length === 1) return done(prefixed[0]);
      }
      if (messenger.contacts.get(name)?.identity) return done(name);
      submit.disabled = true;
      error.textContent = '';
      const result = await findPerson(messenger, name);
      submit.disabled = false;
      if (result.username) done(result.username);
      else error.textContent = result.error;
    },
  },
  h('label', { for: 'new-chat-name' }, 'Username'), input,
  h('p', { class: 'hint', id: 'new-chat-hint' }, open
    ? 'Type the start of a name to pick someone on this server.'
    : 'This server keeps its list of users private: type the exact username of the person you want to write to.'),
  matches, error, h('div', { class: 'button-row' }, submit));
  dialog = openDialog({ title: 'New chat', testid: 'new-chat-dialog', className: 'group-dialog', body: form });
  input.focus();
}
