/**
 * The link message (docs/design/LINKED-DEVICES.md, "Linking", step 3): what an approving
 * device gives the new one, as UTF-8 JSON sealed to the link code (web/js/protocol link.js):
 * ```
 * { "username", "device", "identity": {signingKey, dhKey, binding, signingPrivate, dhPrivate},
 *   "list": {version, issuedAt, devices, signature}, "recoveryCodeShown": bool,
 *   "contacts": [{ "username", "identity": {signingKey, dhKey}, "trust": "unverified"|"verified"|"changed" }],
 *   "devices": [{ "id", "name" }], "history": bool }
 * ```
 * Built and read only here. Reading is strict: any missing or malformed field is refused
 * with LinkMessageError, and the new device then links nothing.
 */

import { b64, unb64, concat } from '../protocol/index.js';
import { USERNAME, MAX_DEVICES, MAX_DEVICE_ID } from '../wire/limits.js';
import { decode } from '../wire/codec.js';

export const TRUST = Object.freeze(['unverified', 'verified', 'changed']);
const MAX_CONTACTS = 100_000;
const B64URL = /^[A-Za-z0-9_-]+$/;

export class LinkMessageError extends Error {}

function need(ok, what) {
  if (!ok) throw new LinkMessageError(`the link message is malformed: ${what}`);
}

function key32(text, what) {
  need(typeof text === 'string' && B64URL.test(text), `${what} must be base64url`);
  const bytes = unb64(text);
  need(bytes.length === 32, `${what} must be 32 bytes`);
  return bytes;
}

/** The JSON text of a link message (the identity object comes from protocol's exportIdentityForLink). */
export function encodeLinkMessage({ username, device, identity, list, recoveryCodeShown, contacts, devices, history }) {
  return JSON.stringify({
    username, device, identity, list, recoveryCodeShown,
    contacts: contacts.filter((c) => c.identity).map((c) => ({
      username: c.username,
      identity: { signingKey: b64(c.identity.subarray(0, 32)), dhKey: b64(c.identity.subarray(32)) },
      trust: c.verified ? 'verified' : c.identityChange ? 'changed' : 'unverified',
    })),
    devices, history,
  });
}

/**
 * The link message from its JSON text, checked field by field; the list is read with the wire
 * codec's rules. -> { username, device, identity (the JSON for importLinkedIdentity), list,
 * recoveryCodeShown, contacts: [{ username, identity: Uint8Array(64), trust }], devices, history }
 */
export function decodeLinkMessage(text) {
  let m;
  try {
    m = JSON.parse(text);
  } catch {
    throw new LinkMessageError('the link message is not JSON');
  }
  need(m && typeof m === 'object' && !Array.isArray(m), 'not an object');
  need(typeof m.username === 'string' && USERNAME.test(m.username), 'username');
  need(Number.isInteger(m.device) && m.device >= 2 && m.device <= MAX_DEVICE_ID, 'device');
  need(m.identity && typeof m.identity === 'object', 'identity');
  let list;
  try {
    list = decode('server', JSON.stringify({ type: 'devices', re: 'link', username: m.username, list: m.list, servers: [] })).list;
  } catch (e) {
    throw new LinkMessageError(`the link message's device list is malformed (${e.message})`);
  }
  need(list !== undefined, 'list');
  need(typeof m.recoveryCodeShown === 'boolean' && typeof m.history === 'boolean', 'flags');
  need(Array.isArray(m.contacts) && m.contacts.length <= MAX_CONTACTS, 'contacts');
  const contacts = m.contacts.map((c, i) => {
    need(c && typeof c.username === 'string' && c.username.length > 0 && c.username.length <= 64, `contacts[${i}].username`);
    need(TRUST.includes(c.trust), `contacts[${i}].trust`);
    need(c.identity && typeof c.identity === 'object', `contacts[${i}].identity`);
    return { username: c.username, trust: c.trust, identity: concat(key32(c.identity.signingKey, `contacts[${i}].signingKey`), key32(c.identity.dhKey, `contacts[${i}].dhKey`)) };
  });
  need(Array.isArray(m.devices) && m.devices.length <= MAX_DEVICES, 'devices');
  const devices = m.devices.map((d, i) => {
    need(d && Number.isInteger(d.id) && d.id >= 1 && d.id <= MAX_DEVICE_ID && typeof d.name === 'string' && d.name.length <= 64, `devices[${i}]`);
    return { id: d.id, name: d.name };
  });
  return { username: m.username, device: m.device, identity: m.identity, list, recoveryCodeShown: m.recoveryCodeShown, contacts, devices, history: m.history };
}
