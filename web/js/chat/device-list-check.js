/**
 * The sender's check of another account's signed device list (docs/design/LINKED-DEVICES.md,
 * "The device list"): a list is used only if it is well formed, its signature verifies under
 * the account's identity `IKs`, and it does not go back: a lower version than the one accepted
 * before, or the same version with other content, is refused. After an identity change the
 * caller passes no previous list (versions restart with the new identity).
 *
 * Pure: no storage, no network. -> `{ accepted: true, same }` or `{ accepted: false, reason }`
 * with `reason` one of REFUSALS.
 */

import { unb64, equalBytes } from '../protocol/index.js';
import { ed25519Verify } from '../protocol/primitives.js';
import { deviceListBytes } from '../wire/signed.js';
import { MAX_DEVICES, MAX_DEVICE_ID } from '../wire/limits.js';

export const REFUSALS = Object.freeze({
  MALFORMED: 'malformed',
  BAD_SIGNATURE: 'bad-signature',
  ROLLBACK: 'rollback',
  CONFLICT: 'same-version-different-content',
});

/** Why the wire list `list` is not well formed, or null: ids ascending and distinct in 1..255, 1..6 entries, distinct keys. */
export function malformation(list) {
  const devices = list?.devices;
  if (!Array.isArray(devices) || devices.length < 1 || devices.length > MAX_DEVICES) return `1 to ${MAX_DEVICES} devices`;
  for (let i = 0; i < devices.length; i++) {
    const { id } = devices[i];
    if (!Number.isInteger(id) || id < 1 || id > MAX_DEVICE_ID) return 'device ids from 1 to 255';
    if (i > 0 && id <= devices[i - 1].id) return 'device ids ascending and distinct';
  }
  if (new Set(devices.map((d) => d.key)).size !== devices.length) return 'distinct device keys';
  return null;
}

/** The same list (version, time, entries; the signature aside, Ed25519 signatures not being unique). */
function sameContent(a, b) {
  return equalBytes(deviceListBytes(a), deviceListBytes(b));
}

/**
 * `signingKey`: the account's IKs (32 bytes); `previous`: the list accepted before for this
 * identity, or null; `list`: the list to check (wire form).
 */
export async function checkDeviceList(signingKey, previous, list) {
  if (malformation(list)) return { accepted: false, reason: REFUSALS.MALFORMED };
  if (!(await ed25519Verify(signingKey, deviceListBytes(list), unb64(list.signature)))) {
    return { accepted: false, reason: REFUSALS.BAD_SIGNATURE };
  }
  if (previous) {
    if (list.version < previous.version) return { accepted: false, reason: REFUSALS.ROLLBACK };
    if (list.version === previous.version) {
      return sameContent(previous, list) ? { accepted: true, same: true } : { accepted: false, reason: REFUSALS.CONFLICT };
    }
  }
  return { accepted: true, same: false };
}
