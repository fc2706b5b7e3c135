/**
 * The approving device's side of linking and of unlinking (docs/design/LINKED-DEVICES.md,
 * "Linking", steps 2, 3 and 5; "publish_devices"): reading a waiting device's request from its
 * code, approving it with the next signed list and the sealed link message, offering it the
 * recent history, and publishing a list without a device.
 *
 * Decisions: a device id is one more than the largest id this device has seen in any list of
 * the account (kept as `largestDeviceId` in the account record), never reused; a browser whose
 * identity is not extractable (made before linking existed) approves nothing (it cannot copy
 * the identity) and says so; history is the last `HISTORY_DAYS` days, at most `HISTORY_MAX`
 * messages (the most recent), texts with contacts only (groups send their state instead).
 */

import { utf8 } from '../protocol/encoding.js';
import {
  b64, unb64, parseLinkCode, linkChannel, openLinkRequest, sealLinkMessage, exportIdentityForLink,
  identityExportable, packHistory,
} from '../protocol/index.js';
import { keyFingerprint } from '../lib/fingerprint.js';
import { randomId } from '../lib/ids.js';
import { ServerError } from '../net/connection.js';
import { tx, done, getAll } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { LinkApprove, LinkPeek, PublishDevices } from '../wire/devices.js';
import { ErrorCode } from '../wire/errors.js';
import { MAX_DEVICES, MAX_DEVICE_ID, MAX_LINK_SEALED_BYTES } from '../wire/limits.js';
import { nextDeviceList } from './device-keys.js';
import { encodeLinkMessage } from './link-message.js';

export const HISTORY_DAYS = 30;
export const HISTORY_MAX = 10_000;

/** Why linking cannot go on, in words for the user. */
export class LinkError extends Error {}

const REFUSALS = {
  [ErrorCode.UNKNOWN_LINK]: 'No device is waiting with this code. Check the code, or start again on the new device.',
  [ErrorCode.LINK_EXPIRED]: 'This code has expired or was used already. Start again on the new device for a new code.',
  [ErrorCode.TOO_MANY_DEVICES]: `This account has ${MAX_DEVICES} devices already, the most it may have: unlink one first.`,
  [ErrorCode.STALE_DEVICE_LIST]: 'Another device of this account changed the device list meanwhile. Try again.',
  [ErrorCode.BAD_DEVICE_LIST]: 'The server refused the new device list. Try again; if it persists, the server holds a list this device has not seen.',
};

function refusal(e) {
  if (e instanceof ServerError && REFUSALS[e.code]) return new LinkError(REFUSALS[e.code]);
  return e;
}

/** Why this device cannot approve a new one, in words, or null. */
export function cannotApprove(identity) {
  return identityExportable(identity) ? null
    : 'This browser\'s account was created before linking existed: its keys cannot be copied to another device, so it cannot approve one. Reset the account with its recovery code in a browser to link devices.';
}

/** Reads a waiting device's request. -> { ePublic, channel, name, deviceKey, fingerprint, expiresAt } */
export async function peekLink(chat, codeText) {
  let ePublic;
  try {
    ePublic = parseLinkCode(codeText);
  } catch (e) {
    throw new LinkError(`That is not a link code: ${e.message}`);
  }
  const channel = b64(await linkChannel(ePublic));
  let answer;
  try {
    answer = await chat.connection.request(LinkPeek.of({ channel }));
  } catch (e) {
    throw refusal(e);
  }
  let request;
  try {
    request = await openLinkRequest(ePublic, unb64(answer.request));
  } catch {
    throw new LinkError('The waiting device\'s request does not open with this code: it was not made by the device that shows this code. Nothing was linked.');
  }
  return { ePublic, channel, name: request.name, deviceKey: request.deviceKey, fingerprint: await keyFingerprint(request.deviceKey), expiresAt: answer.expiresAt };
}

/** The account's device names this device knows, by id. */
export async function deviceNames(db) {
  return (await tx(db, 'meta', 'readonly', ({ meta }) => done(meta.get('deviceNames')))) ?? {};
}

/** The name of device `id`: as named to this device, this device's own name, or "Device N". */
export function deviceName(names, account, id) {
  return names[id] ?? (id === account.deviceId ? account.deviceName : null) ?? `Device ${id}`;
}

/**
 * Approves the device of `peeked` (peekLink): the next list with it at a new id, the link
 * message sealed to its code, both sent in `link_approve`; then the account's list, names and
 * largest id are stored. `account`: the account record; `ownList`: the account's current
 * accepted list. -> { device, list }
 */
export async function approveLink(chat, { account, ownList, contacts }, peeked, { history }) {
  const why = cannotApprove(account.identity);
  if (why) throw new LinkError(why);
  if (ownList.devices.length >= MAX_DEVICES) throw new LinkError(REFUSALS[ErrorCode.TOO_MANY_DEVICES]);
  const device = Math.max(account.largestDeviceId ?? 0, ...ownList.devices.map((d) => d.id)) + 1;
  if (device > MAX_DEVICE_ID) throw new LinkError('This account has used every device id: reset it to link more devices.');
  const linkedAt = Date.now();
  const list = await nextDeviceList(account.identity, ownList, { add: { id: device, key: peeked.deviceKey, linkedAt } }, linkedAt);
  const names = await deviceNames(chat.db);
  const text = encodeLinkMessage({
    username: account.username, device, identity: await exportIdentityForLink(account.identity), list,
    recoveryCodeShown: true, contacts: [...contacts.values()],
    devices: ownList.devices.map((d) => ({ id: d.id, name: deviceName(names, account, d.id) })), history: Boolean(history),
  });
  const sealed = b64(await sealLinkMessage(peeked.ePublic, utf8(text)));
  if (Math.floor((sealed.length * 3) / 4) > MAX_LINK_SEALED_BYTES) {
    throw new LinkError(`This account has too many contacts (${contacts.size}) to fit in one link message. Nothing was linked.`);
  }
  try {
    await chat.connection.request(LinkApprove.of({ channel: peeked.channel, list, sealed }));
  } catch (e) {
    throw refusal(e);
  }
  await tx(chat.db, ['meta', 'log'], 'readwrite', async ({ meta, log }) => {
    const stored = await done(meta.get('account'));
    meta.put({ ...stored, deviceList: list, largestDeviceId: device }, 'account');
    meta.put({ ...names, [device]: peeked.name }, 'deviceNames');
    addEvent(log, { event: EVENTS.deviceLinked, fingerprint: peeked.fingerprint, detail: `device ${device} "${peeked.name}" approved here; device list version ${list.version}` });
  });
  return { device, list };
}

/**
 * Queues the recent history for the account's other devices as history chunks (sync
 * payloads to this account's own username). -> the number of chunks queued.
 */
export async function queueHistory(db, username, { days = HISTORY_DAYS, max = HISTORY_MAX } = {}) {
  const cutoff = Date.now() - days * 24 * 60 * 60 * 1000;
  const all = await tx(db, 'messages', 'readonly', ({ messages }) => getAll(messages));
  // Texts with contacts only: a group's history is not synced (the new device gets each group's state).
  // Disappearing and deleted messages are left out: a history entry has no timer and no placeholder.
  const entries = all.filter((m) => (m.direction === 'in' || m.direction === 'out') && !m.group && m.sentAt >= cutoff && m.status !== 'failed'
      && !m.expiresAt && !m.deleted)
    .slice(-max)
    .map((m) => ({ direction: m.direction, peer: m.peer, id: m.id, sentAt: m.sentAt, text: m.text }));
  const chunkId = randomId();
  const { chunks } = packHistory(entries, utf8(chunkId).length);
  const sentAt = Date.now();
  await tx(db, 'outbox', 'readwrite', ({ outbox }) => {
    chunks.forEach((chunkEntries, index) => {
      const id = randomId();
      outbox.add({ to: username, kind: 'history', id, payload: { type: 'history-chunk', sentAt, id, index, total: chunks.length, entries: chunkEntries } });
    });
  });
  return chunks.length;
}

/**
 * Publishes the next list without the devices `remove` (unlinking, or signing this device
 * out). The server deletes their rows, queues and prekeys and closes their connections.
 */
export async function publishWithout(chat, { account, ownList }, remove) {
  const list = await nextDeviceList(account.identity, ownList, { remove });
  await chat.connection.request(PublishDevices.of({ list })).catch((e) => { throw refusal(e); });
  await tx(chat.db, ['meta', 'log'], 'readwrite', async ({ meta, log }) => {
    const stored = await done(meta.get('account'));
    meta.put({ ...stored, deviceList: list }, 'account');
    addEvent(log, { event: EVENTS.deviceUnlinked, detail: `device ${remove.join(', ')} removed; device list version ${list.version}` });
  });
  return list;
}
