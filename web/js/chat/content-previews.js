/**
 * Keeps the conversation lists' previews (a contact's or a group's `lastMessage`) in step with
 * edits and deletes: when the message a preview shows is edited or deleted, the preview shows
 * the new text or "message deleted", so a deleted text does not stay in the list (or in the
 * store that holds the list). Listens to the messenger's 'message' events, which every applied
 * edit and delete emits.
 */

import { tx, done } from '../store/idb.js';
import { previewText } from './content-apply.js';

/** Whether `lastMessage` is the preview of `message` (same direction and time). */
function shows(lastMessage, message) {
  if (!lastMessage || lastMessage.direction !== message.direction) return false;
  return lastMessage.at === message.sentAt || lastMessage.at === message.serverTime;
}

export function keepPreviewsInStep(chat) {
  const { messenger, groups, db } = chat;
  messenger.on('message', ({ peer, message }) => {
    if (!message.edited && !message.deleted) return;
    const row = groups.row(peer);
    const current = row ? row.lastMessage : messenger.contacts.get(peer)?.lastMessage;
    if (!shows(current, message) || current.text === previewText(message)) return;
    const lastMessage = { ...current, text: previewText(message) };
    const store = row ? 'groups' : 'contacts';
    tx(db, store, 'readwrite', async (s) => {
      const held = await done(s[store].get(peer));
      if (!held || !shows(held.lastMessage, message)) return null;
      const next = { ...held, lastMessage };
      s[store].put(next);
      return next;
    }).then((next) => {
      if (!next) return;
      if (row) groups.updated(next);
      else {
        messenger.contacts.set(peer, next);
        messenger.emit('contacts');
      }
    }, (e) => chat.report(e));
  });
}
