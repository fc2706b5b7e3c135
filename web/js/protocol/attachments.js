/**
 * The attachment cipher (docs/CRYPTO.md §12), as Java's `attachments.AttachmentEncryptor` /
 * `AttachmentDecryptor`: the STREAM construction over AES-256-GCM, chunk by chunk, with Web
 * Crypto's AES-GCM and SHA-256 only.
 *
 * ```
 * chunks  = the plaintext cut into 65,536-byte pieces; n = max(1, ceil(size / 65536))
 * nonce_i = 7 zero bytes || u32 i || u8 (i == n-1 ? 0x01 : 0x00)
 * blob    = AES-256-GCM(key, nonce_0, chunk_0, ad = "parley-attachment-v1") || ... || (chunk_{n-1})
 * length  = size + 16 n
 * digest  = SHA-256(SHA-256(c_0) || SHA-256(c_1) || ... || SHA-256(c_{n-1}))   c_i: encrypted chunk i
 * ```
 *
 * A receiver refuses a blob whose length is not `blobLength(size)` (reason `length`), any chunk
 * whose tag fails (`tag`) and a digest mismatch (`digest`), and releases the file only after the
 * digest matched. A key encrypts one file only (`newAttachmentKey`).
 */

import { concat, u32, utf8, equalBytes, toBytes } from './encoding.js';
import { ProtocolError } from './errors.js';
import { AD_ATTACHMENT } from './labels.js';
import { MAX_ATTACHMENT_BYTES } from './limits.js';
import { randomBytes } from './primitives.js';

export { MAX_ATTACHMENT_BYTES };
export const CHUNK_BYTES = 65536;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;
const AD = utf8(AD_ATTACHMENT);
const subtle = globalThis.crypto.subtle;

/** A refused attachment blob; `reason` is 'length', 'tag' or 'digest' (code `bad-attachment`). */
export class AttachmentError extends ProtocolError {
  constructor(reason, message) {
    super('bad-attachment', `${reason}: ${message}`);
    this.name = 'AttachmentError';
    this.reason = reason;
  }
}

function checkSize(size) {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ATTACHMENT_BYTES) {
    throw new RangeError(`attachment size must be 0..${MAX_ATTACHMENT_BYTES} bytes`);
  }
}

/** max(1, ceil(size / 65536)). */
export function chunkCount(size) {
  checkSize(size);
  return Math.max(1, Math.ceil(size / CHUNK_BYTES));
}

/** The blob's exact length: size + 16 n. */
export function blobLength(size) {
  return size + TAG_BYTES * chunkCount(size);
}

/** A fresh 32-byte file key. */
export function newAttachmentKey() {
  return randomBytes(KEY_BYTES);
}

function nonce(index, count) {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError('chunk index must be 0..count-1');
  }
  return concat(new Uint8Array(7), u32(index), Uint8Array.of(index === count - 1 ? 1 : 0));
}

async function importKey(key, usage) {
  const raw = toBytes(key);
  if (raw.length !== KEY_BYTES) throw new RangeError('attachment key must be 32 bytes');
  return subtle.importKey('raw', raw, 'AES-GCM', false, [usage]);
}

/** Plaintext bytes chunk `index` of `count` may hold: exactly 65,536 but the last (1..65,536; 0..65,536 when alone). */
function checkPlainLength(length, index, count) {
  const last = index === count - 1;
  return last ? length <= CHUNK_BYTES && (length >= 1 || count === 1) : length === CHUNK_BYTES;
}

/** Encrypts chunk `index` of `count` (`plain`: its plaintext) -> ciphertext || tag. */
export async function encryptChunk(key, index, count, plain) {
  const iv = nonce(index, count);
  const bytes = toBytes(plain);
  if (!checkPlainLength(bytes.length, index, count)) throw new RangeError(`chunk ${index} of ${count} cannot hold ${bytes.length} bytes`);
  const k = await importKey(key, 'encrypt');
  return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AD, tagLength: 128 }, k, bytes));
}

/** Opens encrypted chunk `index` of `count`; AttachmentError 'length' for a chunk of a wrong size, 'tag' when it does not authenticate. */
export async function decryptChunk(key, index, count, cipher) {
  const iv = nonce(index, count);
  const bytes = toBytes(cipher);
  if (bytes.length < TAG_BYTES || !checkPlainLength(bytes.length - TAG_BYTES, index, count)) {
    throw new AttachmentError('length', `chunk ${index} of ${count} has a wrong length`);
  }
  const k = await importKey(key, 'decrypt');
  try {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: AD, tagLength: 128 }, k, bytes));
  } catch {
    throw new AttachmentError('tag', `chunk ${index} does not authenticate`);
  }
}

/**
 * The blob digest, chunk by chunk: add every encrypted chunk in blob order (calls may overlap;
 * their order is the call order), then `finish()`. `matches(expected)` compares in constant time.
 */
export class AttachmentDigest {
  #hashes = [];
  #finished = false;

  async add(cipherChunk) {
    if (this.#finished) throw new Error('attachment digest already finished');
    const hash = subtle.digest('SHA-256', toBytes(cipherChunk).slice());
    this.#hashes.push(hash);
    await hash;
  }

  async finish() {
    this.#finished = true;
    const hashes = (await Promise.all(this.#hashes)).map((h) => new Uint8Array(h));
    return new Uint8Array(await subtle.digest('SHA-256', concat(...hashes)));
  }

  /** finish() compared with `expected`; AttachmentError 'digest' when they differ. */
  async verify(expected) {
    if (!equalBytes(await this.finish(), toBytes(expected))) throw new AttachmentError('digest', 'the blob is not the one the message names');
  }
}
