// BEIR's dataset layout: corpus.jsonl ({ _id, title, text }), queries.jsonl ({ _id,
// text }) and qrels/test.tsv (query-id, corpus-id, score, with a header line).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BeirDocument {
  _id: string;
  title: string;
  text: string;
}

export interface BeirDataset {
  name: string;
  corpus: BeirDocument[];
  queries: { _id: string; text: string }[];
  /** query id -> corpus id -> grade */
  qrels: Map<string, Map<string, number>>;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch {
        throw new Error(`${file}:${i + 1} is not a JSON line`);
      }
    });
}

export function readBeir(dir: string, split = 'test'): BeirDataset {
  const corpus = jsonl<BeirDocument>(join(dir, 'corpus.jsonl')).map((d) => ({ _id: String(d._id), title: d.title ?? '', text: d.text ?? '' }));
  const queries = jsonl<{ _id: string; text: string }>(join(dir, 'queries.jsonl')).map((q) => ({ _id: String(q._id), text: q.text }));
  const qrels = new Map<string, Map<string, number>>();
  const lines = readFileSync(join(dir, 'qrels', `${split}.tsv`), 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const [q, d, g] = line.split('\t');
    if (!q || !d || g === undefined) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, Number(g));
  }
  return { name: dir.split('/').filter(Boolean).at(-1) ?? dir, corpus, queries, qrels };
}

export function writeBeir(dir: string, set: Omit<BeirDataset, 'name'>): void {
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  writeFileSync(join(dir, 'corpus.jsonl'), set.corpus.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(join(dir, 'queries.jsonl'), set.queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
  const rows = [...set.qrels].flatMap(([q, docs]) => [...docs].map(([d, g]) => `${q}\t${d}\t${g}`));
  writeFileSync(join(dir, 'qrels', 'test.tsv'), ['query-id\tcorpus-id\tscore', ...rows].join('\n') + '\n');
}
