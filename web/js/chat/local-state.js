/**
 * What this device remembers about how the account is used here, beside the history: the
 * draft of each conversation, the conversation open last, and the notification settings.
 *
 * Drafts are plaintext, so they live in the account's IndexedDB database (its `meta` store,
 * one key per conversation: `draft:<conversation>`), never in localStorage, and leave with the
 * account when it is removed from the browser. The other keys are `ui:lastConversation`
 * ({ key, kind: 'direct' | 'group' }) and `ui:notifications` ({ enabled, showText }).
 *
 * Writes to one key are applied in the order they were made (IndexedDB runs readwrite
 * transactions on one store in creation order), so the last keystroke's draft wins.
 */

import { tx, done } from '../store/idb.js';

const DRAFT_PREFIX = 'draft:';
const LAST_CONVERSATION = 'ui:lastConversation';
const NOTIFICATIONS = 'ui:notifications';
/** Drafts of the composer before they moved here (same text, in localStorage). */
const LEGACY_DRAFT_PREFIX = 'parley.draft.';

export const DEFAULT_NOTIFICATION_PREFS = Object.freeze({ enabled: false, showText: true });

export class LocalState {
  #db;
  #username;

  constructor(db, username) {
    this.#db = db;
    this.#username = username;
  }

  #get(key) {
    return tx(this.#db, 'meta', 'readonly', ({ meta }) => done(meta.get(key)));
  }

  #put(key, value) {
    return tx(this.#db, 'meta', 'readwrite', ({ meta }) => {
      if (value === null || value === undefined) meta.delete(key);
      else meta.put(value, key);
    });
  }

  /**
   * The draft of `conversation` ('' when none). A draft an older version of the page left in
   * localStorage is moved here and removed from there.
   */
  async draft(conversation) {
    const legacyKey = `${LEGACY_DRAFT_PREFIX}${this.#username}.${conversation}`;
    const legacy = localStorage.getItem(legacyKey);
    const stored = await this.#get(DRAFT_PREFIX + conversation);
    if (legacy !== null) {
      if (!stored && legacy !== '') await this.#put(DRAFT_PREFIX + conversation, legacy);
      localStorage.removeItem(legacyKey);
      return stored || legacy;
    }
    return stored ?? '';
  }

  /** Keeps `text` as the draft of `conversation`; '' removes it. */
  saveDraft(conversation, text) {
    return this.#put(DRAFT_PREFIX + conversation, text === '' ? null : text);
  }

  /** { key, kind } of the conversation open last, or null. */
  async lastConversation() {
    return (await this.#get(LAST_CONVERSATION)) ?? null;
  }

  setLastConversation(value) {
    return this.#put(LAST_CONVERSATION, value);
  }

  async notificationPrefs() {
    return { ...DEFAULT_NOTIFICATION_PREFS, ...((await this.#get(NOTIFICATIONS)) ?? {}) };
  }

  setNotificationPrefs(prefs) {
    return this.#put(NOTIFICATIONS, { enabled: Boolean(prefs.enabled), showText: Boolean(prefs.showText) });
  }
}
