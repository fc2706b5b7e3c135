/** A modal <dialog> with a title and a close button; removed from the DOM when closed. */

import { h, icon } from './dom.js';

export function openDialog({ title, testid, className, body, onClose }) {
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  const dialog = h('dialog', { class: ['dialog', className], testid, aria: { labelledby: titleId } },
    h('header', { class: 'dialog-header' },
      h('h2', { id: titleId }, title),
      h('button', { type: 'button', class: 'icon-button', aria: { label: 'Close' }, testid: 'dialog-close', onclick: () => dialog.close() }, icon('close'))),
    h('div', { class: 'dialog-body' }, body));
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
