// <pagesense-search>: a search box for a static site. Answers at once from Pagefind's
// lexical index, loads the model in the background once the visitor shows intent (focus
// or typing; also when the page is idle with warm="idle", unless Save-Data is on), then
// answers hybrid; a list the reader is pointing at or moving through with the keyboard
// is not replaced under them. Three layouts: a dropdown over the page (default: in the
// top layer, anchored to the input, never moving the page), a modal opened by a button,
// `/` or Ctrl/⌘-K, and an inline list. ARIA combobox with a listbox of pages and their
// sections; every document string is rendered as text. Themable with CSS custom
// properties and ::part(); its words follow the page's lang (see element-strings.ts).
import { createSiteSearch, type SiteResults, type SiteSearch, type SiteSearchStatus } from './site-search.ts';
import { ELEMENT_ATTRIBUTES } from './element-attributes.ts';
import { ELEMENT_STYLE } from './element-style.ts';
import { elementStrings, fill, type ElementStrings } from './element-strings.ts';
import { magnifier, make } from './element-parts.ts';
import { resultItems } from './result-list.ts';

/** Pages shown at first, and added by each "show more". */
const PAGE_STEP = 8;

export class PagesenseSearchElement extends HTMLElement {
  static observedAttributes = ['placeholder', 'translations', 'lang'];
  /** The search behind the element (created on connect from its attributes). */
  engine: SiteSearch | undefined;
  /** The results shown (tests and custom renderers read these). */
  results: SiteResults | undefined;
  /** Strings over the shipped ones for the page's language (the `translations` attribute sets this too). */
  translations: Partial<ElementStrings> = {};
  private readonly root = this.attachShadow({ mode: 'open' });
  private readonly input = make('input', 'query', 'input');
  private readonly panel = make('div', 'panel', 'panel');
  private readonly list = make('ul', 'results', 'results');
  private readonly statusLine = make('div', 'status', 'status');
  private readonly bar = make('div', 'progress', 'progress');
  private readonly more = make('button', 'more', 'more');
  private readonly opener = make('button', 'open', 'button');
  private readonly dialog = make('dialog', 'dialog', 'dialog');
  private strings: ElementStrings = elementStrings('en');
  private generation = 0;
  private active = -1;
  private limit = PAGE_STEP;
  private shownProgress = 0;
  private pointerInside = false;
  private deferred: SiteResults | undefined;
  /** The search in flight, aborted by the next keystroke. */
  private pending: AbortController | undefined;
  private typing: ReturnType<typeof setTimeout> | undefined;
  /** A pending idle warm-up (warm="idle"), cancelled when the element leaves the page. */
  private idleWarm: (() => void) | undefined;
  /** Undoes what the layout added to the document (key shortcuts, scroll and resize listeners). */
  private unlisten: (() => void)[] = [];

  constructor() {
    super();
    // A constructed stylesheet, not a <style> element: a strict CSP (style-src 'self') allows it.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(ELEMENT_STYLE);
    this.root.adoptedStyleSheets = [sheet];
    const input = this.input;
    input.type = 'search';
    input.autocomplete = 'off';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', 'pagesense-results');
    this.list.id = 'pagesense-results';
    this.list.setAttribute('role', 'listbox');
    this.statusLine.setAttribute('aria-live', 'polite');
    this.bar.append(make('span', ''));
    this.bar.hidden = true;
    this.more.type = 'button';
    this.more.hidden = true;
    this.panel.hidden = true;
    this.panel.append(this.bar, this.statusLine, this.list, this.more);
    // Listeners live on the shadow tree, added once: moving the element never adds them twice.
    // Typing: each keystroke supersedes the last; only a pause of `debounce` ms starts a search.
    input.addEventListener('input', () => {
      void this.engine?.warm();
      this.pending?.abort();
      clearTimeout(this.typing);
      this.limit = PAGE_STEP;
      const wait = Number(this.getAttribute('debounce') ?? ELEMENT_ATTRIBUTES.debounce.default);
      if (wait > 0) this.typing = setTimeout(() => void this.run(), wait);
      else void this.run();
    });
    input.addEventListener('focus', () => {
      void this.engine?.warm();
      if (input.value.trim()) this.openPanel();
    });
    input.addEventListener('keydown', (e) => this.onKey(e));
    this.more.addEventListener('click', () => {
      this.limit += PAGE_STEP;
      void this.run();
    });
    this.list.addEventListener('pointerenter', () => (this.pointerInside = true));
    this.list.addEventListener('pointerleave', () => {
      this.pointerInside = false;
      this.flushDeferred();
    });
    // The dropdown closes when focus leaves the element for good (not for a click inside its panel).
    this.root.addEventListener('focusout', (e) => {
      const to = (e as FocusEvent).relatedTarget as Node | null;
      if (!to || !this.root.contains(to)) if (this.layout === 'dropdown') this.closePanel();
    });
    this.opener.type = 'button';
    this.opener.addEventListener('click', () => this.openModal());
    this.dialog.addEventListener('close', () => this.opener.focus());
    // A click on the backdrop (the dialog itself, outside its content box) closes it.
    this.dialog.addEventListener('click', (e) => e.target === this.dialog && this.dialog.close());
  }

  /** The layout in use: a dropdown on a narrow screen (a phone's header has no room for a box) is a search icon that opens the modal. */
  private get layout(): 'dropdown' | 'modal' | 'inline' {
    const l = this.getAttribute('layout');
    if (l === 'modal' || l === 'inline') return l;
    return this.narrow.matches ? 'modal' : 'dropdown';
  }

  private readonly narrow = matchMedia('(max-width: 640px)');
  private readonly relayout = () => {
    this.closePanel();
    if (this.dialog.open) this.dialog.close();
    this.buildLayout();
  };

  private get debug(): boolean {
    return this.hasAttribute('debug') && this.getAttribute('debug') !== 'false';
  }

  disconnectedCallback(): void {
    clearTimeout(this.typing);
    this.idleWarm?.();
    this.idleWarm = undefined;
    for (const off of this.unlisten.splice(0)) off();
    this.narrow.removeEventListener('change', this.relayout);
    this.closePanel();
    // Moved (removed and re-added in one task) keeps its search; removed for good frees the worker.
    queueMicrotask(() => {
      if (this.isConnected || !this.engine) return;
      const engine = this.engine;
      this.engine = undefined;
      void engine.dispose();
    });
  }

  connectedCallback(): void {
    this.applyStrings();
    this.buildLayout();
    this.narrow.addEventListener('change', this.relayout);
    const attr = (name: keyof typeof ELEMENT_ATTRIBUTES) => {
      const a = ELEMENT_ATTRIBUTES[name];
      return this.getAttribute(name) ?? ('alias' in a ? this.getAttribute(a.alias) : null) ?? a.default;
    };
    this.engine ??= createSiteSearch({
      index: attr('index'),
      localModelPath: attr('local-model-path'),
      allowRemoteModels: attr('allow-remote-models') !== 'false',
      onStatus: (s) => {
        this.dataset['mode'] = s.mode;
        this.showProgress(s);
        // The model just became ready: the query on screen is searched again, hybrid.
        if (s.model === 'ready' && this.input.value.trim()) void this.run();
        else if (this.results) this.renderStatus(this.results);
        this.dispatchEvent(new CustomEvent('pagesense-status', { detail: s }));
      },
    });
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
    if (this.isConnected) this.applyStrings();
  }

  /** The words in the page's language, with the site's `translations` on top. */
  private applyStrings(): void {
    let overrides: Partial<ElementStrings> = this.translations;
    const json = this.getAttribute('translations');
    if (json) {
      try {
        overrides = { ...overrides, ...(JSON.parse(json) as Partial<ElementStrings>) };
      } catch {
        if (this.debug) console.warn('<pagesense-search>: the translations attribute is not JSON; using the shipped strings');
      }
    }
    const lang = (this.closest('[lang]') as HTMLElement | null)?.lang || document.documentElement.lang || 'en';
    this.strings = elementStrings(lang, overrides);
    const s = this.strings;
    this.input.placeholder = this.getAttribute('placeholder') ?? s.placeholder;
    this.input.setAttribute('aria-label', s.label);
    this.more.textContent = s.showMore;
    const mac = /Mac|iPhone|iPad/.test(navigator.platform);
    this.opener.replaceChildren(magnifier(), make('span', 'label', undefined, s.button), make('kbd', '', 'kbd', mac ? '⌘ K' : 'Ctrl K'));
    this.opener.setAttribute('aria-label', s.button);
    this.opener.setAttribute('aria-haspopup', 'dialog');
  }

  /** Puts the input and the panel where the layout wants them; the host page's own layout is never touched. */
  private buildLayout(): void {
    for (const off of this.unlisten.splice(0)) off();
    const layout = this.layout;
    this.panel.classList.remove('floating', 'absolute');
    this.panel.removeAttribute('popover');
    // A dropdown turned modal by a narrow screen shows only its icon.
    this.opener.classList.toggle('icon', layout === 'modal' && this.getAttribute('layout') !== 'modal');
    if (layout === 'modal') {
      const close = make('button', 'close', 'close');
      close.type = 'button';
      close.textContent = this.strings.close;
      close.addEventListener('click', () => this.dialog.close());
      const bar = make('div', 'bar');
      bar.append(this.input, close);
      this.dialog.setAttribute('aria-label', this.strings.label);
      this.dialog.replaceChildren(bar, this.panel);
      this.root.replaceChildren(this.opener, this.dialog);
      const onKey = (e: KeyboardEvent) => {
        const typing = e.composedPath().some((n) => n instanceof HTMLElement && (n.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(n.tagName)));
        if ((e.key === 'k' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
          e.preventDefault();
          this.openModal();
        }
      };
      document.addEventListener('keydown', onKey);
      this.unlisten.push(() => document.removeEventListener('keydown', onKey));
      return;
    }
    this.root.replaceChildren(this.input, this.panel);
    if (layout === 'dropdown') {
      // In the top layer (popover) the panel escapes overflow: hidden and z-index in the page's header.
      const topLayer = typeof this.panel.showPopover === 'function';
      if (topLayer) this.panel.setAttribute('popover', 'manual');
      this.panel.classList.add(topLayer ? 'floating' : 'absolute');
      const place = () => this.placePanel();
      addEventListener('resize', place);
      addEventListener('scroll', place, { capture: true, passive: true });
      this.unlisten.push(() => {
        removeEventListener('resize', place);
        removeEventListener('scroll', place, { capture: true });
      });
    }
  }

  private openModal(): void {
    if (this.dialog.open || !this.isConnected) return;
    this.dialog.showModal();
    this.input.focus();
    this.input.select();
    this.panel.hidden = !this.input.value.trim();
  }

  private openPanel(): void {
    this.panel.hidden = false;
    if (this.layout === 'dropdown' && this.panel.hasAttribute('popover') && !this.panel.matches(':popover-open')) this.panel.showPopover();
    this.placePanel();
    this.input.setAttribute('aria-expanded', String(!!this.results?.pages.length));
  }

  private closePanel(): void {
    if (this.panel.hasAttribute('popover') && this.panel.matches(':popover-open')) this.panel.hidePopover();
    this.panel.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }

  /** Anchors the floating panel under the input, as wide as fits the screen (CSSOM: allowed by a strict CSP). */
  private placePanel(): void {
    if (!this.panel.classList.contains('floating') || this.panel.hidden) return;
    const r = this.input.getBoundingClientRect();
    const margin = 8;
    const width = Math.min(Math.max(r.width, 576), innerWidth - 2 * margin);
    const left = Math.min(Math.max(r.left, margin), innerWidth - margin - width);
    const s = this.panel.style;
    s.top = `${Math.round(r.bottom + 4)}px`;
    s.left = `${Math.round(left)}px`;
    s.width = `${Math.round(width)}px`;
    s.maxHeight = `${Math.max(160, Math.round(innerHeight - r.bottom - 16))}px`;
  }

  /** One calm bar: bytes over all the model's files, never going back. */
  private showProgress(s: SiteSearchStatus): void {
    const loading = s.model === 'loading';
    this.bar.hidden = !loading;
    if (!loading) return void (this.shownProgress = 0);
    // Until the big file is known the sum is a few small files: show a sliver, not a full bar.
    const f = s.total && s.total > 1_000_000 ? (s.loaded ?? 0) / s.total : 0.03;
    this.shownProgress = Math.max(this.shownProgress, Math.min(f, 1));
    (this.bar.firstElementChild as HTMLElement).style.width = `${Math.round(this.shownProgress * 100)}%`;
  }

  /** Searches programmatically, as typing would. */
  async search(query: string): Promise<SiteResults | undefined> {
    this.input.value = query;
    this.limit = PAGE_STEP;
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
    const engine = this.engine;
    if (!engine) return undefined; // removed from the page
    try {
      const results = await engine.search(query, { signal: pending.signal, limit: this.limit });
      if (mine !== this.generation || results.superseded) return undefined; // a newer query is on its way
      const sameQuery = this.results?.query === query && this.results.pages.length === results.pages.length;
      if (sameQuery && (this.pointerInside || this.active >= 0)) this.deferred = results;
      else this.render(results);
      return results;
    } catch (err) {
      // Visitors get a calm line; developers the detail (debug attribute, and the pagesense-error event).
      if (mine === this.generation) {
        const detail = String((err as Error)?.message ?? err);
        this.statusLine.textContent = this.debug ? `${this.strings.unavailable} ${detail}` : this.strings.unavailable;
        this.list.replaceChildren();
        this.more.hidden = true;
        this.openPanel();
        this.dispatchEvent(new CustomEvent('pagesense-error', { detail: err }));
      }
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
      this.openPanel();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + opts.length) % opts.length;
      opts.forEach((o, i) => o.setAttribute('aria-selected', String(i === this.active)));
      this.input.setAttribute('aria-activedescendant', opts[this.active]!.id);
      opts[this.active]!.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter' && this.active >= 0 && opts[this.active]) {
      e.preventDefault();
      opts[this.active]!.click();
    } else if (e.key === 'Escape' && this.layout === 'modal') {
      // A search box eats the first Escape (it clears itself): the dialog closes on it all the same.
      e.preventDefault();
      this.dialog.close();
    } else if (e.key === 'Escape') {
      // First Escape closes the list; a second clears the box.
      if (!this.panel.hidden) this.closePanel();
      else {
        this.input.value = '';
        void this.run();
      }
    }
  }

  /** The line above the list: the count, "no results" (and whether semantic search is still coming), or what went wrong. */
  private renderStatus(results: SiteResults): void {
    const s = this.strings;
    const model = this.engine?.status.model;
    let line: string;
    if (!results.pages.length) line = fill(s.noResults, { query: results.query }) + (model === 'loading' || model === 'idle' ? ` ${s.stillLoading}` : '');
    else line = results.total === 1 ? s.countOne : fill(s.count, { shown: results.pages.length, total: Math.max(results.total, results.pages.length) });
    if (results.notice) line += ` ${s.partial}`;
    if (this.debug) line += ` [${results.sides.join(' + ') || 'none'}${results.notice ? `: ${results.notice}` : ''}; model ${model}${this.engine?.status.reason ? `: ${this.engine.status.reason}` : ''}]`;
    this.statusLine.textContent = line;
    this.dataset['sides'] = results.sides.join(' ');
  }

  private render(results: SiteResults | undefined): void {
    this.results = results;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.replaceChildren(...resultItems(results?.pages ?? [], 'pagesense-option', this.debug));
    this.more.hidden = !results || results.total <= results.pages.length;
    if (results) {
      this.renderStatus(results);
      if (this.layout !== 'modal' || this.dialog.open) this.openPanel();
    } else {
      this.statusLine.textContent = '';
      if (this.layout === 'modal') this.panel.hidden = true;
      else this.closePanel();
    }
    this.dispatchEvent(new CustomEvent('pagesense-results', { detail: results }));
  }
}

/** Registers <pagesense-search> once (importing pagesense/widget does it). */
export function defineSearchElement(name = 'pagesense-search'): void {
  if (!customElements.get(name)) customElements.define(name, class extends PagesenseSearchElement {});
}
