/**
 * The screen of a tab without an account: create one, link this browser to an account used on
 * another device, continue with an account of this browser, or reset an account with its
 * recovery code (for a user on a fresh browser).
 */

import { h, icon } from './dom.js';
import { USERNAME as USERNAME_PATTERN } from '../wire/limits.js';
import { canonicalRecoveryCode } from '../wire/recovery.js';

/**
 * `accounts`: [{ username, inUse }]. Callbacks return a promise; a rejection's message is
 * shown under the form.
 */
export function welcomeScreen({ accounts, onRegister, onContinue, onReset, onLink }) {
  const error = h('p', { class: 'form-error', role: 'alert', aria: { live: 'assertive' } });
  const username = h('input', {
    id: 'register-username', testid: 'register-username', name: 'username', autocomplete: 'username',
    autocapitalize: 'none', spellcheck: 'false', required: true, minlength: '3', maxlength: '32',
    pattern: '[a-z0-9_]{3,32}', placeholder: 'e.g. alice', aria: { describedby: 'username-hint' },
  });
  const submit = h('button', { type: 'submit', class: 'button primary', testid: 'register-submit' }, 'Create account');
  const busy = (on, label) => {
    submit.disabled = on;
    submit.textContent = on ? label : 'Create account';
  };
  const form = h('form', {
    class: 'card-form', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      const name = username.value.trim().toLowerCase();
      error.textContent = '';
      if (!USERNAME_PATTERN.test(name)) {
        error.textContent = 'Usernames are 3 to 32 characters: lower-case letters, digits and _.';
        username.focus();
        return;
      }
      busy(true, 'Generating keys…');
      try {
        await onRegister(name);
      } catch (e) {
        error.textContent = e.message;
        busy(false);
        username.focus();
      }
    },
  },
  h('label', { for: 'register-username' }, 'Choose a username'),
  username,
  h('p', { id: 'username-hint', class: 'hint' }, 'Lower-case letters, digits and _. Your keys are created in this browser and never leave it.'),
  submit,
  error);

  const existing = accounts.length === 0 ? null : h('section', { class: 'welcome-accounts', aria: { label: 'Accounts in this browser' } },
    h('h2', {}, 'Accounts in this browser'),
    h('ul', { class: 'account-choices' }, accounts.map((a) => h('li', {},
      h('button', {
        type: 'button', class: 'button ghost account-choice', disabled: a.inUse,
        onclick: () => onContinue(a.username),
      }, h('span', { class: 'account-choice-name' }, a.username),
      h('span', { class: 'account-choice-note' }, a.inUse ? 'open in another tab' : 'continue'))))));

  const resetForm = resetSection(onReset);

  return h('main', { class: 'welcome', id: 'main' },
    h('div', { class: 'welcome-card' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('lock', { size: 22 })), h('h1', {}, 'Parley')),
      h('p', { class: 'lead' }, 'End-to-end encrypted chat. Messages are encrypted in your browser; the server only relays ciphertext.'),
      form,
      h('div', { class: 'welcome-link' },
        h('p', { class: 'hint' }, 'Already use Parley on another device?'),
        h('button', { type: 'button', class: 'button', testid: 'link-device-start', onclick: () => onLink() }, 'Link to an existing account')),
      existing,
      resetForm));
}

function resetSection(onReset) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const username = h('input', { id: 'reset-username', name: 'reset-username', autocapitalize: 'none', spellcheck: 'false', required: true, testid: 'reset-username' });
  const code = h('input', { id: 'reset-code', name: 'reset-code', autocapitalize: 'characters', spellcheck: 'false', required: true, autocomplete: 'off', testid: 'reset-code', placeholder: 'XXXX-XXXX-…' });
  const submit = h('button', { type: 'submit', class: 'button', testid: 'reset-submit' }, 'Reset account');
  const form = h('form', {
    class: 'card-form', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = '';
      const name = username.value.trim().toLowerCase();
      const canonical = canonicalRecoveryCode(code.value);
      if (!USERNAME_PATTERN.test(name)) {
        error.textContent = 'Enter the username of the account.';
        return;
      }
      if (!canonical) {
        error.textContent = 'A recovery code has 32 characters (letters and digits).';
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Resetting…';
      try {
        await onReset(name, canonical);
      } catch (e) {
        error.textContent = e.message;
        submit.disabled = false;
        submit.textContent = 'Reset account';
      }
    },
  },
  h('p', { class: 'hint' }, 'Lost the browser that held your account? Your recovery code moves the username to new keys made here. Contacts will see that your identity changed, and messages not yet delivered to the old browser are lost.'),
  h('label', { for: 'reset-username' }, 'Username'), username,
  h('label', { for: 'reset-code' }, 'Recovery code'), code,
  submit, error);
  return h('details', { class: 'welcome-reset' }, h('summary', { testid: 'open-reset' }, 'Reset an account with its recovery code'), form);
}

/** Shown when this tab's account is already open in another tab of this browser. */
export function inUseScreen({ username, onOther, onRetry }) {
  return h('main', { class: 'welcome', id: 'main' },
    h('div', { class: 'welcome-card', testid: 'account-in-use' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('lock', { size: 22 })), h('h1', {}, 'Parley')),
      h('h2', {}, `${username} is open in another tab`),
      h('p', {}, 'An account can be used in one tab at a time, so that its encryption keys and message order stay consistent. Close the other tab, or use another account here.'),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button primary', onclick: onRetry }, 'Try again'),
        h('button', { type: 'button', class: 'button', onclick: onOther }, 'Use another account'))));
}
