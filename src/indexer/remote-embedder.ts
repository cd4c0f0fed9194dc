// Embeds passages on remote engines: batches spread over every endpoint from one
// queue, a bounded number in flight per endpoint; network errors, 408, 429 and 5xx
// retried with jittered backoff that honours Retry-After; a batch refused for its size
// (413, TEI's 422 "batch size … > maximum allowed", an input too long) split in halves
// until it passes or the one passage at fault is named; an endpoint that keeps failing
// is dropped and its batch handed to the others. Each batch is handed to `onBatch` as
// it arrives, so the caller can keep it (the indexer's cache: a stopped run resumes).
import { createError, isPagesenseError, type PagesenseError } from '../core/errors.ts';
import { embedRequest, endpointUrl, engineInfoFromTei, parseEmbedResponse, type EmbedApi, type EngineInfo } from './remote-api.ts';
import { backoffMs, retryable, retryAfterMs } from './retry-policy.ts';

export interface RemoteOptions {
  endpoints: readonly string[];
  api: EmbedApi;
  /** The model name the OpenAI-compatible and Ollama APIs route by. */
  model: string;
  dimension: number;
  /** Texts per request at most (TEI's max_client_batch_size lowers it). */
  batchSize: number;
  /** Requests in flight per endpoint. */
  concurrency: number;
  /** Tries per batch on one endpoint before that endpoint is dropped. Default 6. */
  maxAttempts?: number;
  /** JSON bytes per request at most (TEI refuses bodies over 2 MB). Default 1.5 MB. */
  maxRequestBytes?: number;
  /** Sent with every request (an Authorization header for a hosted OpenAI-compatible API). */
  headers?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface EndpointStats {
  endpoint: string;
  done: number;
  passagesPerSecond: number;
  retries: number;
  dropped: boolean;
}

export interface RemoteEmbedder {
  /** What each endpoint said about itself (TEI's /info), in the order given. */
  readonly engines: readonly EngineInfo[];
  /** The largest batch sent (the smaller of batchSize and every endpoint's limit). */
  readonly batchSize: number;
  embed(
    texts: readonly string[],
    onBatch: (indexes: readonly number[], rows: readonly Float32Array[]) => void,
    onProgress?: (stats: readonly EndpointStats[]) => void,
  ): Promise<void>;
}

/** Rejections that splitting the batch can cure: too many texts, too many bytes, a text too long. */
function sizeRefusal(status: number, body: string): boolean {
  return status === 413 || (status === 422 && /batch size|too (large|long|many)|must have less than|maximum allowed|payload|exceed/i.test(body));
}

async function readInfo(api: EmbedApi, endpoint: string, doFetch: typeof fetch, headers: Readonly<Record<string, string>>): Promise<EngineInfo> {
  if (api !== 'tei') return { api };
  const url = endpointUrl(endpoint, 'info');
  let res: Response;
  try {
    res = await doFetch(url, { headers });
  } catch (err) {
    throw createError('ENGINE_FAILED', `cannot reach ${url}: ${String((err as Error).cause ?? (err as Error).message)}`, { endpoint }, err);
  }
  if (!res.ok)
    throw createError('ENGINE_FAILED', `${url} answered ${res.status}; is ${endpoint} a text-embeddings-inference server (--embed-api tei)?`, { endpoint });
  return engineInfoFromTei((await res.json()) as Parameters<typeof engineInfoFromTei>[0]);
}

export async function connectRemote(o: RemoteOptions): Promise<RemoteEmbedder> {
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const engines = await Promise.all(o.endpoints.map((e) => readInfo(o.api, e, doFetch, o.headers ?? {})));
  const batchSize = Math.max(1, Math.min(o.batchSize, ...engines.map((e) => e.maxClientBatchSize ?? Infinity)));
  const maxAttempts = o.maxAttempts ?? 6;
  const maxBytes = o.maxRequestBytes ?? 1_500_000;

  return {
    engines,
    batchSize,
    async embed(texts, onBatch, onProgress) {
      // Batches of consecutive texts, at most batchSize and maxBytes each.
      const queue: number[][] = [];
      for (let i = 0; i < texts.length;) {
        const batch: number[] = [];
        let bytes = 0;
        while (i < texts.length && batch.length < batchSize && (batch.length === 0 || bytes + texts[i]!.length * 3 < maxBytes)) {
          bytes += texts[i]!.length * 3;
          batch.push(i++);
        }
        queue.push(batch);
      }
      const stats: EndpointStats[] = o.endpoints.map((endpoint) => ({ endpoint, done: 0, passagesPerSecond: 0, retries: 0, dropped: false }));
      const t0 = performance.now();
      let inFlight = 0;
      let failure: PagesenseError | undefined;
      const idle: (() => void)[] = [];
      const changed = () => idle.splice(0).forEach((wake) => wake());
      const lastErrors: string[] = [];

      /** One request; resolves with rows, or 'split', or throws (retryable errors are marked). */
      async function send(e: number, batch: number[]): Promise<Float32Array[] | 'split'> {
        const endpoint = o.endpoints[e]!;
        const { url, body } = embedRequest(
          o.api,
          endpoint,
          batch.map((i) => texts[i]!),
          o.model,
        );
        let res: Response;
        try {
          res = await doFetch(url, { method: 'POST', headers: { ...o.headers, 'content-type': 'application/json' }, body });
        } catch (err) {
          throw Object.assign(createError('ENGINE_FAILED', `${url}: ${String((err as Error).cause ?? (err as Error).message)}`, { endpoint }, err), {
            retry: undefined as number | undefined,
          });
        }
        if (res.ok) return parseEmbedResponse(o.api, await res.json(), batch.length, o.dimension, url);
        const text = await res.text().catch(() => '');
        if (sizeRefusal(res.status, text)) return 'split';
        const err = createError('ENGINE_FAILED', `${url} answered ${res.status}: ${text.slice(0, 200)}`, { endpoint, status: res.status });
        if (retryable(res.status)) throw Object.assign(err, { retry: retryAfterMs(res.headers.get('retry-after')) });
        throw err;
      }

      async function worker(e: number): Promise<void> {
        const s = stats[e]!;
        while (!failure && !s.dropped) {
          const batch = queue.shift();
          if (!batch) {
            if (inFlight === 0) return;
            await new Promise<void>((r) => idle.push(r));
            continue;
          }
          inFlight++;
          try {
            for (let attempt = 1; ; attempt++) {
              try {
                const rows = await send(e, batch);
                if (rows === 'split') {
                  if (batch.length === 1) {
                    throw createError(
                      'TEXT_TOO_LONG',
                      `${o.endpoints[e]} refuses passage ${batch[0]} on its own (${texts[batch[0]!]!.length} characters): its input limit is below the passage size; raise the server's limit (TEI: --max-input-length, --payload-limit) or index with a smaller --max-tokens`,
                      { passage: batch[0] },
                    );
                  }
                  const half = Math.ceil(batch.length / 2);
                  queue.unshift(batch.slice(0, half), batch.slice(half));
                } else {
                  onBatch(batch, rows);
                  s.done += batch.length;
                  s.passagesPerSecond = s.done / ((performance.now() - t0) / 1000);
                  onProgress?.(stats);
                }
                break;
              } catch (err) {
                const retry = (err as { retry?: number }).retry;
                if (!('retry' in (err as object))) throw err;
                lastErrors.push((err as Error).message);
                if (attempt >= maxAttempts) {
                  // This endpoint is failing: the batch goes back for the others.
                  s.dropped = true;
                  queue.unshift(batch);
                  break;
                }
                s.retries++;
                await sleep(backoffMs(attempt, retry));
              }
            }
          } catch (err) {
            failure ??= isPagesenseError(err) ? err : createError('ENGINE_FAILED', String((err as Error)?.message ?? err), undefined, err);
          } finally {
            inFlight--;
            changed();
          }
        }
      }

      const workers = o.endpoints.flatMap((_, e) => Array.from({ length: o.concurrency }, () => worker(e)));
      // Wake idle workers whenever work may have appeared or ended.
      await Promise.all(workers.map((w) => w.finally(changed)));
      if (failure) throw failure;
      if (queue.length) {
        throw createError(
          'ENGINE_FAILED',
          `every embedding endpoint failed after ${maxAttempts} tries (${o.endpoints.join(', ')}); last: ${lastErrors.slice(-3).join('; ')}. Passages embedded so far are kept: run again to resume.`,
          { endpoints: o.endpoints },
        );
      }
    },
  };
}
