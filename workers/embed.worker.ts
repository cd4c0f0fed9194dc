// The embedding worker: owns the model runtime so the page's thread never runs it.
import * as Comlink from 'comlink';
import { createError } from '../src/core/errors.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import { installErrorTransfer } from '../src/platform/worker-errors.ts';
import type { EmbedWorkerApi } from './protocol.ts';

installErrorTransfer();

let embedder: Promise<Embedder> | null = null;

const api: EmbedWorkerApi = {
  async load(options, onProgress) {
    if (embedder) throw createError('INVALID_ARGUMENT', 'this worker already loaded a model; create another worker for another model');
    const pending = loadTransformersEmbedder({ ...options, onProgress });
    embedder = pending;
    try {
      return (await pending).info;
    } catch (err) {
      embedder = null; // a failed load must not poison later attempts
      throw err;
    }
  },
  async embed(texts, kind, onProgress) {
    if (!embedder) throw createError('INVALID_ARGUMENT', 'call load() before embed()');
    // Each batch awaits the runtime separately, so a query sent during a bulk job runs between its batches.
    const result = await (await embedder).embed(texts, kind, onProgress);
    return Comlink.transfer(result, [result.vectors.buffer]);
  },
  async dispose() {
    const e = embedder;
    embedder = null;
    if (e) await (await e).dispose();
  },
};

Comlink.expose(api);
