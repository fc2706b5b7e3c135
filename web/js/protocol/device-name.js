/**
 * A device's name ("Laptop") as it travels between one account's devices (the link request,
 * the device-linked sync payload; docs/CRYPTO.md §10.2), as Java's `link.DeviceName`:
 * `u8 len || utf8 name`, 1..64 bytes of UTF-8 without control characters and without the
 * bidirectional overrides, isolates and marks (U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069), so that the name shown in the approval dialog cannot break lines or
 * reorder the text around it.
 */

import { concat, u8, utf8, fromUtf8 } from './encoding.js';
import { FormatError } from './errors.js';

export const MAX_DEVICE_NAME_BYTES = 64;

// Cc (C0, DEL, C1), the bidirectional formatting characters, and lone surrogates (not UTF-8).
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

/** Null for a valid name, else what is wrong with it. */
export function deviceNameProblem(name) {
  if (typeof name !== 'string') return 'missing';
  if (FORBIDDEN.test(name)) return 'contains a control or bidirectional formatting character';
  const n = utf8(name).length;
  if (n < 1 || n > MAX_DEVICE_NAME_BYTES) return `must be 1..${MAX_DEVICE_NAME_BYTES} UTF-8 bytes`;
  return null;
}

/** `u8 len || utf8 name`; FormatError for an invalid name. */
export function encodeDeviceName(name) {
  const problem = deviceNameProblem(name);
  if (problem) throw new FormatError(`device name ${problem}`);
  const b = utf8(name);
  return concat(u8(b.length), b);
}

/** Reads `u8 len || utf8 name` from a Reader and applies the same rules. */
export function readDeviceName(r) {
  const name = fromUtf8(r.take(r.u8('device name length'), 'device name'));
  const problem = deviceNameProblem(name);
  if (problem) throw new FormatError(`device name ${problem}`);
  return name;
}
