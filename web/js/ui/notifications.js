/**
 * Desktop notifications of new messages, and their settings (docs/WEB-CLIENT.md,
 * "Notifications").
 *
 * Permission is asked only when the user turns them on in Settings, never on load. Once on,
 * an incoming message notifies when its conversation is not the one on screen or the page is
 * hidden: the title is the sender (in a group, the group's name and the sender in the text);
 * the text is the message's unless "Show message text in notifications" is off, then "New
 * message". One notification per conversation at a time (a newer one replaces it). Clicking
 * it focuses the tab and opens the conversation.
 *
 * It only listens to the messenger's 'message' events: the model is unchanged. A message is
 * notified at most once, when this tab first hears of it, and only if it is new to the user
 * (incoming, unread, not an edit or a deletion).
 */

import { h } from './dom.js';

const GENERIC_TEXT = 'New message';
const ICON = '/img/icon-192.png';
const MAX_BODY = 180;

/** Whether this browser can show notifications at all. */
export function notificationsSupported() {
  return typeof window.Notification === 'function';
}

/**
 * `local`: chat/local-state.js (the settings); `current()`: the key of the conversation on
 * screen (or null); `onOpen(key)`: open that conversation; `registration()`: the service
 * worker registration or null (used where the page cannot construct a Notification).
 */
export function createNotifier({ messenger, local, current, onOpen, registration = () => null }) {
  let prefs = null;
  const ready = local.notificationPrefs().then((p) => { prefs = p; });
  const handled = new Set();

  function onScreen(key) {
    return document.visibilityState === 'visible' && current() === key;
  }

  function describe(key, message) {
    const group = messenger.groups.view(key);
    const sender = message.sender ?? message.from ?? key;
    const text = prefs.showText ? clip(message.text ?? '') || GENERIC_TEXT : GENERIC_TEXT;
    if (group) return { title: group.name, body: prefs.showText ? `${sender}: ${text}` : GENERIC_TEXT };
    return { title: sender, body: text };
  }

  async function show(key, message) {
    const { title, body } = describe(key, message);
    const options = { body, tag: `parley:${key}`, renotify: true, icon: ICON, data: { conversation: key } };
    try {
      const notification = new Notification(title, options);
      notification.addEventListener('click', () => {
        window.focus();
        notification.close();
        onOpen(key);
      });
    } catch {
      // Some browsers (Chrome on Android) show notifications only through the service worker;
      // its click handler focuses this tab and posts 'open-conversation' back.
      await registration()?.showNotification(title, options);
    }
  }

  async function onMessage({ peer, message }) {
    if (message.direction !== 'in' || message.read || message.edited || message.deleted) return;
    const id = `${peer}|${message.id}`;
    if (handled.has(id)) return;
    handled.add(id);
    await ready;
    if (!prefs.enabled || !notificationsSupported() || Notification.permission !== 'granted') return;
    if (onScreen(peer)) return;
    await show(peer, message);
  }

  const off = messenger.on('message', (event) => { onMessage(event).catch((e) => console.error(e)); });

  return {
    /** The settings as they are now (after loading). */
    async prefs() {
      await ready;
      return { ...prefs };
    },
    /**
     * Turns notifications on (asking the browser's permission, from the user's click) or off.
     * -> the permission: 'granted', 'denied' or 'default' (the user dismissed the question).
     */
    async setEnabled(enabled) {
      await ready;
      let permission = notificationsSupported() ? Notification.permission : 'denied';
      if (enabled && permission === 'default') permission = await Notification.requestPermission();
      prefs = { ...prefs, enabled: enabled && permission === 'granted' };
      await local.setNotificationPrefs(prefs);
      return permission;
    },
    async setShowText(showText) {
      await ready;
      prefs = { ...prefs, showText };
      await local.setNotificationPrefs(prefs);
    },
    destroy: off,
  };
}

function clip(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BODY ? `${flat.slice(0, MAX_BODY - 1)}…` : flat;
}

/** The Settings section: "Enable desktop notifications" and "Show message text in notifications". */
export function notificationSettings(notifier) {
  const status = h('p', { class: 'hint', role: 'status', testid: 'notifications-status' });
  const enable = h('input', { type: 'checkbox', id: 'notifications-enable', testid: 'notifications-enable' });
  const showText = h('input', { type: 'checkbox', id: 'notification-text', testid: 'notification-text' });

  function describe(enabled) {
    if (!notificationsSupported()) return 'This browser cannot show notifications.';
    if (Notification.permission === 'denied') return 'The browser blocks notifications for this site: allow them in the site settings, then turn them on here.';
    return enabled ? 'New messages notify you when their conversation is not on screen.' : 'Off: Parley shows new messages only inside the page.';
  }

  notifier.prefs().then((prefs) => {
    enable.checked = prefs.enabled && notificationsSupported() && Notification.permission === 'granted';
    showText.checked = prefs.showText;
    status.textContent = describe(enable.checked);
  });
  enable.addEventListener('change', async () => {
    enable.disabled = true;
    const permission = await notifier.setEnabled(enable.checked);
    enable.checked = enable.checked && permission === 'granted';
    enable.disabled = false;
    status.textContent = describe(enable.checked);
  });
  showText.addEventListener('change', () => { notifier.setShowText(showText.checked).catch((e) => console.error(e)); });

  return h('section', { class: 'notification-settings', aria: { label: 'Notifications' } },
    h('h3', {}, 'Notifications'),
    h('label', { class: 'check-row', for: 'notifications-enable' }, enable, 'Enable desktop notifications'),
    h('label', { class: 'check-row', for: 'notification-text' }, showText, 'Show message text in notifications'),
    h('p', { class: 'hint' }, 'With the text off, a notification says only who wrote: "New message".'),
    status);
}
