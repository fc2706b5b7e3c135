/**
 * Decides which incoming messages the user has actually been shown: a message counts as shown
 * once at least half of it (or half of the message pane, for a message taller than that) is
 * inside the scrolled message pane while the page is visible (document.visibilityState).
 * Messages scrolled out of view, or that arrive while the tab is hidden, are not shown until
 * they are scrolled into view with the tab visible. Only what this reports is marked read, so
 * only that gets read receipts.
 */

const THRESHOLDS = [0, 0.25, 0.5, 0.75, 1];

export function createReadTracker({ root, onShown }) {
  /** id -> element of unread messages at least half in view now. */
  const inView = new Map();
  const watched = new Map();

  function halfShown(entry) {
    if (!entry.isIntersecting) return false;
    if (entry.intersectionRatio >= 0.5) return true;
    const pane = entry.rootBounds?.height ?? 0;
    return pane > 0 && entry.intersectionRect.height >= pane / 2;
  }

  function flush() {
    if (document.visibilityState !== 'visible' || inView.size === 0) return;
    const ids = [...inView.keys()];
    for (const id of ids) forget(id);
    onShown(ids);
  }

  function forget(id) {
    const el = watched.get(id);
    if (el) observer.unobserve(el);
    watched.delete(id);
    inView.delete(id);
  }

  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const id = entry.target.dataset.id;
      if (watched.get(id) !== entry.target) continue;
      if (halfShown(entry)) inView.set(id, entry.target);
      else inView.delete(id);
    }
    flush();
  }, { root, threshold: THRESHOLDS });

  document.addEventListener('visibilitychange', flush);

  return {
    /** Watches the element of an unread incoming message (replacing an earlier element). */
    watch(id, el) {
      forget(id);
      watched.set(id, el);
      observer.observe(el);
    },
    destroy() {
      observer.disconnect();
      document.removeEventListener('visibilitychange', flush);
    },
  };
}
