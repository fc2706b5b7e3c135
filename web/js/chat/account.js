/**
 * Accounts on this device: creation (identity and this device's key generated in the
 * browser, and the account's device list version 1 naming this device as device 1), the
 * signed `register` / `login` / `reset` frames (docs/PROTOCOL.md §3: register and reset are
 * signed by the account identity, a login by this device's key, docs/design/LINKED-DEVICES.md),
 * and the recovery code, which exists in memory only until the user has seen it: the device
 * stores only what the server stores, its hash.
 */

import { generateIdentity, publicJson, signAuth, b64 } from '../protocol/index.js';
import { Register, Login, Reset } from '../wire/auth.js';
import { USERNAME } from '../wire/limits.js';
import { generateRecoveryCode, recoveryHash } from '../wire/recovery.js';
import { openAccountDb, deleteAccountDb } from '../store/account-db.js';
import { addLocalAccount, removeLocalAccount } from '../store/local-accounts.js';
import { tx, done } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { randomId } from '../lib/ids.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { newContact } from './contacts.js';
import { FIRST_DEVICE_ID, firstDeviceList, generateDeviceKey, signDeviceLogin } from './device-keys.js';

/** The form of a new account's username (the server's check, answered `invalid_username`). */
export const USERNAME_PATTERN = USERNAME;

/** The origin the client signs: the page's own, which is the server's (PROTOCOL.md §3). */
export function serverOrigin() {
  return location.origin;
}

export function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export async function loadAccount(db) {
  return tx(db, 'meta', 'readonly', ({ meta }) => done(meta.get('account')));
}

/**
 * A new local account, not yet registered: identity and recovery code generated here, the
 * identity stored before anything is sent. -> { db, account, recoveryCode }
 * With `reset`, an existing local database of that name is replaced (the old identity is gone).
 */
export async function createLocalAccount(username, { reset = false } = {}) {
  if (reset) await deleteAccountDb(username);
  const identity = await generateIdentity();
  const deviceKey = await generateDeviceKey();
  const recoveryCode = generateRecoveryCode();
  const db = await openAccountDb(username);
  const account = {
    username,
    identity,
    deviceId: FIRST_DEVICE_ID,
    deviceKey,
    deviceName: defaultDeviceName(),
    deviceList: await firstDeviceList(identity, deviceKey),
    registered: false,
    pendingAction: reset ? 'reset' : 'register',
    recoveryHash: await recoveryHash(recoveryCode),
    createdAt: Date.now(),
    nextOneTimePreKeyId: 1,
    nextKemPreKeyId: 1,
    nextSignedPreKeyId: 1,
    prekeysUploaded: false,
  };
  const fingerprint = await keyFingerprint(identity.publicIdentity);
  const deviceFingerprint = await keyFingerprint(deviceKey.publicKey);
  await tx(db, ['meta', 'log'], 'readwrite', ({ meta, log }) => {
    meta.put(account, 'account');
    addEvent(log, { event: EVENTS.identityCreated, fingerprint, detail: 'account identity (Ed25519 signing key and X25519 key) generated in this browser' });
    addEvent(log, { event: EVENTS.deviceKeyCreated, fingerprint: deviceFingerprint, detail: `device ${FIRST_DEVICE_ID}: device key generated in this browser (non-extractable), signed device list version 1` });
  });
  await addLocalAccount(username);
  return { db, account, recoveryCode };
}

/**
 * The local account of a device just linked to an existing account (chat/link-new-device.js):
 * the identity, list and contacts received in the checked link message, this device's own key
 * and id. It is registered already (it logs in as its device); after the first login it
 * uploads its prekeys and tells the account's other devices it was linked (`announceLinked`).
 * -> { db, account }
 */
export async function createLinkedAccount({ username, identity, deviceId, deviceKey, deviceName, list, contacts, devices, recoveryCodeShown }) {
  const now = Date.now();
  const db = await openAccountDb(username);
  const account = {
    username, identity, deviceId, deviceKey, deviceName, deviceList: list,
    registered: true, pendingAction: null, recoveryHash: null, recoveryCodeShown, createdAt: now,
    nextOneTimePreKeyId: 1, nextKemPreKeyId: 1, nextSignedPreKeyId: 1, prekeysUploaded: false,
    announceLinked: { deviceId, linkedAt: list.devices.find((d) => d.id === deviceId).linkedAt, name: deviceName },
  };
  const fingerprint = await keyFingerprint(identity.publicIdentity);
  const deviceFingerprint = await keyFingerprint(deviceKey.publicKey);
  await tx(db, ['meta', 'contacts', 'log'], 'readwrite', ({ meta, contacts: store, log }) => {
    meta.put(account, 'account');
    meta.put(Object.fromEntries([...devices.map((d) => [d.id, d.name]), [deviceId, deviceName]]), 'deviceNames');
    for (const c of contacts) {
      if (c.username === username) continue;
      store.put({ ...newContact(c.username, c.identity), verified: c.trust === 'verified' });
    }
    addEvent(log, { event: EVENTS.deviceLinked, fingerprint, detail: `this browser was linked to the account as device ${deviceId}; the account identity was copied from another device` });
    addEvent(log, { event: EVENTS.deviceKeyCreated, fingerprint: deviceFingerprint, detail: `device ${deviceId}: device key generated in this browser (non-extractable)` });
  });
  await addLocalAccount(username);
  return { db, account };
}

/**
 * An account of this browser from before linked devices (no device key) becomes device 1 of
 * its account (docs/OPERATIONS.md, "Upgrading to linked devices"): a device key and the list
 * version 1 naming it are made and stored, and the account is `unlisted` until the server has
 * that list. While unlisted it logs in as device 1 with the identity key (`authFrame`) and
 * publishes the list before anything else (messenger.js). Its identity stays non-extractable:
 * it can be linked to nothing and approve nothing until it resets (link-approve.js says so).
 */
export async function upgradeLocalAccount(db) {
  const deviceKey = await generateDeviceKey();
  const deviceFingerprint = await keyFingerprint(deviceKey.publicKey);
  const stored = await loadAccount(db);
  const deviceList = await firstDeviceList(stored.identity, deviceKey);
  await tx(db, ['meta', 'log'], 'readwrite', async ({ meta, log }) => {
    const account = await done(meta.get('account'));
    if (account.deviceKey) return;
    meta.put({ ...account, deviceId: FIRST_DEVICE_ID, deviceKey, deviceName: defaultDeviceName(), deviceList, unlisted: true }, 'account');
    addEvent(log, { event: EVENTS.deviceKeyCreated, fingerprint: deviceFingerprint, detail: `this browser's account from before linked devices becomes device ${FIRST_DEVICE_ID}: device key generated (non-extractable), signed device list version 1` });
  });
}

/** The server has this device's first list: from now on it logs in with its device key. */
export async function markListed(db) {
  return tx(db, 'meta', 'readwrite', async ({ meta }) => {
    const account = await done(meta.get('account'));
    const updated = { ...account, unlisted: false };
    meta.put(updated, 'account');
    return updated;
  });
}

/** Removes a local account whose registration was refused. */
export async function discardLocalAccount(db, username) {
  db.close();
  await deleteAccountDb(username);
  await removeLocalAccount(username);
}

/**
 * The auth frame for a challenge: `register` or `reset` until the server confirmed it, then
 * `login`. `recoveryCode` is needed only for `reset` (the old account's code).
 */
export async function authFrame(account, nonce, { recoveryCode } = {}) {
  const { registered, pendingAction, username, identity, deviceId: device, deviceKey } = account;
  const origin = serverOrigin();
  const timestamp = Date.now();
  if (registered && account.unlisted) {
    // An account from before linked devices, until the server has its list: the identity signs.
    const signature = b64(await signAuth(identity, { nonce, origin, timestamp, action: Login.type, username }));
    return Login.of({ id: randomId(), username, device, origin, timestamp, signature });
  }
  if (registered) {
    const signature = b64(await signDeviceLogin(deviceKey, { nonce, origin, timestamp, username, device }));
    return Login.of({ id: randomId(), username, device, origin, timestamp, signature });
  }
  const type = { register: Register, reset: Reset }[pendingAction];
  const signature = b64(await signAuth(identity, { nonce, origin, timestamp, action: type.type, username }));
  const signed = { id: randomId(), username, origin, timestamp, signature };
  const keys = { identity: publicJson.identity(identity), recoveryHash: b64(account.recoveryHash), deviceList: account.deviceList };
  return type === Reset ? Reset.of({ ...signed, ...keys, recoveryCode }) : Register.of({ ...signed, ...keys });
}

/** A name for this device as its other devices show it ("Chrome on Linux"); the user may change it when linking. */
export function defaultDeviceName() {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const platform = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'this computer';
  return `${browser} on ${platform}`;
}

/** Records that the server accepted the register / reset: from now on the device logs in. */
export async function markRegistered(db) {
  const fingerprint = await keyFingerprint((await loadAccount(db)).identity.publicIdentity);
  return tx(db, ['meta', 'log'], 'readwrite', async ({ meta, log }) => {
    const account = await done(meta.get('account'));
    if (account.registered) return account;
    const updated = { ...account, registered: true };
    meta.put(updated, 'account');
    addEvent(log, {
      event: account.pendingAction === 'reset' ? EVENTS.accountReset : EVENTS.accountRegistered,
      fingerprint,
      detail: account.pendingAction === 'reset' ? 'account moved to this identity with the recovery code' : 'username registered on the server',
    });
    return updated;
  });
}
