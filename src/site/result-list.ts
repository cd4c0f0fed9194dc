// The result list of <pagesense-search>: pages, each with its sections as options of
// one listbox. Every document string goes in as text (excerpts as text nodes and
// <mark>), never as HTML. A section whose heading repeats the page's title shows its
// excerpt only; the sides that found a section are named in debug mode only.
import { excerptFragment } from '../platform/excerpt-fragment.ts';
import { make } from './element-parts.ts';
import type { SitePageResult } from './site-search.ts';

/** `pages` as list items whose links are listbox options with ids `${idPrefix}-0`, -1, …. */
export function resultItems(pages: readonly SitePageResult[], idPrefix: string, debug: boolean): HTMLLIElement[] {
  let n = 0;
  const option = (href: string, cls: string, ...children: (Node | string)[]) => {
    const a = make('a', cls, cls, ...children);
    a.href = href;
    a.id = `${idPrefix}-${n++}`;
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    return a;
  };
  return pages.map((page) => {
    const li = make('li', 'page', 'page');
    li.setAttribute('role', 'presentation');
    const link = option(page.href, 'page-link', page.title);
    if (page.image) {
      const img = make('img', 'thumb', 'image');
      img.src = page.image;
      img.alt = '';
      img.loading = 'lazy';
      link.prepend(img);
    }
    li.append(link);
    if (page.meta) {
      li.append(make('span', 'meta', 'meta', Object.values(page.meta).join(' · ')));
    }
    const subs = make('ul', 'subs');
    subs.setAttribute('role', 'group');
    subs.setAttribute('aria-label', page.title);
    for (const s of page.sub) {
      const item = make('li', 'sub');
      item.setAttribute('role', 'presentation');
      const parts: Node[] = [];
      const sameAsTitle = !s.heading || s.heading.trim().toLowerCase() === page.title.trim().toLowerCase();
      if (!sameAsTitle || debug) {
        const heading = make('span', 'heading', undefined, sameAsTitle ? '' : s.heading);
        if (debug) heading.append(make('span', 'side', undefined, s.sides.join(' + ')));
        parts.push(heading);
      }
      parts.push(make('span', 'excerpt', undefined, excerptFragment(s.excerpt)));
      const link = option(s.href, 'sub-link', ...parts);
      link.dataset['key'] = s.key;
      link.dataset['foundBy'] = s.foundBy;
      item.append(link);
      subs.append(item);
    }
    li.append(subs);
    return li;
  });
}
