// Keeps vectors made elsewhere honest: the same passages embedded by the local model
// (exactly what the page runs) and by the remote engine must agree to cosine ≥
// 0.99975 with norms within 1e-3 of 1. Two such legs (remote ↔ Node, Node ↔ page,
// which the e2e holds at ≥ 0.999) keep remote ↔ page above 0.999. When they do not
// agree, the likely cause is named by re-embedding the canaries locally the way a
// misconfigured server would (newlines stripped, an instruction added, the other
// pooling) and seeing which one the remote vectors match.
import { createError } from '../core/errors.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { ParityFigures } from '../core/site-index.ts';

export const PARITY_MIN_COSINE = 0.99975;
export const PARITY_MAX_NORM_ERROR = 1e-3;

export type { ParityFigures } from '../core/site-index.ts';

/**
 * Canary passages: short, code, Unicode, newlines, and one near the token limit (`long`,
 * built by the caller with the model's tokenizer), each a way engines are known to differ.
 */
export function canaryPassages(long: string): string[] {
  return [
    'Lighthouses',
    'The keeper trims the wick at dusk and winds the clockwork that turns the lens.',
    'const server = createServer({ proxy: { "/api": "http://localhost:8080" } });\nserver.listen(5173);',
    'Ünïcödé: café, naïve, 東京の灯台, Ελληνικά, emoji 🌊 and a zero\u200bwidth space.',
    'First line of a paragraph\nsecond line after a newline\n\nA new paragraph after a blank line\n- a list item\n- another',
    long,
  ];
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb || 1);
}

/** Local rows (row-major) against remote rows: the worst cosine and the worst norm error of the remote ones. */
export function compareRows(local: Float32Array, remote: readonly Float32Array[], dimension: number): ParityFigures & { worst: number } {
  let minCosine = 1;
  let maxNormError = 0;
  let worst = -1;
  remote.forEach((r, i) => {
    const c = cosine(local.subarray(i * dimension, (i + 1) * dimension), r);
    if (c < minCosine) {
      minCosine = c;
      worst = i;
    }
    maxNormError = Math.max(maxNormError, Math.abs(Math.hypot(...r) - 1));
  });
  return { count: remote.length, minCosine, maxNormError, worst };
}

/** Up to `n` rows spread evenly over the texts sorted by length, short to long: truncation and batching show at the ends. */
export function stratifiedByLength(texts: readonly string[], n: number): number[] {
  const byLength = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  const m = Math.min(n, texts.length);
  return [...new Set(Array.from({ length: m }, (_, k) => byLength[Math.round((k * (texts.length - 1)) / Math.max(1, m - 1))]!))];
}

/** Which misconfiguration the remote rows look like, in words. */
export async function likelyCause(
  local: Embedder,
  texts: readonly string[],
  remote: readonly Float32Array[],
  figures: ParityFigures & { worst: number },
): Promise<string> {
  const dim = local.info.dimension;
  if (figures.maxNormError > PARITY_MAX_NORM_ERROR)
    return 'the engine does not L2-normalize (TEI: send normalize: true; OpenAI-compatible servers: the model needs its Normalize module)';
  const matches = async (variant: readonly string[], kind: 'passage' | 'query' = 'passage', pooling?: 'cls' | 'mean') => {
    const { vectors } = await local.embed(variant, kind, undefined, pooling ? { pooling } : undefined);
    return compareRows(vectors, remote, dim).minCosine >= 0.999;
  };
  // (Newlines turned into spaces change nothing for a WordPiece model: the same tokens. Deleted, they join words.)
  if (await matches(texts.map((t) => t.replace(/\n/g, '')))) return 'the engine deletes newlines, joining the words around them: send the text as it is';
  if (local.info.queryInstruction && (await matches(texts, 'query')))
    return `the engine adds an instruction to passages ("${local.info.queryInstruction}" belongs to queries only: TEI --default-prompt, a prompt_name)`;
  // Prompts servers are commonly set up with (TEI --default-prompt, a sentence-transformers prompt_name).
  for (const prefix of ['Represent this sentence for searching relevant passages: ', 'passage: ', 'query: ', 'search_document: ']) {
    if (await matches(texts.map((t) => prefix + t))) return `the engine adds the prefix "${prefix}" to passages (a prompt configured on the server)`;
  }
  const other = local.info.pooling === 'cls' ? 'mean' : 'cls';
  if (await matches(texts, 'passage', other))
    return `the engine pools by ${other}; the model the page runs pools by ${local.info.pooling} (TEI: --pooling ${local.info.pooling})`;
  const long = texts.length - 1;
  const shortOnes = compareRows((await local.embed(texts.slice(0, long), 'passage')).vectors, remote.slice(0, long), dim);
  if (figures.worst === long && shortOnes.minCosine >= PARITY_MIN_COSINE)
    return 'the engine truncates long passages (its max_input_length, or auto-truncate, is below the passage size)';
  if (figures.minCosine >= 0.99)
    return `the vectors are close but not equal (worst cosine ${figures.minCosine.toFixed(5)}): lower precision or other weights (fp16 on a CPU build, int8, another ONNX export or revision)`;
  return `the vectors do not match (worst cosine ${figures.minCosine.toFixed(4)}): the endpoint serves another model or revision`;
}

/** Each text embedded on its own: vectors that do not depend on what else was in the batch. */
export async function embedAlone(local: Embedder, texts: readonly string[]): Promise<Float32Array> {
  const dim = local.info.dimension;
  const out = new Float32Array(texts.length * dim);
  for (let i = 0; i < texts.length; i++) out.set((await local.embed([texts[i]!], 'passage')).vectors, i * dim);
  return out;
}

/**
 * Throws PARITY_FAILED naming `what` and the likely cause unless the figures hold.
 * `batched`: the remote rows were computed in batches whose makeup is unknown. A
 * dynamically quantized model (q8: activations scaled per batch) then differs from
 * itself across batchings, so the bound becomes as close as the local model is to
 * itself (each text alone against one batch), twice that gap at most, and never
 * looser than cosine 0.999. Otherwise each text is compared as embedded alone.
 */
export async function assertParity(
  what: string,
  local: Embedder,
  texts: readonly string[],
  remote: readonly Float32Array[],
  batched = false,
): Promise<ParityFigures> {
  const dim = local.info.dimension;
  const alone = await embedAlone(local, texts);
  let bound = PARITY_MIN_COSINE;
  if (batched) {
    const { vectors } = await local.embed(texts, 'passage');
    const floor = compareRows(
      alone,
      Array.from({ length: texts.length }, (_, i) => vectors.subarray(i * dim, (i + 1) * dim)),
      dim,
    ).minCosine;
    bound = Math.max(0.999, Math.min(PARITY_MIN_COSINE, floor - (1 - floor)));
  }
  const figures = compareRows(alone, remote, dim);
  if (figures.minCosine >= bound && figures.maxNormError <= PARITY_MAX_NORM_ERROR)
    return { count: figures.count, minCosine: figures.minCosine, maxNormError: figures.maxNormError, ...(bound !== PARITY_MIN_COSINE ? { bound } : {}) };
  const cause = await likelyCause(local, texts, remote, figures);
  throw createError(
    'PARITY_FAILED',
    `${what}: worst cosine ${figures.minCosine.toFixed(6)} (bound ${+bound.toFixed(6)}), worst norm error ${figures.maxNormError.toExponential(2)} (bound ${PARITY_MAX_NORM_ERROR}) against ${local.info.modelId} run locally; likely cause: ${cause}. Nothing was written.`,
    { minCosine: figures.minCosine, maxNormError: figures.maxNormError, bound, cause },
  );
}
