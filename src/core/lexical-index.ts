// Lexical search over passages with BM25, by MiniSearch (a well-kept, dependency-free
// full-text engine that suits collections that change), with pagesense's English
// analysis (lexical-analysis.ts). BM25's parameters default to the values the BEIR
// baselines use through Anserini/Pyserini (k1 = 0.9, b = 0.4), with MiniSearch's
// BM25+ lower bound turned off (d = 0), so the scores are plain BM25.
import MiniSearch from 'minisearch';
import { assertKnownOptions, assertOptionValues } from './options.ts';
import { processTerm, tokenize } from './lexical-analysis.ts';
import type { RankedHit } from './fusion.ts';

export interface LexicalIndexOptions {
  /** BM25 term-frequency saturation. Default 0.9. */
  k1?: number;
  /** BM25 length normalization. Default 0.4. */
  b?: number;
  /** How much a title match counts against a text match. Default 1 (as BEIR's BM25 baseline searches title and text alike). */
  titleBoost?: number;
}

export interface LexicalDocument {
  id: string;
  text: string;
  title?: string;
}

export interface LexicalIndex {
  readonly size: number;
  add(docs: readonly LexicalDocument[]): void;
  remove(ids: readonly string[]): void;
  /** Best first: documents holding any query term, by BM25. */
  search(query: string, k?: number): RankedHit[];
}

export function createLexicalIndex(options: LexicalIndexOptions = {}): LexicalIndex {
  assertKnownOptions(options, ['k1', 'b', 'titleBoost'], 'createLexicalIndex');
  assertOptionValues(options, { k1: 'nonNegativeNumber', b: 'nonNegativeNumber', titleBoost: 'nonNegativeNumber' }, 'createLexicalIndex');
  const bm25 = { k: options.k1 ?? 0.9, b: options.b ?? 0.4, d: 0 };
  const engine = new MiniSearch<LexicalDocument>({
    fields: ['title', 'text'],
    idField: 'id',
    tokenize,
    processTerm,
    searchOptions: { bm25, boost: { title: options.titleBoost ?? 1 }, combineWith: 'OR' },
  });
  return {
    get size() {
      return engine.documentCount;
    },
    add(docs) {
      engine.addAll(docs.map((d) => ({ id: d.id, text: d.text, title: d.title ?? '' })));
    },
    remove(ids) {
      for (const id of ids) if (engine.has(id)) engine.discard(id);
    },
    search(query, k = 10) {
      return engine
        .search(query)
        .slice(0, k)
        .map((r) => ({ id: String(r.id), score: r.score }));
    },
  };
}
