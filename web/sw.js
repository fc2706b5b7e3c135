/*
 * Parley's service worker: the app shell offline (docs/WEB-CLIENT.md, "Offline and installing").
 *
 * It keeps exactly the files of SHELL below (the page, every module, the stylesheets, the icons,
 * the manifest and the pinned WebJar the page loads) and nothing else: no API answer, no
 * /v1/blobs download, no /healthz; the WebSocket never passes through a worker. Requests
 * for anything not in SHELL are not touched (the browser sends them to the network as if
 * there were no worker). A shell file is answered from the cache.
 *
 * The server serves this file with its content version in CONTENT (WebAssets: a hash of every
 * web file), and the page loads its modules and stylesheets under /v/<CONTENT>/. So any
 * deployment that changes a file changes this script: the browser, which compares it with the
 * server's on every navigation, installs the new worker, which fetches the whole shell into a
 * new cache (only from a server of its own version: else the install fails and is tried again
 * later) and deletes the old one; the load after that runs the new version. Served as a plain
 * file (no server), CONTENT stays null and the shell is the plain paths.
 *
 * Where the server serves the page with the bundle (every module in /js/app.bundle.js and its
 * chunks under /js/bundle/, built by esbuild), it also fills in BUNDLE with the paths of those
 * files: the page then loads no module of its own, so the shell keeps the bundle's files in
 * their place (the stylesheets, images and everything else stay).
 *
 * SHELL is checked against web/ by ServiceWorkerShellTest: a module that is not listed, or a
 * listed file that does not exist, fails the build.
 */

const VERSION = 3;
const CONTENT = null;
const BUNDLE = null;
const PREFIX = CONTENT === null ? '' : `/v/${CONTENT}`;
const CACHE = CONTENT === null ? `parley-shell-v${VERSION}` : `parley-shell-v${VERSION}-${CONTENT}`;
/** The folders the page loads under PREFIX (WebAssets.VERSIONED_FOLDERS). */
const VERSIONED = /^\/(css|js)\//;

const FILES = [
  '/',
  '/index.html',
  '/manifest.webmanifest',
  '/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js',
  // BEGIN SHELL FILES (web/css, web/img, web/js: one per line, sorted)
  '/css/app.css',
  '/css/attachments.css',
  '/css/directory.css',
  '/css/messages.css',
  '/css/shell-extras.css',
  '/img/icon-192.png',
  '/img/icon-512.png',
  '/img/icon.svg',
  '/js/account-session.js',
  '/js/app.js',
  '/js/chat/account.js',
  '/js/chat/attachments/blob-http.js',
  '/js/chat/attachments/blob-writer.js',
  '/js/chat/attachments/download.js',
  '/js/chat/attachments/names.js',
  '/js/chat/attachments/thumbnail.js',
  '/js/chat/attachments/transfer-errors.js',
  '/js/chat/attachments/transfers.js',
  '/js/chat/attachments/upload.js',
  '/js/chat/blocking.js',
  '/js/chat/contacts.js',
  '/js/chat/content-apply.js',
  '/js/chat/content-previews.js',
  '/js/chat/content-send.js',
  '/js/chat/device-envelopes.js',
  '/js/chat/device-keys.js',
  '/js/chat/device-lists.js',
  '/js/chat/directory-sync.js',
  '/js/chat/expiry.js',
  '/js/chat/groups/group-apply.js',
  '/js/chat/groups/group-chain.js',
  '/js/chat/groups/group-changes.js',
  '/js/chat/groups/group-lines.js',
  '/js/chat/groups/group-receipts.js',
  '/js/chat/groups/group-receiver.js',
  '/js/chat/groups/group-snapshots.js',
  '/js/chat/groups/group-store.js',
  '/js/chat/groups/group-typing.js',
  '/js/chat/groups/groups.js',
  '/js/chat/groups/multi-outbox.js',
  '/js/chat/groups/recipient-sets.js',
  '/js/chat/link-approve.js',
  '/js/chat/link-message.js',
  '/js/chat/link-new-device.js',
  '/js/chat/linked-devices.js',
  '/js/chat/local-search.js',
  '/js/chat/local-state.js',
  '/js/chat/lookalike.js',
  '/js/chat/messages.js',
  '/js/chat/messenger.js',
  '/js/chat/outbox.js',
  '/js/chat/prekeys.js',
  '/js/chat/receiver.js',
  '/js/chat/send-window.js',
  '/js/chat/sessions.js',
  '/js/chat/sync.js',
  '/js/chat/text-limit.js',
  '/js/chat/texts.js',
  '/js/chat/typing-sender.js',
  '/js/lib/emitter.js',
  '/js/lib/fingerprint.js',
  '/js/lib/ids.js',
  '/js/lib/mutex.js',
  '/js/lib/service-worker.js',
  '/js/lib/single-flight.js',
  '/js/net/backoff.js',
  '/js/net/connection.js',
  '/js/protocol/attachment-pointer.js',
  '/js/protocol/attachments.js',
  '/js/protocol/content-payload.js',
  '/js/protocol/device-list.js',
  '/js/protocol/device-name.js',
  '/js/protocol/encoding.js',
  '/js/protocol/entropy.js',
  '/js/protocol/envelope.js',
  '/js/protocol/errors.js',
  '/js/protocol/fanout.js',
  '/js/protocol/group-payload.js',
  '/js/protocol/groups/apply.js',
  '/js/protocol/groups/change.js',
  '/js/protocol/groups/distribution.js',
  '/js/protocol/groups/fields.js',
  '/js/protocol/groups/group-id.js',
  '/js/protocol/groups/group-message-payload.js',
  '/js/protocol/groups/group-message.js',
  '/js/protocol/groups/index.js',
  '/js/protocol/groups/sender-chain.js',
  '/js/protocol/groups/sender-receiver.js',
  '/js/protocol/groups/snapshot.js',
  '/js/protocol/groups/state.js',
  '/js/protocol/header.js',
  '/js/protocol/identity-transfer.js',
  '/js/protocol/index.js',
  '/js/protocol/kdf.js',
  '/js/protocol/keys.js',
  '/js/protocol/labels.js',
  '/js/protocol/limits.js',
  '/js/protocol/link.js',
  '/js/protocol/payload.js',
  '/js/protocol/pqxdh.js',
  '/js/protocol/primitives.js',
  '/js/protocol/ratchet.js',
  '/js/protocol/safety.js',
  '/js/protocol/session.js',
  '/js/protocol/sync-payload.js',
  '/js/store/account-db.js',
  '/js/store/idb.js',
  '/js/store/local-accounts.js',
  '/js/store/security-log.js',
  '/js/ui/attachment-composer.js',
  '/js/ui/attachment-icons.js',
  '/js/ui/attachment-save.js',
  '/js/ui/attachment-view.js',
  '/js/ui/attachment-viewer.js',
  '/js/ui/block-toggle.js',
  '/js/ui/composer.js',
  '/js/ui/conversation.js',
  '/js/ui/dialog.js',
  '/js/ui/dom.js',
  '/js/ui/find-person.js',
  '/js/ui/format.js',
  '/js/ui/group-conversation.js',
  '/js/ui/group-dialogs.js',
  '/js/ui/history-progress.js',
  '/js/ui/info-dialog.js',
  '/js/ui/link-screen.js',
  '/js/ui/log-dialog.js',
  '/js/ui/member-by-name.js',
  '/js/ui/message-extras.js',
  '/js/ui/message-features.js',
  '/js/ui/message-menu.js',
  '/js/ui/new-chat-dialog.js',
  '/js/ui/notifications.js',
  '/js/ui/offline-indicator.js',
  '/js/ui/read-tracker.js',
  '/js/ui/reading-comfort.js',
  '/js/ui/recovery-dialog.js',
  '/js/ui/safety-dialog.js',
  '/js/ui/search-dialog.js',
  '/js/ui/settings-dialog.js',
  '/js/ui/shell.js',
  '/js/ui/sidebar.js',
  '/js/ui/timer-setting.js',
  '/js/ui/welcome.js',
  '/js/wire/auth.js',
  '/js/wire/blobs.js',
  '/js/wire/codec.js',
  '/js/wire/crockford.js',
  '/js/wire/delivery.js',
  '/js/wire/devices.js',
  '/js/wire/directory.js',
  '/js/wire/errors.js',
  '/js/wire/fields.js',
  '/js/wire/frame-type.js',
  '/js/wire/limits.js',
  '/js/wire/prekeys.js',
  '/js/wire/recovery.js',
  '/js/wire/session.js',
  '/js/wire/signed.js',
  '/js/wire/usernames.js',
  // END SHELL FILES
];

const LOADED = BUNDLE === null ? FILES : [...FILES.filter((path) => !path.startsWith('/js/')), ...BUNDLE];
const SHELL = LOADED.map((path) => (VERSIONED.test(path) ? PREFIX + path : path));
const SHELL_PATHS = new Set(SHELL);

/**
 * A shell file from the network, checked to be of this worker's version: a versioned file must
 * come back immutable (a server of another version answers it no-cache) and the page with the
 * ETag of this version. The HTTP cache may answer the versioned files (their URL is their
 * content); everything else is revalidated.
 */
async function fetchShellFile(path) {
  const versioned = path.startsWith('/v/');
  const response = await fetch(new Request(path, { cache: versioned ? 'default' : 'no-cache' }));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  if (CONTENT !== null) {
    const ofThisVersion = versioned ? /\bimmutable\b/.test(response.headers.get('Cache-Control') ?? '')
      : path === '/' || path === '/index.html' ? response.headers.get('ETag') === `W/"${CONTENT}"` : true;
    if (!ofThisVersion) throw new Error(`${path} is not of version ${CONTENT}`);
  }
  return response;
}

self.addEventListener('install', (event) => {
  // Where the browser offers it (Chromium), the page and the versioned files are answered from
  // this cache without starting this script for each request (ServiceWorker static routing).
  if (CONTENT !== null && event.addRoutes && self.URLPattern) {
    event.waitUntil(event.addRoutes(['/', '/index.html', `${PREFIX}/*`].map((pathname) => ({
      condition: { urlPattern: new URLPattern({ pathname }) },
      source: { cacheName: CACHE },
    }))).catch(() => undefined));
  }
  event.waitUntil((async () => {
    try {
      const responses = await Promise.all(SHELL.map(fetchShellFile));
      const cache = await caches.open(CACHE);
      await Promise.all(SHELL.map((path, i) => cache.put(path, responses[i])));
    } catch (e) {
      await caches.delete(CACHE);
      throw e;
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('parley-shell-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !SHELL_PATHS.has(url.pathname)) return;
  event.respondWith(fromShell(url.pathname));
});

/** The cached copy, else (the cache was cleared under the worker) the network's. */
async function fromShell(path) {
  const cached = await caches.match(path, { cacheName: CACHE });
  return cached ?? fetch(path);
}

/**
 * A notification shown by the worker (where the page cannot construct one): focus the tab and
 * tell it which conversation to open.
 */
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const conversation = event.notification.data?.conversation;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const client = windows[0] ?? await self.clients.openWindow('/');
    if (!client) return;
    await client.focus?.();
    client.postMessage({ type: 'open-conversation', conversation });
  })());
});
