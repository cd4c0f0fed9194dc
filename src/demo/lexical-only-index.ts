// The search the page falls back to when no model could be loaded (offline, nothing
// self-hosted): BM25 over the documents in memory, from pagesense/core's lexical
// index, so the sample corpus answers at once. Nothing is stored: without a model
// there are no vectors to keep, and a collection must not hold rows without them.
import type { DocumentInput, SearchHit } from '../index.ts';

type Core = typeof import('../core/index.ts');

export interface LexicalOnlyIndex {
  add(docs: readonly DocumentInput[]): { added: number; skipped: string[] };
  search(query: string, k: number): SearchHit[];
  count(): number;
  clear(): void;
}

export async function createLexicalOnlyIndex(): Promise<LexicalOnlyIndex> {
  // Loaded only on this path: a page with a model gets BM25 through its SearchIndex.
  const core: Core = await import('../core/index.ts');
  let engine = core.createLexicalIndex();
  const docs = new Map<string, DocumentInput>();
  return {
    add(batch) {
      const fresh = batch.filter((d) => !docs.has(d.id));
      for (const d of fresh) docs.set(d.id, d);
      engine.add(fresh.map((d) => ({ id: d.id, text: d.text, ...(d.title ? { title: d.title } : {}) })));
      return { added: fresh.length, skipped: batch.filter((d) => !fresh.includes(d)).map((d) => d.id) };
    },
    search(query, k) {
      return engine.search(query, k).map((h, i) => {
        const d = docs.get(h.id)!;
        const hit: SearchHit = { id: d.id, text: d.text, score: h.score, foundBy: 'lexical', sources: { lexical: { rank: i + 1, score: h.score } } };
        if (d.title !== undefined) hit.title = d.title;
        if (d.url !== undefined) hit.url = d.url;
        return hit;
      });
    },
    count: () => docs.size,
    clear() {
      docs.clear();
      engine = core.createLexicalIndex();
    },
  };
}
