// A fixed, seeded sample of passages from ../shared/corpora/vite-docs (real
// documentation, mixed lengths), or null with a reason when the corpus is absent.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chunkText } from '../src/core/chunking.ts';
import { renderMarkdown } from '../src/indexer/markdown-page.ts';
import { rng } from '../test/helpers/seeded-vectors.ts';

export const CORPUS_DIR = join(process.cwd(), '..', 'shared', 'corpora', 'vite-docs');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? markdownFiles(p) : f.endsWith('.md') ? [p] : [];
    });
}

export function samplePassages(count: number, seed = 1): string[] | null {
  if (!existsSync(CORPUS_DIR)) return null;
  const all = markdownFiles(CORPUS_DIR)
    .flatMap((f) => chunkText(readFileSync(f, 'utf8')).map((p) => p.text))
    .filter((t) => t.length > 20);
  const r = rng(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

/** The corpus as a built docs site would serve it: every Markdown page rendered to HTML under `site`. */
export function renderCorpusSite(site: string): void {
  if (!existsSync(CORPUS_DIR)) throw new Error(`this bench needs ${CORPUS_DIR} (see ../shared/corpora/README.md)`);
  for (const file of markdownFiles(CORPUS_DIR)) {
    const target = join(site, file.slice(CORPUS_DIR.length + 1).replace(/\.md$/, '.html'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, renderMarkdown(readFileSync(file, 'utf8')).html);
  }
}
