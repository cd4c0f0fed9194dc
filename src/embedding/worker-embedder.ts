// The page-side Embedder: a module worker running transformers-runtime, called through comlink.
import { assertKnownOptions, assertOptionValues, optionNames, type OptionKind } from '../core/options.ts';
import * as Comlink from 'comlink';
import { createError, isPagesenseError } from '../core/errors.ts';
import { pendingCalls } from '../core/pending-calls.ts';
import type { ProgressCallback } from '../core/progress.ts';
import type { EmbedWorkerApi, WorkerLoadOptions } from '../../workers/protocol.ts';
import { startWorker, TrustedWorker as Worker, type WorkerLife } from '../platform/worker-lifeline.ts';
import type { Embedder, EmbedderInfo } from './embedder.ts';
import { defaultOrtFiles, ortFilesAt } from './ort-files.ts';

export interface WorkerEmbedderOptions extends WorkerLoadOptions {
  onProgress?: ProgressCallback;
  /** Milliseconds the worker may take to fetch and start its script before the load fails. Default 20 000. */
  workerStartTimeout?: number;
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
  workerStartTimeout: true,
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
  workerStartTimeout: 'positiveInteger',
};

/** How long dispose() lets the worker release its model before terminating it. */
const DISPOSE_GRACE_MS = 1000;

/** A worker with the model loaded in it. */
interface Session {
  life: WorkerLife;
  remote: Comlink.Remote<EmbedWorkerApi>;
  info: EmbedderInfo;
}

/** Errors after which the worker's runtime may be broken, or holds memory it never gives back: start a new one. */
function needsNewWorker(err: unknown): boolean {
  return !isPagesenseError(err) || isPagesenseError(err, 'OUT_OF_MEMORY') || isPagesenseError(err, 'WORKER_FAILED');
}

/**
 * A model in a module worker. A worker that dies (it crashed, ran out of memory, was
 * closed, or stalled or threw while starting) rejects the calls pending on it with
 * WORKER_FAILED or OUT_OF_MEMORY, and the next call starts a new worker.
 */
export async function createWorkerEmbedder(options: WorkerEmbedderOptions): Promise<Embedder> {
  assertKnownOptions(options ?? null, WORKER_EMBEDDER_OPTIONS, 'createWorkerEmbedder');
  assertOptionValues(options, EMBEDDER_OPTION_KINDS, 'createWorkerEmbedder');
  if (typeof options.model !== 'string' && (typeof options.model !== 'object' || options.model === null)) {
    throw createError('INVALID_ARGUMENT', 'createWorkerEmbedder: model must be a registry id (see MODELS) or a ModelSpec');
  }
  const { onProgress, workerStartTimeout, ...load } = options;
  const base = globalThis.document?.baseURI ?? globalThis.location.href;
  const resolved: WorkerLoadOptions = {
    ...load,
    // Resolved against the page, so a site served under a sub-path finds them from the worker too.
    // transformers.js treats an absolute http(s) localModelPath as remote and skips it: pass the path.
    localModelPath: new URL(load.localModelPath ?? 'models/', base).pathname,
    ortFiles: load.ortFiles ?? (load.wasmBase === undefined ? defaultOrtFiles(base) : ortFilesAt(new URL(load.wasmBase, base).href)),
  };
  const startSession = async (): Promise<Session> => {
    const life = startWorker(
      (name) => new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module', name }),
      'embed',
      workerStartTimeout,
    );
    const remote = Comlink.wrap<EmbedWorkerApi>(life.worker);
    try {
      await life.started;
      const info = await life.guard(remote.load(resolved, onProgress ? Comlink.proxy(onProgress) : undefined));
      return { life, remote, info };
    } catch (err) {
      life.end(createError('CLOSED', 'start-up failed'));
      throw isPagesenseError(err, 'WORKER_FAILED') ? createError('MODEL_UNAVAILABLE', `the model could not be loaded: ${err.message}`, err.details, err) : err;
    }
  };
  let session: Promise<Session> = startSession();
  const first = await session;
  let closed = false;
  // Pending calls end at dispose() at once, while the worker gets a moment to release its model.
  const calls = pendingCalls();
  let nextJob = 1;
  const current = (): Promise<Session> => {
    session = session.then(
      (s) => (s.life.isGone ? startSession() : s),
      () => startSession(), // the last restart failed: try again now
    );
    return session;
  };
  return {
    info: first.info,
    async embed(texts, kind, cb, options = {}) {
      if (closed) throw createError('CLOSED', 'this embedder was disposed');
      const signal = options.signal;
      if (signal?.aborted) throw createError('CANCELLED', 'embedding cancelled before it started');
      const s = await current();
      if (closed) throw createError('CLOSED', 'this embedder was disposed');
      const jobId = nextJob++;
      const onAbort = () => void s.remote.cancel(jobId);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await calls.guard(s.life.guard(s.remote.embed([...texts], kind, cb ? Comlink.proxy(cb) : undefined, jobId, options.pooling)));
      } catch (err) {
        if (needsNewWorker(err) && !s.life.isGone) {
          s.life.end(createError('WORKER_FAILED', 'the embed worker was replaced after an error', { reason: 'recycled' }));
        }
        throw err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async dispose() {
      if (closed) return;
      closed = true;
      const ending = createError('CLOSED', 'the embedder was disposed while this call was pending');
      calls.endAll(ending);
      const s = await session.catch(() => undefined);
      if (!s) return;
      try {
        // A worker busy with a long job, or hung, does not get to hold dispose() up for long.
        const release = s.life.isGone ? Promise.resolve() : s.remote.dispose();
        await Promise.race([release, s.life.gone, new Promise((resolve) => setTimeout(resolve, DISPOSE_GRACE_MS))]).catch(() => undefined);
      } finally {
        s.remote[Comlink.releaseProxy]();
        s.life.end(ending);
      }
    },
  };
}
