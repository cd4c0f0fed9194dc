// The lexical side of a site index: Pagefind (MIT, by CloudCannon), whose chunked
// index is the bytes benchmark for static-site search. Every page goes in as HTML
// (Markdown rendered first) at the URL it is served from, so Pagefind's sub-results
// carry the same url#anchor our passages do and the page fuses the two by it.
import * as pagefind from 'pagefind';
import { createError } from '../core/errors.ts';
import type { SitePage } from './site-files.ts';

export async function writePagefindIndex(pages: readonly SitePage[], outputPath: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw createError('UNSUPPORTED', `Pagefind did not start: ${errors.join('; ')}`);
  try {
    for (const page of pages) {
      const r = await index.addHTMLFile({ url: `/${page.url}`, content: page.html });
      if (r.errors.length) throw createError('INVALID_ARGUMENT', `Pagefind could not index ${page.file}: ${r.errors.join('; ')}`);
    }
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length) throw createError('WRITE_FAILED', `Pagefind could not write ${outputPath}: ${written.errors.join('; ')}`);
  } finally {
    await index.deleteIndex();
    await pagefind.close();
  }
}
