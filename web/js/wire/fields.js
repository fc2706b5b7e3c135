/**
 * The kinds of field a frame holds, each a `{ read(value, path), write(value, path) }` pair:
 * `read` validates one received value and returns it (`undefined` for an optional field left
 * out); `write` validates one value to send and returns its JSON form, or `undefined` to leave
 * it out. Both throw `WireError('bad_frame', "'<path>' must be ...")`, worded like Java's
 * `FieldReader`, so a decoded frame only ever holds well-formed values and a frame this client
 * writes is one the server will read. Binary values stay base64url strings: `bytes(n)` checks
 * their form and decoded length without decoding them.
 *
 * Unknown fields are ignored when reading, so newer senders stay readable. `null` is the same
 * as absent for optional fields.
 */

import { ErrorCode, WireError } from './errors.js';
import { MAX_ID_CHARS } from './limits.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Base64url without padding: its alphabet, and a length that is not 1 modulo 4. */
export function isBase64Url(text) {
  return typeof text === 'string' && BASE64URL.test(text) && text.length % 4 !== 1;
}

/** A request or message id: `[A-Za-z0-9_-]{1,64}`. */
export function isRequestId(text) {
  return typeof text === 'string' && text.length > 0 && text.length <= MAX_ID_CHARS && BASE64URL.test(text);
}

export function bad(path, expectation) {
  return refuse(ErrorCode.BAD_FRAME, path, expectation);
}

/** A refusal with a code other than `bad_frame` (a malformed device list is `bad_device_list`...). */
export function refuse(code, path, expectation) {
  return new WireError(code, `'${path}' must be ${expectation}`);
}

const absent = (value) => value === undefined || value === null;

/** A required value that `ok(value)` accepts, written as is. */
function scalar(expectation, ok) {
  const check = (value, path) => {
    if (!ok(value)) throw bad(path, expectation);
    return value;
  };
  return { read: check, write: check };
}

export const id = () => scalar('a string of 1 to 64 characters of A-Z a-z 0-9 _ -', isRequestId);

/** An optional `id`-shaped string (a server-chosen name such as a recipient set): absent stays absent. */
export function optionalId() {
  const inner = id();
  const check = (mode) => (value, path) => (absent(value) ? undefined : inner[mode](value, path));
  return { read: check('read'), write: check('write') };
}

/** A non-empty string of at most `max` characters. */
export const string = (max) => scalar(`a non-empty string of at most ${max} characters`,
  (v) => typeof v === 'string' && v.length > 0 && v.length <= max);

/** A string matching `pattern` (anchored). */
export const pattern = (regex, expectation) => scalar(`a string of ${expectation}`, (v) => typeof v === 'string' && regex.test(v));

/** A string, possibly empty, of at most `max` characters. */
export const text = (max) => scalar(`a string of at most ${max} characters`, (v) => typeof v === 'string' && v.length <= max);

/** One of `values` (strings). */
export const choice = (values) => scalar(values.map((v) => JSON.stringify(v)).join(' or '), (v) => values.includes(v));

/** A non-empty base64url string kept as text, for values only passed on (envelopes). */
export const base64Text = () => scalar('a non-empty base64url string without padding', (v) => typeof v === 'string' && v.length > 0 && isBase64Url(v));

/** Base64url that must decode to exactly `length` bytes; the text is kept. */
export function bytes(length) {
  const check = (value, path) => {
    if (typeof value !== 'string') throw bad(path, `${length} bytes in base64url`);
    if (!isBase64Url(value)) throw bad(path, 'base64url without padding');
    if (Math.floor((value.length * 3) / 4) !== length) throw bad(path, `${length} bytes in base64url`);
    return value;
  };
  return { read: check, write: check };
}

/** Base64url that must decode to `min` to `max` bytes; the text is kept. */
export function byteRange(min, max) {
  const expectation = `${min} to ${max} bytes in base64url`;
  const check = (value, path) => {
    if (typeof value !== 'string') throw bad(path, expectation);
    if (!isBase64Url(value)) throw bad(path, 'base64url without padding');
    const length = Math.floor((value.length * 3) / 4);
    if (length < min || length > max) throw bad(path, expectation);
    return value;
  };
  return { read: check, write: check };
}

export const integer = (min, max) => scalar(`an integer from ${min} to ${max}`,
  (v) => Number.isInteger(v) && v >= min && v <= max);

export const bool = () => scalar('true or false', (v) => typeof v === 'boolean');

/** An optional boolean: `false` when absent; written only when true (the form of `duplicate`). */
export function flag() {
  const check = (value, path) => {
    if (absent(value)) return false;
    if (typeof value !== 'boolean') throw bad(path, 'true or false');
    return value;
  };
  return { read: check, write: (value, path) => (check(value, path) ? true : undefined) };
}

/** Reads or writes the declared `fields` of one object, in their declared order. */
export function objectFields(fields, value, prefix, mode) {
  const out = {};
  for (const [name, kind] of Object.entries(fields)) {
    const field = kind[mode](value[name], prefix + name);
    if (field !== undefined) out[name] = field;
  }
  return out;
}

export function object(fields) {
  const check = (mode) => (value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(path, 'an object');
    return objectFields(fields, value, `${path}.`, mode);
  };
  return { read: check('read'), write: check('write') };
}

/** An optional object: absent when left out. */
export function optionalObject(fields) {
  const inner = object(fields);
  const check = (mode) => (value, path) => (absent(value) ? undefined : inner[mode](value, path));
  return { read: check('read'), write: check('write') };
}

function items(max, fields, mode, value, path) {
  if (!Array.isArray(value) || value.length > max) throw bad(path, `an array of at most ${max} items`);
  return value.map((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad(itemPath, 'an object');
    return objectFields(fields, item, `${itemPath}.`, mode);
  });
}

/** An optional array of at most `max` objects: `[]` when absent, left out when empty. */
export function list(max, fields) {
  return {
    read: (value, path) => (absent(value) ? [] : items(max, fields, 'read', value, path)),
    write: (value, path) => (absent(value) || (Array.isArray(value) && value.length === 0)
      ? undefined : items(max, fields, 'write', value, path)),
  };
}

/** An array of at most `max` objects that is always written, empty or not (read as `list`). */
export function array(max, fields) {
  return {
    read: (value, path) => (absent(value) ? [] : items(max, fields, 'read', value, path)),
    write: (value, path) => items(max, fields, 'write', value ?? [], path),
  };
}

/**
 * An optional array of at most `max` integers from `min` to `maxValue`: absent stays absent
 * (`undefined`), and a present array, even empty, is kept and written as is.
 */
export function integers(max, min, maxValue) {
  const check = (value, path) => {
    if (absent(value)) return undefined;
    if (!Array.isArray(value) || value.length > max) throw bad(path, `an array of at most ${max} integers`);
    value.forEach((v, i) => {
      if (!Number.isInteger(v) || v < min || v > maxValue) throw bad(`${path}[${i}]`, `an integer from ${min} to ${maxValue}`);
    });
    return [...value];
  };
  return { read: check, write: check };
}

/**
 * A required array of at most `max` objects, each read with `fields`, then checked as a whole
 * by `whole(items, path)` (which throws its own refusal). Always written.
 */
export function objects(max, fields, whole = () => {}) {
  const check = (mode) => (value, path) => {
    if (!Array.isArray(value)) throw bad(path, `an array of at most ${max} items`);
    const out = items(max, fields, mode, value, path);
    whole(out, path);
    return out;
  };
  return { read: check('read'), write: check('write') };
}

/** As `objects`, but optional: absent stays absent (`undefined`), a present array is checked and written. */
export function optionalObjects(max, fields, whole = () => {}) {
  const inner = objects(max, fields, whole);
  const check = (mode) => (value, path) => (absent(value) ? undefined : inner[mode](value, path));
  return { read: check('read'), write: check('write') };
}

/** An optional integer from `min` to `max`: absent stays absent. */
export function optionalInteger(min, max) {
  const check = (value, path) => {
    if (absent(value)) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) throw bad(path, `an integer from ${min} to ${max}`);
    return value;
  };
  return { read: check, write: check };
}

/** An optional base64url text (passed on, not decoded): absent stays absent. */
export function optionalBase64Text() {
  const check = (value, path) => {
    if (absent(value)) return undefined;
    if (typeof value !== 'string' || value.length === 0 || !isBase64Url(value)) throw bad(path, 'a non-empty base64url string without padding');
    return value;
  };
  return { read: check, write: check };
}

/** A required array of `min` to `max` non-empty strings of at most `maxLength` characters each. */
export function strings(min, max, maxLength) {
  const check = (value, path) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) throw bad(path, `an array of ${min} to ${max} strings`);
    value.forEach((v, i) => {
      if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) {
        throw bad(`${path}[${i}]`, `a non-empty string of at most ${maxLength} characters`);
      }
    });
    return [...value];
  };
  return { read: check, write: check };
}
