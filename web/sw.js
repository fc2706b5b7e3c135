/*
 * Parley's service worker: the app shell offline (docs/WEB-CLIENT.md, "Offline and installing").
 *
 * It keeps exactly the files of SHELL below (the page, every module, the stylesheets, the icons,
 * the manifest and the pinned WebJar the page loads) and nothing else: no API answer, no
 * /v1/blobs download, no /healthz; the WebSocket never passes through a worker. Requests
 * for anything not in SHELL are not touched (the browser sends them to the network as if
 * there were no worker). A shell file is answered from the cache at once and fetched again
 * in the background, so a deployment shows on the load after the next; a change to this file
 * (a new VERSION, or a file added to SHELL) makes the browser install this worker again,
 * which fetches the whole shell afresh into a new cache and deletes the old one.
 *
 * SHELL is checked against web/ by ServiceWorkerShellTest: a module that is not listed, or a
 * listed file that does not exist, fails the build.
 */

const VERSION = 1;
const CACHE = `parley-shell-v${VERSION}`;

const SHELL = [
  '/',
  '/index.html',
  '/manifest.webmanifest',
  '/webjars/qr-creator/1.0.0/dist/qr-creator.es6.min.js',
  // BEGIN SHELL FILES (web/css, web/img, web/js: one per line, sorted)
  // END SHELL FILES
];

const SHELL_PATHS = new Set(SHELL);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' })));
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
  event.respondWith(cacheFirst(url.pathname, event));
});

/** The cached copy at once (and a fresh one into the cache for next time), else the network's. */
async function cacheFirst(path, event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(path);
  const update = fetch(path, { cache: 'no-cache' }).then(async (response) => {
    if (response.ok && response.type === 'basic' && !response.redirected) await cache.put(path, response.clone());
    return response;
  });
  if (!cached) return update;
  event.waitUntil(update.catch(() => undefined));
  return cached;
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
