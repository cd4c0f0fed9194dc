// The seam between search and the model runtime. Two implementations: the
// in-process runtime (Node, and inside the worker) and the worker proxy the
// page uses, so the UI thread never runs the model.
import type { EmbeddingSpec, Pooling } from '../core/manifest.ts';
import type { ProgressCallback } from '../core/progress.ts';

export type Device = 'webgpu' | 'wasm' | 'cpu';

export interface EmbedderInfo extends EmbeddingSpec {
  device: Device;
  dtype: string;
  /** Why this device was chosen (and why others were not). */
  deviceReason: string;
  /** Generated test model: results carry no meaning. */
  generated: boolean;
  /** Where the model files came from. */
  source: string;
  /** Set when no model could be loaded (the embedder then refuses to embed): why, and what to do. */
  unavailable?: string;
}

export interface EmbedResult {
  /** Row-major, one L2-normalized row per input text, in input order. */
  vectors: Float32Array;
  /** Per input: true when the text was cut at the model's token limit. */
  truncated: boolean[];
}

export type TextKind = 'query' | 'passage';

export interface EmbedOptions {
  /** Aborting rejects with CANCELLED after the batch in flight. */
  signal?: AbortSignal;
  /**
   * Pools token vectors this way for this call instead of the model's own way
   * (info.pooling), to compare poolings on the same sentences. Such vectors do
   * not belong in the model's collections: search always uses the model's pooling.
   */
  pooling?: Pooling;
}

export interface Embedder {
  readonly info: EmbedderInfo;
  /** Queries run before pending passage batches, so search stays responsive while indexing. */
  embed(texts: readonly string[], kind: TextKind, onProgress?: ProgressCallback, options?: EmbedOptions): Promise<EmbedResult>;
  dispose(): Promise<void>;
}
