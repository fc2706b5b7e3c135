/**
 * What a group message may carry (docs/CRYPTO.md §4, docs/design/GROUPS.md "Payloads"): an
 * ordinary payload of type `text` or `typing`, or a content payload (`message`, `edit`,
 * `delete`, `reaction`, `timer`); any other type inside a GroupMessage is refused (the
 * own-device `sent-payload` and `block` in particular).
 */

import { FormatError } from '../errors.js';
import { openPayload } from '../payload.js';
import { SENDABLE_CONTENT_TYPES } from '../content-payload.js';

export const GROUP_MESSAGE_PAYLOAD_TYPES = Object.freeze(['text', 'typing', ...SENDABLE_CONTENT_TYPES]);

/** The payload object of a decrypted group message's padded bytes; FormatError for another type. */
export function openGroupMessagePayload(padded) {
  const payload = openPayload(padded);
  if (!GROUP_MESSAGE_PAYLOAD_TYPES.includes(payload.type)) throw new FormatError(`a group message cannot carry a ${payload.type} payload`);
  return payload;
}
