/**
 * What a group message may carry (docs/design/GROUPS.md "Payloads"): an ordinary payload of
 * type `text` or `typing`; any other type inside a GroupMessage is refused.
 */

import { FormatError } from '../errors.js';
import { openPayload } from '../payload.js';

export const GROUP_MESSAGE_PAYLOAD_TYPES = Object.freeze(['text', 'typing']);

/** The payload object of a decrypted group message's padded bytes; FormatError for another type. */
export function openGroupMessagePayload(padded) {
  const payload = openPayload(padded);
  if (!GROUP_MESSAGE_PAYLOAD_TYPES.includes(payload.type)) throw new FormatError(`a group message cannot carry a ${payload.type} payload`);
  return payload;
}
