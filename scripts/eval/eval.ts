// `npm run eval -- [--dataset <dir>] [--mode lexical|vector|hybrid|sparse|lexical-sparse|sparse-vector|lexical-sparse-vector]...
//                  [--quantization f32|int8|binary]... [--model ID] [--sparse ID] [--json]`
// Retrieval quality on a BEIR-format dataset (default: the vite-docs set, built on
// first use by scripts/eval/build-vite-docs.ts). One JSON line per (dataset, mode,
// quantization) with --json; a table otherwise. Progress goes to stderr.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadTransformersEmbedder } from '../../src/embedding/transformers-runtime.ts';
import { MODELS_ROOT } from '../forge/forge.ts';
import { readBeir } from './beir.ts';
import { buildViteDocsSet, VITE_DOCS_SET } from './build-vite-docs.ts';
import { EVAL_MODES, runEval, type EvalMode, type EvalQuantization } from './run-eval.ts';
import { loadSparseEncoder } from '../../src/indexer/sparse-encoder.ts';

const args = process.argv.slice(2);
const many = (flag: string) => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]!] : []));
const one = (flag: string) => many(flag).at(-1);
const MODES = EVAL_MODES;
/** Without --mode: the three dense-era modes, plus the sparse ones when --sparse names a model. */
const DEFAULT_MODES: EvalMode[] = args.includes('--sparse') ? [...EVAL_MODES] : ['lexical', 'vector', 'hybrid'];
const QUANTS: EvalQuantization[] = ['f32', 'int8', 'binary'];

const modes = (many('--mode').length ? many('--mode') : DEFAULT_MODES) as EvalMode[];
const quantizations = (many('--quantization').length ? many('--quantization') : QUANTS) as EvalQuantization[];
for (const m of modes) if (!MODES.includes(m)) throw new Error(`--mode ${m}: use ${MODES.join(', ')}`);
for (const q of quantizations) if (!QUANTS.includes(q)) throw new Error(`--quantization ${q}: use ${QUANTS.join(', ')}`);
const dataset = resolve(one('--dataset') ?? VITE_DOCS_SET);
if (!existsSync(join(dataset, 'corpus.jsonl'))) {
  if (dataset !== VITE_DOCS_SET) throw new Error(`${dataset} holds no corpus.jsonl (BEIR format: corpus.jsonl, queries.jsonl, qrels/test.tsv)`);
  buildViteDocsSet();
}
const model = one('--model') ?? 'pagesense-test/bge-small-arch';
const log = (line: string) => process.stderr.write(line + '\n');

const set = readBeir(dataset);
const needsModel = modes.some((m) => m === 'vector' || m === 'hybrid' || m.endsWith('-vector'));
const needsSparse = modes.some((m) => m.includes('sparse'));
const sparseModel = one('--sparse') ?? 'pagesense-test/sparse-bge-small-arch';
const embedder = needsModel ? await loadTransformersEmbedder({ model, localModelPath: join(MODELS_ROOT, '/'), dtype: 'fp32', batchSize: 32 }) : undefined;
// Real sparse models are read from public/models (fetch-model --sparse), generated ones from where forge writes them.
const sparse = needsSparse
  ? await loadSparseEncoder({ model: sparseModel, localModelPath: sparseModel.startsWith('pagesense-test/') ? MODELS_ROOT : resolve('public/models') })
  : undefined;
const rows = await runEval(set, { modes, quantizations, ...(embedder ? { embedder } : {}), ...(sparse ? { sparse } : {}), log });
await embedder?.dispose();
await sparse?.dispose();

if (args.includes('--json')) for (const r of rows) console.log(JSON.stringify(r));
else {
  const f = (x: number) => x.toFixed(3);
  console.log(`${set.name}: ${set.corpus.length} documents, ${rows[0]?.queries ?? 0} judged queries`);
  console.log('mode                   quant   nDCG@10  MRR@10  R@10   R@100  MAP@100  ms/query  f32 top-10 kept');
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(22)} ${r.quantization.padEnd(7)} ${f(r.ndcg_at_10)}    ${f(r.mrr_at_10)}   ${f(r.recall_at_10)}  ${f(r.recall_at_100)}  ${f(r.map_at_100)}    ${r.ms_per_query.toFixed(2).padEnd(8)}  ${r.f32_top10_recall === null ? '' : f(r.f32_top10_recall)}`,
    );
  }
  if (embedder?.info.generated)
    console.log(`(${model} is a generated model with random weights: its vector and hybrid figures carry no meaning; the lexical ones do)`);
  if (sparse?.spec.generated)
    console.log(
      `(${sparseModel} is a generated sparse model with random weights: the sparse figures carry no meaning; with a real model, compare to its card's BEIR figures)`,
    );
}
