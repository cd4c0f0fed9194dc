// <pagesense-search>: a search box for a static site. Answers at once from Pagefind's
// lexical index, loads the model in the background once the visitor shows intent (focus
// or typing; also when the page is idle with warm="idle", unless Save-Data is on), then
// answers hybrid; a list the reader is pointing
// at or moving through with the keyboard is not replaced under them. ARIA combobox
// with a listbox of pages and their sections; every document string is rendered as
// text. Themable with CSS custom properties and ::part().
import { createSiteSearch, type SiteResults, type SiteSearch, type SiteSearchStatus } from './site-search.ts';
import { excerptFragment } from '../platform/excerpt-fragment.ts';
import { ELEMENT_ATTRIBUTES } from './element-attributes.ts';

const STYLE = `
:host { display: block; position: relative; font: inherit; color: var(--pagesense-text, inherit);
  --_accent: var(--pagesense-accent, #3b4bd8); --_bg: var(--pagesense-bg, Canvas); --_muted: var(--pagesense-muted, GrayText);
  --_border: var(--pagesense-border, color-mix(in srgb, currentColor 20%, transparent)); --_mark: var(--pagesense-mark, #ffe58a); }
input { box-sizing: border-box; width: 100%; font: inherit; padding: 0.5em 0.7em; border: 1px solid var(--_border); border-radius: 6px; background: var(--_bg); color: inherit; }
input:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
.status { font-size: 0.8em; color: var(--_muted); margin: 0.3em 0.1em; min-height: 1.2em; }
ul { list-style: none; margin: 0; padding: 0; }
.results:empty { display: none; }
.results { border: 1px solid var(--_border); border-radius: 6px; background: var(--_bg); max-height: 70vh; overflow: auto; }
.page { padding: 0.4em 0.6em; border-bottom: 1px solid var(--_border); }
.page:last-child { border-bottom: 0; }
a { color: inherit; text-decoration: none; display: block; border-radius: 4px; padding: 0.2em 0.3em; }
a.page-link { font-weight: 600; }
a[aria-selected='true'], a:hover { background: color-mix(in srgb, var(--_accent) 14%, transparent); }
.sub { margin-left: 0.8em; }
.heading { display: block; font-size: 0.92em; }
.excerpt { display: block; font-size: 0.85em; color: var(--_muted); }
mark { background: var(--_mark); color: inherit; }
.side { font-size: 0.72em; color: var(--_muted); margin-left: 0.4em; }
`;

function statusText(s: SiteSearchStatus): string {
  if (s.model === 'ready') return 'semantic + lexical';
  if (s.model === 'loading') return `lexical · loading the model${s.total ? ` ${Math.round(((s.loaded ?? 0) / s.total) * 100)}%` : '…'}`;
  if (s.model === 'unavailable') return 'lexical only (the model could not be loaded)';
  return 'lexical';
}

export class PagesenseSearchElement extends HTMLElement {
  static observedAttributes = ['placeholder'];
  /** The search behind the element (created on connect from its attributes). */
  engine: SiteSearch | undefined;
  /** The results shown (tests and custom renderers read these). */
  results: SiteResults | undefined;
  private readonly root = this.attachShadow({ mode: 'open' });
  private readonly input = document.createElement('input');
  private readonly list = document.createElement('ul');
  private readonly statusLine = document.createElement('div');
  private generation = 0;
  private active = -1;
  private pointerInside = false;
  private deferred: SiteResults | undefined;

  constructor() {
    super();
    // A constructed stylesheet, not a <style> element: a strict CSP (style-src 'self') allows it.
    const sheet = typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype ? new CSSStyleSheet() : undefined;
    sheet?.replaceSync(STYLE);
    if (sheet) this.root.adoptedStyleSheets = [sheet];
    this.input.type = 'search';
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-autocomplete', 'list');
    this.input.setAttribute('aria-expanded', 'false');
    this.input.setAttribute('aria-controls', 'pagesense-results');
    this.input.setAttribute('aria-label', 'Search this site');
    this.input.setAttribute('part', 'input');
    this.input.autocomplete = 'off';
    this.list.id = 'pagesense-results';
    this.list.className = 'results';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('part', 'results');
    this.statusLine.className = 'status';
    this.statusLine.setAttribute('part', 'status');
    this.statusLine.setAttribute('aria-live', 'polite');
    if (!sheet) {
      const style = document.createElement('style');
      style.textContent = STYLE;
      this.root.append(style);
    }
    this.root.append(this.input, this.statusLine, this.list);
    // Listeners live on the shadow tree, added once: moving the element never adds them twice.
    // The model and its runtime (megabytes) load when the visitor shows intent: focus or typing.
    // Typing: each keystroke supersedes the last; only a pause of `debounce` ms starts a search.
    this.input.addEventListener('input', () => {
      void this.engine?.warm();
      this.pending?.abort();
      clearTimeout(this.typing);
      const wait = Number(this.getAttribute('debounce') ?? ELEMENT_ATTRIBUTES.debounce.default);
      if (wait > 0) this.typing = setTimeout(() => void this.run(), wait);
      else void this.run();
    });
    this.input.addEventListener('focus', () => void this.engine?.warm());
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.list.addEventListener('pointerenter', () => (this.pointerInside = true));
    this.list.addEventListener('pointerleave', () => {
      this.pointerInside = false;
      this.flushDeferred();
    });
  }

  /** The search in flight, aborted by the next keystroke. */
  private pending: AbortController | undefined;
  private typing: ReturnType<typeof setTimeout> | undefined;
  /** A pending idle warm-up (warm="idle"), cancelled when the element leaves the page. */
  private idleWarm: (() => void) | undefined;

  disconnectedCallback(): void {
    clearTimeout(this.typing);
    this.idleWarm?.();
    this.idleWarm = undefined;
    // Moved (removed and re-added in one task) keeps its search; removed for good frees the worker.
    queueMicrotask(() => {
      if (this.isConnected || !this.engine) return;
      const engine = this.engine;
      this.engine = undefined;
      void engine.dispose();
    });
  }

  connectedCallback(): void {
    this.input.placeholder = this.getAttribute('placeholder') ?? 'Search';
    const attr = (name: keyof typeof ELEMENT_ATTRIBUTES) => {
      const a = ELEMENT_ATTRIBUTES[name];
      return this.getAttribute(name) ?? ('alias' in a ? this.getAttribute(a.alias) : null) ?? a.default;
    };
    this.engine ??= createSiteSearch({
      index: attr('index'),
      localModelPath: attr('local-model-path'),
      allowRemoteModels: attr('allow-remote-models') !== 'false',
      onStatus: (s) => {
        this.statusLine.textContent = statusText(s);
        this.dataset['mode'] = s.mode;
        // The model just became ready: the query on screen is searched again, hybrid.
        if (s.model === 'ready' && this.input.value.trim()) void this.run();
      },
    });
    this.statusLine.textContent = statusText(this.engine.status);
    // warm="idle": the site opts in to loading them before any intent, when the page is idle (never under Save-Data).
    const saveData = (navigator as { connection?: { saveData?: boolean } }).connection?.saveData === true;
    if (!saveData && this.getAttribute('warm') === 'idle' && !this.idleWarm) {
      const g = globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number; cancelIdleCallback?: (id: number) => void };
      const warm = () => {
        this.idleWarm = undefined;
        void this.engine?.warm();
      };
      if (g.requestIdleCallback && g.cancelIdleCallback) {
        const id = g.requestIdleCallback(warm, { timeout: 4000 });
        this.idleWarm = () => g.cancelIdleCallback!(id);
      } else {
        const id = setTimeout(warm, 2000);
        this.idleWarm = () => clearTimeout(id);
      }
    }
  }

  attributeChangedCallback(): void {
    this.input.placeholder = this.getAttribute('placeholder') ?? 'Search';
  }

  /** Searches programmatically, as typing would. */
  async search(query: string): Promise<SiteResults | undefined> {
    this.input.value = query;
    return this.run();
  }

  private async run(): Promise<SiteResults | undefined> {
    const mine = ++this.generation;
    const query = this.input.value;
    if (!query.trim()) {
      this.render(undefined);
      return undefined;
    }
    this.pending?.abort();
    const pending = (this.pending = new AbortController());
    try {
      const engine = this.engine;
      if (!engine) return undefined; // removed from the page
      const results = await engine.search(query, { signal: pending.signal });
      if (mine !== this.generation) return undefined; // a newer query is on its way
      const sameQuery = this.results?.query === query;
      if (sameQuery && (this.pointerInside || this.active >= 0)) this.deferred = results;
      else this.render(results);
      return results;
    } catch (err) {
      if (mine === this.generation) this.statusLine.textContent = `search failed: ${String((err as Error)?.message ?? err)}`;
      return undefined;
    }
  }

  private flushDeferred(): void {
    if (this.deferred && this.active < 0 && !this.pointerInside) {
      const d = this.deferred;
      this.deferred = undefined;
      if (d.query === this.input.value) this.render(d);
    }
  }

  private options(): HTMLAnchorElement[] {
    return Array.from(this.list.querySelectorAll<HTMLAnchorElement>('[role="option"]'));
  }

  private onKey(e: KeyboardEvent): void {
    const opts = this.options();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!opts.length) return;
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + opts.length) % opts.length;
      opts.forEach((o, i) => o.setAttribute('aria-selected', String(i === this.active)));
      this.input.setAttribute('aria-activedescendant', opts[this.active]!.id);
      opts[this.active]!.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter' && this.active >= 0 && opts[this.active]) {
      e.preventDefault();
      opts[this.active]!.click();
    } else if (e.key === 'Escape') {
      this.input.value = '';
      void this.run();
    }
  }

  private render(results: SiteResults | undefined): void {
    this.results = results;
    if (results?.notice) this.statusLine.textContent = results.notice;
    else if (this.engine) this.statusLine.textContent = statusText(this.engine.status);
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    let n = 0;
    const option = (href: string, cls: string, ...children: (Node | string)[]) => {
      const a = document.createElement('a');
      a.href = href;
      a.id = `pagesense-option-${n++}`;
      a.className = cls;
      a.setAttribute('role', 'option');
      a.setAttribute('aria-selected', 'false');
      a.setAttribute('part', cls);
      a.append(...children);
      return a;
    };
    this.list.replaceChildren(
      ...(results?.pages ?? []).map((page) => {
        const li = document.createElement('li');
        li.className = 'page';
        li.setAttribute('role', 'presentation');
        li.setAttribute('part', 'page');
        li.append(option(page.href, 'page-link', page.title));
        const subs = document.createElement('ul');
        subs.setAttribute('role', 'group');
        subs.setAttribute('aria-label', page.title);
        for (const s of page.sub) {
          const item = document.createElement('li');
          item.className = 'sub';
          item.setAttribute('role', 'presentation');
          const heading = document.createElement('span');
          heading.className = 'heading';
          heading.textContent = s.heading;
          const side = document.createElement('span');
          side.className = 'side';
          side.textContent = s.foundBy === 'both' ? 'both' : s.foundBy === 'vector' ? 'semantic' : 'lexical';
          heading.append(side);
          const excerpt = document.createElement('span');
          excerpt.className = 'excerpt';
          excerpt.append(excerptFragment(s.excerpt));
          const link = option(s.href, 'sub-link', heading, excerpt);
          link.dataset['key'] = s.key;
          link.dataset['foundBy'] = s.foundBy;
          item.append(link);
          subs.append(item);
        }
        li.append(subs);
        return li;
      }),
    );
    this.input.setAttribute('aria-expanded', String(!!results?.pages.length));
    this.dispatchEvent(new CustomEvent('pagesense-results', { detail: results }));
  }
}

/** Registers <pagesense-search> once (importing pagesense/widget does it). */
export function defineSearchElement(name = 'pagesense-search'): void {
  if (!customElements.get(name)) customElements.define(name, class extends PagesenseSearchElement {});
}
