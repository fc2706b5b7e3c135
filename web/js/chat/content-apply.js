/**
 * Messages with content (0x0F) and the controls that change them (edit 0x10, delete 0x11,
 * reaction 0x12, timer 0x13), applied inside the caller's transaction (docs/design/EVERYDAY.md,
 * "What a receiver does with them"). One place decides for every path: a contact's message, a
 * group member's, a copy from this account's other devices (0x14 or a group copy) and what
 * this device itself sends.
 *
 * Message record fields added to messages.js's: quote {author, id}, attachment (Attachment,
 * key included), expireSeconds, expiresAt (ms), edited, deleted, reactions {username: emoji}.
 *
 * Rules:
 * - An edit or delete applies only to a text or message whose author is the control's author
 *   (an account's own devices are the author of its messages), and only while the control's
 *   server time is within CONTROL_WINDOW_MS of the target's.
 * - A reaction names `(targetAuthor, targetId)`; one per reacting account, "" removes it.
 * - A control whose target is not here yet waits (at most MAX_WAITING per conversation, for
 *   CONTROL_WINDOW_MS) and is applied when the target is stored.
 * - A refused control changes nothing and is written to the security log.
 *
 * The transaction must include the stores in CONTENT_STORES.
 */

import { done } from '../store/idb.js';
import { addEvent, EVENTS } from '../store/security-log.js';
import { randomId } from '../lib/ids.js';
import { findMessage } from './messages.js';

export const CONTROL_TYPES = Object.freeze(new Set(['edit', 'delete', 'reaction', 'timer']));
/** Edits and deletes are accepted within 24 hours of the target, by server time. */
export const CONTROL_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Controls waiting for their target, per conversation. */
export const MAX_WAITING = 100;
export const CONTENT_STORES = ['messages', 'meta', 'log'];

const TIMERS_KEY = 'conversationTimers';
const waitingKey = (conversation) => `waitingControls|${conversation}`;

/** The account that wrote `message` (`me` for this account's own). */
export function authorOf(message, me) {
  if (message.direction === 'out') return me;
  return message.sender ?? message.peer;
}

/** The server time a message is judged by (its own copy's, else when it was queued). */
function timeOf(message) {
  return message.serverTime ?? message.sentAt;
}

/** The record fields a 0x0F message payload carries; the expiry counts from `serverTime`. */
export function contentFields(payload, serverTime) {
  const fields = { text: payload.text, expireSeconds: payload.expireSeconds ?? 0 };
  if (payload.quote) fields.quote = { author: payload.quote.author, id: payload.quote.id };
  if (payload.attachment) fields.attachment = payload.attachment;
  if (fields.expireSeconds > 0) fields.expiresAt = (serverTime ?? payload.sentAt) + fields.expireSeconds * 1000;
  return fields;
}

/** A one-line preview of a message for the contact and group lists. */
export function previewText(message) {
  if (message.deleted) return 'message deleted';
  if (message.text) return message.text;
  return message.attachment ? `📎 ${message.attachment.fileName}` : '';
}

/** "5 minutes", "1 hour", "off"… for a timer in seconds. */
export function describeTimer(seconds) {
  if (!seconds) return 'off';
  const units = [[604_800, 'week'], [86_400, 'day'], [3_600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** Every conversation's timer (seconds), as stored. */
export async function readTimers(meta) {
  return (await done(meta.get(TIMERS_KEY))) ?? {};
}

/**
 * Stores a new message (a text or a 0x0F) unless `(peer, id)` is there, then applies the
 * controls that waited for it. -> { messages: [stored, changed...] } or null for a duplicate.
 */
export async function storeMessage(s, message, me) {
  if (await findMessage(s.messages, message.peer, message.id)) return null;
  const added = { ...message };
  added.seq = await done(s.messages.add(added));
  const waiting = (await done(s.meta.get(waitingKey(message.peer)))) ?? [];
  const mine = waiting.filter((w) => w.control.targetId === message.id);
  if (mine.length === 0) return { messages: [added] };
  s.meta.put(waiting.filter((w) => w.control.targetId !== message.id), waitingKey(message.peer));
  let current = added;
  for (const w of mine) {
    const out = await applyControl(s, { conversation: message.peer, author: w.author, control: w.control, serverTime: w.serverTime, me, waited: true });
    if (out.messages.length > 0) current = out.messages[out.messages.length - 1];
  }
  return { messages: [current] };
}

/**
 * Applies one control from `author` in `conversation` (a username or a group id text).
 * `serverTime`: the control's relay time (now for this device's own). -> { messages: [changed
 * or added records], refused: reason | null }. `waited`: it was held for its target already.
 */
export async function applyControl(s, { conversation, author, control, serverTime, me, waited = false }) {
  const at = serverTime ?? Date.now();
  if (control.type === 'timer') return setTimerIn(s, { conversation, author, seconds: control.expireSeconds, at, me });
  const target = await findMessage(s.messages, conversation, control.targetId);
  if (!target) {
    if (waited) return refuse(s, conversation, author, control, 'no such message');
    return wait(s, conversation, author, control, at);
  }
  if (target.direction !== 'in' && target.direction !== 'out') return refuse(s, conversation, author, control, 'not a message');
  if (control.type === 'reaction') {
    if (authorOf(target, me) !== control.targetAuthor) return refuse(s, conversation, author, control, 'the message has another author');
    if (target.deleted) return { messages: [], refused: null };
    const reactions = { ...(target.reactions ?? {}) };
    if (control.emoji === '') delete reactions[author];
    else reactions[author] = control.emoji;
    return put(s, { ...target, reactions });
  }
  if (authorOf(target, me) !== author) return refuse(s, conversation, author, control, 'not the author\'s message');
  if (Math.abs(at - timeOf(target)) > CONTROL_WINDOW_MS) return refuse(s, conversation, author, control, 'more than 24 hours after the message');
  if (target.deleted) return { messages: [], refused: null };
  if (control.type === 'edit') return put(s, { ...target, text: control.text, edited: true });
  // Delete: the text, quote, attachment (its key) and reactions go; the record stays as a placeholder.
  const { attachment, quote, ...rest } = target;
  return put(s, { ...rest, text: '', deleted: true, edited: false, reactions: {} });
}

function put(s, message) {
  s.messages.put(message);
  return { messages: [message], refused: null };
}

async function setTimerIn(s, { conversation, author, seconds, at, me }) {
  const timers = await readTimers(s.meta);
  if (seconds) timers[conversation] = seconds;
  else delete timers[conversation];
  s.meta.put(timers, TIMERS_KEY);
  const who = author === me ? 'you' : author;
  const text = seconds ? `${who} set disappearing messages to ${describeTimer(seconds)}` : `${who} turned off disappearing messages`;
  const line = {
    peer: conversation, id: `timer-${randomId()}`, direction: 'system', kind: 'timer', timer: seconds ?? 0, text,
    sentAt: at, serverTime: at, status: 'received', read: true,
  };
  line.seq = await done(s.messages.add(line));
  return { messages: [line], refused: null };
}

async function wait(s, conversation, author, control, serverTime) {
  const key = waitingKey(conversation);
  const now = Date.now();
  const waiting = ((await done(s.meta.get(key))) ?? []).filter((w) => now - w.at <= CONTROL_WINDOW_MS);
  if (waiting.length >= MAX_WAITING) return refuse(s, conversation, author, control, 'too many controls wait for their message');
  waiting.push({ author, control, serverTime, at: now });
  s.meta.put(waiting, key);
  return { messages: [], refused: null };
}

function refuse(s, conversation, author, control, reason) {
  addEvent(s.log, {
    event: EVENTS.controlRefused, peer: author,
    detail: `${control.type} of message ${control.targetId} in conversation ${conversation} refused: ${reason}`,
  });
  return { messages: [], refused: reason };
}

/** Erases the waiting controls of a conversation's message (it expired). */
export async function dropWaitingFor(s, conversation, id) {
  const key = waitingKey(conversation);
  const waiting = (await done(s.meta.get(key))) ?? [];
  const rest = waiting.filter((w) => w.control.targetId !== id);
  if (rest.length !== waiting.length) s.meta.put(rest, key);
}
