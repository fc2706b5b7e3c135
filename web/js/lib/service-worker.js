/**
 * Registers the service worker (`/sw.js`, docs/WEB-CLIENT.md "Offline and installing") that
 * keeps the app shell, so the app opens with its history when the server cannot be reached.
 *
 * The page enforces Trusted Types (`require-trusted-types-for 'script'`), and a worker's
 * script URL is a TrustedScriptURL sink: the only policy the CSP allows, `parley-sw`, turns
 * exactly '/sw.js' into one and refuses everything else.
 */

const SCRIPT = '/sw.js';

/**
 * Made when the app's script is evaluated (before DOMContentLoaded), not when the worker is
 * registered (after load): the CSP allows this one name once, so the app claims it first and no
 * later script can make a `parley-sw` of its own. Null without Trusted Types, or if the name
 * could not be had: the registration then fails and is reported, and the app runs without its
 * offline copy, as before; a throw here would stop the whole app.
 */
const policy = makePolicy();

function makePolicy() {
  if (!window.trustedTypes) return null;
  try {
    return window.trustedTypes.createPolicy('parley-sw', {
      createScriptURL: (url) => {
        if (url !== SCRIPT) throw new TypeError('parley-sw makes only the service worker\'s URL');
        return url;
      },
    });
  } catch {
    return null;
  }
}

function scriptUrl() {
  return policy ? policy.createScriptURL(SCRIPT) : SCRIPT;
}

/**
 * Resolves once the page has loaded and the browser is idle (or after 5 s): the worker's install
 * fetches and stores the whole shell, which should not compete with the app's own start.
 */
function afterStart() {
  return new Promise((resolve) => {
    const idle = () => (window.requestIdleCallback ? requestIdleCallback(() => resolve(), { timeout: 5000 }) : setTimeout(resolve, 0));
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle, { once: true });
  });
}

/**
 * -> the registration, or null where there is no service worker (the app works without one).
 * Registered once the page has loaded and the browser is idle, not while the app starts.
 */
export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return null;
  await afterStart();
  try {
    return await navigator.serviceWorker.register(scriptUrl(), { scope: '/', type: 'classic' });
  } catch (e) {
    console.warn(`The offline copy of the app is not available: ${e.message ?? e}`);
    return null;
  }
}

/** Messages the service worker posts to this page (a notification clicked): `handler(data)`. */
export function onServiceWorkerMessage(handler) {
  if (!('serviceWorker' in navigator)) return () => {};
  const listener = (event) => handler(event.data ?? {});
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}
