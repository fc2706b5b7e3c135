/**
 * The web client's attachment pieces in Chromium (web/js/chat/attachments/), without a
 * server: names and types, the image preview (a real image drawn and decoded here), and the
 * blob made part by part (blob-writer.js) read back by the streaming decryption
 * (download.js's decryptBlob), including resumes inside a chunk and every way a changed blob
 * is refused. The HTTP side is the e2e and interop tests' (AttachmentsTest, AttachmentInteropTest).
 */

import { createSuite, assert, assertEqual, assertBytes } from './harness.js';
import { contentTypeOf, safeFileName, isInlineImage, formatSize } from '/web/js/chat/attachments/names.js';
import { imagePreview, THUMBNAIL_SIDE } from '/web/js/chat/attachments/thumbnail.js';
import { MAX_THUMBNAIL_BYTES } from '/web/js/protocol/limits.js';
import { BlobWriter, PART_BYTES } from '/web/js/chat/attachments/blob-writer.js';
import { decryptBlob } from '/web/js/chat/attachments/download.js';
import { MAX_PART_BYTES } from '/web/js/chat/attachments/blob-http.js';
import { TAMPERED_TEXT, TransferError, downloadFailureText } from '/web/js/chat/attachments/transfer-errors.js';
import { uploadAttachment } from '/web/js/chat/attachments/upload.js';
import {
  CHUNK_BYTES, TAG_BYTES, blobLength, chunkCount, newAttachmentKey, AttachmentError,
} from '/web/js/protocol/attachments.js';

const STRIDE = CHUNK_BYTES + TAG_BYTES;

/** `n` bytes of a repeating pattern that differs in every chunk. */
function plaintext(n) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) bytes[i] = (i * 31 + (i >> 16) * 7) & 0xff;
  return bytes;
}

/** The whole blob of `file`, made with part() from offset 0 as an upload does. */
async function wholeBlob(writer) {
  const parts = [];
  for (let offset = 0; offset < writer.length;) {
    const part = new Uint8Array(await (await writer.part(offset)).arrayBuffer());
    assert(part.length > 0 && part.length <= PART_BYTES && PART_BYTES <= MAX_PART_BYTES, `part at ${offset} is 1..4 MiB (${part.length})`);
    parts.push(part);
    offset += part.length;
  }
  const blob = new Uint8Array(writer.length);
  let at = 0;
  for (const p of parts) {
    blob.set(p, at);
    at += p.length;
  }
  return blob;
}

/** A stream that hands out `bytes` in pieces of `piece` bytes (not aligned to chunks). */
function streamOf(bytes, piece = 10_000) {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

async function pointerFor(bytes) {
  const file = new File([bytes], 'data.bin', { type: 'application/octet-stream' });
  const key = newAttachmentKey();
  const writer = new BlobWriter(file, key);
  const blob = await wholeBlob(writer);
  return { blob, attachment: { key, digest: await writer.digest(), size: bytes.length, contentType: 'application/octet-stream' } };
}

async function refusedWith(promise, reason, message) {
  try {
    await promise;
  } catch (e) {
    assert(e instanceof AttachmentError, `${message}: an AttachmentError, got ${e && e.name}: ${e && e.message}`);
    assertEqual(e.reason, reason, `${message}: reason`);
    assertEqual(downloadFailureText(e), TAMPERED_TEXT, `${message}: the words shown`);
    return;
  }
  throw new Error(`${message}: accepted`);
}

async function pngOf(width, height) {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  for (let y = 0; y < height; y += 8) {
    for (let x = 0; x < width; x += 8) {
      context.fillStyle = `rgb(${(x * 7) % 256}, ${(y * 5) % 256}, ${((x + y) * 3) % 256})`;
      context.fillRect(x, y, 8, 8);
    }
  }
  return new File([await canvas.convertToBlob({ type: 'image/png' })], 'noise.png', { type: 'image/png' });
}

export async function run() {
  const { test, run: runSuite } = createSuite();

  test('file names follow the pointer rules and are safe to save', () => {
    assertEqual(safeFileName('report.pdf'), 'report.pdf', 'a plain name stays');
    assertEqual(safeFileName('../../etc/passwd'), '_.._etc_passwd', 'no path');
    assertEqual(safeFileName('a\\b\u0000c\u0007d'), 'a_b_c_d', 'no backslash, NUL or control');
    assertEqual(safeFileName('invoice\u202Efdp.exe'), 'invoice_fdp.exe', 'no bidi override');
    assertEqual(safeFileName('.bashrc'), 'bashrc', 'no leading dot');
    assertEqual(safeFileName('   '), 'file', 'never empty');
    const long = `${'é'.repeat(200)}.jpeg`;
    const fitted = safeFileName(long);
    assert(new TextEncoder().encode(fitted).length <= 255, 'at most 255 bytes');
    assert(fitted.endsWith('.jpeg') && fitted.startsWith('éé'), 'shortened before the extension, whole characters');
  });

  test('content types', () => {
    assertEqual(contentTypeOf({ type: 'image/PNG' }), 'image/png', 'lowercase');
    assertEqual(contentTypeOf({ type: 'text/plain;charset=UTF-8' }), 'text/plain', 'no parameters');
    assertEqual(contentTypeOf({ type: '' }), 'application/octet-stream', 'unknown');
    assertEqual(contentTypeOf({ type: 'weird type/x y' }), 'application/octet-stream', 'invalid');
    assert(isInlineImage('image/webp') && !isInlineImage('image/svg+xml'), 'never SVG inline');
    assertEqual(formatSize(100 * 1024 * 1024), '100 MiB', 'binary units');
  });

  test('an image gets a JPEG preview of at most 320 px and 16 KiB, and its own size', async () => {
    const file = await pngOf(1200, 800);
    const preview = await imagePreview(file, 'image/png');
    assertEqual(preview.width, 1200, 'width');
    assertEqual(preview.height, 800, 'height');
    assert(preview.thumbnail.length > 0 && preview.thumbnail.length <= MAX_THUMBNAIL_BYTES, `at most 16 KiB (${preview.thumbnail.length})`);
    assertBytes(preview.thumbnail.slice(0, 3), new Uint8Array([0xff, 0xd8, 0xff]), 'a JPEG');
    const bitmap = await createImageBitmap(new Blob([preview.thumbnail], { type: 'image/jpeg' }));
    assert(Math.max(bitmap.width, bitmap.height) <= THUMBNAIL_SIDE, `longest side ${bitmap.width}x${bitmap.height}`);
    assert(bitmap.width > bitmap.height, 'keeps its shape');
    const small = await imagePreview(await pngOf(40, 30), 'image/png');
    const smallBitmap = await createImageBitmap(new Blob([small.thumbnail], { type: 'image/jpeg' }));
    assertEqual(`${smallBitmap.width}x${smallBitmap.height}`, '40x30', 'never enlarged');
  });

  test('no preview for SVG or for bytes that are not an image', async () => {
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'a.svg', { type: 'image/svg+xml' });
    const none = await imagePreview(svg, 'image/svg+xml');
    assertEqual(`${none.width}x${none.height}/${none.thumbnail.length}`, '0x0/0', 'svg');
    const fake = await imagePreview(new File([plaintext(1000)], 'x.png', { type: 'image/png' }), 'image/png');
    assertEqual(`${fake.width}x${fake.height}/${fake.thumbnail.length}`, '0x0/0', 'not an image');
  });

  test('the blob made in parts has the protocol length and decrypts to the file', async () => {
    for (const size of [0, 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * 1024 * 1024 + 17, 9 * 1024 * 1024]) {
      const bytes = plaintext(size);
      const { blob, attachment } = await pointerFor(bytes);
      assertEqual(blob.length, blobLength(size), `length for ${size}`);
      assertEqual(blob.length, size + TAG_BYTES * chunkCount(size), `size + 16 n for ${size}`);
      const seen = [];
      const out = await decryptBlob(streamOf(blob), attachment, { onProgress: (received, total) => seen.push([received, total]) });
      assertBytes(new Uint8Array(await out.arrayBuffer()), bytes, `plaintext for ${size}`);
      assertEqual(seen.at(-1).join('/'), `${blob.length}/${blob.length}`, `progress ends at the total for ${size}`);
    }
  });

  test('parts made again from anywhere (a resume) are the same bytes, and the digest counts each chunk once', async () => {
    const bytes = plaintext(9 * 1024 * 1024 + 5);
    const file = new File([bytes], 'x.bin');
    const key = newAttachmentKey();
    const first = new BlobWriter(file, key);
    const reference = await wholeBlob(first);
    const resumed = new BlobWriter(file, key);
    const bytesOf = async (blob) => new Uint8Array(await blob.arrayBuffer());
    const a = await bytesOf(await resumed.part(0));
    const mid = 3 * STRIDE + 1234;
    const again = await bytesOf(await resumed.part(mid));
    assertBytes(again.slice(0, 1000), reference.slice(mid, mid + 1000), 'inside a chunk');
    let offset = mid + again.length;
    assert(offset > a.length, 'went on past the first part');
    while (offset < resumed.length) offset += (await resumed.part(offset)).size;
    assertBytes(await resumed.digest(), await first.digest(), 'same digest');
    let refusal = null;
    try {
      await new BlobWriter(file, key).part(2 * PART_BYTES);
    } catch (e) {
      refusal = e;
    }
    assert(refusal instanceof RangeError && /never sent/.test(refusal.message), `an offset past what was made is refused (${refusal})`);
  });

  test('a changed blob is refused: a flipped byte, cut short, too long, another digest', async () => {
    const bytes = plaintext(3 * CHUNK_BYTES + 99);
    const { blob, attachment } = await pointerFor(bytes);
    const flipped = blob.slice();
    flipped[STRIDE + 10] ^= 0x01;
    await refusedWith(decryptBlob(streamOf(flipped), attachment), 'tag', 'a flipped byte');
    await refusedWith(decryptBlob(streamOf(blob.slice(0, blob.length - STRIDE + 16)), attachment), 'length', 'cut short');
    await refusedWith(decryptBlob(streamOf(blob.slice(0, 3 * STRIDE)), attachment), 'length', 'the last chunk dropped');
    const longer = new Uint8Array(blob.length + 1);
    longer.set(blob);
    await refusedWith(decryptBlob(streamOf(longer), attachment), 'length', 'a byte too many');
    const otherDigest = attachment.digest.slice();
    otherDigest[0] ^= 0x80;
    await refusedWith(decryptBlob(streamOf(blob), { ...attachment, digest: otherDigest }), 'digest', 'another digest');
  });

  test('a file over the server\'s limit is refused before any blob is reserved; the server\'s refusals in words', async () => {
    let frames = [];
    /** The connection as the upload sees it: server_limits, then `refusal` for blob_upload. */
    const server = (maxAttachmentBytes, refusal) => ({
      async request(frame) {
        frames.push(frame.type);
        if (frame.type === 'get_server_limits') {
          return { type: 'server_limits', maxEnvelopeChars: 65536, sendWindow: 256, framesPerSecond: 50, frameBurst: 100, queueTtlSeconds: 1, maxAttachmentBytes };
        }
        throw Object.assign(new Error('refused by the server'), { code: refusal });
      },
    });
    const file = new File([plaintext(5000)], 'five thousand.bin');
    const refusal = async (promise) => {
      try {
        await promise;
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    };
    const tooLarge = await refusal(uploadAttachment(server(4096, null), file));
    assert(tooLarge instanceof TransferError && tooLarge.code === 'too_large', `too_large (${tooLarge})`);
    assertEqual(tooLarge.message, 'This file is 4.9 KiB; this server accepts files up to 4.0 KiB.', 'the limit said');
    assertEqual(frames.join(), 'get_server_limits', 'no blob_upload');
    const said = new Set();
    for (const code of ['quota_exceeded', 'blob_too_large', 'storage_full', 'rate_limited']) {
      frames = [];
      const e = await refusal(uploadAttachment(server(1_000_000, code), file));
      assert(e instanceof TransferError && e.code === code, `${code} (${e})`);
      assert(e.message.length > 20 && !e.message.includes(code), `${code} in words: ${e.message}`);
      said.add(e.message);
      assertEqual(frames.join(), 'get_server_limits,blob_upload', `${code}: refused at blob_upload`);
    }
    assertEqual(said.size, 4, 'each refusal has its own words');
  });

  return runSuite();
}
