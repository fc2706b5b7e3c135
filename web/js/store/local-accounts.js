/**
 * The accounts that live in this browser profile (database `parley`), so that a new tab can
 * offer them. Each account's keys, sessions and history are in its own database
 * (account-db.js); this list holds only names and creation times.
 */

import { openDatabase, tx, done, getAll } from './idb.js';

const NAME = 'parley';

/**
 * The Web Lock names that guard each account of this browser: a tab holds its account's lock
 * while it uses it (app.js), and whoever creates an account's database holds it meanwhile,
 * so that two tabs never write one account's keys.
 */
export const ACCOUNT_LOCK_PREFIX = 'parley-account:';
/** The sessionStorage key under which a tab remembers its account, so that a reload opens it again. */
export const TAB_ACCOUNT_KEY = 'parley.account';
let dbPromise = null;

function db() {
  dbPromise ??= openDatabase(NAME, 1, (database) => {
    database.createObjectStore('accounts', { keyPath: 'username' });
  });
  return dbPromise;
}

/**
 * Whether this browser had an account when the list was last read or changed: a hint in
 * localStorage, readable at once, so that the page starts loading the code an account needs
 * (app.js) before the list answers. The list decides what opens; a wrong hint costs time only.
 */
const HINT = 'parley.hasAccounts';

export function mayHaveLocalAccounts() {
  try {
    return localStorage.getItem(HINT) === '1';
  } catch {
    return false; // storage refused by the browser's settings: no hint, the list still answers
  }
}

function setHint(hasAccounts) {
  try {
    if (hasAccounts) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    // as above: the hint only saves time
  }
}

export async function listLocalAccounts() {
  const list = await tx(await db(), 'accounts', 'readonly', ({ accounts }) => getAll(accounts));
  setHint(list.length > 0);
  return list;
}

export async function addLocalAccount(username) {
  await tx(await db(), 'accounts', 'readwrite', ({ accounts }) => done(accounts.put({ username, createdAt: Date.now() })));
  setHint(true);
}

export async function removeLocalAccount(username) {
  await tx(await db(), 'accounts', 'readwrite', ({ accounts }) => done(accounts.delete(username)));
  await listLocalAccounts();
}
