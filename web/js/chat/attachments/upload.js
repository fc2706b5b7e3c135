/**
 * Sending a file (docs/design/EVERYDAY.md, "Attachments" and "Blobs on the server"):
 *
 *   1. the size is checked against the server's `maxAttachmentBytes` (asked with
 *      `get_server_limits`) before anything is uploaded;
 *   2. an image gets its preview (thumbnail.js);
 *   3. `blob_upload` over the logged-in connection reserves the blob and gives its bearer token;
 *   4. the blob is made part by part (blob-writer.js) and each part PUT at its offset; the next
 *      part is made while one is being sent, so at most two are in memory. `409
 *      offset_mismatch` resumes where the server is; a lost connection retries the part a few
 *      times (the server then says where it is);
 *   5. the pointer (`Attachment` of the contract: blob id, key, digest, size, type, name, image
 *      size, thumbnail) is returned, to be sent inside an end-to-end encrypted message.
 *
 * `onProgress(sent, total)` reports blob bytes the server holds. Aborting `signal` stops at the
 * next chunk or request and rejects with its reason; the blob then never completes, so nobody
 * can fetch it, and the server deletes it within the hour.
 */

import { newAttachmentKey, MAX_ATTACHMENT_BYTES } from '../../protocol/attachments.js';
import { GetServerLimits } from '../../wire/session.js';
import { BlobUpload } from '../../wire/blobs.js';
import { BlobWriter } from './blob-writer.js';
import { putPart } from './blob-http.js';
import { contentTypeOf, safeFileName } from './names.js';
import { imagePreview } from './thumbnail.js';
import { TransferError, tooLarge, uploadRefusal } from './transfer-errors.js';

const RETRIES = 3;
const RETRY_DELAY_MS = 1_000;

/**
 * Uploads `file` through `server` (the messenger, or anything with `request(frame)` over the
 * logged-in connection) and resolves with its Attachment pointer.
 */
export async function uploadAttachment(server, file, { onProgress, signal } = {}) {
  signal?.throwIfAborted();
  const limit = Math.min(MAX_ATTACHMENT_BYTES, await serverLimit(server));
  if (file.size > limit) throw tooLarge(file.size, limit);
  const contentType = contentTypeOf(file);
  const preview = await imagePreview(file, contentType);
  signal?.throwIfAborted();

  const key = newAttachmentKey();
  const writer = new BlobWriter(file, key);
  const ready = await request(server, BlobUpload.of({ size: writer.length }));
  signal?.throwIfAborted();
  onProgress?.(0, writer.length);
  await sendParts({ writer, blobId: ready.blob, token: ready.token, signal, onProgress });
  return {
    blobId: ready.blob, key, digest: await writer.digest(), size: file.size, contentType,
    fileName: safeFileName(file.name), width: preview.width, height: preview.height, thumbnail: preview.thumbnail,
  };
}

async function serverLimit(server) {
  const limits = await request(server, GetServerLimits.of());
  return Number.isSafeInteger(limits.maxAttachmentBytes) ? limits.maxAttachmentBytes : MAX_ATTACHMENT_BYTES;
}

/** A request over the connection; the server's refusal becomes a TransferError in words. */
async function request(server, frame) {
  try {
    return await server.request(frame);
  } catch (e) {
    if (typeof e?.code === 'string') throw uploadRefusal(e.code, e.message);
    throw e;
  }
}

async function sendParts({ writer, blobId, token, signal, onProgress }) {
  let offset = 0;
  let failures = 0;
  let next = writer.part(0, signal);
  for (;;) {
    const body = await next;
    const end = offset + body.size;
    // Made while this part travels; dropped if the server answers from somewhere else.
    next = end < writer.length ? writer.part(end, signal) : null;
    let answer;
    try {
      answer = await putPart({ blobId, token, offset, body, signal });
    } catch (e) {
      if (!(e instanceof TransferError && e.code === 'network') || failures >= RETRIES) throw e;
      failures += 1;
      await pause(RETRY_DELAY_MS * failures, signal);
      next = await replace(next, writer.part(offset, signal));
      continue;
    }
    if (answer.mismatch) {
      failures += 1;
      if (failures > RETRIES || answer.received >= writer.length) throw uploadRefusal('http_409', 'the upload went out of step');
      offset = answer.received;
      next = await replace(next, writer.part(offset, signal));
      onProgress?.(offset, writer.length);
      continue;
    }
    if (answer.received !== end) throw uploadRefusal('http_200', `the server holds ${answer.received} bytes`);
    failures = 0;
    offset = end;
    onProgress?.(offset, writer.length);
    if (offset === writer.length) {
      if (!answer.complete) throw uploadRefusal('http_200', 'the server did not complete the file');
      return;
    }
  }
}

/** Waits for a part being made to settle (its result is not used), then uses `made` instead. */
async function replace(pending, made) {
  await pending?.catch(() => {});
  return made;
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
