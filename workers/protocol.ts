// Wire types of the embedding worker: the page talks to Comlink.Remote<EmbedWorkerApi>.
import type { ProgressCallback } from '../src/core/progress.ts';
import type { EmbedOptions, EmbedResult, EmbedderInfo, TextKind } from '../src/embedding/embedder.ts';
import type { RuntimeOptions } from '../src/embedding/runtime-options.ts';

export type WorkerLoadOptions = Omit<RuntimeOptions, 'onProgress'>;

export interface EmbedWorkerApi {
  load(options: WorkerLoadOptions, onProgress?: ProgressCallback): Promise<EmbedderInfo>;
  /** The vectors' buffer is transferred, not copied. `jobId` lets cancel() stop it between batches. */
  embed(texts: string[], kind: TextKind, onProgress?: ProgressCallback, jobId?: number, pooling?: EmbedOptions['pooling']): Promise<EmbedResult>;
  cancel(jobId: number): void;
  dispose(): Promise<void>;
}
