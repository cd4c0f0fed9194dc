// A built page's sections in Node: parse5 (the WHATWG HTML parser) reads the HTML,
// and the main-content rules every path shares (core/main-content.ts) cut it. The
// page does the same with DOMParser (platform/dom-sections.ts), so a file dropped
// into a page and the same file indexed by `pagesense index` give the same sections.
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { pageSections, type HtmlNode, type PageContent, type SectionOptions } from '../core/main-content.ts';

export type { PageContent, Section, SectionOptions } from '../core/main-content.ts';

type Parse5Node = DefaultTreeAdapterMap['node'];

/** parse5's tree as the shared rules read it: elements and text; comments, doctypes and <template> content left out. */
function toHtmlNode(node: Parse5Node): HtmlNode | undefined {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if (!('childNodes' in node)) return undefined;
  const children: HtmlNode[] = [];
  for (const child of node.childNodes) {
    const c = toHtmlNode(child);
    if (c !== undefined) children.push(c);
  }
  const attrs: Record<string, string> = {};
  for (const a of 'attrs' in node ? node.attrs : []) attrs[a.name] = a.value;
  return { tag: 'tagName' in node ? node.tagName : node.nodeName, attrs, children };
}

export function htmlSections(html: string, options: SectionOptions = {}): PageContent {
  return pageSections(toHtmlNode(parse(html))!, options);
}
