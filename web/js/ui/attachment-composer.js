/**
 * The composer's attach control: a paper-clip button that opens the file picker, and under
 * the input the upload in progress (name, bytes sent of the total, Cancel) or why the last
 * file was not sent. The upload itself runs in chat/attachments/transfers.js, so it goes on
 * (and is shown again) when the conversation is left and opened again; a cancelled upload is
 * never sent.
 */

import { h } from './dom.js';
import { attachmentIcon } from './attachment-icons.js';
import { runningUpload, sendFile } from '../chat/attachments/transfers.js';
import { formatSize } from '../chat/attachments/names.js';
import { MAX_ATTACHMENT_BYTES } from '../protocol/attachments.js';
import { tooLarge } from '../chat/attachments/transfer-errors.js';

/** `conversation`: a username or a group id, as messenger.sendMessage takes it. */
export function createAttachControl({ messenger, conversation }) {
  let blocked = false;
  let unsubscribe = null;
  const input = h('input', { type: 'file', class: 'file-input', testid: 'file-input', tabindex: '-1', aria: { hidden: 'true' } });
  const button = h('button', {
    type: 'button', class: 'attach-button', testid: 'attach-file', title: 'Send a file',
    aria: { label: 'Send a file' }, onclick: () => input.click(),
  }, attachmentIcon('paperclip'));

  const name = h('span', { class: 'upload-name' });
  const amount = h('span', { class: 'upload-amount' });
  const bar = h('progress', { class: 'upload-bar', testid: 'upload-progress', max: '1', value: '0', aria: { label: 'File sent so far' } });
  const cancel = h('button', { type: 'button', class: 'button small', testid: 'upload-cancel', onclick: () => runningUpload(conversation)?.cancel() }, 'Cancel');
  const status = h('div', { class: 'upload-status', role: 'status', hidden: true },
    attachmentIcon('file', { size: 18 }), h('div', { class: 'upload-text' }, name, amount), bar, cancel);
  const error = h('p', { class: 'upload-error', role: 'alert', testid: 'upload-error', hidden: true });
  const element = h('div', { class: 'upload-area' }, status, error, input);

  function showError(text) {
    error.textContent = text ?? '';
    error.hidden = !text;
  }

  function render(transfer) {
    const running = transfer?.state === 'running';
    status.hidden = !running;
    button.disabled = blocked || running;
    if (!transfer) return;
    if (running) {
      bar.max = Math.max(1, transfer.total);
      bar.value = transfer.sent;
      amount.textContent = `${formatSize(transfer.sent)} of ${formatSize(transfer.total)}`;
    } else if (transfer.state === 'failed') {
      showError(`${name.textContent} was not sent. ${transfer.error?.message ?? ''}`.trim());
    }
  }

  function follow(transfer, fileName) {
    unsubscribe?.();
    name.textContent = fileName;
    unsubscribe = transfer.on('change', () => {
      render(transfer);
      if (transfer.state !== 'running') {
        unsubscribe();
        unsubscribe = null;
      }
    });
    render(transfer);
  }

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file || blocked) return;
    showError(null);
    if (file.size > MAX_ATTACHMENT_BYTES) {
      showError(`${file.name} was not sent. ${tooLarge(file.size, MAX_ATTACHMENT_BYTES).message}`);
      return;
    }
    try {
      follow(sendFile(messenger, conversation, file), file.name);
    } catch (e) {
      showError(e.message);
    }
  });

  const already = runningUpload(conversation);
  if (already) follow(already, already.fileName ?? 'A file');
  else render(null);

  return {
    button,
    element,
    setBlocked(reason) {
      blocked = Boolean(reason);
      render(runningUpload(conversation));
    },
    destroy() {
      unsubscribe?.();
    },
  };
}
