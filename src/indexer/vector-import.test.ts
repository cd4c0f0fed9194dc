// The batch path end to end: `pagesense passages` writes Parquet, a "batch job" (the
// local model here) embeds it, `index --vectors` reads Parquet or Arrow IPC back;
// every way a file can be wrong is named before anything is written.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Field, FixedSizeList, Float32, makeTable, tableToIPC, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { loadTransformersEmbedder } from '../embedding/transformers-runtime.ts';
import { runCli } from '../cli/commands.ts';
import { sha256 } from './content-hash.ts';
import { createIndexer } from './indexer.ts';
import { exportPassages } from './passage-export.ts';

const MODEL = 'pagesense-test/bert-tiny';
const PASSAGE_FLAGS = { maxTokens: 64, overlapTokens: 8 };
let work: string;
let site: string;
let rows: { id: string; text: string; url: string }[];
let vectors: number[][];
let local: Embedder;

beforeAll(async () => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  work = mkdtempSync(join(tmpdir(), 'pagesense-vectors-'));
  site = join(work, 'site');
  cpSync('test/fixtures/site', site, { recursive: true });
  const file = join(work, 'passages.parquet');
  await exportPassages(site, file, { model: MODEL, localModelPath: MODELS_ROOT, allowRemoteModels: false, ...PASSAGE_FLAGS });
  const bytes = readFileSync(file);
  rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })) as typeof rows;
  local = await loadTransformersEmbedder({ model: MODEL, localModelPath: MODELS_ROOT + '/', device: 'cpu', dtype: 'fp32' });
  const { vectors: v } = await local.embed(
    rows.map((r) => r.text),
    'passage',
  );
  vectors = rows.map((_, i) => Array.from(v.subarray(i * 32, (i + 1) * 32)));
}, 60_000);

const parquet = (name: string, ids: string[], vecs: number[][]) => {
  const file = join(work, name);
  writeFileSync(
    file,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ids, type: 'STRING' },
          { name: 'vector', data: vecs },
        ],
      }),
    ),
  );
  return file;
};
async function indexWith(vectorsFile: string) {
  const out = mkdtempSync(join(work, 'out-'));
  const indexer = await createIndexer({
    model: MODEL,
    localModelPath: MODELS_ROOT,
    allowRemoteModels: false,
    cacheDir: join(work, 'cache'),
    vectorsFile,
    ...PASSAGE_FLAGS,
  });
  try {
    return { out, result: await indexer.index(site, { out }) };
  } finally {
    await indexer.dispose();
  }
}

describe('batch import', () => {
  it('pagesense passages writes each distinct passage once: id (its SHA-256), text, url#anchor', () => {
    expect(rows.length).toBeGreaterThan(2);
    for (const r of rows) expect(r.id).toBe(sha256(r.text));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.some((r) => r.url === 'guide/lamps.html#fresnel')).toBe(true);
  });

  it('index --vectors reads Parquet and Arrow IPC, embeds nothing, and records the file and its parity', async () => {
    const fromParquet = await indexWith(
      parquet(
        'vectors.parquet',
        rows.map((r) => r.id),
        vectors,
      ),
    );
    expect(fromParquet.result.embedded).toBe(0);
    expect(fromParquet.result.manifest.model.engine).toMatchObject({ api: 'vectors-file', file: 'vectors.parquet (parquet)' });
    expect(fromParquet.result.manifest.model.engine!.parity.canaries.minCosine).toBeGreaterThanOrEqual(0.99975);
    const m = fromParquet.result.manifest;
    const b = readFileSync(join(fromParquet.out, m.vectors[0]!.file));
    const stored = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const keys = JSON.parse(readFileSync(join(fromParquet.out, m.keys.file), 'utf8')) as string[];
    const fresnel = keys.indexOf('guide/lamps.html#fresnel');
    const row = rows.findIndex((r) => r.url === 'guide/lamps.html#fresnel');
    expect(Array.from(stored.subarray(fresnel * 32, fresnel * 32 + 32))).toEqual(Array.from(Float32Array.from(vectors[row]!)));

    const type = new FixedSizeList(32, new Field('item', new Float32(), false));
    const table = makeTable({ id: vectorFromArray(rows.map((r) => r.id)).data[0]!, vector: vectorFromArray(vectors, type).data[0]! } as unknown as Parameters<
      typeof makeTable
    >[0]);
    const arrowFile = join(work, 'vectors.arrow');
    writeFileSync(arrowFile, tableToIPC(table, 'file'));
    const fromArrow = await indexWith(arrowFile);
    expect(fromArrow.result.manifest.model.engine).toMatchObject({ api: 'vectors-file', file: 'vectors.arrow (arrow)' });
  }, 60_000);

  it('names missing ids, extra ids, wrong dimensions, NaN, a foreign file and other vectors, and writes nothing', async () => {
    const ids = rows.map((r) => r.id);
    const cases: [string, string, RegExp][] = [
      [parquet('missing.parquet', ids.slice(1), vectors.slice(1)), 'NOT_FOUND', /lacks vectors for 1 of/],
      [parquet('extra.parquet', [...ids, 'f'.repeat(64)], [...vectors, vectors[0]!]), 'INVALID_ARGUMENT', /1 ids no passage/],
      [
        parquet(
          'dims.parquet',
          ids,
          vectors.map((v) => v.slice(0, 16)),
        ),
        'DIMENSION_MISMATCH',
        /16 dimensions; the model has 32/,
      ],
      [
        parquet(
          'nan.parquet',
          ids,
          vectors.map((v, i) => (i === 1 ? [NaN, ...v.slice(1)] : v)),
        ),
        'NON_FINITE_VECTOR',
        /row 1/,
      ],
      [join(work, 'passages.parquet'), 'INVALID_ARGUMENT', /no "id" and "vector" columns \(it has id, text, url\)/],
    ];
    const noise = vectors.map((v) => {
      const n = v.map((x, d) => x + (d % 2 ? 0.05 : -0.05));
      const norm = Math.hypot(...n);
      return n.map((x) => x / norm);
    });
    cases.push([parquet('other.parquet', ids, noise), 'PARITY_FAILED', /likely cause/]);
    const junk = join(work, 'junk.csv');
    writeFileSync(junk, 'id,vector\n');
    cases.push([junk, 'INVALID_ARGUMENT', /neither Parquet nor Arrow/]);
    for (const [file, code, message] of cases) {
      const out = mkdtempSync(join(work, 'bad-'));
      const indexer = await createIndexer({
        model: MODEL,
        localModelPath: MODELS_ROOT,
        allowRemoteModels: false,
        cacheDir: join(work, 'cache'),
        vectorsFile: file,
        ...PASSAGE_FLAGS,
      });
      await expect(indexer.index(site, { out }), file).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      await indexer.dispose();
      expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    }
  }, 60_000);

  it('`pagesense passages` says what it wrote and what to do next', async () => {
    const lines: string[] = [];
    const out = join(work, 'cli.parquet');
    const code = await runCli(
      ['passages', site, '--out', out, '--model', MODEL, '--models', MODELS_ROOT, '--offline', '--max-tokens', '64', '--overlap-tokens', '8'],
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(new RegExp(`^wrote ${rows.length} passages from 3 pages to .*cli\\.parquet \\(id, text, url\\)`));
  }, 60_000);
});
