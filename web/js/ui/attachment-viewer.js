/**
 * The full image of an image message, in a dialog: downloaded and verified like any file
 * (chat/attachments/download.js), then shown from a `blob:` URL that is revoked when the
 * dialog closes. Until then the dialog shows the progress; a blob that fails a check shows
 * "The file was changed on the server; it was not saved." and nothing of it. Closing the
 * dialog stops a download it started.
 */

import { h } from './dom.js';
import { openDialog } from './dialog.js';
import { saveBlob, whenDone } from './attachment-save.js';
import { fetchFile, runningDownload } from '../chat/attachments/transfers.js';
import { formatSize, safeFileName } from '../chat/attachments/names.js';
import { downloadFailureText } from '../chat/attachments/transfer-errors.js';

export function openImageViewer(message) {
  const { id, attachment } = message;
  const name = safeFileName(attachment.fileName);
  const startedHere = !runningDownload(id);
  const transfer = fetchFile(id, attachment);
  let url = null;

  const bar = h('progress', { class: 'download-bar', testid: 'image-progress', max: String(Math.max(1, transfer.total)), value: '0', aria: { label: `Downloading ${name}` } });
  const amount = h('span', { class: 'download-amount' });
  const status = h('div', { class: 'download-status viewer-status' }, bar, amount);
  const error = h('p', { class: 'attachment-error', role: 'alert', testid: 'image-error', hidden: true });
  const frame = h('div', { class: 'image-frame' }, status, error);
  const dialog = openDialog({
    title: name, testid: 'image-viewer', className: 'image-viewer', body: frame,
    onClose: () => {
      if (startedHere) transfer.cancel();
      if (url) URL.revokeObjectURL(url);
    },
  });

  const off = transfer.on('change', () => {
    bar.max = Math.max(1, transfer.total);
    bar.value = transfer.sent;
    amount.textContent = `${formatSize(transfer.sent)} of ${formatSize(transfer.total)}`;
    if (transfer.state !== 'running') off();
  });

  whenDone(transfer).then((blob) => {
    if (!dialog.open) return;
    url = URL.createObjectURL(blob);
    const img = h('img', { class: 'full-image', testid: 'full-image', alt: name, src: url });
    img.addEventListener('error', () => {
      img.remove();
      error.textContent = 'This image cannot be shown here; save it to open it with another program.';
      error.hidden = false;
    }, { once: true });
    status.replaceWith(img);
    frame.append(h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button small', testid: 'image-save', onclick: () => saveBlob(blob, name) }, 'Save')));
  }, (e) => {
    if (!dialog.open || e?.name === 'AbortError') return;
    status.remove();
    error.textContent = downloadFailureText(e);
    error.hidden = false;
  });
}
