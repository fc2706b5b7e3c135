/**
 * Attachment blobs (docs/PROTOCOL.md §9), as Java's `BlobFrames`: a logged-in client asks for
 * an upload of `size` bytes over the socket (`blob_upload`) and gets a blob id and an upload
 * token (`blob_upload_ready`); it then sends the bytes over HTTP, at most MAX_BLOB_PART_BYTES
 * per `PUT /v1/blobs/{blob}?offset=N` with `Authorization: Bearer <token>`, and anyone who
 * knows the blob id downloads them with `GET /v1/blobs/{blob}`. The blob id is a capability
 * and the token a secret: never log either.
 */

import { answer, request } from './frame-type.js';
import { integer, pattern } from './fields.js';
import { BLOB_PATH, MAX_LONG } from './limits.js';

/** A blob id: 16 random bytes in base64url, 22 characters. */
export const BLOB_ID = /^[A-Za-z0-9_-]{22}$/;
/** An upload token: 32 random bytes in base64url, 43 characters. */
export const UPLOAD_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Asks for an upload of a blob of exactly `size` bytes (an attachment's blob length,
 * `attachmentBlobLength` in limits.js). Refused with `blob_too_large`, `quota_exceeded`,
 * `storage_full` or `rate_limited`.
 */
export const BlobUpload = request('blob_upload', { size: integer(1, MAX_LONG) });

/**
 * The upload may start: `blob` names it (and, once complete, is the capability to download
 * it), `token` authorizes its PUTs, and the upload must be complete by `expiresAt` (ms) or it
 * is deleted.
 */
export const BlobUploadReady = answer('blob_upload_ready', {
  blob: pattern(BLOB_ID, '22 characters of A-Z a-z 0-9 _ -'),
  token: pattern(UPLOAD_TOKEN, '43 characters of A-Z a-z 0-9 _ -'),
  expiresAt: integer(0, MAX_LONG),
});

/**
 * The path of a blob on the server's HTTP port, `/v1/blobs/{blob}`, with `?offset=N` for an
 * upload's part. Throws a TypeError for a string that is not a blob id (it would not name one).
 */
export function blobPath(blob, offset = undefined) {
  if (typeof blob !== 'string' || !BLOB_ID.test(blob)) throw new TypeError('not a blob id');
  if (offset === undefined) return BLOB_PATH + blob;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new TypeError('an offset is a non-negative integer');
  return `${BLOB_PATH}${blob}?offset=${offset}`;
}

export const BLOB_FRAMES = Object.freeze([BlobUpload, BlobUploadReady]);
