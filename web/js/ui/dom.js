/**
 * Builds DOM nodes without HTML strings. The page runs under Trusted Types with no policy
 * (`trusted-types 'none'`), so innerHTML and friends would throw; everything, and above all
 * message text, enters the document as Text nodes.
 *
 * h('button', { class: 'x', testid: 'message-send', onclick: fn, aria: { label: 'Send' } }, 'Send')
 */

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'data') Object.entries(value).forEach(([k, v]) => { el.dataset[k] = v; });
    else if (key === 'aria') Object.entries(value).forEach(([k, v]) => el.setAttribute(`aria-${k}`, v));
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else if (value === true) el.setAttribute(key, '');
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An inline SVG icon from the sprite-free set below, built with createElementNS. */
const SVG = 'http://www.w3.org/2000/svg';
const ICONS = {
  lock: ['M6 10V7a6 6 0 1 1 12 0v3', 'M5 10h14v11H5z'],
  send: ['M3 11l18-8-8 18-2-8z'],
  shield: ['M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z', 'M8.5 12l2.5 2.5 4.5-5'],
  info: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 11v6', 'M12 7.5v.5'],
  log: ['M6 3h9l4 4v14H6z', 'M9 12h7', 'M9 16h7', 'M9 8h3'],
  back: ['M15 5l-7 7 7 7'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  check: ['M5 12.5l4.5 4.5L19 7'],
  checks: ['M2 12.5l4.5 4.5L16 7', 'M11 16l1 1L22 7'],
  eye: ['M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7-10-7-10-7z', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
  clock: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 7v5l3 2'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 17.5v.5'],
  search: ['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z', 'M20 20l-4-4'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  devices: ['M3 5h13v10H3z', 'M1 18h17', 'M18 9h5v11h-5z'],
  plus: ['M12 5v14', 'M5 12h14'],
  block: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M5 5l14 14'],
};

export function icon(name, { size = 20, label } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('class', `icon icon-${name}`);
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** A deterministic hue for a username's avatar (CSSOM only: no style attributes in HTML). */
export function avatar(username, size = 40) {
  let hash = 0;
  for (const c of username) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  const el = h('span', { class: 'avatar', aria: { hidden: 'true' } }, username.slice(0, 1).toUpperCase());
  el.style.setProperty('--avatar-hue', String(hash % 360));
  el.style.setProperty('--avatar-size', `${size}px`);
  return el;
}
