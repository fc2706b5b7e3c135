/**
 * The part of the web client that opens an account: the messenger, its connection, the shell
 * and everything they import (the protocol, the stores, the views). app.js loads this module
 * when the tab opens an account, creates one or links this browser, so a first visit's welcome
 * screen loads and compiles none of it (docs/WEB-CLIENT.md, "One bundled script").
 */

import { TAB_ACCOUNT_KEY, ACCOUNT_LOCK_PREFIX, listLocalAccounts } from './store/local-accounts.js';
import { openAccountDb } from './store/account-db.js';
import { appendEvent, EVENTS } from './store/security-log.js';
import {
  createLocalAccount, discardLocalAccount, loadAccount, authFrame, socketUrl, defaultDeviceName, upgradeLocalAccount, markListed,
} from './chat/account.js';
import { NewDeviceLink } from './chat/link-new-device.js';
import { linkScreen } from './ui/link-screen.js';
import { Messenger } from './chat/messenger.js';
import { Connection } from './net/connection.js';
import { h } from './ui/dom.js';
import { inUseScreen } from './ui/welcome.js';
import { createShell } from './ui/shell.js';
import { showRecoveryCode } from './ui/recovery-dialog.js';
import { ErrorCode } from './wire/errors.js';
import { LocalState } from './chat/local-state.js';
import { searchHistory, SEARCH_LIMIT } from './chat/local-search.js';
import { onServiceWorkerMessage } from './lib/service-worker.js';

const REGISTER_TIMEOUT_MS = 30_000;

const AUTH_ERRORS = {
  [ErrorCode.USERNAME_TAKEN]: 'That username is taken. Choose another, or reset it with its recovery code.',
  [ErrorCode.INVALID_USERNAME]: 'Usernames are 3 to 32 characters: lower-case letters, digits and _.',
  [ErrorCode.UNKNOWN_USER]: 'There is no account with that username on this server.',
  [ErrorCode.BAD_RECOVERY_CODE]: 'That recovery code does not match this account.',
  [ErrorCode.RATE_LIMITED]: 'Too many attempts from this address. Try again later.',
  [ErrorCode.UNAVAILABLE]: 'The server cannot reach its database right now. Try again in a moment.',
  [ErrorCode.STALE_TIMESTAMP]: 'This device\'s clock is more than 5 minutes off. Fix the clock and try again.',
  [ErrorCode.UNKNOWN_DEVICE]: 'The server does not know this device of the account: it was unlinked, or the account was reset.',
};

/** Holds the account's lock for the life of the tab; null if another tab has it. */
function acquireLock(username) {
  return new Promise((resolve, reject) => {
    navigator.locks.request(ACCOUNT_LOCK_PREFIX + username, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(null);
        return undefined;
      }
      return new Promise((release) => resolve(release));
    }).catch(reject);
  });
}

/**
 * The account actions of the tab whose page is `root`: `show(view)` puts a view in it,
 * `showWelcome()` goes back to the welcome screen, `registration()` is the service worker's
 * registration (null until it has one). -> { openAccount, register, reset, linkDevice }
 */
export function accountSession({ root, show, showWelcome, registration }) {
  async function openAccount(username) {
    const release = await acquireLock(username);
    if (!release) {
      sessionStorage.setItem(TAB_ACCOUNT_KEY, username);
      show(inUseScreen({ username, onOther: () => showWelcome(), onRetry: () => openAccount(username) }));
      return;
    }
    const db = await openAccountDb(username);
    let account = await loadAccount(db);
    if (account?.registered && !account.deviceKey) {
      // Made before linked devices: it becomes device 1 of its account (chat/account.js).
      await upgradeLocalAccount(db);
      account = await loadAccount(db);
    }
    if (!account || (!account.registered && account.pendingAction !== 'register')) {
      // An interrupted reset cannot be resumed (the old recovery code is not kept).
      await discardLocalAccount(db, username);
      release();
      await showWelcome();
      return;
    }
    sessionStorage.setItem(TAB_ACCOUNT_KEY, username);
    const session = await startSession(db, account, {});
    if (!account.registered) {
      // A registration interrupted by a reload is resumed (registering the same identity again
      // is accepted); if the name went to someone else meanwhile, the local account is dropped.
      session.firstAuth.catch(async (frame) => {
        if (frame.code !== ErrorCode.USERNAME_TAKEN && frame.code !== ErrorCode.INVALID_USERNAME) return;
        session.connection.stop();
        await discardLocalAccount(db, username);
        release();
        await showWelcome();
      });
    }
  }

  /**
   * Connects and shows the chat. -> { messenger, connection, firstAuth } where `firstAuth`
   * settles with the first successful authentication or the first fatal refusal.
   */
  async function startSession(db, account, { recoveryCode, showShell = true }) {
    const connection = new Connection({
      url: socketUrl(),
      authenticate: async (nonce) => authFrame(await loadAccount(db), nonce, { recoveryCode }),
    });
    const messenger = new Messenger({ db, account, connection });
    await messenger.init();
    const firstAuth = new Promise((resolve, reject) => {
      const offOnline = connection.on('online', () => { offOnline(); offFatal(); resolve(); });
      const offFatal = connection.on('fatal', (frame) => { offOnline(); offFatal(); reject(frame); });
    });
    // The 'fatal' listener below shows a refusal to the user; callers that do not wait for the
    // first login (reopening a registered account) must not leave its rejection unhandled.
    firstAuth.catch(() => {});
    const attach = () => {
      const shell = createShell({
        messenger, connection, onReconnect: () => connection.reconnectNow(),
        local: new LocalState(db, account.username),
        search: (query) => searchHistory(db, account.username, query),
        searchLimit: SEARCH_LIMIT,
        registration,
        onWorkerMessage: onServiceWorkerMessage,
        onSignedOut: async () => {
          connection.stop();
          await discardLocalAccount(db, account.username);
          sessionStorage.removeItem(TAB_ACCOUNT_KEY);
          location.reload();
        },
      });
      connection.on('fatal', (frame) => fatal(shell, db, account.username, frame, connection).catch((e) => console.error(e)));
      show(shell.element);
      return shell;
    };
    connection.start();
    if (showShell) attach();
    return { messenger, connection, firstAuth, attach };
  }

  async function fatal(shell, db, username, frame, connection) {
    if (frame.code === ErrorCode.BAD_SIGNATURE && (await loadAccount(db)).unlisted) {
      // An upgraded account whose first list the server stored while the answer was lost: the
      // identity-signed login is refused from then on; the device key's is the one to use.
      await markListed(db);
      connection.start();
      return;
    }
    if (frame.code === ErrorCode.SESSION_REPLACED) {
      appendEvent(db, { event: EVENTS.signedOutElsewhere, detail: 'the server closed this connection: the account logged in on another connection' });
      shell.showError('This account was opened on another device or browser, so this tab was disconnected.',
        h('button', { type: 'button', class: 'button small', onclick: () => connection.start() }, 'Use it here'), { untilOnline: true });
    } else if (frame.code === ErrorCode.IDENTITY_RESET) {
      shell.showError('This account was moved to new keys with its recovery code, in another browser. The keys in this browser no longer work.',
        removeFromBrowser(db, username));
    } else if (frame.code === ErrorCode.DEVICE_UNLINKED || frame.code === ErrorCode.UNKNOWN_DEVICE) {
      shell.showError(frame.code === ErrorCode.DEVICE_UNLINKED
        ? 'This device was unlinked from the account (here or on another device). It can no longer send or receive.'
        : AUTH_ERRORS[frame.code],
      removeFromBrowser(db, username));
    } else {
      shell.showError(AUTH_ERRORS[frame.code] ?? `The server refused this account: ${frame.message ?? frame.code}`);
    }
  }

  /** A button that forgets this browser's copy of an account whose keys no longer work here, and starts over. */
  function removeFromBrowser(db, username) {
    return h('button', {
      type: 'button', class: 'button small',
      onclick: async () => {
        await discardLocalAccount(db, username);
        sessionStorage.removeItem(TAB_ACCOUNT_KEY);
        location.reload();
      },
    }, 'Remove it from this browser');
  }

  /** Creates the local account, registers (or resets) it, and shows the new recovery code. */
  async function enroll(username, { reset, oldRecoveryCode }) {
    const existing = await listLocalAccounts();
    if (!reset && existing.some((a) => a.username === username)) {
      throw new Error(`${username} already exists in this browser: continue with it below.`);
    }
    const release = await acquireLock(username);
    if (!release) throw new Error(`${username} is open in another tab of this browser.`);
    let db = null;
    try {
      const created = await createLocalAccount(username, { reset });
      db = created.db;
      const session = await startSession(db, created.account, { recoveryCode: oldRecoveryCode, showShell: false });
      const timeout = new Promise((_, reject) => setTimeout(() => reject({ code: 'timeout', message: 'The server did not answer.' }), REGISTER_TIMEOUT_MS));
      try {
        await Promise.race([session.firstAuth, timeout]);
      } catch (frame) {
        session.connection.stop();
        throw new Error(AUTH_ERRORS[frame.code] ?? frame.message ?? 'The server refused the account.');
      }
      sessionStorage.setItem(TAB_ACCOUNT_KEY, username);
      session.attach();
      await showRecoveryCode(created.recoveryCode);
    } catch (e) {
      if (db) await discardLocalAccount(db, username);
      release();
      throw e;
    }
  }

  /**
   * "Link to an existing account": shows the link code until a device of the account approves
   * this browser, then opens the account the link message created here.
   */
  function linkDevice() {
    show(linkScreen({
      defaultName: defaultDeviceName(),
      onBack: () => showWelcome(),
      onStart: async (name) => {
        const link = new NewDeviceLink({ name });
        link.on('linked', ({ username }) => openAccount(username).catch((e) => console.error(e)));
        await link.start();
        return link;
      },
    }));
    root.querySelector('input')?.focus();
  }

  function register(username) {
    return enroll(username, { reset: false });
  }

  function reset(username, recoveryCode) {
    return enroll(username, { reset: true, oldRecoveryCode: recoveryCode });
  }

  return { openAccount, register, reset, linkDevice };
}
