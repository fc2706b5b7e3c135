/**
 * Why an attachment could not be sent or fetched, in words (docs/design/EVERYDAY.md, "Blobs on
 * the server"). `TransferError.code` is the server's code (`quota_exceeded`, `blob_too_large`,
 * `storage_full`, `rate_limited`, an HTTP code as `http_<status>`) or one of this client's
 * (`too_large`, `not_found`, `network`, `offline`); the message is what the user reads. Never a
 * blob id, token, key or file content.
 */

import { AttachmentError } from '../../protocol/attachments.js';
import { formatSize } from './names.js';

/** What the receiver shows for a blob that fails any check (length, a chunk's tag, the digest). */
export const TAMPERED_TEXT = 'The file was changed on the server; it was not saved.';

export class TransferError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'TransferError';
    this.code = code;
  }
}

const UPLOAD_REFUSALS = {
  quota_exceeded: 'Your files on this server use all the space it gives one account. '
    + 'Files are deleted 30 days after they were sent; try a smaller file or later.',
  blob_too_large: 'This file is larger than this server accepts.',
  storage_full: 'The server is out of space for files right now. Try again later.',
  rate_limited: 'You have sent many files in the last hour; this server allows no more for now. Try again later.',
  offline: 'Not connected to the server: the file was not sent. Try again once connected.',
  timeout: 'The server did not answer: the file was not sent. Try again.',
};

/** The refusal of an upload (a `blob_upload` error or an HTTP answer) as a TransferError. */
export function uploadRefusal(code, serverMessage) {
  if (UPLOAD_REFUSALS[code]) return new TransferError(code, UPLOAD_REFUSALS[code]);
  if (code === 'http_403' || code === 'http_410' || code === 'http_404') {
    return new TransferError(code, 'The server no longer accepts this upload (it took too long): send the file again.');
  }
  return new TransferError(code, `The server refused the file (${serverMessage || code}).`);
}

export function tooLarge(size, limit) {
  return new TransferError('too_large', `This file is ${formatSize(size)}; this server accepts files up to ${formatSize(limit)}.`);
}

export function downloadRefusal(status) {
  if (status === 404) return new TransferError('not_found', 'This file is no longer on the server (files are kept for 30 days).');
  return new TransferError(`http_${status}`, `The server could not send this file (HTTP ${status}). Try again later.`);
}

export function networkError(action) {
  return new TransferError('network', `The connection to the server was lost while ${action} the file. Try again.`);
}

/** What a receiver reads when a download did not give a verified file. */
export function downloadFailureText(error) {
  if (error instanceof AttachmentError) return TAMPERED_TEXT;
  if (error instanceof TransferError) return error.message;
  return 'The file could not be fetched. Try again.';
}
