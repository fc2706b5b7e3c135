/**
 * The encrypted blob of one file, made part by part from the `File` as it is uploaded
 * (CRYPTO.md §12): each 64 KiB piece is read with `File.slice`, encrypted with its index and
 * the last-chunk flag (protocol/attachments.js), and hashed into the digest the first time it
 * is made. A part is at most `PART_BYTES` (4 MiB, half of what the server takes in one PUT)
 * and, from a chunk boundary, a whole number of chunks; so only the part being made (and the
 * one being sent) is ever in memory.
 *
 * Invariants: `part(offset)` may start anywhere (a resume after `409 offset_mismatch` starts
 * where the server is, perhaps inside a chunk); a chunk encrypts to the same bytes every time
 * (one key per file, the nonce fixed by the index), so bytes made again equal those sent
 * before; the digest takes every chunk exactly once, in order, because calls run one after
 * the other and a chunk is hashed only when it is the next one the digest lacks.
 */

import {
  CHUNK_BYTES, TAG_BYTES, chunkCount, blobLength, encryptChunk, AttachmentDigest,
} from '../../protocol/attachments.js';
import { MAX_PART_BYTES } from './blob-http.js';

const STRIDE = CHUNK_BYTES + TAG_BYTES;
/** The largest part made: small enough that two of them (one sent, one made) stay a few MiB. */
export const PART_BYTES = Math.min(MAX_PART_BYTES, 4 * 1024 * 1024);
/** Chunks in a part that starts on a chunk boundary. */
const PART_CHUNKS = Math.floor(PART_BYTES / STRIDE);

export class BlobWriter {
  #file;
  #key;
  #count;
  #digest = new AttachmentDigest();
  /** Chunks hashed into the digest so far (always the first `#digested` ones). */
  #digested = 0;
  #queue = Promise.resolve();

  constructor(file, key) {
    this.#file = file;
    this.#key = key;
    this.#count = chunkCount(file.size);
    this.length = blobLength(file.size);
  }

  /** The blob's bytes from `offset` to the end of the part that starts there (at most PART_BYTES), as a Blob. */
  part(offset, signal) {
    const made = this.#queue.then(() => this.#make(offset, signal));
    // The queue only orders the calls: it keeps neither a part nor its error.
    this.#queue = made.then(() => {}, () => {});
    return made;
  }

  /** The blob's digest, once every chunk was made. */
  async digest() {
    await this.#queue;
    if (this.#digested !== this.#count) throw new Error('the digest is asked for before the whole blob was made');
    return this.#digest.finish();
  }

  async #make(offset, signal) {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.length) throw new RangeError('offset outside the blob');
    const first = Math.floor(offset / STRIDE);
    if (first > this.#digested) throw new RangeError('the server reports bytes this upload never sent');
    const end = Math.min(this.#count, first + PART_CHUNKS);
    const pieces = [];
    for (let index = first; index < end; index += 1) {
      signal?.throwIfAborted();
      const from = index * CHUNK_BYTES;
      const plain = new Uint8Array(await this.#file.slice(from, Math.min(this.#file.size, from + CHUNK_BYTES)).arrayBuffer());
      const cipher = await encryptChunk(this.#key, index, this.#count, plain);
      if (index === this.#digested) {
        await this.#digest.add(cipher);
        this.#digested += 1;
      }
      pieces.push(index === first ? cipher.subarray(offset - first * STRIDE) : cipher);
    }
    // A Blob: its bytes move to the browser's blob storage, and fetch sends them from there.
    return new Blob(pieces);
  }
}
