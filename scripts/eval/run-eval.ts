// The evaluation harness's engine: one BEIR dataset, each mode asked (lexical,
// vector, hybrid; sparse and its fusions) and, for the modes that scan vectors, each
// quantization (f32, int8 + rescore, binary + rescore); one row of trec_eval-defined
// metrics each. The sparse side is scored as the page scores it: the page's WordPiece,
// each query token once, byte weights (core/sparse-inversion.ts).
// Documents are cut into passages (chunkText) for the model and a document scores
// its best passage (MaxP, as BEIR does with long documents); the lexical side
// indexes whole documents (BM25, as BEIR's baseline does).
import { chunkText } from '../../src/core/chunking.ts';
import { fuseRankings, type RankedHit } from '../../src/core/fusion.ts';
import { createFlatIndex, type FlatIndex } from '../../src/core/kernel/flat-index.ts';
import { createLexicalIndex } from '../../src/core/lexical-index.ts';
import { meanMetrics, rankRun } from '../../src/core/retrieval-metrics.ts';
import type { Embedder } from '../../src/embedding/embedder.ts';
import { invertSparse } from '../../src/core/sparse-inversion.ts';
import { queryTokens, scoreSparse } from '../../src/core/sparse-scoring.ts';
import { createWordPiece } from '../../src/core/wordpiece.ts';
import type { SparseEncoder } from '../../src/indexer/sparse-encoder.ts';
import type { BeirDataset } from './beir.ts';

export type EvalMode = 'lexical' | 'vector' | 'hybrid' | 'sparse' | 'lexical-sparse' | 'sparse-vector' | 'lexical-sparse-vector';
export const EVAL_MODES: readonly EvalMode[] = ['lexical', 'vector', 'hybrid', 'sparse', 'lexical-sparse', 'sparse-vector', 'lexical-sparse-vector'];
/** The modes that fuse a vector scan, and so take a row per quantization. */
const VECTOR_MODES: readonly EvalMode[] = ['vector', 'hybrid', 'sparse-vector', 'lexical-sparse-vector'];
const SPARSE_MODES: readonly EvalMode[] = ['sparse', 'lexical-sparse', 'sparse-vector', 'lexical-sparse-vector'];
export type EvalQuantization = 'f32' | 'int8' | 'binary';

export interface EvalRow {
  dataset: string;
  mode: EvalMode;
  /** 'none' for lexical, which scans no vectors. */
  quantization: EvalQuantization | 'none';
  ndcg_at_10: number;
  mrr_at_10: number;
  recall_at_10: number;
  recall_at_100: number;
  map_at_100: number;
  ms_per_query: number;
  queries: number;
  model: string | null;
  model_generated: boolean | null;
  /** The sparse document encoder, for the sparse modes. */
  sparse_model: string | null;
  /** Quantized vector modes: the share of the f32 scan's top 10 documents this one also returns in its top 10 (no labels needed). */
  f32_top10_recall: number | null;
}

export interface EvalOptions {
  modes: EvalMode[];
  quantizations: EvalQuantization[];
  /** Needed for vector and hybrid. */
  embedder?: Embedder;
  /** Needed for the sparse modes. */
  sparse?: SparseEncoder;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Characters per passage for the model. Default 1000 (~250 tokens of English). */
  passageChars?: number;
}

const DEPTH = 100;

/** Best passage per document, documents best first, at most `k`. */
function maxP(hits: readonly { index: number; score: number }[], passageDoc: readonly string[], k: number): RankedHit[] {
  const best = new Map<string, number>();
  for (const h of hits) {
    const doc = passageDoc[h.index]!;
    if (!best.has(doc)) best.set(doc, h.score); // hits come best first
  }
  return [...best].map(([id, score]) => ({ id, score })).slice(0, k);
}

/** Share of the reference top-10 lists' documents that the other lists also hold. */
function overlap(reference: ReadonlyMap<string, readonly string[]>, other: ReadonlyMap<string, readonly string[]>): number {
  let shared = 0;
  let total = 0;
  for (const [q, ref] of reference) {
    const got = new Set(other.get(q));
    shared += ref.filter((id) => got.has(id)).length;
    total += ref.length;
  }
  return total ? shared / total : 1;
}

export async function runEval(set: BeirDataset, o: EvalOptions): Promise<EvalRow[]> {
  const log = o.log ?? (() => {});
  const judged = new Map([...set.qrels].filter(([q]) => set.queries.some((x) => x._id === q)));
  const queries = set.queries.filter((q) => judged.has(q._id));
  const rows: EvalRow[] = [];
  const row = (mode: EvalMode, quantization: EvalRow['quantization'], run: Map<string, string[]>, ms: number): EvalRow => {
    const at10 = meanMetrics(run, judged, { ndcgAt: 10, mrrAt: 10, recallAt: 10, mapAt: 100 });
    const at100 = meanMetrics(run, judged, { recallAt: 100 });
    const info = VECTOR_MODES.includes(mode) ? o.embedder!.info : null;
    const sparseSpec = SPARSE_MODES.includes(mode) ? o.sparse!.spec : null;
    return {
      dataset: set.name,
      mode,
      quantization,
      ndcg_at_10: at10.ndcg,
      mrr_at_10: at10.mrr,
      recall_at_10: at10.recall,
      recall_at_100: at100.recall,
      map_at_100: at10.map,
      ms_per_query: ms / Math.max(1, queries.length),
      queries: at10.queries,
      model: info?.modelId ?? null,
      model_generated: info || sparseSpec ? Boolean(info?.generated || sparseSpec?.generated) : null,
      sparse_model: sparseSpec?.id ?? null,
      f32_top10_recall: null,
    };
  };

  const needLexical = o.modes.some((m) => m.startsWith('lexical') || m === 'hybrid');
  const lexical = createLexicalIndex();
  const lexicalRuns = new Map<string, RankedHit[]>();
  let lexicalMs = 0;
  if (needLexical) {
    lexical.add(set.corpus.map((d) => ({ id: d._id, title: d.title, text: d.text })));
    const t0 = performance.now();
    for (const q of queries) lexicalRuns.set(q._id, lexical.search(q.text, DEPTH));
    lexicalMs = performance.now() - t0;
    if (o.modes.includes('lexical')) rows.push(row('lexical', 'none', new Map([...lexicalRuns].map(([q, hits]) => [q, rankRun(hits)])), lexicalMs));
  }

  const passages: string[] = [];
  const passageDoc: string[] = [];
  for (const d of set.corpus) {
    const text = d.title ? `${d.title}\n\n${d.text}` : d.text;
    for (const p of chunkText(text, { maxChars: o.passageChars ?? 1000 })) {
      passages.push(p.text);
      passageDoc.push(d._id);
    }
  }
  const fused = (lists: RankedHit[][]) => fuseRankings(lists, { limit: DEPTH }).map((h) => h.id);
  const sparseRuns = new Map<string, RankedHit[]>();
  let sparseMs = 0;
  if (o.modes.some((m) => SPARSE_MODES.includes(m))) {
    const sparse = o.sparse;
    if (!sparse) throw new Error('the sparse modes need a sparse model (--sparse)');
    log(`eval: sparse-encoding ${passages.length} passages with ${sparse.spec.id}`);
    const inverted = invertSparse(await sparse.encode(passages), sparse.vocabulary, sparse.queryWeights);
    const wordPiece = createWordPiece(sparse.vocabulary, { specials: sparse.tokenizer.specials });
    const t0 = performance.now();
    for (const q of queries) {
      const hits = scoreSparse(
        queryTokens(wordPiece.tokenize(q.text), sparse.tokenizer.specials),
        inverted.tokens,
        passages.length,
        inverted.weightScale,
        DEPTH * 4,
      );
      sparseRuns.set(q._id, maxP(hits, passageDoc, DEPTH));
    }
    sparseMs = performance.now() - t0;
    const run = (lists: (q: string) => RankedHit[][]) => new Map(queries.map((q) => [q._id, fused(lists(q._id))]));
    if (o.modes.includes('sparse'))
      rows.push(
        row(
          'sparse',
          'none',
          run((q) => [sparseRuns.get(q)!]),
          sparseMs,
        ),
      );
    if (o.modes.includes('lexical-sparse'))
      rows.push(
        row(
          'lexical-sparse',
          'none',
          run((q) => [lexicalRuns.get(q)!, sparseRuns.get(q)!]),
          sparseMs + lexicalMs,
        ),
      );
  }

  if (!o.modes.some((m) => VECTOR_MODES.includes(m))) return rows;
  const embedder = o.embedder;
  if (!embedder) throw new Error('vector and hybrid modes need a model (--model)');
  log(`eval: embedding ${passages.length} passages of ${set.corpus.length} documents with ${embedder.info.modelId}`);
  let last = 0;
  const { vectors } = await embedder.embed(passages, 'passage', (p) => {
    if (p.status === 'embed' && (p.done - last >= 200 || p.done === p.total)) {
      last = p.done;
      log(`eval: embedded ${p.done} of ${p.total} (${p.textsPerSecond.toFixed(1)}/s)`);
    }
  });
  const t0 = performance.now();
  const queryVectors = (
    await embedder.embed(
      queries.map((q) => q.text),
      'query',
    )
  ).vectors;
  const embedMs = performance.now() - t0;
  const dim = embedder.info.dimension;

  let f32Top10: Map<string, string[]> | undefined;
  for (const quantization of [...o.quantizations].sort((a, b) => (a === 'f32' ? -1 : b === 'f32' ? 1 : 0))) {
    const index: FlatIndex = createFlatIndex({ dimension: dim, normalize: false, precision: quantization === 'f32' ? 'float32' : quantization });
    index.add(vectors);
    const vectorRuns = new Map<string, RankedHit[]>();
    const s0 = performance.now();
    queries.forEach((q, i) => {
      // The top 100 passages, as the product finds them: quantized scans take 4 x 100 candidates and re-rank them exactly.
      const hits = index.search(queryVectors.subarray(i * dim, (i + 1) * dim), { k: DEPTH, rescore: 4 });
      vectorRuns.set(q._id, maxP(hits, passageDoc, DEPTH));
    });
    const scanMs = performance.now() - s0;
    const top10 = new Map([...vectorRuns].map(([q, hits]) => [q, hits.slice(0, 10).map((h) => h.id)]));
    if (quantization === 'f32') f32Top10 = top10;
    if (o.modes.includes('vector')) {
      const r = row('vector', quantization, new Map([...vectorRuns].map(([q, hits]) => [q, hits.map((h) => h.id)])), embedMs + scanMs);
      if (quantization !== 'f32' && f32Top10) r.f32_top10_recall = overlap(f32Top10, top10);
      rows.push(r);
    }
    const fusions: [EvalMode, (q: string) => RankedHit[][], number][] = [
      ['hybrid', (q) => [lexicalRuns.get(q)!, vectorRuns.get(q)!], lexicalMs],
      ['sparse-vector', (q) => [sparseRuns.get(q)!, vectorRuns.get(q)!], sparseMs],
      ['lexical-sparse-vector', (q) => [lexicalRuns.get(q)!, sparseRuns.get(q)!, vectorRuns.get(q)!], lexicalMs + sparseMs],
    ];
    for (const [mode, lists, sideMs] of fusions) {
      if (!o.modes.includes(mode)) continue;
      const f0 = performance.now();
      const run = new Map(queries.map((q) => [q._id, fused(lists(q._id))]));
      rows.push(row(mode, quantization, run, embedMs + scanMs + sideMs + (performance.now() - f0)));
    }
  }
  return rows;
}
