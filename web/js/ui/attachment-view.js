/**
 * How a message's attachment is shown in the conversation. This rendering names the file and
 * its size only; nothing is downloaded or decrypted here (the attachments view replaces it).
 * Text is set with textContent only.
 */

import { h } from './dom.js';

/** "12 KB", "3.4 MB" for a size in bytes. */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The attachment of `message` (message.attachment is set) as a node. */
export function renderAttachment(message) {
  const { fileName, size, contentType } = message.attachment;
  return h('div', { class: 'attachment', testid: 'message-attachment', data: { contentType } },
    h('span', { class: 'attachment-name' }, fileName),
    h('span', { class: 'attachment-size' }, formatSize(size)));
}
