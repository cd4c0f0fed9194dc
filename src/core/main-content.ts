// What a page's main content is, and its sections: one set of rules for every path
// (the Node indexer parses with parse5, the page with DOMParser; each hands over a
// plain tree, see HtmlNode). Main content: the element marked data-pagesense-body,
// else <main>, else [role=main], else <article>, else <body>. Dropped wherever they
// sit: navigation, header, footer, aside, scripts, styles, forms, embedded frames,
// and anything hidden or marked data-pagesense-ignore. Sections follow headings and
// keep the heading's own id (the page's anchor) and the path of headings above it.

/** A parsed page as these rules read it: elements (lower-case tag, attributes, children) and text. */
export type HtmlNode = HtmlElement | string;

export interface HtmlElement {
  tag: string;
  attrs: Readonly<Record<string, string>>;
  children: readonly HtmlNode[];
}

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
  /** The main content's first h1 (as Pagefind titles a page: no " | Site name" suffix), else <title>, else the first heading. */
  title: string;
  /** <meta name="description">. */
  description: string;
  /**
   * The page's picture for result lists, as written in the page (resolve it against the page's URL):
   * data-pagesense-image (its value, or the img's src), else Pagefind's data-pagefind-meta="image…", else og:image.
   */
  image?: string;
  /**
   * Metadata shown with the page in result lists ('author', 'date', …), from
   * data-pagesense-meta or Pagefind's data-pagefind-meta: "key:value" inline, or
   * "key[attr]" for an attribute's value, comma-separated. Title and image have their own fields.
   */
  meta?: Record<string, string>;
  /** Sections with text, in page order. */
  sections: Section[];
}

export interface SectionOptions {
  /** Keep <pre> code blocks in the text. Default true. */
  code?: boolean;
}

/** Elements that are never content. */
export const DROPPED_TAGS: ReadonlySet<string> = new Set([
  'nav',
  'header',
  'footer',
  'aside',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'form',
  'button',
  'select',
  'iframe',
]);
/** Elements whose text is set apart from its neighbours (a space, so words never run together). */
const BLOCKS: ReadonlySet<string> = new Set([
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

const isElement = (n: HtmlNode): n is HtmlElement => typeof n !== 'string';
const has = (el: HtmlElement, name: string) => Object.prototype.hasOwnProperty.call(el.attrs, name);
const clean = (text: string) => text.replace(ANCHOR_GLYPHS, ' ').replace(/\s+/g, ' ').trim();

/** Generators' "link to this heading" anchors, whose screen-reader text ("Section titled …") is not content. */
const HEADING_ANCHOR_CLASSES = new Set(['sl-anchor-link', 'header-anchor', 'hash-link', 'anchor-link', 'heading-anchor']);

/** True for an element the rules drop with everything inside it. */
export function isDropped(el: HtmlElement): boolean {
  return (
    DROPPED_TAGS.has(el.tag) ||
    has(el, 'data-pagesense-ignore') ||
    has(el, 'hidden') ||
    el.attrs['aria-hidden'] === 'true' ||
    (el.tag === 'a' && (el.attrs['class'] ?? '').split(/\s+/).some((c) => HEADING_ANCHOR_CLASSES.has(c)))
  );
}

const classes = (el: HtmlElement) => (el.attrs['class'] ?? '').split(/\s+/);
/** A code block's language label beside its <pre> (VitePress: div.language-json > span.lang): not text a reader searched for. */
const isCodeLabel = (el: HtmlElement, parent: HtmlElement) => classes(el).includes('lang') && classes(parent).some((c) => c.startsWith('language-'));

function find(node: HtmlNode, test: (el: HtmlElement) => boolean): HtmlElement | undefined {
  if (!isElement(node)) return undefined;
  if (test(node)) return node;
  for (const child of node.children) {
    const hit = find(child, test);
    if (hit) return hit;
  }
  return undefined;
}

function textOf(node: HtmlNode): string {
  if (!isElement(node)) return node;
  if (isDropped(node)) return '';
  const inner = node.children.map(textOf).join('');
  return BLOCKS.has(node.tag) ? ` ${inner} ` : inner;
}

/** A heading's anchor: its own id, else an id or name on an element inside it. */
function anchorOf(h: HtmlElement): string {
  if (h.attrs['id']) return h.attrs['id'];
  const inner = find(h, (el) => el !== h && (!!el.attrs['id'] || (el.tag === 'a' && !!el.attrs['name'])));
  return inner ? (inner.attrs['id'] ?? inner.attrs['name'] ?? '') : '';
}

/** See PageContent.meta. */
function pageMeta(doc: HtmlNode): Record<string, string> {
  const meta: Record<string, string> = {};
  const walk = (node: HtmlNode) => {
    if (!isElement(node)) return;
    for (const attr of ['data-pagefind-meta', 'data-pagesense-meta']) {
      const spec = node.attrs[attr];
      if (!spec) continue;
      for (const part of spec.split(',')) {
        const m = /^\s*([\w-]+)\s*(?:\[([\w-]+)\]|:(.*))?\s*$/.exec(part);
        if (!m || m[1] === 'title' || m[1] === 'image' || m[1] === 'image_alt') continue;
        const value = m[2] ? node.attrs[m[2]] : m[3] !== undefined ? m[3].trim() : clean(textOf(node));
        if (value) meta[m[1]!] = value.slice(0, 200);
      }
    }
    for (const child of node.children) walk(child);
  };
  walk(doc);
  return meta;
}

/** See PageContent.image. */
function pageImage(doc: HtmlNode): string | undefined {
  const ours = find(doc, (el) => has(el, 'data-pagesense-image'));
  if (ours) return ours.attrs['data-pagesense-image'] || ours.attrs['src'] || undefined;
  // Pagefind's forms: data-pagefind-meta="image[src]" on an <img>, or "image:/path.png" with the value inline.
  const pf = find(doc, (el) => /(^|,)\s*image\s*[[:]/.test(el.attrs['data-pagefind-meta'] ?? ''));
  if (pf) {
    const m = /(?:^|,)\s*image\s*(?:\[(\w+)\]|:([^,]+))/.exec(pf.attrs['data-pagefind-meta']!)!;
    const value = m[1] ? pf.attrs[m[1]] : m[2]?.trim();
    if (value) return value;
  }
  return find(doc, (el) => el.tag === 'meta' && el.attrs['property'] === 'og:image')?.attrs['content'] || undefined;
}

/** The element whose content is indexed, by the precedence above. */
export function mainContentRoot(doc: HtmlNode): HtmlElement | undefined {
  return (
    find(doc, (el) => has(el, 'data-pagesense-body')) ??
    find(doc, (el) => el.tag === 'main') ??
    find(doc, (el) => el.attrs['role'] === 'main') ??
    find(doc, (el) => el.tag === 'article') ??
    find(doc, (el) => el.tag === 'body')
  );
}

export function pageSections(doc: HtmlNode, options: SectionOptions = {}): PageContent {
  const keepCode = options.code ?? true;
  const titleEl = find(doc, (el) => el.tag === 'title');
  const title = titleEl ? clean(textOf(titleEl).slice(0, 1000)) : '';
  const description = find(doc, (el) => el.tag === 'meta' && el.attrs['name'] === 'description')?.attrs['content'] ?? '';
  const root = mainContentRoot(doc);

  const sections: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let current: Section = { heading: '', anchor: '', headingPath: [], text: '' };
  const parts: string[] = [];
  const flush = () => {
    current.text = clean(parts.join(''));
    parts.length = 0;
    if (current.text || current.heading) sections.push(current);
  };
  const walk = (node: HtmlNode) => {
    if (!isElement(node)) return void parts.push(node);
    if (isDropped(node) || (node.tag === 'pre' && !keepCode)) return;
    const level = HEADING.exec(node.tag)?.[1];
    if (level) {
      flush();
      const text = clean(textOf(node));
      while (path.length && path.at(-1)!.level >= Number(level)) path.pop();
      path.push({ level: Number(level), text });
      current = { heading: text, anchor: anchorOf(node), headingPath: path.map((p) => p.text), text: '' };
      return;
    }
    const block = BLOCKS.has(node.tag);
    if (block) parts.push(' ');
    for (const child of node.children) if (!isElement(child) || !isCodeLabel(child, node)) walk(child);
    if (block) parts.push(' ');
  };
  if (root) for (const child of root.children) walk(child);
  flush();
  const image = pageImage(doc);
  const meta = pageMeta(doc);
  const h1 = root && find(root, (el) => el.tag === 'h1' && !isDropped(el));
  const h1Text = h1 ? clean(textOf(h1)) : '';
  return {
    title: h1Text || title || sections.find((s) => s.heading)?.heading || '',
    description,
    ...(image ? { image } : {}),
    ...(Object.keys(meta).length ? { meta } : {}),
    sections: sections.filter((s) => s.text),
  };
}
