/**
 * The per-message action menu: Reply, React (a picker of a few common emoji), and on this
 * account's own messages Edit (within 24 hours) and Delete. Keyboard accessible: the button
 * opens a role=menu whose items take the focus, arrow keys move, Escape closes and gives the
 * focus back to the button. One menu is open at a time.
 *
 * `actions` = { reply(message), edit(message), remove(message), react(message, emoji) } (may
 * be null on a message nothing can be done to) and `mine(message)`.
 */

import { h } from './dom.js';
import { CONTROL_WINDOW_MS } from '../chat/content-apply.js';

export const COMMON_EMOJI = Object.freeze(['👍', '❤️', '😂', '😮', '😢', '🙏']);

let closeOpen = null;

document.addEventListener('pointerdown', (event) => {
  if (closeOpen && !event.target.closest?.('.message-actions')) closeOpen(false);
});

/** Whether this account may still edit or delete `message` (its own, not deleted, within the window). */
export function changeable(message) {
  return message.direction === 'out' && !message.deleted && Date.now() - (message.serverTime ?? message.sentAt) <= CONTROL_WINDOW_MS;
}

function menuKeys(menu, close) {
  menu.addEventListener('keydown', (event) => {
    const items = [...menu.querySelectorAll('button')];
    const at = items.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowRight') {
      event.preventDefault();
      items[(at + 1) % items.length]?.focus();
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') {
      event.preventDefault();
      items[(at - 1 + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
}

/** The actions button of one message and its menu (built when opened). */
export function messageActions(message, actions) {
  const { id } = message;
  const wrap = h('div', { class: 'message-actions' });
  const button = h('button', {
    type: 'button', class: 'icon-button actions-button', testid: `message-actions-${id}`,
    aria: { label: 'Message actions', haspopup: 'menu', expanded: 'false' },
  }, h('span', { aria: { hidden: 'true' } }, '⋯'));
  let menu = null;

  function close(focusButton) {
    menu?.remove();
    menu = null;
    button.setAttribute('aria-expanded', 'false');
    if (closeOpen === close) closeOpen = null;
    if (focusButton) button.focus();
  }

  function item(testid, label, onclick) {
    return h('button', { type: 'button', role: 'menuitem', class: 'menu-item', testid, onclick }, label);
  }

  function show(items, label) {
    if (closeOpen && closeOpen !== close) closeOpen(false);
    menu?.remove();
    menu = h('div', { class: 'message-menu', role: 'menu', aria: { label } }, items);
    menuKeys(menu, close);
    wrap.append(menu);
    button.setAttribute('aria-expanded', 'true');
    closeOpen = close;
    menu.querySelector('button')?.focus();
  }

  function picker() {
    const mine = message.reactions?.[actions.me];
    show(COMMON_EMOJI.map((emoji) => h('button', {
      type: 'button', role: 'menuitemradio', class: ['emoji-option', mine === emoji && 'chosen'], testid: 'emoji-option',
      data: { emoji }, aria: { label: mine === emoji ? `Remove your ${emoji}` : `React with ${emoji}`, checked: String(mine === emoji) },
      onclick: () => {
        close(true);
        actions.react(message, mine === emoji ? '' : emoji);
      },
    }, emoji)), 'Choose a reaction');
    menu.classList.add('emoji-picker');
  }

  button.addEventListener('click', () => {
    if (menu) {
      close(true);
      return;
    }
    const own = changeable(message);
    show([
      item(`reply-${id}`, 'Reply', () => { close(false); actions.reply(message); }),
      item(`react-${id}`, 'React…', () => picker()),
      own && message.text ? item(`edit-${id}`, 'Edit', () => { close(false); actions.edit(message); }) : null,
      own ? item(`delete-${id}`, 'Delete for everyone', () => { close(true); actions.remove(message); }) : null,
    ], 'Message actions');
  });
  wrap.append(button);
  return wrap;
}
