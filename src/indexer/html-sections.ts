// A built page's main content as sections, one per heading, parsed by parse5 (the
// WHATWG HTML parser) rather than patterns. Main content: the element marked
// data-pagesense-body, else <main>, else <article>, else <body>; navigation, header,
// footer, aside, scripts, styles, forms and anything marked data-pagesense-ignore
// are dropped; code blocks are kept unless `code: false`. Each section keeps the
// heading's own id (the page's anchor) and the path of headings above it.
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export interface Section {
  /** The heading's text ('' for text before the first heading). */
  heading: string;
  /** The heading's id on the page ('' when it has none). */
  anchor: string;
  /** Headings from the top down to this one, e.g. ['Guide', 'Features', 'CSS Modules']. */
  headingPath: string[];
  text: string;
}

export interface PageContent {
  title: string;
  description: string;
  sections: Section[];
}

export interface SectionOptions {
  /** Keep <pre> code blocks in the text. Default true. */
  code?: boolean;
}

const DROPPED = new Set(['nav', 'header', 'footer', 'aside', 'script', 'style', 'noscript', 'template', 'svg', 'form', 'button', 'select', 'iframe']);
const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'pre',
  'blockquote',
  'table',
  'tr',
  'td',
  'th',
  'dl',
  'dt',
  'dd',
  'section',
  'figure',
  'figcaption',
  'br',
  'hr',
]);
const HEADING = /^h([1-6])$/;
// VitePress and friends put a "#" or zero-width link inside each heading.
const ANCHOR_GLYPHS = /\u200b|\u200c|\u200d|\ufeff|(?:^|\s)(?:#|¶|§|🔗)(?=\s|$)/gu;

const isElement = (n: Node): n is Element => 'tagName' in n;
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const hasAttr = (el: Element, name: string) => el.attrs.some((a) => a.name === name);
const clean = (text: string) => text.replace(ANCHOR_GLYPHS, ' ').replace(/\s+/g, ' ').trim();

function find(node: Node, test: (el: Element) => boolean): Element | undefined {
  if (isElement(node) && test(node)) return node;
  for (const child of 'childNodes' in node ? node.childNodes : []) {
    const hit = find(child, test);
    if (hit) return hit;
  }
  return undefined;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if (isElement(node) && (DROPPED.has(node.tagName) || hasAttr(node, 'data-pagesense-ignore'))) return '';
  const children = 'childNodes' in node ? node.childNodes : [];
  const inner = (node as Element).tagName === 'template' ? '' : children.map(textOf).join('');
  return isElement(node) && BLOCKS.has(node.tagName) ? ` ${inner} ` : inner;
}

/** A heading's anchor: its own id, else an id or name on a link inside it. */
function anchorOf(h: Element): string {
  const own = attr(h, 'id');
  if (own) return own;
  const inner = find(h, (el) => el !== h && (hasAttr(el, 'id') || (el.tagName === 'a' && hasAttr(el, 'name'))));
  return inner ? (attr(inner, 'id') ?? attr(inner, 'name') ?? '') : '';
}

export function htmlSections(html: string, options: SectionOptions = {}): PageContent {
  const keepCode = options.code ?? true;
  const doc = parse(html);
  const title = clean(textOf(find(doc, (el) => el.tagName === 'title') ?? doc).slice(0, 1000));
  const description =
    attr(find(doc, (el) => el.tagName === 'meta' && attr(el, 'name') === 'description') ?? ({ attrs: [] } as unknown as Element), 'content') ?? '';
  const root =
    find(doc, (el) => hasAttr(el, 'data-pagesense-body')) ??
    find(doc, (el) => el.tagName === 'main') ??
    find(doc, (el) => el.tagName === 'article') ??
    find(doc, (el) => el.tagName === 'body');

  const sections: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let current: Section = { heading: '', anchor: '', headingPath: [], text: '' };
  const parts: string[] = [];
  const flush = () => {
    current.text = clean(parts.join(''));
    parts.length = 0;
    if (current.text || current.heading) sections.push(current);
  };
  const walk = (node: Node) => {
    if (!isElement(node)) {
      if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value);
      return;
    }
    if (DROPPED.has(node.tagName) || hasAttr(node, 'data-pagesense-ignore') || hasAttr(node, 'hidden')) return;
    if (node.tagName === 'pre' && !keepCode) return;
    const level = HEADING.exec(node.tagName)?.[1];
    if (level) {
      flush();
      const text = clean(textOf(node));
      while (path.length && path.at(-1)!.level >= Number(level)) path.pop();
      path.push({ level: Number(level), text });
      current = { heading: text, anchor: anchorOf(node), headingPath: path.map((p) => p.text), text: '' };
      return;
    }
    const block = BLOCKS.has(node.tagName);
    if (block) parts.push(' ');
    for (const child of node.tagName === 'template' ? [] : node.childNodes) walk(child);
    if (block) parts.push(' ');
  };
  if (root) for (const child of root.childNodes) walk(child);
  flush();
  return { title: title || sections.find((s) => s.heading)?.heading || '', description, sections: sections.filter((s) => s.text) };
}
