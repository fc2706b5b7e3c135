/**
 * Everyday content in Chromium: the content payloads' encode-time rules (docs/CRYPTO.md §4) and
 * the attachment cipher's chunk API (§12): chunk lengths, the digest's order, and every refusal
 * of a tampered blob under a fresh random key.
 */

import { createSuite, assert, assertEqual, assertBytes, assertRejects } from './harness.js';
import { encodePayload, decodePayload, sealPayload } from '/web/js/protocol/payload.js';
import {
  CHUNK_BYTES, TAG_BYTES, MAX_ATTACHMENT_BYTES, chunkCount, blobLength, newAttachmentKey, encryptChunk, decryptChunk, AttachmentDigest,
  AttachmentError,
} from '/web/js/protocol/index.js';
import { CONTENT, MAX_PAYLOAD } from '/web/js/protocol/limits.js';
import { sealBlob, openBlob, tamperings, applyTampering } from './attachments-vectors.js';

const { test, run } = createSuite();
export { run };

const NOW = 1767225600000;
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const pointer = (o = {}) => ({
  blobId: 'AbCdEfGhIjKlMnOpQrStUg', key: new Uint8Array(32).fill(1), digest: new Uint8Array(32).fill(2), size: 5, contentType: 'image/png',
  fileName: 'a.png', width: 2, height: 3, thumbnail: PNG, ...o,
});
const message = (o = {}) => ({ type: 'message', id: 'm1', sentAt: NOW, expireSeconds: 0, text: 'hi', quote: null, attachment: null, ...o });

test('content payloads refuse invalid values when encoding', async () => {
  const bad = [
    message({ text: '' }), message({ expireSeconds: 2419201 }), message({ expireSeconds: -1 }), message({ expireSeconds: undefined }),
    message({ text: 'x'.repeat(30001) }), message({ quote: { author: 'Bob', id: 'q' } }), message({ quote: { author: 'bob', id: '' } }),
    message({ attachment: pointer({ blobId: 'short' }) }), message({ attachment: pointer({ key: new Uint8Array(31) }) }),
    message({ attachment: pointer({ size: MAX_ATTACHMENT_BYTES + 1 }) }), message({ attachment: pointer({ contentType: 'image/svg+XML' }) }),
    message({ attachment: pointer({ fileName: 'x/y' }) }), message({ attachment: pointer({ fileName: 'x\u202ey\u0000' }) }),
    message({ attachment: pointer({ width: 0 }) }), message({ attachment: pointer({ thumbnail: Uint8Array.of(1, 2, 3) }) }),
    { type: 'edit', id: 'e', sentAt: NOW, targetId: 'm1', text: '' }, { type: 'delete', id: 'd', sentAt: NOW, targetId: 'x'.repeat(65) },
    { type: 'reaction', id: 'r', sentAt: NOW, targetAuthor: 'bob', targetId: 'm1', emoji: '\u0007' },
    { type: 'reaction', id: 'r', sentAt: NOW, targetAuthor: 'bob', targetId: 'm1', emoji: '\ud83d\ude00'.repeat(9) },
    { type: 'timer', id: 't', sentAt: NOW, expireSeconds: 1.5 }, { type: 'block', id: 'b', sentAt: NOW, peer: 'bob', blocked: 1 },
    { type: 'sent-payload', id: 's', sentAt: NOW, peer: 'bob', inner: { type: 'text', id: 's', sentAt: NOW, text: 'x' } },
    { type: 'sent-payload', id: 's', sentAt: NOW, peer: 'bob', inner: { type: 'timer', id: 'other', sentAt: NOW, expireSeconds: 5 } },
  ];
  for (const p of bad) await assertRejects(() => encodePayload(p), 'bad-format', `${p.type} ${JSON.stringify(p).slice(0, 80)}`);
  const fine = message({ text: '', attachment: pointer() });
  assertEqual(decodePayload(encodePayload(fine)).attachment.fileName, 'a.png', 'an attachment with no caption');
  assertEqual(CONTENT.maxPayloadBytes, MAX_PAYLOAD, 'the content limits include the payload limit');
  const thumbnail = new Uint8Array(CONTENT.maxThumbnailBytes);
  thumbnail.set(PNG);
  assertEqual(sealPayload(message({ text: 'c'.repeat(16000), attachment: pointer({ thumbnail }) })).length, 32768, 'a full message pads');
  await assertRejects(() => encodePayload(message({ text: 'c'.repeat(30000), attachment: pointer({ thumbnail }) })), 'too-large',
    'caption and thumbnail over the largest payload');
});

test('chunk counts, lengths and chunk rules', async () => {
  assertEqual(chunkCount(0), 1, 'empty file: one chunk');
  assertEqual(blobLength(0), TAG_BYTES, 'empty file: one tag');
  assertEqual(chunkCount(CHUNK_BYTES + 1), 2, 'one byte more');
  assertEqual(chunkCount(MAX_ATTACHMENT_BYTES), 1600, 'largest file');
  let threw = false;
  try {
    chunkCount(MAX_ATTACHMENT_BYTES + 1);
  } catch (e) {
    threw = e instanceof RangeError;
  }
  assert(threw, 'larger than the largest file');
  const key = newAttachmentKey();
  assertEqual(key.length, 32, 'key length');
  assert(!newAttachmentKey().every((b, i) => b === key[i]), 'fresh keys differ');
  const full = await encryptChunk(key, 0, 2, new Uint8Array(CHUNK_BYTES));
  assertEqual(full.length, CHUNK_BYTES + TAG_BYTES, 'a full chunk and its tag');
  await assertRejects(() => decryptChunk(key, 0, 2, full.subarray(1)), 'bad-attachment', 'a short chunk');
  const e = await assertRejects(() => decryptChunk(key, 1, 2, full), 'bad-attachment', 'chunk 0 read as chunk 1');
  assertEqual(e.reason, 'tag', 'the index is in the nonce');
  const last = await encryptChunk(key, 1, 2, Uint8Array.of(7));
  assertEqual((await assertRejects(() => decryptChunk(key, 1, 3, last), 'bad-attachment', 'last chunk read as middle')).reason,
    'length', 'a middle chunk is full');
  const lastAsMiddle = await encryptChunk(key, 1, 3, new Uint8Array(CHUNK_BYTES));
  assertEqual((await assertRejects(() => decryptChunk(key, 1, 2, lastAsMiddle), 'bad-attachment', 'middle chunk read as last')).reason,
    'tag', 'the last-chunk flag is in the nonce');
  assertBytes(await decryptChunk(key, 1, 2, last), Uint8Array.of(7), 'the last chunk opens');
});

test('the digest follows the call order even when adds overlap', async () => {
  const parts = [Uint8Array.of(1), new Uint8Array(100000).fill(9), Uint8Array.of(3)];
  const one = new AttachmentDigest();
  for (const p of parts) await one.add(p);
  const overlapping = new AttachmentDigest();
  await Promise.all(parts.map((p) => overlapping.add(p)));
  assertBytes(await overlapping.finish(), await one.finish(), 'same digest');
  const reordered = new AttachmentDigest();
  for (const p of [parts[1], parts[0], parts[2]]) await reordered.add(p);
  const expected = await one.finish();
  const e = await assertRejects(() => reordered.verify(expected), 'bad-attachment', 'chunk order matters');
  assertEqual(e.reason, 'digest', 'a digest mismatch');
  await one.verify(await overlapping.finish());
});

test('a random-key blob opens at the chunk edges and every tampering is refused', async () => {
  for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 7]) {
    const key = newAttachmentKey();
    const plaintext = new Uint8Array(size);
    for (let o = 0; o < size; o += 65536) globalThis.crypto.getRandomValues(plaintext.subarray(o, Math.min(size, o + 65536)));
    const { blob, digest } = await sealBlob(key, plaintext);
    assertEqual(blob.length, blobLength(size), `blob length of ${size}`);
    assertBytes(await openBlob(key, size, digest, blob), plaintext, `plaintext of ${size}`);
    if (chunkCount(size) === 3) {
      for (const t of tamperings(size)) {
        const changed = applyTampering(t, blob, digest, size);
        const e = await assertRejects(() => openBlob(key, size, changed.digest, changed.blob), 'bad-attachment', t.name);
        assert(e instanceof AttachmentError, `${t.name}: an AttachmentError`);
        assertEqual(e.reason, t.reason, t.name);
      }
    }
  }
});
