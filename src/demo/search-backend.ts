// What the search view talks to: the model's SearchIndex (hybrid, stored in
// IndexedDB) or, without a model, the in-memory lexical fallback. One shape, so
// the view does not care which it has.
import type { AddResult, IngestOptions, DocumentInput, SearchHit, SearchIndex, SearchMode, VectorStore } from '../index.ts';
import type { LexicalOnlyIndex } from './lexical-only-index.ts';

export interface SearchBackend {
  readonly mode: 'hybrid' | 'lexical';
  /** Where the documents live, for the status line. */
  describe(): string;
  count(): number;
  add(docs: readonly DocumentInput[], options: IngestOptions): Promise<AddResult>;
  search(query: string, k: number, mode: SearchMode): Promise<SearchHit[]>;
  clear(): Promise<void>;
  /** The model-backed parts, when there is a model. */
  index?: SearchIndex;
  store?: VectorStore;
}

export function modelBackend(index: SearchIndex, store: VectorStore): SearchBackend {
  return {
    mode: 'hybrid',
    describe: () => `${index.count()} passages indexed (stored in IndexedDB, collection "${index.manifest.name}")`,
    count: () => index.count(),
    add: (docs, options) => index.add(docs, options),
    search: (query, k, mode) => index.search(query, { k, mode }),
    clear: () => index.clear(),
    index,
    store,
  };
}

export function lexicalBackend(lexical: LexicalOnlyIndex): SearchBackend {
  return {
    mode: 'lexical',
    describe: () => `${lexical.count()} passages indexed (in memory, lexical only: no model is loaded)`,
    count: () => lexical.count(),
    async add(docs) {
      const r = lexical.add(docs);
      return { ...r, truncated: [] };
    },
    search: async (query, k) => lexical.search(query, k),
    async clear() {
      lexical.clear();
    },
  };
}
