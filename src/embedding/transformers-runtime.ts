// Runs an embedding model in-process through @huggingface/transformers. Used
// inside the embedding worker (browser) and directly in Node (tests, benchmarks,
// the build-time indexer). We tokenize and batch ourselves: texts are sorted by
// token count so batches carry little padding, and results return in input order.
import { AutoModel, AutoTokenizer, Tensor, env as hf, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { oneOfArg } from '../core/arguments.ts';
import { createError } from '../core/errors.ts';
import { normalizeCheckedRows } from '../core/vectors.ts';
import type { ProgressCallback } from '../core/progress.ts';
import { DEFAULT_MODELS_DIR } from '../models/model-files.ts';
import { findModel, type Dtype, type ModelSpec } from '../models/registry.ts';
import { IS_CROSS_ORIGIN_ISOLATED, IS_NODE, hardwareThreads, probeWebGPU } from '../platform/environment.ts';
import { BatchScheduler } from './batch-scheduler.ts';
import { lazyBodyFetch } from './lazy-body-fetch.ts';
import { ortFilesAt } from './ort-files.ts';
import type { RuntimeOptions } from './runtime-options.ts';
export type { RuntimeOptions } from './runtime-options.ts';
import type { Device, EmbedOptions, EmbedResult, Embedder, EmbedderInfo, TextKind } from './embedder.ts';

export function resolveModel(model: string | ModelSpec): ModelSpec {
  if (typeof model !== 'string') return model;
  const spec = findModel(model);
  if (!spec) throw createError('NOT_FOUND', `unknown model "${model}"; pass a registry id or a full ModelSpec`);
  return spec;
}

/**
 * Points transformers.js' one env at the model files (self-hosted folder, then the Hub
 * unless refused): every loader in this package goes through here, the indexer's sparse
 * encoder and passage export included.
 */
export function configureHf(
  opts: Pick<RuntimeOptions, 'localModelPath' | 'allowRemoteModels' | 'remoteHost' | 'threads'>,
  generated: boolean,
): { localPath: string; remote: boolean } {
  const localPath = opts.localModelPath ?? '/models/';
  // Generated models exist only where `npm run forge` wrote them; never ask the Hub for them.
  const remote = generated ? false : (opts.allowRemoteModels ?? true);
  hf.allowLocalModels = true;
  hf.localModelPath = localPath;
  hf.allowRemoteModels = remote;
  hf.remoteHost = opts.remoteHost ?? 'https://huggingface.co/';
  if (!IS_NODE) {
    // Its wasm cache would import onnxruntime's glue from a blob: URL, which a strict CSP
    // (script-src 'self') refuses; the glue and the .wasm then come by URL from our origin,
    // and the browser's HTTP cache keeps them for the next visit.
    (hf as { useWasmCache: boolean }).useWasmCache = false;
    const models = new URL(localPath, globalThis.location.href).href;
    (hf as { fetch: typeof fetch }).fetch = lazyBodyFetch(globalThis.fetch.bind(globalThis), (url) => url.href.startsWith(models));
    const wasm = hf.backends.onnx.wasm as { numThreads?: number };
    if (opts.threads !== undefined) wasm.numThreads = opts.threads;
  }
  return { localPath, remote };
}

export async function loadTransformersEmbedder(opts: RuntimeOptions): Promise<Embedder> {
  const spec = resolveModel(opts.model);
  const { localPath, remote } = configureHf(opts, spec.generated);
  // transformers.js keeps its own settings in one global env: load one model at a time per realm.
  const onProgress = opts.onProgress;
  const revision = opts.revision ?? 'main';

  let device: Device;
  let deviceReason: string;
  const requested = opts.device ?? 'auto';
  if (IS_NODE) {
    device = 'cpu';
    deviceReason =
      requested === 'auto' || requested === 'cpu' ? 'Node.js: onnxruntime-node on the CPU' : `"${requested}" is browser-only; Node.js runs on the CPU`;
  } else if (requested === 'auto') {
    const gpu = await probeWebGPU();
    device = gpu.ok ? 'webgpu' : 'wasm';
    deviceReason = gpu.ok ? `WebGPU adapter: ${gpu.description}` : `WASM: ${gpu.reason}`;
  } else {
    device = requested;
    deviceReason = `forced by the device option`;
  }

  const sources =
    `self-hosted files under ${localPath}${spec.id}/, ${IS_NODE ? "transformers.js' file cache" : 'the browser cache'}, ` +
    (remote ? `and ${opts.remoteHost ?? 'the Hugging Face Hub'}` : 'and not the Hugging Face Hub (allowRemoteModels is false)');
  const fileTotals = new Map<string, number>();
  const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (p.status === 'progress' && p.file && typeof p.loaded === 'number') {
      const total = p.total ?? 0;
      const last = fileTotals.get(p.file) ?? 0;
      if (p.loaded < last) return; // keep `loaded` monotonic per file
      fileTotals.set(p.file, p.loaded);
      onProgress?.({ status: 'download', file: p.file, loaded: p.loaded, total });
    }
  };

  // The onnxruntime build for the device that runs: read once, when the first session starts.
  if (!IS_NODE) {
    const files = opts.ortFiles ?? ortFilesAt(opts.wasmBase ?? new URL('/ort/', globalThis.location.href).href);
    const build = device === 'webgpu' ? files.webgpu : files.wasm;
    (hf.backends.onnx.wasm as { wasmPaths?: unknown }).wasmPaths = { mjs: build.mjs, wasm: build.wasm };
  }

  const load = async (dev: Device) => {
    const dtype = opts.dtype ?? (dev === 'webgpu' ? spec.dtype.webgpu : spec.dtype.wasm);
    onProgress?.({ status: 'load', modelId: spec.id, device: dev });
    const tokenizer = await AutoTokenizer.from_pretrained(spec.id, { revision, progress_callback });
    const model = await AutoModel.from_pretrained(spec.id, { revision, dtype, device: dev, progress_callback });
    return { tokenizer, model, dtype };
  };

  let loaded: { tokenizer: PreTrainedTokenizer; model: PreTrainedModel; dtype: Dtype };
  try {
    try {
      loaded = await load(device);
    } catch (err) {
      if (!(requested === 'auto' && device === 'webgpu')) throw err;
      deviceReason = `WASM: WebGPU failed to run the model (${String((err as Error).message ?? err)})`;
      device = 'wasm';
      loaded = await load(device);
    }
  } catch (err) {
    // Said in the commands the user has: the package's bin, not this repository's scripts.
    const fix = spec.generated
      ? 'It is a test model generated by the pagesense repository (`npm run forge` there); use a Hub model such as Xenova/bge-small-en-v1.5.'
      : `Run \`npx pagesense fetch-model ${spec.id} --dtype ${opts.dtype ?? spec.dtype.wasm}\` where the Hub is reachable to self-host it (it writes ${DEFAULT_MODELS_DIR}/${spec.id}/), then point localModelPath at that folder.`;
    throw createError(
      'MODEL_UNAVAILABLE',
      `Could not load model "${spec.id}". Tried ${sources}. ${fix} ` + `Cause: ${String((err as Error).message ?? err)}`,
      { modelId: spec.id, sources },
      err,
    );
  }
  onProgress?.({ status: 'ready', modelId: spec.id, device, dtype: loaded.dtype });
  if (device === 'wasm') {
    // onnxruntime-web runs threads only in a cross-origin isolated page (SharedArrayBuffer).
    const threads = IS_CROSS_ORIGIN_ISOLATED ? (opts.threads ?? Math.min(4, hardwareThreads())) : 1;
    deviceReason += IS_CROSS_ORIGIN_ISOLATED ? ` · ${threads} thread${threads === 1 ? '' : 's'}, SIMD` : ' · 1 thread (page not cross-origin isolated), SIMD';
  }

  const info: EmbedderInfo = {
    modelId: spec.id,
    revision,
    dimension: spec.dimension,
    pooling: spec.pooling,
    normalized: spec.normalize,
    queryInstruction: spec.queryInstruction,
    device,
    dtype: loaded.dtype,
    deviceReason,
    generated: spec.generated,
    source: sources,
  };
  return new TransformersEmbedder(spec, info, loaded.tokenizer, loaded.model, opts.batchSize ?? 16, opts.maxBatchTokens ?? 512);
}

class TransformersEmbedder implements Embedder {
  private readonly scheduler = new BatchScheduler();

  constructor(
    private readonly spec: ModelSpec,
    readonly info: EmbedderInfo,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly batchSize: number,
    private readonly maxBatchTokens: number,
  ) {}

  /** Consecutive runs of the length-sorted order, each within both the text and the token limit. */
  private batches(order: number[], ids: number[][]): number[][] {
    const out: number[][] = [];
    let cur: number[] = [];
    for (const i of order) {
      const len = ids[i]!.length; // sorted ascending: the newest text is the longest so far
      if (cur.length > 0 && (cur.length >= this.batchSize || (cur.length + 1) * len > this.maxBatchTokens)) {
        out.push(cur);
        cur = [];
      }
      cur.push(i);
    }
    if (cur.length) out.push(cur);
    return out;
  }

  async embed(texts: readonly string[], kind: TextKind, onProgress?: ProgressCallback, options: EmbedOptions = {}): Promise<EmbedResult> {
    const dim = this.spec.dimension;
    const max = this.spec.maxTokens;
    const pooling = oneOfArg('embed', 'pooling', options.pooling, ['cls', 'mean'] as const, this.spec.pooling);
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw createError('INVALID_ARGUMENT', `text ${i} is not a string`);
      if (t.trim() === '') throw createError('EMPTY_TEXT', `text ${i} is empty; nothing to embed`, { index: i });
    });
    const prefix = kind === 'query' ? this.spec.queryInstruction : '';
    const sepId = this.tokenizer.sep_token_id ?? 102;
    const truncated = new Array<boolean>(texts.length).fill(false);
    const ids = texts.map((t, i) => {
      let e = this.tokenizer.encode(prefix + t) as number[];
      if (e.length > max) {
        e = [...e.slice(0, max - 1), sepId];
        truncated[i] = true;
      }
      return e;
    });
    const order = ids.map((_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length);
    const out = new Float32Array(texts.length * dim);
    const t0 = performance.now();
    let done = 0;
    const priority = kind === 'query' ? 'high' : 'low';
    for (const batch of this.batches(order, ids)) {
      if (options.signal?.aborted) throw createError('CANCELLED', `embedding cancelled after ${done} of ${texts.length} texts`, { done });
      const seq = Math.max(...batch.map((i) => ids[i]!.length));
      const B = batch.length;
      const inputIds = new BigInt64Array(B * seq);
      const mask = new BigInt64Array(B * seq);
      batch.forEach((src, b) => {
        const row = ids[src]!;
        for (let j = 0; j < row.length; j++) {
          inputIds[b * seq + j] = BigInt(row[j]!);
          mask[b * seq + j] = 1n;
        }
      });
      const result = await this.scheduler.schedule<{ last_hidden_state: Tensor }>(
        () =>
          this.model({
            input_ids: new Tensor('int64', inputIds, [B, seq]),
            attention_mask: new Tensor('int64', mask, [B, seq]),
            token_type_ids: new Tensor('int64', new BigInt64Array(B * seq), [B, seq]),
          }),
        priority,
      );
      const hidden = result.last_hidden_state;
      const h = hidden.data as Float32Array;
      const H = hidden.dims[2]!;
      if (H !== dim) throw createError('DIMENSION_MISMATCH', `model ${this.spec.id} produced ${H} dimensions, its spec says ${dim}`);
      batch.forEach((src, b) => {
        const dst = src * dim;
        if (pooling === 'cls') {
          out.set(h.subarray(b * seq * H, b * seq * H + H), dst);
        } else {
          const len = ids[src]!.length;
          for (let j = 0; j < len; j++) {
            const base = (b * seq + j) * H;
            for (let k = 0; k < H; k++) out[dst + k]! += h[base + k]! / len;
          }
        }
      });
      hidden.dispose?.();
      done += B;
      const secs = (performance.now() - t0) / 1000;
      onProgress?.({ status: 'embed', done, total: texts.length, textsPerSecond: secs > 0 ? done / secs : 0 });
    }
    if (this.spec.normalize) normalizeCheckedRows(out, dim);
    return { vectors: out, truncated };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
