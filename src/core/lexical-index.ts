// Lexical search over passages with BM25, by MiniSearch (a well-kept, dependency-free
// full-text engine that suits collections that change), with pagesense's English
// analysis (lexical-analysis.ts). BM25's parameters default to the values the BEIR
// baselines use through Anserini/Pyserini (k1 = 0.9, b = 0.4), with MiniSearch's
// BM25+ lower bound turned off (d = 0), so the scores are plain BM25.
import MiniSearch, { type AsPlainObject } from 'minisearch';
import { createError } from './errors.ts';
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
  /** The whole index as one string, for loadLexicalIndex (no document text is kept in it beyond its terms). */
  serialize(): string;
}

/**
 * Stamps a serialized index: bumped whenever the analysis (tokenizer, stop words,
 * stemmer) or the engine's format changes, so an old snapshot is rebuilt, never misread.
 */
export const LEXICAL_FORMAT = 'pagesense-lexical-1';

export function createLexicalIndex(options: LexicalIndexOptions = {}): LexicalIndex {
  return wrap(new MiniSearch<LexicalDocument>(engineOptions(options)));
}

/**
 * An index serialize() wrote, with the same options; INVALID_ARGUMENT when the
 * string is not one (another format, damaged): build the index from the documents then.
 */
export function loadLexicalIndex(serialized: string, options: LexicalIndexOptions = {}): LexicalIndex {
  const engine = engineOptions(options);
  let parsed: { format?: unknown; engine?: unknown };
  try {
    parsed = JSON.parse(serialized) as typeof parsed;
  } catch {
    throw createError('INVALID_ARGUMENT', 'loadLexicalIndex: not a serialized lexical index (JSON does not parse)');
  }
  if (parsed?.format !== LEXICAL_FORMAT || typeof parsed.engine !== 'object' || parsed.engine === null) {
    throw createError('INVALID_ARGUMENT', `loadLexicalIndex: format ${JSON.stringify(parsed?.format)} is not ${LEXICAL_FORMAT}; build the index again`);
  }
  try {
    return wrap(MiniSearch.loadJS<LexicalDocument>(parsed.engine as AsPlainObject, engine));
  } catch (err) {
    throw createError('INVALID_ARGUMENT', `loadLexicalIndex: the snapshot is damaged (${String((err as Error)?.message ?? err)}); build the index again`);
  }
}

function engineOptions(options: LexicalIndexOptions) {
  assertKnownOptions(options, ['k1', 'b', 'titleBoost'], 'createLexicalIndex');
  assertOptionValues(options, { k1: 'nonNegativeNumber', b: 'nonNegativeNumber', titleBoost: 'nonNegativeNumber' }, 'createLexicalIndex');
  const bm25 = { k: options.k1 ?? 0.9, b: options.b ?? 0.4, d: 0 };
  return {
    fields: ['title', 'text'],
    idField: 'id',
    tokenize,
    processTerm,
    searchOptions: { bm25, boost: { title: options.titleBoost ?? 1 }, combineWith: 'OR' as const },
  };
}

function wrap(engine: MiniSearch<LexicalDocument>): LexicalIndex {
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
    serialize: () => JSON.stringify({ format: LEXICAL_FORMAT, engine }),
  };
}
