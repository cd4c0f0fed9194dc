// Pages to passages: each page's main content cut into sections by heading
// (html-sections.ts), each section into passages sized by the model's tokenizer
// (passages.ts), each passage keeping its page, anchor and heading path.
import type { SitePassage } from '../core/site-index.ts';
import type { PageContent } from '../core/main-content.ts';
import { htmlSections } from './html-sections.ts';
import { splitPassages, type PassageOptions, type TokenCounter } from './passages.ts';
import type { SitePage } from './site-files.ts';

export interface SitePassages {
  passages: SitePassage[];
  /** Each page's sections (what the lexical side indexes too), in page order. */
  contents: { file: string; url: string; content: PageContent }[];
  /** Pages with no text in their main content (their file names). */
  skipped: string[];
}

export function sitePassages(pages: readonly SitePage[], count: TokenCounter, options: PassageOptions & { code: boolean }): SitePassages {
  const passages: SitePassage[] = [];
  const skipped: string[] = [];
  const contents: SitePassages['contents'] = [];
  for (const page of pages) {
    const content = htmlSections(page.html, { code: options.code });
    contents.push({ file: page.file, url: page.url, content });
    const before = passages.length;
    for (const section of content.sections) {
      for (const p of splitPassages(section.text, count, options)) {
        passages.push({
          url: page.url,
          anchor: section.anchor,
          title: content.title || page.file,
          headingPath: section.headingPath,
          text: p.text,
          start: p.start,
          end: p.end,
        });
      }
    }
    if (passages.length === before) skipped.push(page.file);
  }
  return { passages, contents, skipped };
}
