/**
 * Receiving for groups (docs/design/GROUPS.md), called by receiver.js under the sender's lock,
 * before it acknowledges:
 *
 * - `receiveMessage`: a relayed `send_multi` copy (`multi`) with content, a GroupMessage. Its
 *   `envelope`, when present, is a whole pairwise message carrying the sender's chain
 *   (`sender-key`), decrypted first. The message is accepted only from a device in the
 *   sender's checked device list, of a member of the group as this device holds it (this
 *   account's own other devices included: their messages show as sent). Its chain, the
 *   pairwise session, the history entry, the delivery receipt to the sender and the `seen`
 *   marker commit in one transaction.
 * - `receivePairwise`: the group payloads of pairwise messages: changes (group-apply.js),
 *   snapshot parts (group-snapshots.js), receipts, and "read up to" from this account's other
 *   devices.
 *
 * A refused or undecryptable group message is acknowledged, logged and shown as a note in the
 * group (or with the sender when the group is unknown).
 */

import {
  b64, unb64, equalBytes, decryptEnvelope, openGroupMessagePayload, ProtocolError, groupMessageChainId, groupIdText,
  emptySenderKeyReceiver, installSenderKey, decryptGroupMessage, decodeGroupChange,
} from '../../protocol/index.js';
import { tx, done, getAll } from '../../store/idb.js';
import { addEvent, EVENTS } from '../../store/security-log.js';
import { GetPublicKeys } from '../../wire/directory.js';
import { randomId } from '../../lib/ids.js';
import { prekeyLookup } from '../prekeys.js';
import { loadRecord, trustedIdentity } from '../sessions.js';
import { isBlocked, observeIdentity } from '../contacts.js';
import { findMessage } from '../messages.js';
import { RECEIVE_STORES, commitSession } from '../receiver.js';
import { GROUP_STORES, MAX_CANDIDATES, newGroupRow, getGroupIn, heldIn } from './group-store.js';
import { plan, commitPlan } from './group-apply.js';
import { addPart, readCollected, snapshotKey } from './group-snapshots.js';
import { systemLine } from './group-lines.js';
import { applyGroupReceipt, applyGroupReadUpTo } from './group-receipts.js';
import { CONTROL_TYPES, applyControl, contentFields, previewText, storeMessage } from '../content-apply.js';

const STORES = [...new Set([...RECEIVE_STORES, ...GROUP_STORES])];
/** Receiving chains kept per sender device (the receiver's own bound, GROUPS.md). */
const CHAINS_KEPT = 3;

export class GroupReceiver {
  #chat;
  #groups;

  constructor(chat, groups) {
    this.#chat = chat;
    this.#groups = groups;
  }

  /**
   * Whether a relayed copy is a group message: a `send_multi` copy (`multi`) with content. Never
   * decided by the content's bytes: a fan-out's content is bare ciphertext, and one in 256
   * starts with the group message's 0x04. A `multi` copy without content is a pairwise message
   * (a group update), received as any other.
   */
  isGroupFrame(frame) {
    return frame.multi === true && frame.content !== undefined;
  }

  async receiveMessage(frame, seenKey) {
    const { from, fromDevice } = frame;
    const { db, messenger } = this.#chat;
    const own = from === messenger.username;
    const message = unb64(frame.content);
    let pairwise = null;
    if (frame.envelope !== undefined) {
      try {
        pairwise = await decryptEnvelope(await loadRecord(db, from, fromDevice), frame.envelope, {
          identity: this.#chat.identity(), capabilities: 0, prekeys: prekeyLookup(db), now: Date.now(),
          devices: { local: messenger.deviceId, remote: fromDevice },
        });
        if (own && !equalBytes(pairwise.remoteIdentity, messenger.identity.publicIdentity)) throw new ProtocolError('not-own-device', 'another identity under this account\'s name');
        if (pairwise.payload.type !== 'sender-key') throw new ProtocolError('not-sender-key', 'a group message with another pairwise payload than a sender key');
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        return this.#refused(frame, seenKey, null, e.code);
      }
    }
    const identity = pairwise?.remoteIdentity ?? trustedIdentity(this.#chat, from);
    if (!identity) return this.#refused(frame, seenKey, null, 'unknown-sender');
    const refusal = await this.#chat.devices.senderRefusal(from, fromDevice, identity);
    if (refusal) return this.#refused(frame, seenKey, null, 'unlisted-device', refusal);
    if (pairwise?.established && !own) {
      const seen = await observeIdentity(db, messenger.contacts, from, pairwise.remoteIdentity);
      if (seen === 'changed') await this.#chat.directory.identityChanged(from);
      if (seen !== 'same') messenger.emit('contacts');
    }
    let chainId;
    try {
      chainId = b64(groupMessageChainId(message));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      return this.#refused(frame, seenKey, null, e.code);
    }
    const distribution = pairwise?.payload.distribution;
    const group = distribution ? groupIdText(distribution.groupId) : await this.#findGroup(from, fromDevice, chainId);
    const row = group ? this.#groups.row(group) : null;
    if (!row?.state) return this.#refused(frame, seenKey, group, group ? 'unknown-group' : 'no-sender-key');
    if (!own && !row.state.members.some((m) => m.username === from)) return this.#refused(frame, seenKey, group, 'not-member');
    return this.#chat.groupLocks.run(group, () => this.#decryptAndCommit(frame, seenKey, row, message, pairwise));
  }

  async #decryptAndCommit(frame, seenKey, row, message, pairwise) {
    const { from, fromDevice, serverTime } = frame;
    const { db, messenger } = this.#chat;
    const own = from === messenger.username;
    const group = row.id;
    const stored = await tx(db, 'senderKeys', 'readonly', ({ senderKeys }) => done(senderKeys.get([group, from, fromDevice])));
    let receiver = stored?.receiver ?? emptySenderKeyReceiver();
    let chainIds = stored?.chainIds ?? [];
    if (pairwise) {
      const installed = b64(pairwise.payload.distribution.chainId);
      receiver = installSenderKey(receiver, pairwise.payload.distribution);
      chainIds = [...chainIds.filter((c) => c !== installed), installed].slice(-CHAINS_KEPT);
    }
    let payload = null;
    let failure = null;
    try {
      const out = await decryptGroupMessage(receiver, row.groupId, message, Date.now());
      payload = openGroupMessagePayload(out.padded);
      receiver = out.receiver;
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      payload = null;
      failure = e.code;
    }
    const now = Date.now();
    const effects = await tx(db, STORES, 'readwrite', async (s) => {
      if (pairwise) commitSession(s, from, fromDevice, seenKey, pairwise);
      s.seen.put({ key: seenKey, at: now });
      if (pairwise || payload) s.senderKeys.put({ group, sender: from, device: fromDevice, receiver, chainIds });
      if (!payload) {
        addEvent(s.log, { event: EVENTS.groupMessageRefused, peer: from, detail: `group ${group}, device ${fromDevice}: ${failure}` });
        return { message: await addLine(s, systemLine(group, 'warning', `A message from ${from} in this group could not be decrypted (${failure}).`, serverTime ?? now)) };
      }
      if (CONTROL_TYPES.has(payload.type)) {
        const me = messenger.username;
        return applyControl(s, { conversation: group, author: own ? me : from, control: payload, serverTime: serverTime ?? now, me });
      }
      if ((payload.type !== 'text' && payload.type !== 'message') || await findMessage(s.messages, group, payload.id)) return {};
      const current = await getGroupIn(s, group);
      const base = { peer: group, id: payload.id, text: payload.text, sentAt: payload.sentAt, serverTime, group: true, ...(payload.type === 'message' ? contentFields(payload, serverTime ?? now) : {}) };
      if (own) {
        const audience = current.state.members.map((m) => m.username).filter((u) => u !== from);
        const { messages: [added] } = await storeMessage(s, { ...base, direction: 'out', status: 'stored', audience, receipts: {} }, from);
        const next = { ...current, lastMessage: { text: previewText(added), at: serverTime ?? now, direction: 'out' } };
        s.groups.put(next);
        return { message: added, row: next };
      }
      const { messages: [added] } = await storeMessage(s, { ...base, direction: 'in', sender: from, from, status: 'received', read: false }, messenger.username);
      const next = { ...current, unread: (current.unread ?? 0) + 1, lastMessage: { text: previewText(added), at: serverTime ?? now, direction: 'in', sender: from } };
      s.groups.put(next);
      const id = randomId();
      s.outbox.add({ to: from, kind: 'group-receipt', id, payload: { type: 'group-receipt', id, sentAt: now, groupId: row.groupId, kind: 'delivery', ids: [payload.id] } });
      return { message: added, row: next };
    });
    if (effects.row) this.#groups.updated(effects.row);
    if (effects.message) messenger.emit('message', { peer: group, message: effects.message });
    for (const message of effects.messages ?? []) messenger.emit('message', { peer: group, message });
    if (payload?.type === 'typing' && !own) this.#groups.setTyping(group, from, payload.typing);
    if (payload?.type === 'text' || payload?.type === 'message') {
      if (!own) this.#groups.setTyping(group, from, false);
      this.#chat.pump();
    }
  }

  /** The group whose chain `chainId` this device holds for `(from, fromDevice)`, or null. */
  async #findGroup(from, fromDevice, chainId) {
    const rows = await tx(this.#chat.db, 'senderKeys', 'readonly', ({ senderKeys }) => getAll(senderKeys.index('bySender'), [from, fromDevice]));
    return rows.find((r) => r.chainIds.includes(chainId))?.group ?? null;
  }

  /** A group message refused or not decrypted: logged, a note shown, the `seen` marker kept (the caller acknowledges). */
  async #refused({ from, fromDevice, serverTime }, seenKey, group, code, detail = null) {
    const { db, messenger } = this.#chat;
    const peer = group && this.#groups.row(group)?.state ? group : from;
    const text = detail ? `A group message from ${from} was not accepted: ${detail}.` : `A group message from ${from} could not be decrypted (${code}).`;
    const added = await tx(db, ['seen', 'messages', 'log'], 'readwrite', async (s) => {
      s.seen.put({ key: seenKey, at: Date.now() });
      if (code === 'duplicate') return null;
      addEvent(s.log, { event: EVENTS.groupMessageRefused, peer: from, detail: `device ${fromDevice}${group ? `, group ${group}` : ''}: ${code}${detail ? `: ${detail}` : ''}` });
      return addLine(s, systemLine(peer, 'warning', text, serverTime ?? Date.now()));
    });
    if (added) messenger.emit('message', { peer, message: added });
  }

  /** A group payload of a pairwise message (its sender's device already checked by receiver.js). */
  receivePairwise(frame, seenKey, out) {
    const own = frame.from === this.#chat.messenger.username;
    switch (out.payload.type) {
      case 'group-change': return this.#change(frame, seenKey, out);
      case 'group-snapshot-part': return this.#snapshotPart(frame, seenKey, out);
      case 'group-receipt': return this.#commitWith(frame, seenKey, out, (s) => applyGroupReceipt(s, frame.from, out.payload));
      case 'group-read-up-to': return this.#commitWith(frame, seenKey, out, (s) => (own ? applyGroupReadUpTo(s, out.payload) : null));
      default: return this.#commitWith(frame, seenKey, out, () => null); // a lone sender key: it comes with a group message
    }
  }

  /** Commits the pairwise message's effects and `more(s)` (-> { messages: [{peer, message}], row }) in one transaction. */
  async #commitWith(frame, seenKey, out, more) {
    const effects = await tx(this.#chat.db, STORES, 'readwrite', async (s) => {
      commitSession(s, frame.from, frame.fromDevice, seenKey, out);
      return (await more(s)) ?? {};
    });
    if (effects.row) this.#groups.updated(effects.row);
    for (const { peer, message } of effects.messages ?? []) this.#chat.messenger.emit('message', { peer, message });
  }

  async #change(frame, seenKey, out) {
    const { change } = out.payload;
    const group = groupIdText(change.groupId);
    const me = this.#chat.messenger.username;
    await this.#chat.groupLocks.run(group, async () => {
      const { row, held } = await tx(this.#chat.db, ['groups', 'groupHeld'], 'readonly', async (s) => ({ row: await getGroupIn(s, group), held: await heldIn(s, group) }));
      const decided = await plan({ row: row ?? newGroupRow(group, change.groupId), held, change, from: frame.from, me, authorKey: (a) => this.#authorKey(a) });
      await this.#commitPlanned(frame, seenKey, out, decided);
    });
    this.#chat.pump();
  }

  async #commitPlanned(frame, seenKey, out, decided, alsoDelete = null) {
    const lines = await tx(this.#chat.db, [...STORES], 'readwrite', async (s) => {
      if (out) commitSession(s, frame.from, frame.fromDevice, seenKey, out);
      if (alsoDelete) s.groupHeld.delete(alsoDelete);
      return commitPlan(s, decided);
    });
    this.#groups.updated(decided.row);
    for (const line of lines) this.#chat.messenger.emit('message', { peer: decided.row.id, message: line });
  }

  /** The signing key a change's author is checked with: this account's, or the contact's trusted one (fetched on first use). */
  async #authorKey(author) {
    const { messenger, connection, directory } = this.#chat;
    if (author === messenger.username) return messenger.identity.publicIdentity.subarray(0, 32);
    if (!messenger.contacts.get(author)?.identity) {
      const answer = await connection.request(GetPublicKeys.of()).catch(() => null);
      if (answer) await directory.apply(answer.users);
    }
    const contact = messenger.contacts.get(author);
    if (!contact?.identity) return null;
    if (isBlocked(contact)) return 'blocked';
    return contact.identity.subarray(0, 32);
  }

  async #snapshotPart(frame, seenKey, out) {
    const { payload } = out;
    const { from } = frame;
    const own = from === this.#chat.messenger.username;
    const me = this.#chat.messenger.username;
    const group = groupIdText(payload.groupId);
    await this.#chat.groupLocks.run(group, async () => {
      const key = snapshotKey(group, from, payload.version);
      let joined;
      try {
        joined = await addPart(await readCollected(this.#chat.db, key), group, from, payload);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        joined = { collected: null, state: null, failed: e.code };
      }
      const row = this.#groups.row(group) ?? newGroupRow(group, payload.groupId);
      let next = null;
      if (joined.state) {
        const member = joined.state.members.some((m) => m.username === me);
        if (own && (!row.state || row.version < joined.state.version)) {
          next = { ...row, state: joined.state, hash: payload.stateHash, version: joined.state.version, status: member ? 'active' : 'removed', snapshots: [] };
        } else if (!own && !row.state) {
          const candidate = { version: joined.state.version, hash: payload.stateHash, state: joined.state, from };
          next = { ...row, snapshots: [...(row.snapshots ?? []).filter((c) => !equalBytes(c.hash, candidate.hash)), candidate].slice(-MAX_CANDIDATES) };
        }
      }
      await tx(this.#chat.db, STORES, 'readwrite', (s) => {
        commitSession(s, from, frame.fromDevice, seenKey, out);
        if (joined.collected) s.groupSnapshots.put(joined.collected);
        else s.groupSnapshots.delete(key);
        if (joined.failed) addEvent(s.log, { event: EVENTS.groupChangeRefused, peer: from, detail: `group ${group}: a snapshot that does not join (${joined.failed})` });
        if (next) s.groups.put(next);
      });
      if (next) {
        this.#groups.updated(next);
        await this.replayHeld(next);
      }
    });
  }

  /**
   * The held change that follows `row`'s state (or one of its candidate snapshots), if any, and what it
   * unblocks: after a snapshot, and after an author's new identity was accepted. Callers
   * hold the group's lock.
   */
  async replayHeld(row) {
    const held = await tx(this.#chat.db, 'groupHeld', 'readonly', (s) => heldIn(s, row.id));
    const after = row.state ? [row.version] : (row.snapshots ?? []).map((c) => c.version);
    const first = held.sort((a, b) => a.version - b.version).find((h) => after.includes(h.version - 1));
    if (!first) return;
    const decided = await plan({
      row, held: held.filter((h) => h.key !== first.key), change: decodeGroupChange(first.bytes), from: first.from,
      me: this.#chat.messenger.username, authorKey: (a) => this.#authorKey(a),
    });
    await this.#commitPlanned(null, null, null, decided, first.key);
  }
}

async function addLine(s, message) {
  const added = { ...message };
  added.seq = await done(s.messages.add(added));
  return added;
}
