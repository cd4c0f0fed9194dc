// A local embedding server for tests: node:http speaking text-embeddings-inference's
// GET /info and POST /embed, the OpenAI-compatible POST /v1/embeddings (float and
// base64) and Ollama's POST /api/embed, with vectors computed by the local Node
// embedder, so the protocol is real and the vectors are true. Faults (status codes,
// Retry-After, resets, shuffled indexes, wrong dimensions, a server that dies) and
// misconfigurations (mean pooling, newlines deleted, truncation, a prefix, noise,
// fp16) are switched on per test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Embedder } from '../../src/embedding/embedder.ts';
import { gaussianSource } from '../../scripts/forge/bert.ts';

export interface ServerMisconfig {
  pooling?: 'cls' | 'mean';
  /** Delete newlines (joining the words around them). */
  deleteNewlines?: boolean;
  /** Keep only the first n words of each text. */
  truncateWords?: number;
  prefix?: string;
  /** Gaussian noise of this standard deviation on each component, then renormalized. */
  noise?: number;
  /** Round each component to half precision, as an fp16 engine's output is. */
  fp16?: boolean;
  /** Answer this many dimensions only. */
  dimensions?: number;
  /** TEI /info's dtype and pooling, as the server would say them. */
  info?: { dtype?: string; pooling?: string; maxInputLength?: number; maxClientBatchSize?: number; modelId?: string; modelSha?: string };
}

export type Fault = { status: number; headers?: Record<string, string>; body?: string } | 'reset' | 'shuffle' | undefined;

export interface EmbeddingServer {
  url: string;
  /** Requests answered, by path. */
  readonly requests: { path: string; texts: number; authorization?: string }[];
  misconfig: ServerMisconfig;
  /** Called for every embedding request (n counts them from 1); its answer replaces the normal one. */
  fault: ((path: string, n: number, texts: readonly string[]) => Fault) | undefined;
  /** No fault, no misconfiguration, no requests counted: n starts from 1 again. */
  reset(): void;
  close(): Promise<void>;
}

/** IEEE 754 half precision, rounded to nearest even, back to a number. */
export function roundHalf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const step = 2 ** (Math.max(e, -14) - 10);
  const q = x / step;
  const r = Math.round(q);
  return (Math.abs(q - Math.trunc(q)) === 0.5 && r % 2 !== 0 ? r - Math.sign(q) : r) * step;
}

export async function startEmbeddingServer(embedder: Embedder, model: string): Promise<EmbeddingServer> {
  const dim = embedder.info.dimension;
  const requests: { path: string; texts: number; authorization?: string }[] = [];
  const sockets = new Set<Socket>();
  let n = 0;
  const self: EmbeddingServer = {
    url: '',
    requests,
    misconfig: {},
    fault: undefined,
    reset() {
      self.misconfig = {};
      self.fault = undefined;
      requests.length = 0;
      n = 0;
    },
    close: async () => {},
  };

  async function vectors(texts: readonly string[]): Promise<number[][]> {
    const m = self.misconfig;
    let input = [...texts];
    if (m.deleteNewlines) input = input.map((t) => t.replace(/\n/g, ''));
    if (m.truncateWords) input = input.map((t) => t.split(/\s+/).slice(0, m.truncateWords).join(' '));
    if (m.prefix) input = input.map((t) => m.prefix + t);
    const { vectors: v } = await embedder.embed(input, 'passage', undefined, m.pooling ? { pooling: m.pooling } : undefined);
    const rnd = gaussianSource(n + 1);
    return input.map((_, i) => {
      let row = Array.from(v.subarray(i * dim, (i + 1) * dim));
      if (m.noise) {
        row = row.map((x) => x + rnd() * m.noise!);
        const norm = Math.hypot(...row);
        row = row.map((x) => x / norm);
      }
      if (m.fp16) row = row.map(roundHalf);
      return m.dimensions ? row.slice(0, m.dimensions) : row;
    });
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/info') {
      const i = self.misconfig.info ?? {};
      return send(res, 200, {
        model_id: i.modelId ?? model,
        model_sha: i.modelSha ?? 'f0e316b0000000000000000000000000000000aa',
        model_dtype: i.dtype ?? 'float32',
        model_type: { embedding: { pooling: i.pooling ?? embedder.info.pooling } },
        max_concurrent_requests: 512,
        max_input_length: i.maxInputLength ?? 512,
        max_batch_tokens: 16384,
        max_client_batch_size: i.maxClientBatchSize ?? 32,
        auto_truncate: false,
        tokenization_workers: 2,
        version: '1.8.0-test',
      });
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}') as { inputs?: string[]; input?: string[] | string; encoding_format?: string };
    const texts = (path === '/embed' ? body.inputs : body.input) ?? [];
    const list = typeof texts === 'string' ? [texts] : texts;
    requests.push({ path, texts: list.length, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const fault = self.fault?.(path, ++n, list);
    if (fault === 'reset') return void req.socket.destroy();
    if (fault && fault !== 'shuffle') return send(res, fault.status, fault.body ?? { error: `injected ${fault.status}`, error_type: 'Backend' }, fault.headers);
    const max = self.misconfig.info?.maxClientBatchSize ?? 32;
    if (path === '/embed' && list.length > max)
      return send(res, 422, { error: `batch size ${list.length} > maximum allowed batch size ${max}`, error_type: 'Validation' });
    const rows = await vectors(list);
    if (path === '/embed') return send(res, 200, rows);
    if (path === '/api/embed') return send(res, 200, { model, embeddings: rows });
    if (path === '/v1/embeddings') {
      const data = rows.map((r, index) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? Buffer.from(Float32Array.from(r).buffer).toString('base64') : r,
      }));
      if (fault === 'shuffle') data.reverse();
      return send(res, 200, { object: 'list', data, model, usage: { prompt_tokens: 0, total_tokens: 0 } });
    }
    send(res, 404, { error: 'not found' });
  }

  const server: Server = createServer((req, res) => void handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) })));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  self.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  self.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return self;
}
