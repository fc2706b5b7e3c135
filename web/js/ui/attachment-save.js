/**
 * Offering a verified file: a `blob:` URL saved through an `<a download>` under the sanitised
 * name. The URL is revoked a minute later (the browser holds the Blob once the save started).
 * Callers hand over only Blobs that downloadAttachment verified.
 */

import { h } from './dom.js';
import { safeFileName } from '../chat/attachments/names.js';

const REVOKE_AFTER_MS = 60_000;

export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: safeFileName(fileName), class: 'save-link', hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** Resolves with a transfer's result when it is done; rejects with its error, or an AbortError when cancelled. */
export function whenDone(transfer) {
  return new Promise((resolve, reject) => {
    const settle = () => {
      if (transfer.state === 'running') return false;
      if (transfer.state === 'done') resolve(transfer.result);
      else if (transfer.state === 'failed') reject(transfer.error);
      else reject(new DOMException('cancelled', 'AbortError'));
      return true;
    };
    if (settle()) return;
    const off = transfer.on('change', () => { if (settle()) off(); });
  });
}
