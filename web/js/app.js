/**
 * Parley's web client entry point. Decides which account this tab uses; account-session.js
 * guards it with a Web Lock (one tab per account: two tabs encrypting with copies of the same
 * ratchet state would reuse message keys) and starts the messenger and its views.
 *
 * This module and what it imports are what a first visit runs: the welcome screen. The messenger,
 * the protocol and the chat's views are in account-session.js, loaded when the tab opens, creates
 * or links an account, at once when this browser has an account (a hint read before the list
 * answers), and otherwise in the background once the welcome screen is shown, so that its
 * buttons do not wait for it (docs/WEB-CLIENT.md, "One bundled script").
 *
 * A tab remembers its account in sessionStorage, so a reload logs back in; a new tab opens the
 * only account of this browser if it is free, and otherwise offers a choice, so several
 * accounts can run side by side in several tabs.
 */

import {
  listLocalAccounts, mayHaveLocalAccounts, ACCOUNT_LOCK_PREFIX as LOCK_PREFIX, TAB_ACCOUNT_KEY,
} from './store/local-accounts.js';
import { replaceChildren, h } from './ui/dom.js';
import { welcomeScreen } from './ui/welcome.js';
import { registerServiceWorker } from './lib/service-worker.js';

const root = document.getElementById('app');
/** The offline copy of the app (sw.js); the app works the same without it. */
let workerRegistration = null;
/** account-session.js's actions for this tab, once loaded. */
let session = null;

function show(view) {
  replaceChildren(root, view);
  root.setAttribute('aria-busy', 'false');
}

/** The account actions (account-session.js), loading that module on first use. */
function accountSession() {
  session ??= import('./account-session.js').then(({ accountSession: actions }) => actions({
    root, show, showWelcome, registration: () => workerRegistration,
  }), (e) => {
    session = null; // the next use tries again
    throw e;
  });
  return session;
}

async function accountsInUse() {
  const { held = [] } = await navigator.locks.query();
  return new Set(held.map((l) => l.name).filter((n) => n.startsWith(LOCK_PREFIX)).map((n) => n.slice(LOCK_PREFIX.length)));
}

async function openAccount(username) {
  return (await accountSession()).openAccount(username);
}

async function start() {
  const accounts = await listLocalAccounts();
  const remembered = sessionStorage.getItem(TAB_ACCOUNT_KEY);
  if (remembered && accounts.some((a) => a.username === remembered)) {
    await openAccount(remembered);
    return;
  }
  const inUse = await accountsInUse();
  if (accounts.length === 1 && !inUse.has(accounts[0].username)) {
    await openAccount(accounts[0].username);
    return;
  }
  await showWelcome();
}

async function showWelcome() {
  sessionStorage.removeItem(TAB_ACCOUNT_KEY);
  const inUse = await accountsInUse();
  const accounts = (await listLocalAccounts()).map((a) => ({ username: a.username, inUse: inUse.has(a.username) }));
  show(welcomeScreen({
    accounts,
    onRegister: async (username) => (await accountSession()).register(username),
    onContinue: openAccount,
    onReset: async (username, recoveryCode) => (await accountSession()).reset(username, recoveryCode),
    onLink: async () => (await accountSession()).linkDevice(),
  }));
  root.querySelector('input')?.focus();
  // The rest of the app, fetched and compiled while the user reads the screen.
  whenIdle(() => accountSession().catch((e) => console.error(e)));
}

/** Runs `task` when the page is idle (at once where the browser cannot say when that is). */
function whenIdle(task) {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 0);
}

/** Web Crypto and Web Locks exist only in secure contexts: HTTPS, or http://localhost / 127.0.0.1. */
function checkPlatform() {
  if (!window.isSecureContext) {
    throw new Error('Parley must be opened over HTTPS (or at http://localhost or http://127.0.0.1): browsers offer Web Crypto and Web Locks only to secure pages.');
  }
  if (!crypto.subtle || !navigator.locks || !window.indexedDB) {
    throw new Error('This browser lacks Web Crypto, Web Locks or IndexedDB.');
  }
}

registerServiceWorker().then((registration) => { workerRegistration = registration; });
// A returning user's tab opens an account: its code loads while the account list is read.
if (mayHaveLocalAccounts()) accountSession().catch(() => {});

Promise.resolve().then(checkPlatform).then(start).catch((e) => {
  console.error(e);
  show(h('main', { class: 'welcome' }, h('div', { class: 'welcome-card', role: 'alert' },
    h('h1', {}, 'Parley could not start'),
    h('p', {}, String(e.message ?? e)),
    h('p', { class: 'hint' }, 'Parley needs a current browser with Web Crypto (X25519, Ed25519, ML-KEM-768), IndexedDB and Web Locks.'))));
});
