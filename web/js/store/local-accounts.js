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
let dbPromise = null;

function db() {
  dbPromise ??= openDatabase(NAME, 1, (database) => {
    database.createObjectStore('accounts', { keyPath: 'username' });
  });
  return dbPromise;
}

export async function listLocalAccounts() {
  return tx(await db(), 'accounts', 'readonly', ({ accounts }) => getAll(accounts));
}

export async function addLocalAccount(username) {
  return tx(await db(), 'accounts', 'readwrite', ({ accounts }) => done(accounts.put({ username, createdAt: Date.now() })));
}

export async function removeLocalAccount(username) {
  return tx(await db(), 'accounts', 'readwrite', ({ accounts }) => done(accounts.delete(username)));
}
