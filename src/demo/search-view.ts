// The search view: documents in (indexing panel), collections, and results as
// you type. Stale queries are dropped (only the newest one renders), and the
// current query is searched again as each batch of an import lands.
import { requestPersistence, type DocumentInput, type SearchMode } from '../index.ts';
import { setupCollectionsPanel, type CollectionsPanel } from './collections-panel.ts';
import { demoState } from './demo-state.ts';
import { byId, formatMs } from './elements.ts';
import { setupIndexingPanel } from './indexing-panel.ts';
import type { Excerpter } from './highlight.ts';
import { renderResults } from './results-list.ts';
import type { SearchBackend } from './search-backend.ts';

interface SearchViewHooks {
  backend: SearchBackend;
  modelId: string;
  showError(err: unknown): void;
  clearError(): void;
  onSearched(): void;
  onPassagesEmbedded(n: number, textsPerSecond: number): void;
}

export interface SearchView {
  add(docs: DocumentInput[], label: string): Promise<void>;
  refreshStatus(): void;
}

export function setupSearchView(hooks: SearchViewHooks): SearchView {
  const { backend } = hooks;
  const query = byId<HTMLInputElement>('query');
  const results = byId('results');
  const mode = byId<HTMLSelectElement>('search-mode');
  if (backend.mode === 'lexical') {
    mode.value = 'lexical';
    mode.disabled = true;
  }
  mode.addEventListener('change', () => void runSearch());
  let excerpt: Excerpter | undefined;
  // The same analysis BM25 uses marks the snippet's words; loaded with the first search.
  const analysis = import('../core/index.ts').then(
    (core) => (excerpt = (text, query) => core.markedExcerpt(text, new Set(core.analyze(query)), { max: 320, lead: Math.floor(320 / 3) })),
  );

  let collections: CollectionsPanel | undefined;
  const refreshStatus = () => {
    byId('index-status').textContent = backend.describe();
    void collections?.refresh();
  };
  if (backend.index && backend.store) {
    collections = setupCollectionsPanel({
      ...hooks,
      store: backend.store,
      index: backend.index,
      changed: () => {
        refreshStatus();
        refreshSearchSoon();
      },
    });
  } else {
    for (const id of ['export', 'import-input']) byId(id).dataset['locked'] = 'true';
    byId('collections-panel').hidden = true;
  }

  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const runSearch = async () => {
    const q = query.value;
    const mine = ++generation;
    if (!q.trim()) {
      results.replaceChildren();
      byId('search-status').textContent = '';
      return;
    }
    if (backend.count() === 0) {
      results.replaceChildren();
      byId('search-status').textContent = 'Nothing is indexed yet: load the sample corpus or add files below.';
      demoState.renderedQuery = q;
      demoState.searchesRendered++;
      return;
    }
    const t0 = performance.now();
    const searched = backend.count();
    try {
      const hits = await backend.search(q, 10, mode.value as SearchMode);
      await analysis.catch(() => undefined);
      if (mine !== generation) return;
      demoState.lastSearchMs = performance.now() - t0;
      renderResults(results, hits, q, excerpt);
      demoState.searchedCount = searched;
      demoState.renderedQuery = q;
      demoState.searchesRendered++;
      const split = backend.index?.lastSearch;
      byId('search-status').textContent =
        `${hits.length} result${hits.length === 1 ? '' : 's'} in ${formatMs(demoState.lastSearchMs)}` +
        (backend.mode === 'lexical'
          ? ' · lexical only'
          : split
            ? ` · embed ${formatMs(split.embedMs)}, scan ${formatMs(split.scanMs)}, fetch ${formatMs(split.fetchMs)}`
            : '');
      hooks.onSearched();
    } catch (err) {
      if (mine === generation) hooks.showError(err);
    }
  };
  /** Searches the current query again (rows landed), unless a search is already waiting to run. */
  function refreshSearchSoon() {
    if (query.value.trim() && timer === undefined)
      timer = setTimeout(() => {
        timer = undefined;
        void runSearch();
      }, 50);
  }

  const panel = setupIndexingPanel({
    backend,
    showError: hooks.showError,
    clearError: hooks.clearError,
    onPassagesEmbedded: hooks.onPassagesEmbedded,
    changed(final) {
      // While batches land the panel's progress line stays; the count line comes back at the end.
      if (final) {
        void requestPersistence();
        refreshStatus();
      }
      refreshSearchSoon();
    },
  });

  byId('clear').addEventListener('click', async () => {
    try {
      await backend.clear();
      refreshStatus();
      refreshSearchSoon();
    } catch (err) {
      hooks.showError(err);
    }
  });
  query.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runSearch();
    }, 120);
  });
  query.disabled = false;
  refreshStatus();
  return { add: panel.add, refreshStatus };
}
