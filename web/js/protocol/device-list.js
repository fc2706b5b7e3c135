/**
 * The sender's check of a contact's signed device list (docs/CRYPTO.md §10.4), as Java's
 * `devices.DeviceListCheck`. Pure: the caller keeps, per contact identity, the highest list it
 * accepted and passes it as `previous` (null at first, and null again after an identity
 * change: versions restart with a new IK). Lists are in their wire form
 * `{ version, issuedAt, devices: [{ id, key, linkedAt }], signature }`, keys and signature as
 * base64url text or bytes; the signed bytes are wire/signed.js `deviceListBytes`.
 *
 * The checks, in this order, the first failing one deciding:
 * 1. `malformed`: not 1..MAX_DEVICES entries, an id outside 1..255, ids not ascending and
 *    distinct, a key that is not 32 bytes, two equal keys, a version below 1, a time outside
 *    0..2^53-1, a signature that is not 64 bytes;
 * 2. `bad-signature`: the signature does not verify under the contact's IKs;
 * 3. `rollback`: a version lower than `previous`'s;
 * 4. `same-version-different-content`: `previous`'s version with other signed content (the
 *    same content is accepted with `same: true`);
 * 5. `reused-device-id`: a newer list that lists an id `previous` did not at or below
 *    `previous`'s largest id, or one of `previous`'s ids with another key (ids are never
 *    reused within an identity, so no honest newer list does either).
 *
 * -> `{ accepted: true, same }` or `{ accepted: false, reason, detail }` (`reason` one of
 * DEVICE_LIST_REFUSALS; `detail` for logs and messages, without key material).
 */

import { unb64, equalBytes, b64 } from './encoding.js';
import { ed25519Verify, ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES } from './primitives.js';
import { deviceListBytes } from '../wire/signed.js';
import { MAX_DEVICES, MAX_DEVICE_ID } from '../wire/limits.js';

export const DEVICE_LIST_REFUSALS = Object.freeze({
  MALFORMED: 'malformed',
  BAD_SIGNATURE: 'bad-signature',
  ROLLBACK: 'rollback',
  CONFLICT: 'same-version-different-content',
  REUSED_ID: 'reused-device-id',
});

const bytesOf = (v) => (typeof v === 'string' ? unb64(v) : v);
const isTime = (t) => Number.isSafeInteger(t) && t >= 0;

function refused(reason, detail) {
  return { accepted: false, reason, detail };
}

/** Why `list` is not well formed, or null. */
export function deviceListMalformation(list) {
  if (!list || typeof list !== 'object') return 'not a device list';
  if (!Number.isSafeInteger(list.version) || list.version < 1) return 'version outside 1..2^53-1';
  if (!isTime(list.issuedAt)) return 'issuedAt outside 0..2^53-1';
  const devices = list.devices;
  if (!Array.isArray(devices) || devices.length < 1 || devices.length > MAX_DEVICES) {
    return `a list holds 1 to ${MAX_DEVICES} devices`;
  }
  const keys = new Set();
  let last = 0;
  for (const d of devices) {
    if (!Number.isInteger(d?.id) || d.id < 1 || d.id > MAX_DEVICE_ID) return `device id ${d?.id} outside 1..${MAX_DEVICE_ID}`;
    if (d.id <= last) return 'device ids not ascending and distinct';
    last = d.id;
    let key;
    try {
      key = bytesOf(d.key);
    } catch {
      key = null;
    }
    if (!(key instanceof Uint8Array) || key.length !== ED25519_KEY_BYTES) return `device ${d.id}: key not ${ED25519_KEY_BYTES} bytes`;
    if (keys.has(b64(key))) return 'two devices with the same key';
    keys.add(b64(key));
    if (!isTime(d.linkedAt)) return `device ${d.id}: linkedAt outside 0..2^53-1`;
  }
  let signature;
  try {
    signature = bytesOf(list.signature);
  } catch {
    signature = null;
  }
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) return `signature not ${ED25519_SIGNATURE_BYTES} bytes`;
  return null;
}

/** `signingKey`: the contact's IKs (32 bytes); `previous`: the list accepted before, or null. */
export async function checkDeviceList(signingKey, previous, list) {
  const malformation = deviceListMalformation(list);
  if (malformation) return refused(DEVICE_LIST_REFUSALS.MALFORMED, malformation);
  const signed = deviceListBytes(list);
  if (!(await ed25519Verify(signingKey, signed, bytesOf(list.signature)))) {
    return refused(DEVICE_LIST_REFUSALS.BAD_SIGNATURE, "the signature does not verify under the contact's identity");
  }
  if (!previous) return { accepted: true, same: false };
  if (list.version < previous.version) {
    return refused(DEVICE_LIST_REFUSALS.ROLLBACK, `version ${list.version} is below the accepted ${previous.version}`);
  }
  if (list.version === previous.version) {
    return equalBytes(signed, deviceListBytes(previous))
      ? { accepted: true, same: true }
      : refused(DEVICE_LIST_REFUSALS.CONFLICT, `version ${list.version} with other content`);
  }
  const largest = previous.devices[previous.devices.length - 1].id;
  for (const d of list.devices) {
    const before = previous.devices.find((p) => p.id === d.id);
    if (before ? !equalBytes(bytesOf(before.key), bytesOf(d.key)) : d.id <= largest) {
      return refused(DEVICE_LIST_REFUSALS.REUSED_ID, `device id ${d.id} was used before`);
    }
  }
  return { accepted: true, same: false };
}
