/**
 * Blocking in a 1:1 conversation (chat/blocking.js): the header's "Block"/"Unblock" button
 * (`block-toggle`) and, while the account is blocked, a notice above the history
 * (`blocked-notice`) that says what blocking does (and that it is undone with one click:
 * nothing is lost by blocking but what arrives while blocked). Kept in step with the contact (a block made on another device of this
 * account shows here too).
 */

import { h, icon, replaceChildren } from './dom.js';
import { isUserBlocked } from '../chat/contacts.js';

/** -> { button, notice, destroy() } */
export function createBlockToggle({ messenger, peer }) {
  const label = h('span', { class: 'label' });
  const button = h('button', {
    type: 'button', class: 'button ghost block-button', testid: 'block-toggle',
    onclick: () => toggle(),
  }, icon('block', { size: 18 }), label);
  const noticeText = h('span', { class: 'banner-text' });
  const notice = h('div', { class: 'blocked-notice', role: 'status', testid: 'blocked-notice', hidden: true },
    icon('block', { size: 20 }), noticeText);

  function blocked() {
    return isUserBlocked(messenger.contacts.get(peer));
  }

  async function toggle() {
    const block = !blocked();
    button.disabled = true;
    try {
      await messenger.blocking.set(peer, block);
    } catch (e) {
      messenger.emit('notice', { text: e.message });
    } finally {
      button.disabled = false;
    }
  }

  function render() {
    const on = blocked();
    label.textContent = on ? 'Unblock' : 'Block';
    button.dataset.blocked = String(on);
    button.setAttribute('aria-label', on ? `Unblock ${peer}` : `Block ${peer}`);
    button.setAttribute('aria-pressed', String(on));
    notice.hidden = !on;
    replaceChildren(noticeText, on ? `You blocked ${peer}. Messages they send now are dropped and never shown, and nothing is sent to them. Unblock to write to them again.` : '');
  }

  const off = messenger.on('contacts', render);
  render();
  return { button, notice, destroy: () => off() };
}
