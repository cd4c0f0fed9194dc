// The remote path against a real HTTP server (test/helpers/embedding-server.ts) whose
// vectors come from the local model: the three protocols, faults, and misconfigured
// servers the parity check must refuse, naming the cause.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { loadTransformersEmbedder } from '../embedding/transformers-runtime.ts';
import { startEmbeddingServer, type EmbeddingServer } from '../../test/helpers/embedding-server.ts';
import { createIndexer, type IndexerOptions, type IndexerProgress } from './indexer.ts';
import { connectRemote } from './remote-embedder.ts';

const MODEL = 'pagesense-test/bert-tiny';
let local: Embedder;
let a: EmbeddingServer;
let b: EmbeddingServer;
let work: string;

beforeAll(async () => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  local = await loadTransformersEmbedder({ model: MODEL, localModelPath: MODELS_ROOT + '/', device: 'cpu', dtype: 'fp32' });
  [a, b] = await Promise.all([startEmbeddingServer(local, MODEL), startEmbeddingServer(local, MODEL)]);
  work = mkdtempSync(join(tmpdir(), 'pagesense-remote-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await local?.dispose();
});

const fresh = () => {
  const dir = mkdtempSync(join(work, 'run-'));
  cpSync('test/fixtures/site', join(dir, 'site'), { recursive: true });
  return dir;
};
const reset = () => [a, b].forEach((s) => s.reset());
async function index(dir: string, options: Partial<IndexerOptions>, events: IndexerProgress[] = []) {
  const indexer = await createIndexer({
    model: MODEL,
    localModelPath: MODELS_ROOT,
    allowRemoteModels: false,
    cacheDir: join(dir, 'cache'),
    batchSize: 2,
    ...options,
  });
  try {
    return await indexer.index(join(dir, 'site'), { onProgress: (p) => events.push(p) });
  } finally {
    await indexer.dispose();
  }
}

describe('embedding on remote engines', () => {
  it('TEI on two endpoints: every batch lands, spread over both; the manifest names the engine and the parity figures', async () => {
    reset();
    const events: IndexerProgress[] = [];
    const r = await index(fresh(), { embedEndpoints: [a.url, b.url], embedConcurrency: 2, embedHeaders: { Authorization: 'Bearer k3y' } }, events);
    expect(a.requests.every((q) => q.authorization === 'Bearer k3y')).toBe(true);
    const engine = r.manifest.model.engine!;
    expect(engine).toMatchObject({ api: 'tei', endpoints: 2, version: '1.8.0-test', modelId: MODEL, dtype: 'float32' });
    expect(engine.parity.canaries.minCosine).toBeGreaterThanOrEqual(0.99975);
    expect(engine.parity.sample!.count).toBe(r.embedded);
    expect(a.requests.filter((q) => q.path === '/embed').length).toBeGreaterThan(0);
    expect(b.requests.filter((q) => q.path === '/embed').length).toBeGreaterThan(0);
    expect(events.find((e) => e.status === 'engine')).toMatchObject({ warnings: [] });
    const last = events.filter((e) => e.status === 'embed').at(-1) as Extract<IndexerProgress, { status: 'embed' }>;
    expect(last.endpoints!.reduce((t, s) => t + s.done, 0)).toBe(r.embedded);
  }, 60_000);

  it('OpenAI-compatible (answers out of order, and in base64) and Ollama give the local vectors', async () => {
    reset();
    a.fault = (path) => (path === '/v1/embeddings' ? 'shuffle' : undefined);
    const dir = fresh();
    const openai = await index(dir, { embedEndpoints: [a.url], embedApi: 'openai' });
    expect(openai.manifest.model.engine).toMatchObject({ api: 'openai', parity: { sample: { minCosine: expect.any(Number) } } });
    expect(openai.manifest.model.engine!.parity.sample!.minCosine).toBeGreaterThanOrEqual(0.99975);
    reset();
    const ollama = await index(fresh(), { embedEndpoints: [b.url], embedApi: 'ollama' });
    expect(ollama.manifest.model.engine!.api).toBe('ollama');
    expect(b.requests.every((q) => q.path === '/api/embed')).toBe(true);
    // base64 rows are read as float32 little-endian
    reset();
    const remote = await connectRemote({ endpoints: [a.url], api: 'openai', model: MODEL, dimension: 32, batchSize: 4, concurrency: 1, fetch: base64Fetch });
    const rows: Float32Array[] = [];
    await remote.embed(['one lamp', 'two lenses'], (idx, got) => idx.forEach((i, j) => (rows[i] = got[j]!)));
    const { vectors } = await local.embed(['one lamp', 'two lenses'], 'passage');
    expect(Math.max(...rows.flatMap((r, i) => Array.from(r, (x, d) => Math.abs(x - vectors[i * 32 + d]!))))).toBeLessThan(1e-6);
  }, 60_000);

  it('retries 429 (honouring Retry-After), 503 and a reset connection; splits a batch TEI refuses for its size', async () => {
    reset();
    const waits: number[] = [];
    a.fault = (_, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : n === 2 ? { status: 503 } : n === 3 ? 'reset' : undefined);
    a.misconfig = { info: { maxClientBatchSize: 64 } };
    const remote = await connectRemote({
      endpoints: [a.url],
      api: 'tei',
      model: MODEL,
      dimension: 32,
      batchSize: 16,
      concurrency: 1,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(remote.batchSize).toBe(16);
    const texts = Array.from({ length: 20 }, (_, i) => `passage number ${i} about lamps`);
    const got: number[] = [];
    await remote.embed(texts, (idx) => got.push(...idx));
    expect(got.sort((x, y) => x - y)).toEqual(texts.map((_, i) => i));
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits).toHaveLength(3);
    // A server whose real limit is below what /info said: TEI's 422 text, then halves until they pass.
    reset();
    a.fault = (path, _, t) =>
      t.length > 5
        ? { status: 422, body: JSON.stringify({ error: `batch size ${t.length} > maximum allowed batch size 5`, error_type: 'Validation' }) }
        : undefined;
    const split = await connectRemote({ endpoints: [a.url], api: 'tei', model: MODEL, dimension: 32, batchSize: 16, concurrency: 2 });
    const landed: number[] = [];
    await split.embed(texts, (idx) => landed.push(...idx));
    expect(landed.sort((x, y) => x - y)).toEqual(texts.map((_, i) => i));
    expect(a.requests.some((q) => q.texts > 5)).toBe(true);
  }, 60_000);

  it('names the one passage a server refuses on its own, a wrong dimension, and fails over from a server that dies', async () => {
    reset();
    a.fault = (_, __, t) => (t.some((x) => x.includes('huge')) ? { status: 413, body: 'Payload Too Large' } : undefined);
    const remote = await connectRemote({ endpoints: [a.url], api: 'tei', model: MODEL, dimension: 32, batchSize: 8, concurrency: 1 });
    const texts = ['a', 'b', 'c huge', 'd'];
    await expect(remote.embed(texts, () => {})).rejects.toMatchObject({ code: 'TEXT_TOO_LONG', details: { passage: 2 } });
    reset();
    a.misconfig = { dimensions: 16 };
    await expect(remote.embed(['a'], () => {})).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', message: expect.stringContaining('16-dimensional') });
    reset();
    const dying = await startEmbeddingServer(local, MODEL);
    dying.fault = (_, n) => (n > 2 ? 'reset' : undefined);
    const pair = await connectRemote({
      endpoints: [dying.url, b.url],
      api: 'tei',
      model: MODEL,
      dimension: 32,
      batchSize: 2,
      concurrency: 1,
      maxAttempts: 2,
      sleep: async () => {},
    });
    const many = Array.from({ length: 30 }, (_, i) => `text ${i}`);
    const done = new Set<number>();
    await pair.embed(many, (idx) => idx.forEach((i) => done.add(i)));
    expect(done.size).toBe(30);
    await dying.close();
  }, 60_000);

  it('when every endpoint fails, what landed is kept and the next run resumes from it', async () => {
    reset();
    const dir = fresh();
    a.fault = (path, n) => (path === '/embed' && n > 8 ? { status: 503 } : undefined); // the six canaries (one a request) and two batches land
    await expect(index(dir, { embedEndpoints: [a.url], embedConcurrency: 1 })).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: expect.stringContaining('run again to resume'),
    });
    reset();
    const again = await index(dir, { embedEndpoints: [a.url] });
    expect(again.embedded).toBeLessThan(again.manifest.counts.passages);
  }, 120_000);

  it.each([
    ['mean pooling', { pooling: 'mean' as const }, /pools by mean/],
    ['newlines deleted', { deleteNewlines: true }, /deletes newlines/],
    ['truncation', { truncateWords: 40 }, /truncates long passages/],
    ['a prefix on passages', { prefix: 'passage: ' }, /prefix "passage: "/],
    ['BGE’s query instruction on passages', { prefix: 'Represent this sentence for searching relevant passages: ' }, /prefix "Represent this sentence/],
    ['noise', { noise: 0.01 }, /close but not equal|do not match/],
  ])(
    'refuses a server with %s before the bulk run, naming the cause, and writes nothing',
    async (_, misconfig, cause) => {
      reset();
      a.misconfig = misconfig;
      const dir = fresh();
      await expect(index(dir, { embedEndpoints: [a.url] })).rejects.toMatchObject({ code: 'PARITY_FAILED', message: expect.stringMatching(cause) });
      // the canaries only (six, in batches of two)
      expect(a.requests.filter((q) => q.path === '/embed').reduce((t, q) => t + q.texts, 0)).toBe(6);
    },
    60_000,
  );

  it('accepts an fp16 engine (warned, then checked) and refuses one whose /info names another pooling or a shorter input', async () => {
    reset();
    a.misconfig = { fp16: true, info: { dtype: 'float16' } };
    const events: IndexerProgress[] = [];
    const r = await index(fresh(), { embedEndpoints: [a.url] }, events);
    expect(r.manifest.model.engine!.dtype).toBe('float16');
    expect((events.find((e) => e.status === 'engine') as { warnings: string[] }).warnings[0]).toMatch(/float16/);
    reset();
    a.misconfig = { info: { pooling: 'mean' } };
    await expect(index(fresh(), { embedEndpoints: [a.url] })).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: expect.stringContaining('--pooling cls'),
    });
    a.misconfig = { info: { maxInputLength: 128 } };
    await expect(index(fresh(), { embedEndpoints: [a.url] })).rejects.toMatchObject({
      code: 'ENGINE_FAILED',
      message: expect.stringContaining('--max-tokens 128'),
    });
  }, 60_000);
});

/** A fetch that asks OpenAI-compatible servers for base64 instead of float: the reader must decode either. */
const base64Fetch: typeof fetch = (input, init) =>
  fetch(input, init?.body ? { ...init, body: String(init.body).replace('"encoding_format":"float"', '"encoding_format":"base64"') } : init);
