// The indexer on real documents: the Vite documentation's Markdown sources
// (../shared/corpora/vite-docs), and the same pages rendered to HTML by the test,
// which must give the same sections and anchors.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import type { SitePassage } from '../core/site-index.ts';
import { createIndexer, type Indexer } from './indexer.ts';

const CORPUS = join(process.cwd(), '..', 'shared', 'corpora', 'vite-docs');
const present = existsSync(CORPUS);
if (!present) console.warn(`skipping the vite-docs indexer test: ${CORPUS} is absent (see ../shared/corpora/README.md)`);

const MODEL = 'pagesense-test/bert-tiny';
let indexer: Indexer;
const work = mkdtempSync(join(tmpdir(), 'pagesense-vite-docs-'));
const passagesOf = (out: string) => {
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { passages: { file: string }[] };
  return m.passages.flatMap((s) => JSON.parse(readFileSync(join(out, s.file), 'utf8')) as SitePassage[]);
};

beforeAll(async () => {
  if (!present) return;
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  indexer = await createIndexer({ model: MODEL, localModelPath: MODELS_ROOT, allowRemoteModels: false, cacheDir: join(work, 'cache'), lexical: false });
}, 60_000);
afterAll(async () => {
  await indexer?.dispose();
});

describe.skipIf(!present)('indexing the Vite docs', () => {
  it('Markdown sources: every page, VitePress anchors and heading paths, passages within the token limit', async () => {
    const { manifest, out } = await indexer.index(CORPUS, { out: join(work, 'md') });
    expect(manifest.counts.pages).toBe(57);
    const passages = passagesOf(out);
    expect(passages.length).toBeGreaterThan(600);
    const host = passages.find((p) => p.url === 'config/server-options.html' && p.anchor === 'server-host');
    expect(host?.headingPath).toEqual(['Server Options', 'server.host']);
    expect(host?.text).toContain('Specify which IP addresses the server should listen on');
    // Front matter and container markers are not content; a Vue <script setup> block is dropped with the other scripts.
    expect(passages.filter((p) => /^---|:::|\bdefineProps\b/.test(p.text)).map((p) => p.text.slice(0, 80))).toEqual([]);
    expect(Math.max(...passages.map((p) => p.text.length))).toBeLessThan(4000);
  }, 240_000);

  it('the same pages rendered to HTML by the test with markdown-it give the same sections', async () => {
    const html = join(work, 'html');
    const md = new MarkdownIt({ html: true });
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        if (name.name.startsWith('.')) continue;
        if (name.isDirectory()) walk(join(dir, name.name));
        else if (name.name.endsWith('.md')) files.push(join(dir, name.name));
      }
    };
    walk(CORPUS);
    for (const file of files) {
      // Plain markdown-it, front matter cut off by hand: no heading ids, no container handling.
      const body = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
      const target = join(html, file.slice(CORPUS.length + 1).replace(/\.md$/, '.html'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `<!doctype html><html><body><main>${md.render(body)}</main></body></html>`);
    }
    const fromHtml = passagesOf((await indexer.index(html, { out: join(work, 'from-html') })).out);
    const fromMd = passagesOf(join(work, 'md'));
    const sections = (ps: SitePassage[]) => [...new Set(ps.map((p) => `${p.url} ${p.headingPath.join(' › ')}`))];
    const a = sections(fromHtml);
    const b = sections(fromMd);
    // The same pages, split at the same headings; only the anchors differ (plain markdown-it writes no ids).
    expect(a.length).toBeGreaterThan(500);
    expect(a.filter((s) => !b.includes(s))).toEqual([]);
    expect(b.filter((s) => !a.includes(s))).toEqual([]);
    expect(fromHtml.every((p) => p.anchor === '')).toBe(true);
  }, 240_000);
});
