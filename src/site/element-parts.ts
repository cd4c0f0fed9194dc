// Small DOM builders for <pagesense-search>'s shadow tree.

/** An element with a class, a ::part name when given, and children (strings go in as text). */
export function make<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, part?: string, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (part) e.setAttribute('part', part);
  e.append(...children);
  return e;
}

/** A magnifying glass (DOM-built SVG: no markup parsed, nothing fetched). */
export function magnifier(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'glass');
  const circle = document.createElementNS(ns, 'circle');
  for (const [k, v] of [['cx', '11'], ['cy', '11'], ['r', '7']]) circle.setAttribute(k!, v!);
  const line = document.createElementNS(ns, 'path');
  line.setAttribute('d', 'M16.5 16.5 21 21');
  svg.append(circle, line);
  return svg;
}

