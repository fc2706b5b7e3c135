/**
 * Look-alike usernames (web/js/wire/usernames.js, web/js/chat/lookalike.js) against test-vectors/usernames/skeletons.json,
 * which defines the skeleton, and the contact list's warning for such names.
 * `args = { file }`: the vector file's URL.
 */

import { createSuite, assert, assertEqual } from './harness.js';
import { CONFUSABLE_MAP, skeleton, confusable } from '/web/js/wire/usernames.js';
import { lookalikes } from '/web/js/chat/lookalike.js';
import { createSidebar } from '/web/js/ui/sidebar.js';
import { Emitter } from '/web/js/lib/emitter.js';

export async function run({ file }) {
  const { test, run: runSuite } = createSuite();
  const res = await fetch(file);
  if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
  const vectors = await res.json();

  test('the map is the vector file\'s map', () => {
    assertEqual(JSON.stringify(Object.entries(CONFUSABLE_MAP).sort()), JSON.stringify(Object.entries(vectors.map).sort()), 'map');
  });

  test('skeletons', () => {
    assert(vectors.skeletons.length > 0, 'vectors present');
    for (const { username, skeleton: expected } of vectors.skeletons) assertEqual(skeleton(username), expected, username);
  });

  test('pairs', () => {
    assert(vectors.pairs.some((p) => p.confusable) && vectors.pairs.some((p) => !p.confusable), 'both kinds of pairs present');
    for (const { a, b, confusable: expected } of vectors.pairs) {
      assertEqual(confusable(a, b), expected, `${a} / ${b}`);
      assertEqual(confusable(b, a), expected, `${b} / ${a}`);
    }
  });

  test('one left-to-right pass: a replacement is not replaced again', () => {
    // 'd' -> 'cl' and '1' -> 'l': the 'l' made from 'd' stays, and 'rn' is not turned back into 'm'.
    assertEqual(skeleton('dm1'), 'clrnl', 'dm1');
  });

  test('lookalikes groups every confusable contact', () => {
    const found = lookalikes(['alice', 'a1ice', 'al1ce', 'bob', 'carol']);
    assertEqual(JSON.stringify(found.get('alice')), JSON.stringify(['a1ice']), 'alice');
    assertEqual(JSON.stringify(found.get('a1ice')), JSON.stringify(['alice']), 'a1ice');
    assert(!found.has('al1ce') && !found.has('bob') && !found.has('carol'), 'others unmarked');
  });

  test('the contact list marks look-alike contacts in words', () => {
    const messenger = new Emitter();
    messenger.username = 'me';
    messenger.presence = new Map();
    messenger.typing = new Map();
    messenger.deviceProblem = () => null;
    messenger.groups = { list: () => [], typingIn: () => [] };
    messenger.contacts = new Map(['alice', 'a1ice', 'bob'].map((username) => [username, { username, unread: 0 }]));
    const sidebar = createSidebar({ messenger, onSelect: () => {} });
    document.body.append(sidebar.element);
    try {
      const alice = sidebar.element.querySelector('[data-testid="lookalike-alice"]');
      const a1ice = sidebar.element.querySelector('[data-testid="lookalike-a1ice"]');
      assert(alice && a1ice, 'both look-alikes marked');
      assertEqual(alice.textContent, 'looks like a1ice', 'alice warning');
      assertEqual(a1ice.textContent, 'looks like alice', 'a1ice warning');
      assert(!sidebar.element.querySelector('[data-testid="lookalike-bob"]'), 'bob unmarked');
      const button = sidebar.element.querySelector('[data-testid="contact-a1ice"]');
      assert(button.getAttribute('aria-label').includes('looks like alice'), `accessible name: ${button.getAttribute('aria-label')}`);
      const icon = alice.querySelector('svg');
      assertEqual(icon.getAttribute('aria-hidden'), 'true', 'the icon is decoration; the words carry the warning');
    } finally {
      sidebar.element.remove();
    }
  });

  return runSuite();
}
