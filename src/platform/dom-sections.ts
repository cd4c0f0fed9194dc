// A page's sections in the browser: DOMParser (inert: no script runs, nothing loads)
// reads the HTML, and the main-content rules every path shares (core/main-content.ts)
// cut it, the same rules `pagesense index` applies in Node with parse5.
import { pageSections, type HtmlNode, type PageContent, type SectionOptions } from '../core/main-content.ts';
import { parseInertHtml } from './trusted-types.ts';

function toHtmlNode(node: Node): HtmlNode | undefined {
  if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) return node.nodeValue ?? '';
  if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_NODE) return undefined;
  const children: HtmlNode[] = [];
  // <template>'s children live in its content fragment, which is never page content.
  for (const child of Array.from(node.childNodes)) {
    const c = toHtmlNode(child);
    if (c !== undefined) children.push(c);
  }
  const attrs: Record<string, string> = {};
  if (node.nodeType === Node.ELEMENT_NODE) for (const a of Array.from((node as Element).attributes)) attrs[a.name] = a.value;
  return { tag: node.nodeType === Node.DOCUMENT_NODE ? '#document' : (node as Element).localName, attrs, children };
}

/** An HTML page's title, description and sections by heading, by the rules `pagesense index` uses. */
export function htmlSections(html: string, options: SectionOptions = {}): PageContent {
  return pageSections(toHtmlNode(parseInertHtml(html))!, options);
}
