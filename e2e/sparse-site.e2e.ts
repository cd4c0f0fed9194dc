// The learned-sparse side in a real page: `pagesense index --sparse` (the built CLI)
// on the fixture site, a plain static server, <pagesense-search> in Chromium. The
// first answer fuses Pagefind and the sparse index with no model, worker or wasm of
// ours loaded, fetching only the postings shards of the query's own tokens; once the
// model is warm, all three sides answer; a missing shard leaves the others standing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketsForWords, shardOf } from '../src/core/sparse-index.ts';
import { queryTokens } from '../src/core/sparse-scoring.ts';
import { createWordPiece } from '../src/core/wordpiece.ts';
import type { SiteManifest } from '../src/core/site-index.ts';
import { collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { serveStatic } from './static-server.ts';

const work = mkdtempSync(join(tmpdir(), 'pagesense-sparse-site-'));
const site = join(work, 'site');
const cli = (...args: string[]) => execFileSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let server: Awaited<ReturnType<typeof serveStatic>>;
let session: Awaited<ReturnType<typeof launch>>;
let page: Page;
let consoleErrors: string[];
let foreign: string[];
let manifest: SiteManifest;

type Results = {
  mode: string;
  sides: string[];
  notice?: string;
  pages: { page: string; sub: { key: string; sides: string[]; excerpt: { text: string } }[] }[];
};
const searchFor = (q: string) => page.evaluate((query) => (document.querySelector('pagesense-search') as any).search(query), q) as Promise<Results>;

beforeAll(async () => {
  cpSync('test/fixtures/site', site, { recursive: true });
  writeFileSync(join(site, 'favicon.ico'), '');
  // A long glossary of vocabulary words, so the postings spread over many shards.
  const words = (JSON.parse(readFileSync('public/models/pagesense-test/sparse-tiny/tokenizer.json', 'utf8')) as { model: { vocab: Record<string, number> } })
    .model.vocab;
  const plain = Object.keys(words).filter((w) => /^[a-z]{4,}$/.test(w));
  const sections = Array.from(
    { length: 40 },
    (_, i) =>
      `<h2 id="g${i}">Terms ${i}</h2><p>${plain
        .filter((_, j) => j % 40 === i)
        .slice(0, 120)
        .join(' ')}</p>`,
  );
  writeFileSync(
    join(site, 'guide', 'glossary.html'),
    `<html><head><title>Glossary</title></head><body><main><h1>Glossary</h1>${sections.join('')}</main></body></html>`,
  );
  const out = cli(
    'index',
    site,
    ...[
      '--model',
      'pagesense-test/bert-tiny',
      '--sparse',
      'pagesense-test/sparse-tiny',
      '--models',
      'public/models',
      '--offline',
      '--cache',
      join(work, 'cache'),
    ],
  );
  expect(out).toMatch(/sparse side by pagesense-test\/sparse-tiny: \d+ tokens, \d+ postings in \d+ shards/);
  manifest = JSON.parse(readFileSync(join(site, 'pagesense', 'manifest.json'), 'utf8')) as SiteManifest;
  cli('assets', join(site, 'pagesense-assets'));
  cpSync('public/models/pagesense-test/bert-tiny', join(site, 'models', 'pagesense-test', 'bert-tiny'), { recursive: true });
  writeFileSync(
    join(site, 'search.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title><link rel="icon" href="data:,"></head><body>
      <pagesense-search index="/pagesense/" models="/models/" remote-models="false" warm="focus" debug></pagesense-search>
      <script type="module" src="/pagesense-assets/widget.js"></script></body></html>`,
  );
  server = await serveStatic(site);
  session = await launch();
  page = session.page;
  consoleErrors = collectConsoleErrors(page);
  foreign = watchForeignRequests(page, new URL(server.url).origin);
}, 120_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('a site indexed with --sparse', () => {
  it('answers first from Pagefind and the sparse index fused, with no model, worker or wasm of ours, reading only its tokens’ shards', async () => {
    await page.goto(`${server.url}search.html`);
    await page.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
    server.requests.length = 0;
    const query = 'fresnel lens prisms';
    const r = await searchFor(query);
    expect(r.sides).toEqual(['lexical', 'sparse']);
    expect(r.mode).toBe('lexical');
    const fresnel = r.pages.flatMap((p) => p.sub).find((s) => s.key === 'guide/lamps.html#fresnel');
    expect(fresnel?.sides).toEqual(['lexical', 'sparse']);
    const gets = server.requests.filter((q) => q.startsWith('GET ')).map((q) => q.slice(4));
    expect(gets.filter((p) => /\/models\/|\/ort\/|pagesense-assets\/.*worker\.js/.test(p))).toEqual([]);
    // The vocabulary buckets of the query's words and the shards its tokens hash to: nothing more of the sparse side.
    const s = manifest.sparse!;
    const vocab = Object.values(s.vocabulary).flatMap((f) => readFileSync(join(site, 'pagesense', f), 'utf8').split('\n'));
    const wordPiece = createWordPiece(vocab, { specials: s.tokenizer.specials });
    const tokens = queryTokens(wordPiece.tokenize(query), s.tokenizer.specials);
    const shards = new Set(tokens.map((t) => s.postings[shardOf(t, s.postings.length)]));
    const buckets = [...bucketsForWords(wordPiece.words(query))].map((b) => s.vocabulary[b]).filter(Boolean);
    const sparseGets = gets.filter((p) => /\/pagesense\/sparse-/.test(p)).map((p) => p.replace('/pagesense/', ''));
    expect(new Set(sparseGets)).toEqual(new Set([...buckets, ...shards]));
    expect(shards.size).toBeLessThan(s.postings.length);
    expect(buckets.length).toBeLessThan(Object.keys(s.vocabulary).length);
    await expect.poll(() => page.evaluate(() => (document.querySelector('pagesense-search') as HTMLElement).dataset['sides'])).toBe('lexical sparse');
  });

  it('a second query reuses the vocabulary and the shards already read', async () => {
    server.requests.length = 0;
    await searchFor('fresnel lens');
    expect(server.requests.filter((q) => q.includes('/pagesense/sparse-'))).toEqual([]);
  });

  it('once the model is warm, all three sides answer and fuse', async () => {
    await page.evaluate(() => (document.querySelector('pagesense-search') as any).engine.warm());
    await page.waitForFunction(() => (document.querySelector('pagesense-search') as HTMLElement).dataset['mode'] === 'hybrid', undefined, { timeout: 60_000 });
    const r = await searchFor('fresnel lens prisms');
    expect(r.mode).toBe('hybrid');
    expect(r.sides).toEqual(['lexical', 'sparse', 'dense']);
    expect(r.pages.flatMap((p) => p.sub).some((s) => s.sides.length === 3)).toBe(true);
  });

  it('a postings shard that is gone leaves the other sides answering, and says so', async () => {
    const p = await session.context.newPage();
    try {
      for (const f of manifest.sparse!.postings) rmSync(join(site, 'pagesense', f));
      await p.goto(`${server.url}search.html`);
      await p.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
      const r = (await p.evaluate(() => (document.querySelector('pagesense-search') as any).search('fresnel lens prisms'))) as Results;
      expect(r.sides).toEqual(['lexical']);
      expect(r.notice).toMatch(/sparse results unavailable for this query: .*sparse-\d+-\w+\.bin answered 404/);
      expect(r.pages[0]?.page).toBe('guide/lamps.html');
    } finally {
      await p.close();
    }
  });

  it('made no request off the page’s origin and logged no errors of its own', () => {
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
