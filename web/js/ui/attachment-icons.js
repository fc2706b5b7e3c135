/**
 * The attachment views' icons (a paper clip, a file), drawn like dom.js's `icon` (24 x 24
 * strokes in currentColor, createElementNS, never markup).
 */

const SVG = 'http://www.w3.org/2000/svg';
const PATHS = {
  paperclip: ['M20.5 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.9-8.9a3.7 3.7 0 0 1 5.2 5.2l-8.9 8.9a1.8 1.8 0 0 1-2.6-2.6l8.2-8.2'],
  file: ['M6 3h8l5 5v13H6z', 'M14 3v5h5'],
};

export function attachmentIcon(name, { size = 20 } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [attribute, value] of Object.entries({
    viewBox: '0 0 24 24', width: size, height: size, class: `icon icon-${name}`, fill: 'none', stroke: 'currentColor',
    'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true',
  })) svg.setAttribute(attribute, value);
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
