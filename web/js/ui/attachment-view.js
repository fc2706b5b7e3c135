/**
 * An attachment inside a message bubble (`renderAttachment(message)`, called by the message
 * views when `message.attachment` is set): for a PNG, JPEG, GIF or WebP with a preview, the
 * sender's thumbnail inline (a button that opens the full image, attachment-viewer.js); for
 * every file a card with its name, size and a download button, the download's progress with
 * Cancel, and why it failed.
 *
 * Only a verified file is ever offered: the download (chat/attachments/download.js) checks
 * length, every chunk and the digest before it gives the Blob, and a blob that fails any check
 * shows "The file was changed on the server; it was not saved." The card follows the message's
 * download wherever it was started (card or viewer), so a bubble drawn again keeps showing it.
 */

import { h, icon } from './dom.js';
import { attachmentIcon } from './attachment-icons.js';
import { saveBlob, whenDone } from './attachment-save.js';
import { openImageViewer } from './attachment-viewer.js';
import { fetchFile, runningDownload } from '../chat/attachments/transfers.js';
import { formatSize, isInlineImage, safeFileName } from '../chat/attachments/names.js';
import { downloadFailureText } from '../chat/attachments/transfer-errors.js';

/** The last failure per message id, so that a bubble drawn again still says why. */
const failures = new Map();
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

export function renderAttachment(message) {
  const { id, attachment } = message;
  const name = safeFileName(attachment.fileName);
  const image = isInlineImage(attachment.contentType) && attachment.thumbnail?.length > 0;

  const bar = h('progress', { class: 'download-bar', testid: `download-progress-${id}`, max: '1', value: '0', aria: { label: `Downloading ${name}` } });
  const amount = h('span', { class: 'download-amount' });
  const cancel = h('button', {
    type: 'button', class: 'button small', testid: `download-cancel-${id}`,
    onclick: () => runningDownload(id)?.cancel(),
  }, 'Cancel');
  const progress = h('div', { class: 'download-status', hidden: true }, bar, amount, cancel);
  const error = h('p', { class: 'attachment-error', role: 'alert', testid: `attachment-error-${id}`, hidden: true });
  const download = h('button', {
    type: 'button', class: 'attachment-download', testid: `download-${id}`, title: `Download ${name}`,
    aria: { label: `Download ${name}` }, onclick: () => save(),
  }, icon('download', { size: 18 }));

  const card = h('div', { class: 'attachment', testid: `attachment-${id}`, data: { state: 'idle' } },
    image ? thumbnail(message, name) : null,
    h('div', { class: 'attachment-file' },
      h('span', { class: 'attachment-icon' }, attachmentIcon('file', { size: 22 })),
      h('span', { class: 'attachment-meta' },
        h('span', { class: 'attachment-name', title: name }, name),
        h('span', { class: 'attachment-size' }, formatSize(attachment.size))),
      download),
    progress, error);

  function showFailure(text) {
    error.textContent = text ?? '';
    error.hidden = !text;
    card.dataset.state = text ? 'failed' : card.dataset.state;
  }

  function render(transfer) {
    const running = transfer?.state === 'running';
    progress.hidden = !running;
    download.disabled = running;
    if (running) {
      card.dataset.state = 'downloading';
      bar.max = Math.max(1, transfer.total);
      bar.value = transfer.sent;
      amount.textContent = `${formatSize(transfer.sent)} of ${formatSize(transfer.total)}`;
    } else if (transfer?.state === 'done') {
      card.dataset.state = 'verified';
    } else if (transfer?.state === 'failed') {
      showFailure(failures.get(id));
    } else {
      card.dataset.state = failures.has(id) ? 'failed' : 'idle';
    }
  }

  /** Shows the message's download while it runs, whoever started it. */
  function follow(transfer) {
    render(transfer);
    const off = transfer.on('change', () => {
      if (transfer.state === 'failed') failures.set(id, downloadFailureText(transfer.error));
      render(transfer);
      if (transfer.state !== 'running') off();
    });
  }

  function save() {
    failures.delete(id);
    showFailure(null);
    const transfer = fetchFile(id, attachment);
    follow(transfer);
    whenDone(transfer).then((blob) => saveBlob(blob, name), () => {});
  }

  showFailure(failures.get(id));
  const running = runningDownload(id);
  if (running) follow(running);
  return card;
}

/** The sender's preview, sized like the image; a button that opens the full image. */
function thumbnail(message, name) {
  const { attachment } = message;
  const bytes = attachment.thumbnail;
  const png = PNG_MAGIC.every((b, i) => bytes[i] === b);
  const url = URL.createObjectURL(new Blob([bytes], { type: png ? 'image/png' : 'image/jpeg' }));
  const img = h('img', { class: 'thumbnail-image', alt: '', src: url, decoding: 'async' });
  // Decoded once loaded: the URL is no longer needed.
  const release = () => URL.revokeObjectURL(url);
  img.addEventListener('load', release, { once: true });
  img.addEventListener('error', release, { once: true });
  const button = h('button', {
    type: 'button', class: 'attachment-thumbnail', testid: `thumbnail-${message.id}`,
    aria: { label: `Open image ${name}` }, title: name, onclick: () => openImageViewer(message),
  }, img);
  if (attachment.width > 0 && attachment.height > 0) {
    button.style.setProperty('--image-ratio', `${attachment.width} / ${attachment.height}`);
  }
  return button;
}
