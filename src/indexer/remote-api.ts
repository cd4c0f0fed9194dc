// The three embedding protocols `pagesense index --embed-endpoint` speaks, as their
// own docs and code define them: what a batch request looks like, how its answer is
// read back (in input order, checked for count, dimension and finite values), and
// what the engine says about itself. Transport, retries and splitting are elsewhere
// (remote-embedder.ts).
//   tei     Hugging Face text-embeddings-inference: GET /info (model id and sha, dtype,
//           pooling, max_input_length, max_client_batch_size), POST /embed
//           { inputs, normalize, truncate } → number[][].
//   openai  POST /v1/embeddings { input, model, encoding_format: 'float' } →
//           { data: [{ embedding, index }] } (base64 embeddings read too).
//   ollama  POST /api/embed { model, input, truncate } → { embeddings: number[][] }.
import { createError } from '../core/errors.ts';

export type EmbedApi = 'tei' | 'openai' | 'ollama';
export const EMBED_APIS: readonly EmbedApi[] = ['tei', 'openai', 'ollama'];

/** What an engine says about itself (TEI's /info; the others say little). */
export interface EngineInfo {
  api: EmbedApi;
  version?: string;
  modelId?: string;
  modelSha?: string;
  dtype?: string;
  pooling?: string;
  maxInputLength?: number;
  maxClientBatchSize?: number;
}

interface TeiInfo {
  model_id?: string;
  model_sha?: string | null;
  model_dtype?: string;
  model_pooling?: string;
  model_type?: { embedding?: { pooling?: string } };
  max_input_length?: number;
  max_client_batch_size?: number;
  version?: string;
}

/** The path each API embeds at, under the endpoint's base URL. */
const EMBED_PATH: Record<EmbedApi, string> = { tei: 'embed', openai: 'v1/embeddings', ollama: 'api/embed' };

export function endpointUrl(endpoint: string, path: string): string {
  return new URL(path, endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

export function engineInfoFromTei(json: TeiInfo): EngineInfo {
  return {
    api: 'tei',
    ...(json.version ? { version: json.version } : {}),
    ...(json.model_id ? { modelId: json.model_id } : {}),
    ...(json.model_sha ? { modelSha: json.model_sha } : {}),
    ...(json.model_dtype ? { dtype: json.model_dtype } : {}),
    ...((json.model_type?.embedding?.pooling ?? json.model_pooling) ? { pooling: json.model_type?.embedding?.pooling ?? json.model_pooling } : {}),
    ...(typeof json.max_input_length === 'number' ? { maxInputLength: json.max_input_length } : {}),
    ...(typeof json.max_client_batch_size === 'number' ? { maxClientBatchSize: json.max_client_batch_size } : {}),
  };
}

/** The request body for a batch; `model` names the model for the APIs that route by name. */
export function embedRequest(api: EmbedApi, endpoint: string, texts: readonly string[], model: string): { url: string; body: string } {
  const url = endpointUrl(endpoint, EMBED_PATH[api]);
  // Passages were cut to fit the model at indexing time: a server that would still truncate must refuse instead.
  if (api === 'tei') return { url, body: JSON.stringify({ inputs: texts, normalize: true, truncate: false }) };
  if (api === 'openai') return { url, body: JSON.stringify({ input: texts, model, encoding_format: 'float' }) };
  return { url, body: JSON.stringify({ model, input: texts, truncate: false }) };
}

function base64Floats(b64: string): number[] {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return Array.from(new Float32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4)));
}

/** The answer's rows, in input order, each checked; `where` names the endpoint in errors. */
export function parseEmbedResponse(api: EmbedApi, json: unknown, count: number, dimension: number, where: string): Float32Array[] {
  let rows: unknown[];
  if (api === 'tei') rows = Array.isArray(json) ? json : [];
  else if (api === 'ollama') rows = Array.isArray((json as { embeddings?: unknown })?.embeddings) ? (json as { embeddings: unknown[] }).embeddings : [];
  else {
    const data = (json as { data?: { embedding?: unknown; index?: number }[] })?.data;
    rows = [];
    if (Array.isArray(data)) {
      // The spec orders by `index`, not by position in `data`: some servers answer out of order.
      for (const d of data) {
        if (!Number.isInteger(d?.index) || d.index! < 0 || d.index! >= count || rows[d.index!] !== undefined) {
          throw createError('ENGINE_FAILED', `${where} answered an embedding with index ${String(d?.index)} for a batch of ${count}`);
        }
        rows[d.index!] = typeof d.embedding === 'string' ? base64Floats(d.embedding) : d.embedding;
      }
    }
  }
  if (rows.length !== count || rows.some((r) => r === undefined)) {
    throw createError('ENGINE_FAILED', `${where} answered ${rows.filter((r) => r !== undefined).length} embeddings for ${count} texts`);
  }
  return rows.map((r, i) => {
    if (!Array.isArray(r) || r.length !== dimension) {
      throw createError(
        'DIMENSION_MISMATCH',
        `${where} answered a ${Array.isArray(r) ? r.length : 'non-array'}-dimensional embedding for text ${i}; the model the page uses has ${dimension} dimensions: is the endpoint serving another model?`,
        { expected: dimension },
      );
    }
    const row = Float32Array.from(r as number[]);
    if (!row.every(Number.isFinite)) throw createError('NON_FINITE_VECTOR', `${where} answered an embedding holding NaN or Infinity for text ${i}`);
    return row;
  });
}
