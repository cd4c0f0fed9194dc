// Reads a site index the way Pagefind reads its own: the manifest first (a few KB),
// the int8 codes and the passage keys on the first semantic query, only the float32
// rows of the candidates being rescored (HTTP range requests into the vector shards;
// a host that ignores Range sends the whole shard once, which is then kept), and the
// passage shards of the hits shown. Every fetch goes to the index's own folder.
import { createError } from '../core/errors.ts';
import { createPromiseCache, retryingOnce } from '../core/promise-cache.ts';
import { assertSiteManifest, PASSAGE_SHARD_ROWS, SITE_MANIFEST_FILE, VECTOR_SHARD_ROWS, type SiteManifest, type SitePassage } from '../core/site-index.ts';

export interface SiteIndexReader {
  readonly base: string;
  manifest(): Promise<SiteManifest>;
  codes(): Promise<Int8Array>;
  /** Each passage's 'url#anchor', in row order. */
  keys(): Promise<string[]>;
  /** The float32 rows of these passages, in order. */
  rows(indexes: readonly number[]): Promise<Float32Array>;
  /** Fetches every vector shard whole, so later rescoring reads memory instead of the network. */
  prefetchVectors(): Promise<void>;
  passages(indexes: readonly number[]): Promise<SitePassage[]>;
  /** A file of the learned-sparse side (its vocabulary or a postings shard), fetched once. */
  sparseFile(file: string): Promise<ArrayBuffer>;
  /** Bytes fetched so far, by what they were for. */
  readonly fetched: { manifest: number; codes: number; keys: number; vectors: number; passages: number; sparse: number };
}

/** Rows closer than this share one range request (fewer requests for a few wasted bytes). */
const COALESCE_ROWS = 4;

export function createSiteIndexReader(base: string): SiteIndexReader {
  const root = new URL(base.endsWith('/') ? base : `${base}/`, globalThis.location?.href).href;
  const fetched = { manifest: 0, codes: 0, keys: 0, vectors: 0, passages: 0, sparse: 0 };
  // Every cache here keeps a promise until it rejects: a failed fetch is tried again by the next call.
  const files = createPromiseCache<string, ArrayBuffer>();
  const request = async (file: string, kind: keyof typeof fetched, range?: [number, number]): Promise<{ body: ArrayBuffer; partial: boolean }> => {
    const url = new URL(file, root);
    const res = await fetch(url, range ? { headers: { Range: `bytes=${range[0]}-${range[1] - 1}` } } : {});
    if (!res.ok) throw createError('NOT_FOUND', `the site index file ${url.pathname} answered ${res.status}; run \`pagesense index\` again and deploy its folder whole`);
    const body = await res.arrayBuffer();
    fetched[kind] += body.byteLength;
    return { body, partial: res.status === 206 };
  };
  const get = (file: string, kind: keyof typeof fetched): Promise<ArrayBuffer> => files.get(file, () => request(file, kind).then((r) => r.body));
  const readManifest = retryingOnce(() =>
    get(SITE_MANIFEST_FILE, 'manifest').then((buf) => {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(buf));
      } catch {
        throw createError('CORRUPT_INDEX', `${new URL(SITE_MANIFEST_FILE, root).pathname} is not JSON (is the index folder deployed at ${root}?)`);
      }
      return assertSiteManifest(json, new URL(SITE_MANIFEST_FILE, root).pathname);
    }),
  );
  const parsed = createPromiseCache<string, unknown>();
  const json = <T>(file: string, kind: keyof typeof fetched): Promise<T> =>
    parsed.get(file, () => get(file, kind).then((buf) => JSON.parse(new TextDecoder().decode(buf)) as unknown)) as Promise<T>;

  /** Rows first..last (inclusive) of one vector shard, by range request; the whole shard where Range is not honoured. */
  async function shardRows(m: SiteManifest, shard: number, first: number, last: number): Promise<Float32Array> {
    const file = m.vectors[shard]!.file;
    const rowBytes = m.model.dimension * 4;
    const whole = files.peek(file);
    if (whole) return new Float32Array(await whole, first * rowBytes, (last - first + 1) * m.model.dimension);
    const r = await request(file, 'vectors', [first * rowBytes, (last + 1) * rowBytes]);
    if (r.partial) return new Float32Array(r.body);
    files.set(file, r.body); // the host sent it all: keep it
    return new Float32Array(r.body, first * rowBytes, (last - first + 1) * m.model.dimension);
  }

  return {
    base: root,
    fetched,
    manifest: readManifest,
    async codes() {
      const m = await readManifest();
      return new Int8Array(await get(m.codes.file, 'codes'));
    },
    async keys() {
      return json<string[]>((await readManifest()).keys.file, 'keys');
    },
    async rows(indexes) {
      const m = await readManifest();
      const dim = m.model.dimension;
      const out = new Float32Array(indexes.length * dim);
      const sorted = [...new Set(indexes)].sort((a, b) => a - b);
      const runs: [number, number][] = [];
      for (const i of sorted) {
        const last = runs.at(-1);
        const sameShard = last && Math.floor(last[1] / VECTOR_SHARD_ROWS) === Math.floor(i / VECTOR_SHARD_ROWS);
        if (last && sameShard && i - last[1] <= COALESCE_ROWS) last[1] = i;
        else runs.push([i, i]);
      }
      const got = new Map<number, Float32Array>();
      await Promise.all(
        runs.map(async ([a, b]) => {
          const shard = Math.floor(a / VECTOR_SHARD_ROWS);
          const rows = await shardRows(m, shard, a % VECTOR_SHARD_ROWS, b % VECTOR_SHARD_ROWS);
          for (let i = a; i <= b; i++) got.set(i, rows.subarray((i - a) * dim, (i - a + 1) * dim));
        }),
      );
      indexes.forEach((i, j) => out.set(got.get(i)!, j * dim));
      return out;
    },
    async prefetchVectors() {
      const m = await readManifest();
      await Promise.all(m.vectors.map((s) => get(s.file, 'vectors')));
    },
    sparseFile: (file) => get(file, 'sparse'),
    async passages(indexes) {
      const m = await readManifest();
      return Promise.all(indexes.map(async (i) => (await json<SitePassage[]>(m.passages[Math.floor(i / PASSAGE_SHARD_ROWS)]!.file, 'passages'))[i % PASSAGE_SHARD_ROWS]!));
    },
  };
}
