/**
 * Recipient sets (docs/PROTOCOL.md §6a, docs/design/GROUPS.md "Recipient sets"): the server
 * answers a `send_multi` that named its `recipients` with the id of that list, and a later
 * frame of this device may name the id instead of the list. This file is the one place that
 * remembers them and decides which frame may use one:
 *
 * - A set is remembered per group with the fingerprint of exactly the (account, devices) list
 *   its frame named (`frameFingerprint`; envelopes left out, order ignored), one per frame
 *   when a send was split. At most MAX_SETS per group, newest last: the server holds at most
 *   8 per device, so more could not be live.
 * - A frame may name a set only when it carries content, no envelope (no sender key to
 *   distribute), and its list's fingerprint is a remembered one (`setFor`). Anything else goes
 *   with its `recipients`, and the answer's new set is remembered.
 * - The group's whole recipient list (every part of a send, `listFingerprint`) is remembered
 *   with the sets: when a send names another list (a member added, removed, or one who linked
 *   or unlinked a device), the sets of the old list are forgotten.
 * - Using a remembered set is only a saving: the server expands it and checks every
 *   recipient's devices against its current list as for `recipients`, and a set it no longer
 *   holds is answered `unknown_recipient_set`, after which the frame goes again with its list.
 *
 * Kept in the group's row (`recipientSets`, group-store.js), so they survive a reload.
 */

import { b64 } from '../../protocol/index.js';
import { sha256 } from '../../protocol/primitives.js';
import { tx, done } from '../../store/idb.js';
import { ServerError } from '../../net/connection.js';
import { ErrorCode } from '../../wire/errors.js';
import { sendMulti } from '../../wire/delivery.js';

/** Sets kept per group (the server keeps at most 8 per sending device). */
export const MAX_SETS = 8;

const encoder = new TextEncoder();

async function digest(entries) {
  const canonical = entries
    .map(([to, devices]) => [to, [...devices].sort((a, b) => a - b)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return b64(await sha256(encoder.encode(JSON.stringify(canonical))));
}

/** The fingerprint of a frame's `recipients` ([{ to, devices: [{ device, envelope? }] }]): accounts and device ids only. */
export function frameFingerprint(recipients) {
  return digest(recipients.map((r) => [r.to, r.devices.map((d) => d.device)]));
}

/** The fingerprint of a send's whole recipient list: `parts` as multi-outbox.js keeps them ({ username: { devices } }). */
export function listFingerprint(parts) {
  return digest(Object.entries(parts).map(([to, part]) => [to, part.devices.map((d) => d.device)]));
}

/** Whether a frame of `recipients` with `content` may name a set instead (content, and not one envelope). */
export function mayNameSet(content, recipients) {
  return Boolean(content) && recipients.every((r) => r.devices.every((d) => d.envelope === undefined));
}

/**
 * Sends one `send_multi` of message `id` to `recipients` ([{ to, devices: [{ device, envelope? }] }])
 * on `connection`: naming the remembered set of exactly this list when it may (`remembered`,
 * from `loadSets`), again with the list itself if the server no longer holds that set.
 * -> { answer (the `stored`), learned: { fingerprint, set } | null (a new set to remember),
 * dropped: fingerprint | null (a set to forget) }. Other refusals are thrown as the request's.
 */
export async function sendToRecipients(connection, remembered, { id, content, recipients, expiresIn }) {
  const expiry = expiresIn ? { expiresIn } : {};
  const fingerprint = await frameFingerprint(recipients);
  const set = mayNameSet(content, recipients) ? setFor(remembered, fingerprint) : null;
  let dropped = null;
  if (set) {
    try {
      return { answer: await connection.request(sendMulti({ id, content, recipientSet: set, ...expiry })), learned: null, dropped };
    } catch (e) {
      if (!(e instanceof ServerError && e.code === ErrorCode.UNKNOWN_RECIPIENT_SET)) throw e;
      dropped = fingerprint;
    }
  }
  const answer = await connection.request(sendMulti({ id, ...(content ? { content } : {}), recipients, ...expiry }));
  return { answer, learned: answer.recipientSet ? { fingerprint, set: answer.recipientSet } : null, dropped };
}

/** The remembered sets of `group`: { list: fingerprint | null, sets: [{ fingerprint, set }] }. */
export async function loadSets(db, group) {
  const row = await tx(db, 'groups', 'readonly', ({ groups }) => done(groups.get(group)));
  return row?.recipientSets ?? { list: null, sets: [] };
}

/** The remembered set id of a frame whose list has `fingerprint`, or null. */
export function setFor(remembered, fingerprint) {
  return remembered.sets.find((s) => s.fingerprint === fingerprint)?.set ?? null;
}

/**
 * Remembers `learned` ([{ fingerprint, set }], from `stored` answers) for `group` and forgets
 * `dropped` fingerprints (sets the server no longer held). With `list` (a send's whole list),
 * the sets of any other list are forgotten first; without (typing, which sends to a part of the
 * group), the list stays. Read and written in one transaction. -> the row as stored, or null
 * when the group is gone or nothing changed.
 */
export function rememberSets(db, group, { list = null, learned = [], dropped = [] }) {
  return tx(db, 'groups', 'readwrite', async ({ groups }) => {
    const row = await done(groups.get(group));
    if (!row) return null;
    const before = row.recipientSets ?? { list: null, sets: [] };
    const fresh = list !== null && before.list !== list;
    if (!fresh && learned.length === 0 && dropped.length === 0) return null;
    const replaced = new Set([...dropped, ...learned.map((s) => s.fingerprint)]);
    const kept = (fresh ? [] : before.sets).filter((s) => !replaced.has(s.fingerprint));
    const sets = [...kept, ...learned].slice(-MAX_SETS);
    const next = { ...row, recipientSets: { list: list ?? before.list, sets } };
    groups.put(next);
    return next;
  });
}
