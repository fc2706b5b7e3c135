/**
 * The ratchet header and RatchetMessage encodings (docs/CRYPTO.md §3.3, §3.5).
 *
 * ```
 * Header         = DHs_pub(32) || u32 PN || u32 N                       (40 bytes)
 * RatchetMessage = u8 0x02 || Header(40) || AES-GCM output (ciphertext || 16-byte tag)
 * AEAD AD        = AD(handshake, 128 bytes) || u32 len(Header) || Header
 * ```
 */

import { concat, u8, u32, Reader } from './encoding.js';
import { FormatError } from './errors.js';
import { GCM_TAG_BYTES } from './primitives.js';

export const KIND_PREKEY = 0x01;
export const KIND_RATCHET = 0x02;
export const KIND_FANOUT = 0x03;
export const HEADER_BYTES = 40;

export function encodeHeader({ dh, pn, n }) {
  if (dh.length !== 32) throw new FormatError('header: ratchet key must be 32 bytes');
  return concat(dh, u32(pn), u32(n));
}

export function parseHeader(bytes) {
  const r = new Reader(bytes);
  const header = { dh: r.take(32, 'header.dh'), pn: r.u32('header.pn'), n: r.u32('header.n') };
  r.end('header');
  return header;
}

export function associatedData(handshakeAd, headerBytes) {
  return concat(handshakeAd, u32(headerBytes.length), headerBytes);
}

export function encodeRatchetMessage(headerBytes, ciphertext) {
  return concat(u8(KIND_RATCHET), headerBytes, ciphertext);
}

/** -> { header, headerBytes, ciphertext }; the ciphertext holds at least a tag. */
export function parseRatchetMessage(bytes) {
  const r = new Reader(bytes);
  if (r.u8('kind') !== KIND_RATCHET) throw new FormatError('not a RatchetMessage');
  const headerBytes = r.take(HEADER_BYTES, 'header');
  const ciphertext = r.rest();
  if (ciphertext.length < GCM_TAG_BYTES) throw new FormatError('RatchetMessage: ciphertext shorter than a tag');
  return { header: parseHeader(headerBytes), headerBytes, ciphertext };
}
