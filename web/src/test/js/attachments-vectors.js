/**
 * `attachments.json` (docs/CRYPTO.md §12; the same shape in test-vectors/java/ and js/):
 * - `cases[]`: `{name, size, key, plaintext, blob, digest}` for 0 bytes, 1 byte, one full
 *   chunk, one byte more and three chunks; the verifier re-encrypts byte for byte and opens;
 * - `tampered[]`: `{name, case, chunks?, flip?, cut?, append?, wrongDigest?, reason}`, edits of
 *   the three-chunk case (`applyTampering`) a streaming receiver (`openBlob`) refuses with
 *   `reason` ('length', 'tag' or 'digest'): a flipped byte in each chunk, the last chunk cut
 *   short, the first or last chunk dropped, the first two swapped, a byte after the blob, a
 *   wrong digest.
 */

import { b64, unb64, concat, equalBytes, hex } from '/web/js/protocol/encoding.js';
import {
  CHUNK_BYTES, TAG_BYTES, chunkCount, blobLength, encryptChunk, decryptChunk, AttachmentDigest, AttachmentError,
} from '/web/js/protocol/attachments.js';
import { derive } from './support.js';

const SIZES = [0, 1, 65536, 65537, 2 * 65536 + 1];
const TAMPERED = ['flipped-byte-chunk-0', 'flipped-byte-chunk-1', 'flipped-byte-chunk-2', 'truncated-last-chunk', 'dropped-first-chunk',
  'dropped-last-chunk', 'reordered-chunks', 'extra-bytes', 'wrong-digest'];

/** Plaintext length of chunk `i` of a file of `size` bytes. */
const plainLength = (size, i) => (i < chunkCount(size) - 1 ? CHUNK_BYTES : size - (chunkCount(size) - 1) * CHUNK_BYTES);

/** Encrypts a whole file chunk by chunk -> { blob, digest }. */
export async function sealBlob(key, plaintext) {
  const count = chunkCount(plaintext.length);
  const digest = new AttachmentDigest();
  const chunks = [];
  for (let i = 0; i < count; i++) {
    const chunk = await encryptChunk(key, i, count, plaintext.subarray(i * CHUNK_BYTES, i * CHUNK_BYTES + plainLength(plaintext.length, i)));
    await digest.add(chunk);
    chunks.push(chunk);
  }
  return { blob: concat(...chunks), digest: await digest.finish() };
}

/**
 * A streaming receiver: takes each chunk's exact length from the blob in order (short: 'length'),
 * opens it ('tag'), and after the last refuses bytes beyond it ('length') and a digest mismatch
 * ('digest') before returning the plaintext.
 */
export async function openBlob(key, size, digest, blob) {
  const count = chunkCount(size);
  const hashes = new AttachmentDigest();
  const parts = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const length = plainLength(size, i) + TAG_BYTES;
    if (offset + length > blob.length) throw new AttachmentError('length', `the blob ends inside chunk ${i}`);
    const chunk = blob.subarray(offset, offset + length);
    offset += length;
    await hashes.add(chunk);
    parts.push(await decryptChunk(key, i, count, chunk));
  }
  if (offset !== blob.length) throw new AttachmentError('length', 'the blob is longer than its declared size');
  await hashes.verify(digest);
  return concat(...parts);
}

function chunksOf(blob, size) {
  const out = [];
  let offset = 0;
  for (let i = 0; i < chunkCount(size); i++) {
    const length = plainLength(size, i) + TAG_BYTES;
    out.push(blob.slice(offset, offset + length));
    offset += length;
  }
  return out;
}

/**
 * The tamperings of a three-chunk file (as Java's `Blobs.tamperings`): `{name, chunks?, flip?,
 * cut?, append?, wrongDigest?, reason}`, applied by `applyTampering`.
 */
export function tamperings(size) {
  if (chunkCount(size) !== 3) throw new Error('the tamperings are for a file of three chunks');
  const out = [];
  let offset = 0;
  for (let i = 0; i < 3; i++) {
    const length = plainLength(size, i) + TAG_BYTES;
    out.push({ name: `flipped-byte-chunk-${i}`, flip: offset + (length >> 1), reason: 'tag' });
    offset += length;
  }
  out.push(
    { name: 'truncated-last-chunk', cut: 1, reason: 'length' },
    { name: 'dropped-first-chunk', chunks: [1, 2], reason: 'tag' },
    { name: 'dropped-last-chunk', chunks: [0, 1], reason: 'length' },
    { name: 'reordered-chunks', chunks: [1, 0, 2], reason: 'tag' },
    { name: 'extra-bytes', append: b64(new Uint8Array(1)), reason: 'length' },
    { name: 'wrong-digest', wrongDigest: true, reason: 'digest' },
  );
  return out;
}

/** A tampering applied: chunks reordered or dropped, then a byte flipped, `cut` bytes removed, `append` added; the digest's first byte xored. */
export function applyTampering(t, blob, digest, size) {
  let out = t.chunks ? concat(...t.chunks.map((i) => chunksOf(blob, size)[i])) : blob.slice();
  if (t.flip !== undefined) out[t.flip] ^= 0x01;
  if (t.cut) out = out.slice(0, out.length - t.cut);
  if (t.append) out = concat(out, unb64(t.append));
  const d = digest.slice();
  if (t.wrongDigest) d[0] ^= 0x01;
  return { blob: out, digest: d };
}

/** `size` deterministic bytes for case `n` (a seed spread over the file: vectors need reproducible, not random, plaintext). */
async function plaintextOf(size, n) {
  const seed = await derive(`attachments/plaintext-${n}`, 32);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = seed[i % 32] ^ ((i * 167) >> 3) ^ (i >> 11);
  return out;
}

export async function buildAttachments() {
  const cases = [];
  let last;
  for (const [n, size] of SIZES.entries()) {
    const key = await derive(`attachments/key-${n}`, 32);
    const plaintext = await plaintextOf(size, n);
    const { blob, digest } = await sealBlob(key, plaintext);
    cases.push({ name: `${size} bytes`, size, key: b64(key), plaintext: b64(plaintext), blob: b64(blob), digest: b64(digest) });
    last = { key, size, blob, digest };
  }
  const tampered = tamperings(last.size).map(({ name, reason, ...edit }) => ({ name, case: `${last.size} bytes`, ...edit, reason }));
  return { cases, tampered };
}

export async function verifyAttachments(v) {
  const sizes = new Set();
  for (const c of v.cases) {
    const key = unb64(c.key);
    const plaintext = unb64(c.plaintext);
    const blob = unb64(c.blob);
    if (plaintext.length !== c.size || blob.length !== blobLength(c.size)) throw new Error(`${c.name}: wrong lengths`);
    const sealed = await sealBlob(key, plaintext);
    if (!equalBytes(sealed.blob, blob)) throw new Error(`${c.name}: blob differs (${hex(sealed.blob).slice(0, 64)}...)`);
    if (!equalBytes(sealed.digest, unb64(c.digest))) throw new Error(`${c.name}: digest differs`);
    if (!equalBytes(await openBlob(key, c.size, unb64(c.digest), blob), plaintext)) throw new Error(`${c.name}: plaintext differs`);
    sizes.add(c.size);
  }
  for (const s of [0, 1, 65536, 65537]) if (!sizes.has(s)) throw new Error(`attachments: no case of ${s} bytes`);
  if (![...sizes].some((s) => chunkCount(s) >= 3)) throw new Error('attachments: no case of three chunks');
  const names = new Set();
  for (const t of v.tampered) {
    const c = v.cases.find((x) => x.name === t.case);
    if (!c) throw new Error(`tampered ${t.name}: no case ${t.case}`);
    const { blob, digest } = applyTampering(t, unb64(c.blob), unb64(c.digest), c.size);
    let refused = null;
    try {
      await openBlob(unb64(c.key), c.size, digest, blob);
    } catch (e) {
      refused = e;
    }
    if (!(refused instanceof AttachmentError) || refused.reason !== t.reason) {
      throw new Error(`tampered ${t.name}: expected reason ${t.reason}, got ${refused ? `${refused.name}: ${refused.message}` : 'the plaintext'}`);
    }
    names.add(t.name);
  }
  for (const n of TAMPERED) if (!names.has(n)) throw new Error(`attachments: no tampered case ${n}`);
}
