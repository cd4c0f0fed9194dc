// The indexer's remote path: connect to the endpoints and check what they say of
// themselves against the model setup the page will use, embed the canaries on both
// sides before the bulk run, embed the missing passages remotely (each batch into the
// cache as it lands, saved every few seconds, so a stopped run resumes), then re-embed
// a stratified sample locally. What made the vectors goes into the manifest.
import { createError } from '../core/errors.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { ParityFigures, SiteEngine } from '../core/site-index.ts';
import { assertParity, canaryPassages, stratifiedByLength } from './embedding-parity.ts';
import type { EmbeddingCache } from './embedding-cache.ts';
import { connectRemote, type EndpointStats, type RemoteEmbedder, type RemoteOptions } from './remote-embedder.ts';

/** What the indexer passes on: the transport's options but the dimension, which the local model gives. */
export type RemoteSetup = Omit<RemoteOptions, 'dimension'>;

export interface RemoteRun {
  remote: RemoteEmbedder;
  canaries: ParityFigures;
  warnings: string[];
  /** Goes into the cache key: vectors from another engine or build are not reused. */
  fingerprint: string;
}

const SAMPLE = 24;
const SAVE_EVERY_MS = 5000;

/** Connects, checks the engines' own account against the page's model, and runs the canaries. */
export async function startRemote(setup: RemoteSetup, local: Embedder, longCanary: string, passageTokens: number): Promise<RemoteRun> {
  const remote = await connectRemote({ ...setup, dimension: local.info.dimension });
  const warnings: string[] = [];
  remote.engines.forEach((e, i) => {
    const where = setup.endpoints[i];
    if (e.pooling && e.pooling !== local.info.pooling) {
      throw createError(
        'ENGINE_FAILED',
        `${where} pools by ${e.pooling}; ${local.info.modelId} as the page runs it pools by ${local.info.pooling}. Start it with --pooling ${local.info.pooling}.`,
        { endpoint: where },
      );
    }
    if (e.maxInputLength !== undefined && e.maxInputLength < passageTokens) {
      throw createError(
        'ENGINE_FAILED',
        `${where} takes at most ${e.maxInputLength} tokens; passages are cut to ${passageTokens}. Index with --max-tokens ${e.maxInputLength} or raise the server's --max-input-length.`,
        { endpoint: where },
      );
    }
    if (e.dtype && /16/.test(e.dtype)) warnings.push(`${where} runs ${e.modelId ?? 'the model'} in ${e.dtype}: its vectors are checked against fp32 below`);
  });
  const ids = new Set(remote.engines.map((e) => `${e.modelId ?? ''}@${e.modelSha ?? ''}/${e.dtype ?? ''}`));
  if (ids.size > 1)
    throw createError('ENGINE_FAILED', `the endpoints serve different models or builds (${[...ids].join(', ')}); give endpoints of one deployment`);
  const canaries = canaryPassages(longCanary);
  // One canary per request, one request at a time: vectors that depend on nothing else, compared exactly.
  const rows: Float32Array[] = [];
  for (const c of canaries) await remote.embed([c], (_, got) => rows.push(got[0]!));
  const figures = await assertParity(`the canary passages embedded by ${setup.endpoints.join(', ')}`, local, canaries, rows);
  const e = remote.engines[0]!;
  return { remote, canaries: figures, warnings, fingerprint: `${setup.api}:${e.modelId ?? setup.model}@${e.modelSha ?? ''}/${e.dtype ?? ''}` };
}

/** Embeds `texts` (keyed by `hashes`) remotely into the cache, saving it as it goes; then checks a stratified sample locally. */
export async function embedRemotely(
  run: RemoteRun,
  local: Embedder,
  cache: EmbeddingCache,
  texts: readonly string[],
  hashes: readonly string[],
  keep: ReadonlySet<string>,
  onProgress: (done: number, endpoints: readonly EndpointStats[]) => void,
): Promise<ParityFigures | undefined> {
  let done = 0;
  let saved = performance.now();
  try {
    await run.remote.embed(
      texts,
      (idx, rows) => {
        idx.forEach((i, j) => cache.set(hashes[i]!, rows[j]!));
        done += idx.length;
        if (performance.now() - saved > SAVE_EVERY_MS) {
          cache.save(keep);
          saved = performance.now();
        }
      },
      (stats) => onProgress(done, stats),
    );
  } finally {
    // What landed is kept, also when the run stops: the next run resumes from it.
    cache.save(keep);
  }
  if (!texts.length) return undefined;
  const picks = stratifiedByLength(texts, SAMPLE);
  try {
    return await assertParity(
      `a sample of ${picks.length} passages embedded remotely`,
      local,
      picks.map((i) => texts[i]!),
      picks.map((i) => cache.get(hashes[i]!)!),
      true,
    );
  } catch (err) {
    // The engine drifted during the run: none of its vectors may be reused.
    cache.save(new Set());
    throw err;
  }
}

/** The manifest's account of the engine that made the vectors. */
export function engineRecord(run: RemoteRun, endpoints: number, sample: ParityFigures | undefined): SiteEngine {
  const e = run.remote.engines[0]!;
  return {
    api: e.api,
    endpoints,
    ...(e.version ? { version: e.version } : {}),
    ...(e.modelId ? { modelId: e.modelId } : {}),
    ...(e.modelSha ? { modelSha: e.modelSha } : {}),
    ...(e.dtype ? { dtype: e.dtype } : {}),
    parity: { canaries: run.canaries, ...(sample ? { sample } : {}) },
  };
}
