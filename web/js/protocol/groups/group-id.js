/**
 * A group's id (docs/design/GROUPS.md "Group state"): 32 random bytes chosen by the creator,
 * as text its base64url form without padding (43 characters), as Java's `groups.GroupId`.
 */

import { b64, unb64 } from '../encoding.js';
import { FormatError } from '../errors.js';
import { systemEntropy } from '../entropy.js';

export const GROUP_ID_BYTES = 32;
const GROUP_ID_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** A new group id from `entropy.randomBytes` (default: the platform). */
export function randomGroupId(entropy = systemEntropy) {
  return checkGroupId(entropy.randomBytes(GROUP_ID_BYTES));
}

/** The id's text form (43 characters of base64url). */
export function groupIdText(bytes) {
  return b64(checkGroupId(bytes));
}

/** The id from its text form; FormatError for anything but 43 characters of canonical base64url. */
export function parseGroupId(text) {
  if (typeof text !== 'string' || !GROUP_ID_TEXT.test(text)) throw new FormatError('group id must be 43 characters of base64url');
  return checkGroupId(unb64(text));
}

/** `bytes` when it is a 32-byte Uint8Array, else FormatError. */
export function checkGroupId(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== GROUP_ID_BYTES) throw new FormatError(`group id must be ${GROUP_ID_BYTES} bytes`);
  return bytes;
}
