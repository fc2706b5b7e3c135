/**
 * The blob endpoints over HTTP (PROTOCOL.md §9), on this page's origin: `PUT
 * /v1/blobs/{blob}?offset=N` with the upload's bearer token, and `GET /v1/blobs/{blob}`, which
 * needs no login (the id is the capability). Requests carry no cookies and are never cached.
 */

import { blobPath } from '../../wire/blobs.js';
import { MAX_BLOB_PART_BYTES } from '../../wire/limits.js';
import { uploadRefusal, networkError } from './transfer-errors.js';

/** The largest body of one PUT (8 MiB). */
export const MAX_PART_BYTES = MAX_BLOB_PART_BYTES;

/** `/v1/blobs/{blob}`, with `?offset=N` for a part of an upload (on this page's origin). */
export const blobUrl = blobPath;

/**
 * Appends `body` at `offset`. Resolves `{ received, complete }`; on `409 offset_mismatch`
 * resolves `{ mismatch: true, received }` (where the server is, to resume from); any other
 * refusal rejects with a TransferError, a network failure with `code` 'network', an abort
 * with the AbortError.
 */
export async function putPart({ blobId, token, offset, body, signal }) {
  let response;
  try {
    response = await fetch(blobUrl(blobId, offset), {
      method: 'PUT', body, signal, cache: 'no-store', credentials: 'omit',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
    });
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e;
    throw networkError('sending');
  }
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    if (!Number.isSafeInteger(answer.received)) throw uploadRefusal(`http_${response.status}`, 'unexpected answer');
    return { received: answer.received, complete: answer.complete === true };
  }
  if (response.status === 409 && Number.isSafeInteger(answer.received)) return { mismatch: true, received: answer.received };
  // The token's and the blob's refusals are said by their status; the rest by the server's code.
  const byStatus = [403, 404, 409, 410, 413].includes(response.status) || typeof answer.error !== 'string';
  const code = byStatus ? `http_${response.status}` : answer.error;
  throw uploadRefusal(code, typeof answer.message === 'string' ? answer.message : '');
}
