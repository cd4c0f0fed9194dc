// The lexical side of a site index: Pagefind (MIT, by CloudCannon), whose chunked
// index is the bytes benchmark for static-site search. Pagefind reads each page as
// the vector side does: not the page's own HTML (where Pagefind would apply its own
// content rules, and index asides, ads and anchor glyphs we drop) but the sections
// the shared main-content rules found, written back as plain HTML at the URL the page
// is served from, one heading per section with the page's own anchor. So Pagefind's
// sub-results carry the same url#anchor and text our passages do, and the page fuses
// the two by it.
import * as pagefind from 'pagefind';
import { createError } from '../core/errors.ts';
import type { PageContent } from '../core/main-content.ts';
import { escapeHtml } from './markdown-page.ts';

export interface LexicalPage {
  /** The file, for messages. */
  file: string;
  /** Where the page is served, relative to the site root. */
  url: string;
  content: PageContent;
}

/** A page's sections as the HTML Pagefind indexes: its title as Pagefind's title, each section a heading (with its anchor) and a paragraph. */
export function lexicalHtml(content: PageContent): string {
  const body = content.sections
    .map((s) => `${s.heading ? `<h2${s.anchor ? ` id="${escapeHtml(s.anchor)}"` : ''}>${escapeHtml(s.heading)}</h2>` : ''}<p>${escapeHtml(s.text)}</p>`)
    .join('\n');
  // Image and metadata as Pagefind metadata read from an attribute ("key[content]"), so a value may hold commas.
  const meta = Object.entries({ ...(content.image ? { image: content.image } : {}), ...content.meta })
    .map(([k, v]) => `<meta data-pagefind-meta="${escapeHtml(k)}[content]" content="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><html><head><title data-pagefind-meta="title">${escapeHtml(content.title)}</title>${meta}</head><body><main data-pagefind-body>\n${body}\n</main></body></html>`;
}

export async function writePagefindIndex(pages: readonly LexicalPage[], outputPath: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw createError('UNSUPPORTED', `Pagefind did not start: ${errors.join('; ')}`);
  try {
    for (const page of pages) {
      const r = await index.addHTMLFile({ url: `/${page.url}`, content: lexicalHtml(page.content) });
      if (r.errors.length) throw createError('INVALID_ARGUMENT', `Pagefind could not index ${page.file}: ${r.errors.join('; ')}`);
    }
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length) throw createError('WRITE_FAILED', `Pagefind could not write ${outputPath}: ${written.errors.join('; ')}`);
  } finally {
    await index.deleteIndex();
    await pagefind.close();
  }
}
