/**
 * Fetching a file (docs/design/EVERYDAY.md, "Attachments"): `GET /v1/blobs/{blob}` read as a
 * stream, cut into encrypted chunks, each checked and decrypted as it arrives
 * (protocol/attachments.js) and hashed into the digest; the plaintext is kept as Blob parts
 * (in the browser's blob storage, not the page's heap) and released as one Blob only after
 * everything was verified: the length (`size + 16 n`), every chunk's tag, and the digest.
 * Any failure rejects with the protocol's AttachmentError and nothing is kept.
 *
 * `onProgress(received, total)` counts blob bytes; aborting `signal` stops the download.
 */

import {
  CHUNK_BYTES, TAG_BYTES, chunkCount, blobLength, decryptChunk, AttachmentDigest, AttachmentError,
} from '../../protocol/attachments.js';
import { blobUrl } from './blob-http.js';
import { isInlineImage } from './names.js';
import { downloadRefusal, networkError } from './transfer-errors.js';

const STRIDE = CHUNK_BYTES + TAG_BYTES;
/** Plaintext gathered before it moves into a Blob part (out of the page's heap). */
const BLOB_PART_BYTES = 4 * 1024 * 1024;

/** Downloads and verifies `attachment`; resolves with its plaintext as a Blob. */
export async function downloadAttachment(attachment, { onProgress, signal } = {}) {
  let response;
  try {
    response = await fetch(blobUrl(attachment.blobId), { signal, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e;
    throw networkError('fetching');
  }
  if (!response.ok) {
    response.body?.cancel().catch(() => {});
    throw downloadRefusal(response.status);
  }
  const declared = response.headers.get('Content-Length');
  if (declared !== null && Number(declared) !== blobLength(attachment.size)) {
    response.body?.cancel().catch(() => {});
    throw new AttachmentError('length', 'the server announces a blob of another length');
  }
  try {
    return await decryptBlob(response.body, attachment, { onProgress, signal });
  } catch (e) {
    if (e instanceof TypeError && !signal?.aborted) throw networkError('fetching');
    throw e;
  }
}

/** The Blob type a verified file gets: its own for the raster images shown here, else opaque bytes. */
function blobType(attachment) {
  return isInlineImage(attachment.contentType) ? attachment.contentType : 'application/octet-stream';
}

/**
 * Decrypts the blob read from `stream` (a ReadableStream of bytes) for `attachment`; resolves
 * with the verified plaintext, rejects with AttachmentError ('length', 'tag', 'digest').
 */
export async function decryptBlob(stream, attachment, { onProgress, signal } = {}) {
  const { key, size } = attachment;
  const count = chunkCount(size);
  const total = blobLength(size);
  const chunkLength = (index) => (index < count - 1 ? STRIDE : total - (count - 1) * STRIDE);
  const digest = new AttachmentDigest();
  const parts = [];
  let pending = [];
  let pendingBytes = 0;
  let index = 0;
  let chunk = new Uint8Array(chunkLength(0));
  let filled = 0;
  let received = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > total) throw new AttachmentError('length', 'the blob is longer than the message says');
      for (let at = 0; at < value.length;) {
        const take = Math.min(chunk.length - filled, value.length - at);
        chunk.set(value.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled < chunk.length) continue;
        await digest.add(chunk);
        const plain = await decryptChunk(key, index, count, chunk);
        pending.push(plain);
        pendingBytes += plain.length;
        if (pendingBytes >= BLOB_PART_BYTES) {
          parts.push(new Blob(pending));
          pending = [];
          pendingBytes = 0;
        }
        index += 1;
        filled = 0;
        if (index < count) chunk = new Uint8Array(chunkLength(index));
      }
      onProgress?.(received, total);
    }
    if (received !== total || index !== count) throw new AttachmentError('length', 'the blob is shorter than the message says');
    await digest.verify(attachment.digest);
    parts.push(new Blob(pending));
    return new Blob(parts, { type: blobType(attachment) });
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
}
