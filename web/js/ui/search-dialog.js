/**
 * "Search messages": full-text search over the history stored in this browser (1:1 and
 * groups; chat/local-search.js). Nothing is sent to the server. Each result shows the
 * conversation, the sender, the time and the text around the match, the match marked; the
 * text enters the page as Text nodes only. Choosing a result opens its conversation scrolled
 * to the message, highlighted.
 */

import { h, icon, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';
import { formatFull, formatShort } from './format.js';

const CONTEXT_BEFORE = 40;
const CONTEXT_AFTER = 90;
const DEBOUNCE_MS = 120;
const INTRO = 'Searches the messages stored in this browser. Nothing is sent to the server.';

/**
 * `search(query)` -> hits (chat/local-search.js), `limit`: the most hits a search returns,
 * `onChoose(hit)`: open the hit's conversation at its message.
 */
export function openSearchDialog({ messenger, search, limit, onChoose }) {
  const input = h('input', {
    type: 'search', class: 'input search-input', testid: 'search-input', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Search messages', aria: { label: 'Search the messages on this device' },
  });
  const summary = h('p', { class: 'hint', role: 'status' }, INTRO);
  const results = h('ol', { class: 'search-results', testid: 'search-results', aria: { label: 'Results' } });
  let latest = 0;
  let timer = 0;

  async function run() {
    const query = input.value;
    const mine = ++latest;
    if (query.trim() === '') {
      summary.textContent = INTRO;
      replaceChildren(results);
      return;
    }
    const hits = await search(query);
    if (mine !== latest) return;
    summary.textContent = hits.length === 0 ? 'No message found.'
      : hits.length >= limit ? `The ${limit} most recent matches:` : `${hits.length === 1 ? '1 message' : `${hits.length} messages`}:`;
    replaceChildren(results, hits.map((hit, n) => h('li', {}, result(hit, n))));
  }

  function result(hit, n) {
    const group = messenger.groups.view(hit.conversation);
    const conversation = group ? group.name : hit.conversation;
    const sender = hit.direction === 'out' ? 'You' : hit.sender;
    return h('button', {
      type: 'button', class: 'search-result', testid: `search-result-${n}`,
      data: { conversation: hit.conversation, id: hit.id },
      onclick: () => {
        dialog.close();
        onChoose(hit);
      },
    },
    h('span', { class: 'search-result-head' },
      group ? h('span', { class: 'search-result-kind' }, 'Group') : null,
      h('strong', { class: 'search-result-conversation' }, conversation),
      h('span', { class: 'search-result-sender' }, group || hit.direction === 'out' ? sender : ''),
      h('time', { datetime: new Date(hit.at).toISOString(), title: formatFull(hit.at) }, formatShort(hit.at))),
    snippet(hit));
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run().catch((e) => { summary.textContent = `Search failed: ${e.message ?? e}`; }), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') results.querySelector('button')?.click();
  });

  const dialog = openDialog({
    title: 'Search messages', testid: 'search-dialog', className: 'search-dialog',
    body: [h('div', { class: 'search-field' }, icon('search', { size: 16 }), input), summary, results],
  });
  input.focus();
  return dialog;
}

/** The text around the match, on one line, the match in a <mark>. */
function snippet(hit) {
  const { text, start, end } = hit;
  let from = Math.max(0, start - CONTEXT_BEFORE);
  let to = Math.min(text.length, end + CONTEXT_AFTER);
  // Never cut a character in two (a surrogate pair).
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from -= 1;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to += 1;
  const flat = (s) => s.replace(/\s+/g, ' ');
  return h('span', { class: 'search-result-text' },
    from > 0 ? '…' : '', flat(text.slice(from, start)),
    h('mark', {}, flat(text.slice(start, end))),
    flat(text.slice(end, to)), to < text.length ? '…' : '');
}

function isLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}
