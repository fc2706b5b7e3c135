/**
 * Full-text search over the history on this device (the `messages` store of the account's
 * IndexedDB: 1:1 conversations and groups). Nothing is sent anywhere.
 *
 * Matching ignores case and accents: both the query and each text are folded (Unicode NFD,
 * combining marks removed, lower case) before comparing. The scan walks the store with a
 * cursor from the newest message back and stops at `limit` (200) results, so a search over a
 * long history costs one pass at most and shows the recent matches first.
 *
 * A hit: { conversation, id, direction, sender, at, text, start, end } where `text` is the
 * message's text and [start, end) the match in it (UTF-16 indices of the original text).
 */

import { tx } from '../store/idb.js';

export const SEARCH_LIMIT = 200;
const MARKS = /\p{M}/gu;
const MARK = /^\p{M}$/u;

/** The folded form of `text`: case and accents removed. */
export function fold(text) {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/**
 * Where the folded `needle` occurs in `text`, as [start, end) in `text`'s own indices, or
 * null. Folds code point by code point, remembering where each folded unit came from.
 */
export function locate(text, needle) {
  let folded = '';
  const origin = [];
  let index = 0;
  for (const ch of text) {
    const part = fold(ch);
    for (let i = 0; i < part.length; i += 1) origin.push(index);
    folded += part;
    index += ch.length;
  }
  origin.push(text.length);
  const at = folded.indexOf(needle);
  if (at < 0) return null;
  const last = origin[at + needle.length - 1];
  let end = last + String.fromCodePoint(text.codePointAt(last)).length;
  // Combining marks after the last matched letter belong to it (a decomposed "é").
  while (end < text.length) {
    const next = String.fromCodePoint(text.codePointAt(end));
    if (!MARK.test(next)) break;
    end += next.length;
  }
  return { start: origin[at], end };
}

/**
 * Searches the history of `db` for `query`; resolves with at most `limit` hits, newest first.
 * `me` is this account's username (the sender of outgoing messages).
 */
export async function searchHistory(db, me, query, { limit = SEARCH_LIMIT } = {}) {
  const needle = fold(query.trim());
  if (needle === '') return [];
  return tx(db, 'messages', 'readonly', ({ messages }) => new Promise((resolve, reject) => {
    const hits = [];
    const request = messages.openCursor(null, 'prev');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return resolve(hits);
      const m = cursor.value;
      if (searchable(m) && fold(m.text).includes(needle)) {
        const range = locate(m.text, needle);
        if (range) {
          hits.push({
            conversation: m.peer, id: m.id, direction: m.direction,
            sender: m.direction === 'out' ? me : (m.sender ?? m.from ?? m.peer),
            at: m.direction === 'out' ? m.sentAt : (m.serverTime ?? m.sentAt),
            text: m.text, start: range.start, end: range.end,
          });
        }
      }
      if (hits.length >= limit) return resolve(hits);
      return cursor.continue();
    };
  }));
}

function searchable(m) {
  return (m.direction === 'in' || m.direction === 'out') && !m.deleted && typeof m.text === 'string' && m.text !== '';
}
