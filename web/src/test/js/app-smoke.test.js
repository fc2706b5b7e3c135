/**
 * The web client loads and starts in Chromium without a server: every module under web/js/
 * links (no missing export, no syntax error), the hint of an account in this browser follows
 * the list of accounts, and the app starts to the welcome screen, whose
 * "Link to an existing account" shows a link code that parses back (web/js/protocol link.js).
 * `args = { modules: ['/web/js/...', ...] }`: every module but app.js, which runs on import.
 */

import { createSuite, assert, assertEqual } from './harness.js';

function until(predicate, what, ms = 10_000) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const value = predicate();
      if (value) resolve(value);
      else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 25);
    };
    poll();
  });
}

export async function run({ modules }) {
  const { test, run: runSuite } = createSuite();

  test('every module of web/js links and evaluates', async () => {
    assert(modules.length > 40, `modules listed: ${modules.length}`);
    const failed = [];
    for (const module of modules) {
      try {
        await import(module);
      } catch (e) {
        failed.push(`${module}: ${e.message}`);
      }
    }
    assertEqual(failed.join('\n'), '', 'modules that failed');
  });

  test('the hint that this browser has an account follows the list of accounts', async () => {
    const { addLocalAccount, removeLocalAccount, listLocalAccounts, mayHaveLocalAccounts } = await import('/web/js/store/local-accounts.js');
    assertEqual((await listLocalAccounts()).length, 0, 'a fresh browser has no account');
    assert(!mayHaveLocalAccounts(), 'no account, no hint');
    localStorage.setItem('parley.hasAccounts', '1');
    await listLocalAccounts();
    assert(!mayHaveLocalAccounts(), 'a stale hint is corrected by the next read of the list');
    await addLocalAccount('hint_test');
    assert(mayHaveLocalAccounts(), 'an account added sets the hint');
    await removeLocalAccount('hint_test');
    assert(!mayHaveLocalAccounts(), 'the last account removed clears it');
  });

  test('the app starts to the welcome screen, and linking shows a link code that parses back', async () => {
    const root = document.createElement('div');
    root.id = 'app';
    document.body.append(root);
    await import('/web/js/app.js');
    const start = await until(() => document.querySelector('[data-testid="link-device-start"]'), 'the welcome screen');
    assert(document.querySelector('[data-testid="register-submit"]'), 'registration offered too');
    start.click();
    const show = await until(() => document.querySelector('[data-testid="link-show-code"]'), 'the link screen');
    show.click();
    const code = await until(() => document.querySelector('[data-testid="link-code"]'), 'the link code');
    assert(/^([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}$/.test(code.textContent), code.textContent);
    const { parseLinkCode } = await import('/web/js/protocol/index.js');
    assertEqual(parseLinkCode(code.textContent).length, 32, 'the code is a 32-byte key');
    document.querySelector('[data-testid="link-back"]').click();
    await until(() => document.querySelector('[data-testid="link-device-start"]'), 'back on the welcome screen');
  });

  return runSuite();
}
