/**
 * Every frame of docs/PROTOCOL.md, by family, and the one codec between them and JSON text,
 * as Java's `FrameCatalogue`. A frame is written `type` first, then `id` (a request) or `re`
 * (an answer, when it has one), then its fields in the catalogue's order; it is read and
 * validated field by field (fields.js). A frame object is `{ type, id? | re?, ...fields }`
 * with binary values as base64url strings.
 *
 * Adding a frame: a declaration in its family's file here, the same in Java's
 * `dev.parley.wire.frames`, and an example in test-vectors/wire/frames.json.
 */

import { ErrorCode, WireError } from './errors.js';
import { CLIENT, SERVER } from './frame-type.js';
import { bad, id, objectFields } from './fields.js';
import { SESSION_FRAMES } from './session.js';
import { AUTH_FRAMES } from './auth.js';
import { DIRECTORY_FRAMES } from './directory.js';
import { PREKEY_FRAMES } from './prekeys.js';
import { DELIVERY_FRAMES } from './delivery.js';
import { DEVICE_FRAMES } from './devices.js';
import { BLOB_FRAMES } from './blobs.js';

/** Every frame type, in the order of docs/PROTOCOL.md. */
export const CATALOGUE = Object.freeze([
  ...SESSION_FRAMES, ...AUTH_FRAMES, ...DIRECTORY_FRAMES, ...PREKEY_FRAMES, ...DELIVERY_FRAMES, ...DEVICE_FRAMES,
  ...BLOB_FRAMES,
]);

function byName(direction) {
  const map = new Map();
  for (const type of CATALOGUE.filter((t) => t.direction === direction)) {
    if (map.has(type.type)) throw new Error(`two frame types named ${type.type}`);
    map.set(type.type, type);
  }
  return map;
}

const TYPES = { [CLIENT]: byName(CLIENT), [SERVER]: byName(SERVER) };
const REQUEST_ID = id();

/** The catalogue entry of `name` sent in `direction` (`'client'` or `'server'`), or undefined. */
export function frameType(direction, name) {
  const types = TYPES[direction];
  if (!types) throw new TypeError(`direction must be '${CLIENT}' or '${SERVER}'`);
  return types.get(name);
}

/** The catalogue entry a parsed frame names, checked for direction. */
function typeFor(direction, frame) {
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
    throw new WireError(ErrorCode.BAD_JSON, 'a frame is a JSON object');
  }
  if (typeof frame.type !== 'string') throw bad('type', 'a string');
  const type = frameType(direction, frame.type);
  if (!type) throw new WireError(ErrorCode.UNKNOWN_TYPE, 'unknown frame type');
  return type;
}

function convert(type, frame, mode) {
  const out = { type: type.type };
  if (type.head === 'id') out.id = REQUEST_ID[mode](frame.id, 'id');
  else if (type.head === 're' && frame.re !== undefined && frame.re !== null) out.re = REQUEST_ID[mode](frame.re, 're');
  Object.assign(out, objectFields(type.fields, frame, '', mode));
  type.whole?.(out);
  return out;
}

/**
 * The frame as an object in wire order, validated as its receiver will read it. No type name
 * is used in both directions, so the frame's type says who sends it. Throws WireError for a
 * type not in the catalogue or a field that is missing or wrong.
 */
export function toJson(frame) {
  const name = frame?.type;
  const type = frameType(CLIENT, name) ?? frameType(SERVER, name) ?? typeFor(CLIENT, frame);
  return convert(type, frame, 'write');
}

/** The frame as JSON text (see toJson). */
export function encode(frame) {
  return JSON.stringify(toJson(frame));
}

/**
 * Reads one frame sent in `direction` (`'server'` for what a client receives). Throws
 * WireError: `bad_json` (not one JSON object), `unknown_type` (no such frame in that
 * direction) or `bad_frame` (a field is missing or wrong; the message names its path).
 * Fields the catalogue does not know are left out of the result.
 */
export function decode(direction, text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WireError(ErrorCode.BAD_JSON, 'the frame is not one valid JSON object');
  }
  return convert(typeFor(direction, parsed), parsed, 'read');
}
