// The indexer end to end in Node on the generated tiny model: a fixture site in, a
// site index out, and a second run that embeds only what changed.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import { sha256 } from './content-hash.ts';
import { assertSiteManifest, type SitePassage } from '../core/site-index.ts';
import { createIndexer, type Indexer, type IndexerProgress } from './indexer.ts';

const MODEL = 'pagesense-test/bert-tiny';
let indexer: Indexer;
let work: string;

beforeAll(async () => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  work = mkdtempSync(join(tmpdir(), 'pagesense-indexer-'));
  cpSync('test/fixtures/site', join(work, 'site'), { recursive: true });
  indexer = await createIndexer({
    model: MODEL,
    localModelPath: MODELS_ROOT,
    allowRemoteModels: false,
    cacheDir: join(work, 'cache'),
    maxTokens: 64,
    overlapTokens: 8,
  });
}, 60_000);
afterAll(async () => {
  await indexer?.dispose();
});

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('createIndexer', () => {
  it('writes a manifest and content-hashed shards: int8 codes, float32 rows, passages with url#anchor, and Pagefind’s index', async () => {
    const events: IndexerProgress[] = [];
    const { manifest, embedded, out } = await indexer.index(join(work, 'site'), { onProgress: (p) => events.push(p) });
    expect(out).toBe(join(work, 'site', 'pagesense'));
    expect(assertSiteManifest(readJson(join(out, 'manifest.json')), 'manifest.json')).toEqual(manifest);
    const pages = events.find((e) => e.status === 'pages')!;
    expect(pages).toMatchObject({ pages: 3, skipped: ['guide/empty.html'] });
    const n = manifest.counts.passages;
    expect(embedded).toBe(n);
    expect(manifest.model).toMatchObject({ id: MODEL, dimension: 32, pooling: 'cls', generated: true });
    for (const s of [manifest.codes, ...manifest.vectors, ...manifest.passages]) {
      const bytes = readFileSync(join(out, s.file));
      expect(bytes.byteLength).toBe(s.bytes);
      expect(sha256(bytes)).toBe(s.sha256);
      expect(s.file).toContain(s.sha256.slice(0, 16));
    }
    expect(manifest.codes.bytes).toBe(n * 32);
    expect(manifest.vectors.reduce((t, s) => t + s.bytes, 0)).toBe(n * 32 * 4);
    const passages = manifest.passages.flatMap((s) => readJson<SitePassage[]>(join(out, s.file)));
    expect(passages).toHaveLength(n);
    const fresnel = passages.find((p) => p.text.includes('Fresnel lens bends'))!;
    expect(fresnel).toMatchObject({
      url: 'guide/lamps.html',
      anchor: 'fresnel',
      title: 'Lamps and lenses',
      headingPath: ['Lamps and lenses', 'The Fresnel lens'],
    });
    expect(passages.some((p) => p.text.includes('souvenir') || p.text.includes('navigation'))).toBe(false);
    expect(existsSync(join(out, 'pagefind', 'pagefind.js'))).toBe(true);
  }, 120_000);

  it('embeds nothing on an unchanged site, and only the changed passages after an edit', async () => {
    const site = join(work, 'site');
    const again = await indexer.index(site);
    expect(again.embedded).toBe(0);
    const lamps = join(site, 'guide', 'lamps.html');
    writeFileSync(lamps, readFileSync(lamps, 'utf8').replace('Early lamps burned whale oil', 'The first lamps burned colza oil'));
    const edited = await indexer.index(site);
    expect(edited.embedded).toBe(1);
    expect(edited.manifest.counts.passages).toBe(again.manifest.counts.passages);
    // The shards of the old run that the new manifest does not name are gone.
    const codesBefore = join(site, 'pagesense', again.manifest.codes.file);
    expect(existsSync(codesBefore)).toBe(false);
  }, 120_000);

  it('names what is wrong with the input', async () => {
    await expect(indexer.index(join(work, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('does not exist') });
    const empty = mkdtempSync(join(tmpdir(), 'pagesense-empty-'));
    await expect(indexer.index(empty)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no .html or .md files') });
    writeFileSync(join(empty, 'a.html'), '<html><body><nav>only navigation</nav></body></html>');
    await expect(indexer.index(empty)).rejects.toMatchObject({ code: 'EMPTY_TEXT', message: expect.stringContaining('none of the 1 pages') });
  });

  it('checks its options at the door like createPagesense: a misspelt name, a wrong value, an unknown model', async () => {
    await expect(createIndexer({ modle: MODEL } as never)).rejects.toMatchObject({
      code: 'UNKNOWN_OPTION',
      message: expect.stringContaining('did you mean "model"'),
    });
    await expect(createIndexer({ model: MODEL, maxTokens: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('maxTokens'),
    });
    await expect(createIndexer({ model: MODEL, dtype: 'int4' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('dtype'),
    });
    await expect(createIndexer({ model: 'bge-small' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('use one of Xenova/bge-small-en-v1.5, Xenova/bge-m3'),
    });
    await expect(indexer.index(join(work, 'site'), { output: 'x' } as never)).rejects.toMatchObject({ code: 'UNKNOWN_OPTION' });
  });

  it('a folder it cannot write is WRITE_FAILED naming it, not a stack trace', async () => {
    const blocked = join(work, 'a-file-not-a-folder');
    writeFileSync(blocked, 'x');
    await expect(indexer.index(join(work, 'site'), { out: join(blocked, 'pagesense') })).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining(`cannot write ${join(blocked, 'pagesense')}`),
    });
  });

  it('a re-index removes what it no longer writes: the bundled model without --bundle-model, Pagefind’s index with lexical off', async () => {
    const site = join(work, 'site');
    const out = join(work, 'stale-out');
    const bundling = await createIndexer({
      model: MODEL,
      localModelPath: MODELS_ROOT,
      allowRemoteModels: false,
      cacheDir: join(work, 'cache'),
      bundleModel: true,
    });
    try {
      const first = await bundling.index(site, { out });
      expect(first.manifest.model.bundled?.path).toBe('models/');
      expect(existsSync(join(out, 'models', MODEL, 'onnx', 'model.onnx'))).toBe(true);
      expect(existsSync(join(out, 'pagefind', 'pagefind.js'))).toBe(true);
    } finally {
      await bundling.dispose();
    }
    const plain = await createIndexer({ model: MODEL, localModelPath: MODELS_ROOT, allowRemoteModels: false, cacheDir: join(work, 'cache'), lexical: false });
    try {
      const second = await plain.index(site, { out });
      expect(second.manifest.model.bundled).toBeUndefined();
      expect(existsSync(join(out, 'models'))).toBe(false);
      expect(existsSync(join(out, 'pagefind'))).toBe(false);
      expect(second.bytes).toBeLessThan(100_000);
    } finally {
      await plain.dispose();
    }
  });
});
