// The result list of <pagesense-search>: pages, each with its sections as options of
// one listbox. Every document string goes in as text (excerpts as text nodes and
// <mark>), never as HTML. A section whose heading repeats the page's title shows its
// excerpt only; the sides that found a section are named in debug mode only.
import { excerptFragment } from '../platform/excerpt-fragment.ts';
import type { SitePageResult } from './site-search.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  e.append(...children);
  return e;
}

const SIDE_WORDS = { both: 'both', vector: 'semantic', lexical: 'lexical' } as const;

/** `pages` as list items whose links are listbox options with ids `${idPrefix}-0`, -1, …. */
export function resultItems(pages: readonly SitePageResult[], idPrefix: string, debug: boolean): HTMLLIElement[] {
  let n = 0;
  const option = (href: string, cls: string, ...children: (Node | string)[]) => {
    const a = el('a', cls, ...children);
    a.href = href;
    a.id = `${idPrefix}-${n++}`;
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    a.setAttribute('part', cls);
    return a;
  };
  return pages.map((page) => {
    const li = el('li', 'page');
    li.setAttribute('role', 'presentation');
    li.setAttribute('part', 'page');
    const link = option(page.href, 'page-link', page.title);
    if (page.image) {
      const img = el('img', 'thumb');
      img.src = page.image;
      img.alt = '';
      img.loading = 'lazy';
      img.setAttribute('part', 'image');
      link.prepend(img);
    }
    li.append(link);
    if (page.meta) {
      const meta = el('span', 'meta', Object.values(page.meta).join(' · '));
      meta.setAttribute('part', 'meta');
      li.append(meta);
    }
    const subs = el('ul', 'subs');
    subs.setAttribute('role', 'group');
    subs.setAttribute('aria-label', page.title);
    for (const s of page.sub) {
      const item = el('li', 'sub');
      item.setAttribute('role', 'presentation');
      const parts: Node[] = [];
      const sameAsTitle = !s.heading || s.heading.trim().toLowerCase() === page.title.trim().toLowerCase();
      if (!sameAsTitle || debug) {
        const heading = el('span', 'heading', sameAsTitle ? '' : s.heading);
        if (debug) heading.append(el('span', 'side', SIDE_WORDS[s.foundBy]));
        parts.push(heading);
      }
      parts.push(el('span', 'excerpt', excerptFragment(s.excerpt)));
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
