/**
 * The group member picker's "add by username" field (`group-member-name`, `group-member-find`):
 * in a private directory the picker lists only the people this client knows, so anyone else is
 * added by exact username, looked up on the server (find-person.js). A found name becomes a
 * checked row of the picker; one already listed is checked.
 */

import { h } from './dom.js';
import { findPerson } from './find-person.js';

/** `list`: the picker's <ul>; `row(username, checked)`: a picker row. -> the field's element */
export function memberByName(messenger, exclude, list, row) {
  const status = h('p', { class: 'form-error', role: 'alert', testid: 'group-member-find-error' });
  const input = h('input', {
    type: 'text', id: 'group-member-name', testid: 'group-member-name', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'none', maxlength: '32', placeholder: 'Exact username', aria: { label: 'Add a member by exact username' },
    onkeydown: (event) => {
      if (event.key === 'Enter') {
        event.preventDefault(); // not the group form's submit
        add();
      }
    },
  });
  const find = h('button', { type: 'button', class: 'button small', testid: 'group-member-find', onclick: () => add() }, 'Add');

  async function add() {
    status.textContent = '';
    find.disabled = true;
    const result = await findPerson(messenger, input.value);
    find.disabled = false;
    if (!result.username) return void (status.textContent = result.error);
    if (exclude.includes(result.username)) return void (status.textContent = `${result.username} is already a member.`);
    const existing = list.querySelector(`input[value="${CSS.escape(result.username)}"]`);
    if (existing) existing.checked = true;
    else list.append(row(result.username, true));
    input.value = '';
  }

  return h('div', { class: 'member-by-name' }, h('div', { class: 'find-row' }, input, find), status);
}
