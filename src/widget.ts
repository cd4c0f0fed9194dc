// pagesense/widget: search for a static site indexed by `pagesense index`. Importing
// it registers <pagesense-search>; createSiteSearch() is the same search without UI.
import { defineSearchElement } from './site/search-element.ts';

export {
  createSiteSearch,
  type SiteSearch,
  type SiteSearchOptions,
  type SiteSearchStatus,
  type SiteResults,
  type SitePageResult,
  type SiteSubResult,
} from './site/site-search.ts';
export { PagesenseSearchElement, defineSearchElement } from './site/search-element.ts';
export type { Excerpt } from './core/excerpt.ts';

if (typeof customElements !== 'undefined') defineSearchElement();
