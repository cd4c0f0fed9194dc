// The page's reader of a site index, against a fake host: which requests it makes
// (range or whole file), what it keeps, and how it recovers from a failed fetch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PASSAGE_SHARD_ROWS, SITE_INDEX_FORMAT, SITE_INDEX_VERSION, VECTOR_SHARD_ROWS, type SiteManifest, type SitePassage } from '../core/site-index.ts';
import { createSiteIndexReader } from './site-index-reader.ts';

const DIM = 4;
const ROWS = VECTOR_SHARD_ROWS * 2 + 76; // three vector shards, the last one short
const BASE = 'https://docs.test/pagesense/';

/** Row i holds [i, i + 0.25, i + 0.5, i + 0.75]: any misplaced byte shows. */
const rowOf = (i: number) => [i, i + 0.25, i + 0.5, i + 0.75];

interface Host {
  requests: { file: string; range: string | null }[];
  /** Answers Range with 206 when true, with the whole file (200) when false. */
  honoursRange: boolean;
  /** Files that fail this many more times (503), then answer. */
  failing: Map<string, number>;
}

function fakeSite(): { host: Host; manifest: SiteManifest } {
  const files = new Map<string, Uint8Array>();
  const vectors = [];
  for (let s = 0; s * VECTOR_SHARD_ROWS < ROWS; s++) {
    const rows = Math.min(VECTOR_SHARD_ROWS, ROWS - s * VECTOR_SHARD_ROWS);
    const data = new Float32Array(rows * DIM);
    for (let r = 0; r < rows; r++) data.set(rowOf(s * VECTOR_SHARD_ROWS + r), r * DIM);
    const file = `vectors-${s}-x.f32`;
    files.set(file, new Uint8Array(data.buffer));
    vectors.push({ file, bytes: data.byteLength, sha256: '' });
  }
  const passages = [];
  for (let s = 0; s * PASSAGE_SHARD_ROWS < ROWS; s++) {
    const list: SitePassage[] = [];
    for (let i = s * PASSAGE_SHARD_ROWS; i < Math.min(ROWS, (s + 1) * PASSAGE_SHARD_ROWS); i++) {
      list.push({ url: `p${i}.html`, anchor: '', title: `Page ${i}`, headingPath: [], text: `passage ${i}`, start: 0, end: 9 });
    }
    const file = `passages-${s}-x.json`;
    files.set(file, new TextEncoder().encode(JSON.stringify(list)));
    passages.push({ file, bytes: 0, sha256: '' });
  }
  files.set('codes-x.i8', new Uint8Array(ROWS * DIM));
  files.set('keys-x.json', new TextEncoder().encode(JSON.stringify(Array.from({ length: ROWS }, (_, i) => `p${i}.html`))));
  const manifest = {
    format: SITE_INDEX_FORMAT,
    formatVersion: SITE_INDEX_VERSION,
    pagesenseVersion: '0.0.0',
    model: { id: 'm', revision: 'main', dtype: 'fp32', dimension: DIM, pooling: 'cls', normalized: true, queryInstruction: '', generated: true },
    quantization: 'int8',
    ranges: { min: [0, 0, 0, 0], max: [1, 1, 1, 1] },
    counts: { pages: ROWS, passages: ROWS, embedded: ROWS },
    passageTokens: { max: 256, overlap: 32 },
    codes: { file: 'codes-x.i8', bytes: ROWS * DIM, sha256: '' },
    keys: { file: 'keys-x.json', bytes: 0, sha256: '' },
    vectors,
    passages,
  } satisfies SiteManifest;
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest)));

  const host: Host = { requests: [], honoursRange: true, failing: new Map() };
  vi.stubGlobal('fetch', async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    const file = url.pathname.replace('/pagesense/', '');
    const range = new Headers(init?.headers).get('Range');
    host.requests.push({ file, range });
    const left = host.failing.get(file) ?? 0;
    if (left > 0) {
      host.failing.set(file, left - 1);
      return new Response('busy', { status: 503 });
    }
    const body = files.get(file);
    if (!body) return new Response('missing', { status: 404 });
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
    if (m && host.honoursRange) return new Response(body.slice(Number(m[1]), Number(m[2]) + 1), { status: 206 });
    return new Response(body.slice(), { status: 200 });
  });
  return { host, manifest };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const rowsAsArrays = (rows: Float32Array) => Array.from({ length: rows.length / DIM }, (_, i) => Array.from(rows.subarray(i * DIM, (i + 1) * DIM)));

describe('createSiteIndexReader', () => {
  it('reads the candidates’ float32 rows by range requests, one per nearby run, never across a shard boundary', async () => {
    const { host } = fakeSite();
    const reader = createSiteIndexReader(BASE);
    const wanted = [3, 0, 1, VECTOR_SHARD_ROWS - 1, VECTOR_SHARD_ROWS, ROWS - 1, 1];
    const rows = await reader.rows(wanted);
    expect(rowsAsArrays(rows)).toEqual(wanted.map(rowOf)); // in the order asked, duplicates included
    const ranged = host.requests.filter((r) => r.file.startsWith('vectors-'));
    const rowBytes = DIM * 4;
    expect(ranged).toEqual(
      expect.arrayContaining([
        { file: 'vectors-0-x.f32', range: `bytes=0-${4 * rowBytes - 1}` }, // rows 0, 1 and 3 share one request
        { file: 'vectors-0-x.f32', range: `bytes=${(VECTOR_SHARD_ROWS - 1) * rowBytes}-${VECTOR_SHARD_ROWS * rowBytes - 1}` },
        { file: 'vectors-1-x.f32', range: `bytes=0-${rowBytes - 1}` }, // the next row, but the next shard
        { file: 'vectors-2-x.f32', range: `bytes=${(ROWS - 1 - 2 * VECTOR_SHARD_ROWS) * rowBytes}-${(ROWS - 2 * VECTOR_SHARD_ROWS) * rowBytes - 1}` },
      ]),
    );
    expect(ranged).toHaveLength(4);
    expect(reader.fetched.vectors).toBe(7 * rowBytes);
  });

  it('keeps a whole shard a host sent instead of a range (200), and reads later rows of it from memory', async () => {
    const { host } = fakeSite();
    host.honoursRange = false;
    const reader = createSiteIndexReader(BASE);
    expect(rowsAsArrays(await reader.rows([10]))).toEqual([rowOf(10)]);
    expect(rowsAsArrays(await reader.rows([200, 11]))).toEqual([rowOf(200), rowOf(11)]);
    expect(host.requests.filter((r) => r.file === 'vectors-0-x.f32')).toHaveLength(1);
    expect(reader.fetched.vectors).toBe(VECTOR_SHARD_ROWS * DIM * 4);
  });

  it('after prefetchVectors, rescoring reads memory only', async () => {
    const { host } = fakeSite();
    const reader = createSiteIndexReader(BASE);
    await reader.prefetchVectors();
    const before = host.requests.length;
    expect(rowsAsArrays(await reader.rows([5, VECTOR_SHARD_ROWS + 5, ROWS - 1]))).toEqual([rowOf(5), rowOf(VECTOR_SHARD_ROWS + 5), rowOf(ROWS - 1)]);
    expect(host.requests.length).toBe(before);
  });

  it('reads only the passage shards of the passages asked for, each once', async () => {
    const { host } = fakeSite();
    const reader = createSiteIndexReader(BASE);
    const got = await reader.passages([PASSAGE_SHARD_ROWS + 2, 0, PASSAGE_SHARD_ROWS + 3]);
    expect(got.map((p) => p.text)).toEqual([`passage ${PASSAGE_SHARD_ROWS + 2}`, 'passage 0', `passage ${PASSAGE_SHARD_ROWS + 3}`]);
    expect(host.requests.filter((r) => r.file.startsWith('passages-')).map((r) => r.file)).toEqual(['passages-1-x.json', 'passages-0-x.json']);
  });

  it('a failed fetch is an error naming the file, and the next call fetches again instead of keeping the failure', async () => {
    const { host } = fakeSite();
    host.failing.set('manifest.json', 1);
    host.failing.set('keys-x.json', 1);
    const reader = createSiteIndexReader(BASE);
    await expect(reader.manifest()).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/pagesense/manifest.json answered 503') });
    expect((await reader.manifest()).counts.passages).toBe(ROWS);
    await expect(reader.keys()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await reader.keys()).toHaveLength(ROWS);
    expect(host.requests.filter((r) => r.file === 'manifest.json')).toHaveLength(2);
  });

  it('refuses a manifest that is not JSON, naming where the index was looked for', async () => {
    fakeSite();
    vi.stubGlobal('fetch', async () => new Response('<!doctype html><title>Not found</title>', { status: 200 }));
    await expect(createSiteIndexReader(BASE).manifest()).rejects.toMatchObject({
      code: 'CORRUPT_INDEX',
      message: expect.stringContaining('is the index folder deployed at https://docs.test/pagesense/'),
    });
  });
});
