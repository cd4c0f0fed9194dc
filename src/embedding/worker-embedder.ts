// The page-side Embedder: a module worker running transformers-runtime, called through comlink.
import { assertKnownOptions, assertOptionValues, optionNames, type OptionKind } from '../core/options.ts';
import * as Comlink from 'comlink';
import { createError } from '../core/errors.ts';
import type { ProgressCallback } from '../core/progress.ts';
import type { EmbedWorkerApi, WorkerLoadOptions } from '../../workers/protocol.ts';
import type { Embedder } from './embedder.ts';
import { defaultOrtFiles, ortFilesAt } from './ort-files.ts';

export interface WorkerEmbedderOptions extends WorkerLoadOptions {
  onProgress?: ProgressCallback;
}

const WORKER_EMBEDDER_OPTIONS = optionNames<WorkerEmbedderOptions>({
  model: true,
  device: true,
  dtype: true,
  localModelPath: true,
  allowRemoteModels: true,
  remoteHost: true,
  wasmBase: true,
  ortFiles: true,
  batchSize: true,
  maxBatchTokens: true,
  threads: true,
  revision: true,
  onProgress: true,
});

const EMBEDDER_OPTION_KINDS: Record<string, OptionKind> = {
  device: ['auto', 'webgpu', 'wasm', 'cpu'],
  dtype: 'string',
  localModelPath: 'string',
  allowRemoteModels: 'boolean',
  remoteHost: 'string',
  wasmBase: 'string',
  ortFiles: 'object',
  batchSize: 'positiveInteger',
  maxBatchTokens: 'positiveInteger',
  threads: 'positiveInteger',
  revision: 'string',
  onProgress: 'function',
};

/** How long dispose() lets the worker release its model before terminating it. */
const DISPOSE_GRACE_MS = 1000;

export async function createWorkerEmbedder(options: WorkerEmbedderOptions): Promise<Embedder> {
  assertKnownOptions(options ?? null, WORKER_EMBEDDER_OPTIONS, 'createWorkerEmbedder');
  assertOptionValues(options, EMBEDDER_OPTION_KINDS, 'createWorkerEmbedder');
  if (typeof options.model !== 'string' && (typeof options.model !== 'object' || options.model === null)) {
    throw createError('INVALID_ARGUMENT', 'createWorkerEmbedder: model must be a registry id (see MODELS) or a ModelSpec');
  }
  const { onProgress, ...load } = options;
  const base = globalThis.document?.baseURI ?? globalThis.location.href;
  const resolved: WorkerLoadOptions = {
    ...load,
    // Resolved against the page, so a site served under a sub-path finds them from the worker too.
    // transformers.js treats an absolute http(s) localModelPath as remote and skips it: pass the path.
    localModelPath: new URL(load.localModelPath ?? 'models/', base).pathname,
    ortFiles: load.ortFiles ?? (load.wasmBase === undefined ? defaultOrtFiles(base) : ortFilesAt(new URL(load.wasmBase, base).href)),
  };
  const worker = new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module', name: 'pagesense-embed' });
  const remote = Comlink.wrap<EmbedWorkerApi>(worker);
  // A worker that dies (script failed to load, out of memory) never answers: turn that into an error.
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(createError('MODEL_UNAVAILABLE', `embedding worker failed: ${e.message || 'script error'}`)));
  });
  let closed = false;
  let nextJob = 1;
  // comlink never settles a call whose worker is gone: a dispose() rejects every pending call itself.
  let endCalls: (err: unknown) => void = () => {};
  const ended = new Promise<never>((_, reject) => (endCalls = reject));
  crashed.catch(() => undefined); // a crash while no call is waiting is not an unhandled rejection
  ended.catch(() => undefined);
  const guard = <T>(p: Promise<T>) => Promise.race([p, crashed, ended]);
  try {
    const info = await guard(remote.load(resolved, onProgress ? Comlink.proxy(onProgress) : undefined));
    return {
      info,
      embed(texts, kind, cb, options = {}) {
        if (closed) return Promise.reject(createError('CLOSED', 'this embedder was disposed'));
        const jobId = nextJob++;
        const signal = options.signal;
        if (signal?.aborted) return Promise.reject(createError('CANCELLED', 'embedding cancelled before it started'));
        const onAbort = () => void remote.cancel(jobId);
        signal?.addEventListener('abort', onAbort, { once: true });
        return guard(remote.embed([...texts], kind, cb ? Comlink.proxy(cb) : undefined, jobId, options.pooling)).finally(() =>
          signal?.removeEventListener('abort', onAbort),
        );
      },
      async dispose() {
        if (closed) return;
        closed = true;
        endCalls(createError('CLOSED', 'the embedder was disposed while this call was pending'));
        try {
          // A worker busy with a long job, or hung, does not get to hold dispose() up for long.
          await Promise.race([remote.dispose(), new Promise((resolve) => setTimeout(resolve, DISPOSE_GRACE_MS))]);
        } finally {
          remote[Comlink.releaseProxy]();
          worker.terminate();
        }
      },
    };
  } catch (err) {
    worker.terminate();
    throw err;
  }
}
