// The embedding worker: owns the model runtime so the page's thread never runs it.
import * as Comlink from 'comlink';
import { createError } from '../src/core/errors.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import { installErrorTransfer } from '../src/platform/worker-errors.ts';
import { holdLifeline } from './lifeline.ts';
import { outOfMemory } from '../src/embedding/out-of-memory.ts';
import type { EmbedWorkerApi } from './protocol.ts';

installErrorTransfer();

let embedder: Promise<Embedder> | null = null;
const jobs = new Map<number, AbortController>();

const api: EmbedWorkerApi = {
  async load(options, onProgress) {
    if (embedder) throw createError('INVALID_STATE', 'this worker already loaded a model; create another worker for another model');
    const pending = loadTransformersEmbedder({ ...options, onProgress });
    embedder = pending;
    try {
      return (await pending).info;
    } catch (err) {
      embedder = null; // a failed load must not poison later attempts
      throw outOfMemory(err, 'loading the model') ?? err;
    }
  },
  async embed(texts, kind, onProgress, jobId, pooling) {
    if (!embedder) throw createError('INVALID_STATE', 'call load() before embed()');
    const controller = new AbortController();
    if (jobId !== undefined) jobs.set(jobId, controller);
    try {
      // The runtime's scheduler yields between batches, so a query sent during a bulk job runs next.
      const result = await (await embedder).embed(texts, kind, onProgress, { signal: controller.signal, ...(pooling ? { pooling } : {}) });
      return Comlink.transfer(result, [result.vectors.buffer]);
    } catch (err) {
      throw outOfMemory(err, `embedding ${texts.length} texts`) ?? err;
    } finally {
      if (jobId !== undefined) jobs.delete(jobId);
    }
  },
  cancel(jobId) {
    jobs.get(jobId)?.abort();
  },
  async dispose() {
    const e = embedder;
    embedder = null;
    if (e) await (await e).dispose();
  },
};

Comlink.expose(api);
holdLifeline();
