// `npm run eval:build`: a labelled set built from ../shared/corpora/vite-docs, in BEIR
// format under eval-data/vite-docs/ (git-ignored: the documents are not ours to copy).
// Corpus: each section of each page (its heading's passages, joined), titled with the
// page's title. Queries: each section heading that names one section only, in plain
// words (code marks, links and anchors removed, lower-cased); relevant: that section.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkText } from '../../src/core/chunking.ts';
import { writeBeir, type BeirDocument } from './beir.ts';

export const VITE_DOCS = resolve(fileURLToPath(import.meta.url), '../../../../shared/corpora/vite-docs');
export const VITE_DOCS_SET = resolve(fileURLToPath(import.meta.url), '../../../eval-data/vite-docs');

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );

/** A heading as a person would type it: no code marks, links, anchors or punctuation runs. */
export function headingQuery(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[`*_~]/g, '')
    .replace(/[^\p{L}\p{N}\s.'\-/@]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function buildViteDocsSet(source = VITE_DOCS, out = VITE_DOCS_SET): { documents: number; queries: number } {
  if (!existsSync(source)) throw new Error(`${source} is missing: the vite-docs corpus comes from ../shared/corpora`);
  const corpus: BeirDocument[] = [];
  const sections = new Map<string, { doc: string; heading: string }[]>();
  for (const file of markdownFiles(source).sort()) {
    const page = relative(source, file).replace(/\.md$/, '');
    const md = readFileSync(file, 'utf8');
    const title = /^title:\s*(.+)$/m.exec(md)?.[1]?.trim() ?? /^#\s+(.+)$/m.exec(md)?.[1]?.trim() ?? page;
    const bySection = new Map<string, string[]>();
    for (const p of chunkText(md, { maxChars: 4000 })) {
      const key = `${p.heading}\u0000${p.anchor}`;
      bySection.set(key, [...(bySection.get(key) ?? []), p.text]);
    }
    for (const [key, texts] of bySection) {
      const [heading, anchor] = key.split('\u0000') as [string, string];
      const id = `${page}#${anchor || 'top'}`;
      if (corpus.some((d) => d._id === id)) continue; // a heading repeated on one page: its first section stands
      corpus.push({ _id: id, title, text: texts.join('\n\n') });
      const q = headingQuery(heading);
      if (q.split(' ').length < 2) continue; // "Usage", "Example": no query in them
      sections.set(q, [...(sections.get(q) ?? []), { doc: id, heading }]);
    }
  }
  const queries: { _id: string; text: string }[] = [];
  const qrels = new Map<string, Map<string, number>>();
  for (const [text, where] of sections) {
    if (where.length !== 1) continue; // a heading several sections share names none of them
    const id = `q${queries.length + 1}`;
    queries.push({ _id: id, text });
    qrels.set(id, new Map([[where[0]!.doc, 1]]));
  }
  writeBeir(out, { corpus, queries, qrels });
  return { documents: corpus.length, queries: queries.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const r = buildViteDocsSet();
  console.log(`eval:build: ${r.documents} sections, ${r.queries} queries in ${relative(process.cwd(), VITE_DOCS_SET)}`);
}
