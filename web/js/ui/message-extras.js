/**
 * The parts of a message bubble beyond its text, shared by the 1:1 and the group
 * conversation: the quote of a reply (a button that jumps to the quoted message), the text or
 * "message deleted", the attachment (attachment-view.js), the "edited" label, the timer mark of
 * a disappearing message and the reactions under it. Text is set with textContent only.
 *
 * `view` = { me: username, lookup(id) -> message | null, jumpTo(id), toggleReaction(message, emoji) }.
 */

import { h } from './dom.js';
import { formatFull } from './format.js';
import { renderAttachment } from './attachment-view.js';

const SVG = 'http://www.w3.org/2000/svg';
const SNIPPET_CHARS = 120;

/** The first SNIPPET_CHARS characters of a message for a quote or a reply preview. */
export function snippet(message) {
  if (!message) return 'original message not found';
  if (message.deleted) return 'message deleted';
  const text = message.text || (message.attachment ? message.attachment.fileName : '');
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
}

function quoteBlock(message, view) {
  const quoted = view.lookup(message.quote.id);
  const found = quoted && (quoted.direction === 'out' ? view.me : (quoted.sender ?? quoted.peer)) === message.quote.author;
  const author = message.quote.author === view.me ? 'you' : message.quote.author;
  return h('button', {
    type: 'button', class: ['message-quote', !found && 'missing'], testid: 'message-quote', data: { quotedId: message.quote.id },
    aria: { label: found ? `Reply to ${author}: ${snippet(quoted)}. Show that message` : `Reply to ${author}: original message not found` },
    disabled: !found,
    onclick: () => view.jumpTo(message.quote.id),
  }, h('span', { class: 'quote-author' }, author), h('span', { class: 'quote-text' }, found ? snippet(quoted) : 'original message not found'));
}

/** The bubble's content: quote, text (or the deleted placeholder), attachment. */
export function messageContent(message, view) {
  if (message.deleted) {
    return [h('p', { class: 'message-deleted', testid: 'message-deleted' }, 'message deleted')];
  }
  return [
    message.quote ? quoteBlock(message, view) : null,
    message.text ? h('p', { class: 'message-text', testid: 'message-text' }, message.text) : null,
    message.attachment ? renderAttachment(message) : null,
  ];
}

function timerIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: 12, height: 12, fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'aria-hidden': 'true', class: 'icon' })) {
    svg.setAttribute(k, v);
  }
  for (const d of ['M6 2h12', 'M6 22h12', 'M7 2c0 6 10 6 10 10S7 16 7 22', 'M17 2c0 6-10 6-10 10s10 4 10 10']) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Marks for the meta line: "edited" and the timer of a disappearing message. */
export function metaMarks(message) {
  const marks = [];
  if (message.edited && !message.deleted) marks.push(h('span', { class: 'edited-label', testid: 'message-edited' }, 'edited'));
  if (message.expiresAt) {
    const label = `Disappears ${formatFull(message.expiresAt)}`;
    marks.push(h('span', { class: 'timer-mark', testid: 'message-timer', role: 'img', title: label, aria: { label } }, timerIcon()));
  }
  return marks;
}

/** The reactions under a message: one button per emoji with its count and who reacted. */
export function reactionsRow(message, view) {
  const byEmoji = new Map();
  for (const [user, emoji] of Object.entries(message.reactions ?? {})) {
    if (!byEmoji.has(emoji)) byEmoji.set(emoji, []);
    byEmoji.get(emoji).push(user);
  }
  if (byEmoji.size === 0) return null;
  return h('div', { class: 'reactions', testid: 'reactions', role: 'group', aria: { label: 'Reactions' } },
    [...byEmoji].map(([emoji, users]) => {
      const names = users.map((u) => (u === view.me ? 'you' : u)).sort().join(', ');
      const mine = users.includes(view.me);
      const label = `${emoji} by ${names}${mine ? '. Remove your reaction' : `. React with ${emoji}`}`;
      return h('button', {
        type: 'button', class: ['reaction', mine && 'mine'], testid: 'reaction', title: `${emoji} by ${names}`,
        data: { emoji, count: String(users.length), mine: String(mine) }, aria: { label, pressed: String(mine) },
        onclick: () => view.toggleReaction(message, emoji),
      }, h('span', { class: 'reaction-emoji', aria: { hidden: 'true' } }, emoji), h('span', { class: 'reaction-count' }, String(users.length)));
    }));
}
