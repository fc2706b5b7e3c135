/**
 * Local search (web/js/chat/local-search.js) and the per-account local state
 * (web/js/chat/local-state.js) on a real account database: case- and accent-insensitive
 * matching with the match located in the original text, 1:1 and group messages, newest first,
 * the 200-result stop, 10,000 messages in one pass, and drafts kept in IndexedDB, not
 * localStorage.
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { openAccountDb, deleteAccountDb } from '/web/js/store/account-db.js';
import { tx } from '/web/js/store/idb.js';
import { searchHistory, fold, locate, SEARCH_LIMIT } from '/web/js/chat/local-search.js';
import { LocalState } from '/web/js/chat/local-state.js';

const GROUP = 'G'.repeat(43);

async function freshDb(name) {
  await deleteAccountDb(name);
  return openAccountDb(name);
}

async function store(db, messages) {
  await tx(db, 'messages', 'readwrite', ({ messages: s }) => { for (const m of messages) s.add(m); });
}

export async function run() {
  const suite = createSuite();

  suite.test('folding removes case and accents and the match is found in the original text', async () => {
    assertEqual(fold('Café OLÉ Ærø'), 'cafe ole ærø', 'fold');
    const text = 'Meet me at the CAFÉ Olé at noon';
    const at = locate(text, fold('cafe ole'));
    assertEqual(text.slice(at.start, at.end), 'CAFÉ Olé', 'located');
    // A decomposed accent (e + U+0301) in the text is matched too, and kept whole.
    const decomposed = 'une cre\u0301me bru\u0302le\u0301e';
    const hit = locate(decomposed, fold('CRÈME BRÛLÉE'));
    assertEqual(decomposed.slice(hit.start, hit.end), 'cre\u0301me bru\u0302le\u0301e', 'decomposed');
    // A mark after the last matched letter stays with it (the letter is not cut from its accent).
    const trailing = 'un cafe\u0301 noir';
    const t = locate(trailing, 'cafe');
    assertEqual(trailing.slice(t.start, t.end), 'cafe\u0301', 'trailing mark');
    // Characters outside the BMP before the match do not shift it.
    const emoji = '😀😀 hello';
    const e = locate(emoji, 'hello');
    assertEqual(emoji.slice(e.start, e.end), 'hello', 'after emoji');
    assertEqual(locate('nothing here', 'absent'), null, 'no match');
  });

  suite.test('search covers 1:1 and group messages, newest first, and skips system lines and deleted messages', async () => {
    const db = await freshDb('search_basic');
    await store(db, [
      { peer: 'bob', id: 'a1', direction: 'in', text: 'The Café is open', sentAt: 1, serverTime: 10, status: 'received' },
      { peer: 'bob', id: 'a2', direction: 'out', text: 'see you at the cafe', sentAt: 20, status: 'read' },
      { peer: GROUP, id: 'g1', direction: 'in', sender: 'carol', text: 'CAFE for the group', sentAt: 30, serverTime: 31, status: 'received' },
      { peer: GROUP, id: 'g2', direction: 'system', kind: 'change', text: 'alice renamed the group to Café' },
      { peer: 'bob', id: 'a3', direction: 'in', text: 'café gone', deleted: true, sentAt: 40, serverTime: 41 },
      { peer: 'dave', id: 'd1', direction: 'in', text: 'unrelated', sentAt: 50, serverTime: 51 },
    ]);
    const hits = await searchHistory(db, 'alice', 'CAFÉ');
    assertEqual(hits.map((h) => h.id).join(','), 'g1,a2,a1', 'ids newest first');
    assertEqual(hits[0].conversation, GROUP, 'group conversation');
    assertEqual(hits[0].sender, 'carol', 'group sender');
    assertEqual(hits[0].at, 31, 'server time of an incoming message');
    assertEqual(hits[1].sender, 'alice', 'own message');
    assertEqual(hits[2].sender, 'bob', '1:1 sender');
    assertEqual(hits[2].text.slice(hits[2].start, hits[2].end), 'Café', 'match range');
    assertEqual((await searchHistory(db, 'alice', '   ')).length, 0, 'blank query');
    db.close();
    await deleteAccountDb('search_basic');
  });

  suite.test('10,000 messages are searched in one pass and the search stops at 200 results', async () => {
    const db = await freshDb('search_many');
    const messages = [];
    for (let i = 0; i < 10_000; i += 1) {
      const text = i % 20 === 0 ? `Needle number ${i} in the haystack` : `ordinary message ${i} about nothing in particular, quite long to be realistic`;
      messages.push({ peer: i % 2 ? 'bob' : GROUP, id: `m${i}`, direction: i % 3 ? 'in' : 'out', sender: 'bob', text, sentAt: i, serverTime: i, status: 'received' });
    }
    await store(db, messages);
    let started = performance.now();
    const few = await searchHistory(db, 'alice', 'needle');
    const fullPass = performance.now() - started;
    assertEqual(few.length, SEARCH_LIMIT, 'stopped at the limit (500 messages match)');
    assertEqual(few[0].id, 'm9980', 'newest first');
    started = performance.now();
    const none = await searchHistory(db, 'alice', 'absent from every message');
    const noHitPass = performance.now() - started;
    assertEqual(none.length, 0, 'no hit');
    // One pass over 10,000 messages on a busy shared machine: well under the 3 s bound.
    assert(noHitPass < 3000, `a full pass took ${Math.round(noHitPass)} ms`);
    assert(fullPass < 3000, `a search with hits took ${Math.round(fullPass)} ms`);
    console.log(`search over 10,000 messages: ${Math.round(noHitPass)} ms (no hit), ${Math.round(fullPass)} ms (200 hits)`);
    db.close();
    await deleteAccountDb('search_many');
  });

  suite.test('drafts, the last conversation and notification settings are kept in the account database', async () => {
    const db = await freshDb('state_user');
    localStorage.setItem('parley.draft.state_user.bob', 'an old draft');
    const local = new LocalState(db, 'state_user');
    assertEqual(await local.draft('bob'), 'an old draft', 'legacy draft moved');
    assertEqual(localStorage.getItem('parley.draft.state_user.bob'), null, 'legacy draft removed from localStorage');
    await local.saveDraft(GROUP, 'group draft');
    assertEqual(await local.draft(GROUP), 'group draft', 'group draft');
    assertEqual(await local.draft('bob'), 'an old draft', 'moved draft kept');
    await local.saveDraft('bob', '');
    assertEqual(await local.draft('bob'), '', 'cleared');
    assertEqual(await local.lastConversation(), null, 'no last conversation');
    await local.setLastConversation({ key: GROUP, kind: 'group' });
    assertEqual((await local.lastConversation()).key, GROUP, 'last conversation');
    const prefs = await local.notificationPrefs();
    assertEqual(prefs.enabled, false, 'off by default');
    assertEqual(prefs.showText, true, 'text shown by default');
    await local.setNotificationPrefs({ enabled: true, showText: false });
    assertEqual(JSON.stringify(await local.notificationPrefs()), JSON.stringify({ enabled: true, showText: false }), 'saved');
    assert(!JSON.stringify(localStorage).includes('group draft'), 'no draft in localStorage');
    db.close();
    await deleteAccountDb('state_user');
  });

  return suite.run();
}
