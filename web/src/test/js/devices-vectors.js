/**
 * `devices.json` (docs/CRYPTO.md §10.4; shape in Java's DeviceListVectors): the contact's
 * public identity `contact: {signingKey, dhKey, binding}` and `cases[]` of `{name, previous
 * (a list or null), list, expected}`, lists in wire form, `expected` `{accepted: true, same}`
 * or `{accepted: false, reason}`. The verifier runs protocol/device-list.js on every case.
 */

import { b64, unb64 } from '/web/js/protocol/encoding.js';
import { ed25519FromSeed, ed25519Sign, x25519FromPrivate } from '/web/js/protocol/primitives.js';
import { identityFromKeyPairs, verifyIdentityBinding } from '/web/js/protocol/keys.js';
import { checkDeviceList } from '/web/js/protocol/device-list.js';
import { deviceListBytes } from '/web/js/wire/signed.js';
import { derive } from './support.js';

const T = 1767225600000;

async function identity(label) {
  return identityFromKeyPairs(await ed25519FromSeed(await derive(`devices/${label}/signing`, 32)),
    await x25519FromPrivate(await derive(`devices/${label}/dh`, 32)));
}

export async function buildDevices() {
  const contact = await identity('contact');
  const stranger = await identity('stranger');
  const keys = [];
  for (let i = 0; i < 8; i++) keys.push(b64(await derive(`devices/key/${i}`, 32)));
  const entry = (id, k, linkedAt) => ({ id, key: keys[k], linkedAt });
  const signed = async (signer, version, issuedAt, devices) => {
    const list = { version, issuedAt, devices };
    return { ...list, signature: b64(await ed25519Sign(signer.signing.privateKey, deviceListBytes(list))) };
  };
  const v1 = await signed(contact, 1, T, [entry(1, 1, T)]);
  const v2 = await signed(contact, 2, T + 10, [entry(1, 1, T), entry(2, 2, T + 10)]);
  const v3 = await signed(contact, 3, T + 20, [entry(1, 1, T), entry(2, 2, T + 10), entry(3, 3, T + 20)]);
  const flipped = unb64(v3.signature);
  flipped[40] ^= 0x10;
  const ok = (same) => ({ accepted: true, same });
  const no = (reason) => ({ accepted: false, reason });
  const cases = [
    ['first list', null, v1, ok(false)],
    ['two versions ahead', v1, v3, ok(false)],
    ['the same list again', v3, v3, ok(true)],
    ['a device unlinked', v3, await signed(contact, 4, T + 30, [entry(1, 1, T), entry(3, 3, T + 20)]), ok(false)],
    ['same version, another device', v2, await signed(contact, 2, T + 10, [entry(1, 1, T), entry(3, 3, T + 10)]), no('same-version-different-content')],
    ['rollback', v3, v2, no('rollback')],
    ['signed by another identity', v1, await signed(stranger, 2, T + 10, v2.devices), no('bad-signature')],
    ['signature bit flipped', v2, { ...v3, signature: b64(flipped) }, no('bad-signature')],
    ['issuedAt changed after signing', null, { ...v2, issuedAt: T + 11 }, no('bad-signature')],
    ['ids not ascending', null, await signed(contact, 1, T, [entry(3, 3, T), entry(2, 2, T)]), no('malformed')],
    ['duplicate ids', null, await signed(contact, 1, T, [entry(2, 2, T), entry(2, 3, T)]), no('malformed')],
    ['duplicate keys', null, await signed(contact, 1, T, [entry(1, 4, T), entry(2, 4, T)]), no('malformed')],
    ['no devices', null, await signed(contact, 1, T, []), no('malformed')],
    ['seven devices', null, await signed(contact, 1, T, [1, 2, 3, 4, 5, 6, 7].map((id) => entry(id, id, T))), no('malformed')],
    ['device id 0', null, { ...v1, devices: [entry(0, 1, T)] }, no('malformed')],
    ['a key of 31 bytes', null, { ...v1, devices: [{ id: 1, key: b64(new Uint8Array(31)), linkedAt: T }] }, no('malformed')],
    ['a new id above every earlier one', v3,
      await signed(contact, 4, T + 30, [entry(1, 1, T), entry(2, 2, T + 10), entry(3, 3, T + 20), entry(4, 4, T + 30)]), ok(false)],
    ['reused id after unlinking', await signed(contact, 4, T + 30, [entry(1, 1, T), entry(3, 3, T + 20)]),
      await signed(contact, 5, T + 40, [entry(1, 1, T), entry(2, 5, T + 40), entry(3, 3, T + 20)]), no('reused-device-id')],
    ['a listed id with another key', v2, await signed(contact, 3, T + 20, [entry(1, 6, T), entry(2, 2, T + 10)]), no('reused-device-id')],
  ];
  return {
    contact: { signingKey: b64(contact.signing.publicKey), dhKey: b64(contact.dh.publicKey), binding: b64(contact.binding) },
    cases: cases.map(([name, previous, list, expected]) => ({ name, previous, list, expected })),
  };
}

export async function verifyDevices(v) {
  const signingKey = unb64(v.contact.signingKey);
  if (!(await verifyIdentityBinding(signingKey, unb64(v.contact.dhKey), unb64(v.contact.binding)))) {
    throw new Error('devices.json: the contact identity binding does not verify');
  }
  if (!Array.isArray(v.cases) || v.cases.length < 15) throw new Error('devices.json holds its cases');
  for (const c of v.cases) {
    const got = await checkDeviceList(signingKey, c.previous, c.list);
    const want = c.expected.accepted ? `accepted same=${c.expected.same}` : `refused ${c.expected.reason}`;
    const have = got.accepted ? `accepted same=${got.same}` : `refused ${got.reason}`;
    if (want !== have) throw new Error(`${c.name}: expected ${want}, got ${have}${got.detail ? ` (${got.detail})` : ''}`);
  }
}
