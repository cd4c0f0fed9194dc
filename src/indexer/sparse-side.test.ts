// `createIndexer({ sparse })` in Node on the generated models: the sparse side's files,
// what a query reads back from them, the cache on a second run, and the files gone
// when a later run leaves the sparse side out.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import { assertSiteManifest, type SiteManifest, type SitePassage } from '../core/site-index.ts';
import { shardOf, vocabularyBucket } from '../core/sparse-index.ts';
import { decodePostingsShard } from '../core/sparse-postings.ts';
import { queryTokens, scoreSparse } from '../core/sparse-scoring.ts';
import { createWordPiece } from '../core/wordpiece.ts';
import { createIndexer, type IndexerProgress } from './indexer.ts';

let work: string;
let site: string;
beforeAll(() => {
  for (const id of ['pagesense-test/bert-tiny', 'pagesense-test/sparse-tiny']) forgeModel(FORGED_MODELS.find((m) => m.id === id)!);
  work = mkdtempSync(join(tmpdir(), 'pagesense-sparse-'));
  site = join(work, 'site');
  cpSync('test/fixtures/site', site, { recursive: true });
});

const options = () => ({
  model: 'pagesense-test/bert-tiny',
  localModelPath: MODELS_ROOT,
  allowRemoteModels: false,
  cacheDir: join(work, 'cache'),
  maxTokens: 64,
  overlapTokens: 8,
});

/** Every bucket of the vocabulary, read back. */
const wholeVocabulary = (out: string, m: SiteManifest) => Object.values(m.sparse!.vocabulary).flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n'));

/** What the page does, in Node: the vocabulary, the query's tokens, their shards, the scores. */
function sparseSearch(out: string, m: SiteManifest, query: string): { key: string; score: number }[] {
  const s = m.sparse!;
  const wp = createWordPiece(wholeVocabulary(out, m), { specials: s.tokenizer.specials });
  const tokens = queryTokens(wp.tokenize(query), s.tokenizer.specials);
  const postings = new Map();
  for (const t of tokens) {
    const file = s.postings[shardOf(t, s.postings.length)]!;
    const p = decodePostingsShard(readFileSync(join(out, file)), file).get(t);
    if (p) postings.set(t, p);
  }
  const keys = JSON.parse(readFileSync(join(out, m.keys.file), 'utf8')) as string[];
  return scoreSparse(tokens, postings, m.counts.passages, s.weightScale, 5).map((h) => ({ key: keys[h.index]!, score: h.score }));
}

describe('the sparse side written by createIndexer', () => {
  it('writes a versioned manifest entry, a vocabulary and postings shards that answer a query', async () => {
    const indexer = await createIndexer({ ...options(), sparse: 'pagesense-test/sparse-tiny', sparseTopTerms: 64 });
    const events: IndexerProgress[] = [];
    const { manifest, out } = await indexer.index(site, { onProgress: (p) => events.push(p) });
    await indexer.dispose();
    expect(assertSiteManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')), 'manifest.json')).toEqual(manifest);
    const s = manifest.sparse!;
    expect(s).toMatchObject({
      version: 1,
      model: { id: 'pagesense-test/sparse-tiny', activation: 'log1p-log1p-relu', generated: true },
      tokenizer: { type: 'wordpiece', lowercase: true, unknown: '[UNK]', prefix: '##', specials: expect.arrayContaining(['[CLS]', '[SEP]', '[MASK]']) },
      pruning: { topTerms: 64, minWeight: 0 },
    });
    const files = readdirSync(out);
    for (const f of [...Object.values(s.vocabulary), ...s.postings]) expect(files).toContain(f);
    const vocabulary = wholeVocabulary(out, manifest);
    expect(new Set(vocabulary).size).toBe(30522);
    // Each token sits in its own bucket: what the page fetches for a word holds every piece WordPiece may ask about.
    for (const [bucket, f] of Object.entries(s.vocabulary))
      for (const t of readFileSync(join(out, f), 'utf8').split('\n')) expect(vocabularyBucket(t)).toBe(bucket);
    // Every posting is counted once, and no passage keeps more than topTerms tokens.
    const perRow = new Map<number, number>();
    let postings = 0;
    for (const f of s.postings)
      for (const p of decodePostingsShard(readFileSync(join(out, f)), f).values()) {
        postings += p.rows.length;
        for (const r of p.rows) perRow.set(r, (perRow.get(r) ?? 0) + 1);
      }
    expect(postings).toBe(s.counts.postings);
    expect(Math.max(...perRow.values())).toBeLessThanOrEqual(64);
    expect(events.filter((e) => e.status === 'sparse').at(-1)).toMatchObject({ done: manifest.counts.passages, total: manifest.counts.passages });
    // The generated model weights a passage's own words: the Fresnel section answers its own words.
    expect(sparseSearch(out, manifest, 'fresnel lens prisms')[0]?.key).toBe('guide/lamps.html#fresnel');
    const passages = JSON.parse(readFileSync(join(out, manifest.passages[0]!.file), 'utf8')) as SitePassage[];
    expect(passages.length).toBeGreaterThan(0);
  }, 60_000);

  it('a second run encodes nothing (the sparse cache) and writes the same files', async () => {
    const before = JSON.parse(readFileSync(join(site, 'pagesense', 'manifest.json'), 'utf8')) as SiteManifest;
    const indexer = await createIndexer({ ...options(), sparse: 'pagesense-test/sparse-tiny', sparseTopTerms: 64 });
    const events: IndexerProgress[] = [];
    const { manifest } = await indexer.index(site, { onProgress: (p) => events.push(p) });
    await indexer.dispose();
    expect(events.filter((e) => e.status === 'sparse')).toEqual([]);
    expect(manifest.sparse).toEqual(before.sparse);
  }, 60_000);

  it('a run without --sparse removes the sparse files and the manifest entry', async () => {
    const before = JSON.parse(readFileSync(join(site, 'pagesense', 'manifest.json'), 'utf8')) as SiteManifest;
    const indexer = await createIndexer(options());
    const { manifest, out } = await indexer.index(site);
    await indexer.dispose();
    expect(manifest.sparse).toBeUndefined();
    for (const f of [...Object.values(before.sparse!.vocabulary), ...before.sparse!.postings]) expect(existsSync(join(out, f))).toBe(false);
  }, 60_000);

  it('names an unknown sparse model and the ones it knows', async () => {
    await expect(createIndexer({ ...options(), sparse: 'naver/splade-v3' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('opensearch-project/opensearch-neural-sparse-encoding-doc-v3-distill'),
    });
  });
});
