// `pagesense index --vectors <file>`: a batch job's vectors instead of embedding here.
// Every passage must have its vector and the file nothing else (an export from another
// site or another cut is refused by name, before anything is written); then a sample
// of the site's own passages, chosen like the remote canaries (the shortest, the
// longest, code, non-ASCII, newlines) and across lengths, is re-embedded locally and
// must agree as closely as the model agrees with itself.
import { basename } from 'node:path';
import { createError } from '../core/errors.ts';
import type { SiteEngine, SitePassage } from '../core/site-index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { assertParity, stratifiedByLength } from './embedding-parity.ts';
import { readVectorsFile } from './vector-table.ts';

const SAMPLE = 24;

/** Passage rows to check: the shortest passage of each kind engines get wrong first, then every length band (the longest last, where truncation shows). */
function sampleRows(texts: readonly string[]): number[] {
  const bands = stratifiedByLength(texts, SAMPLE);
  const byLength = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  const firstOf = (test: (t: string) => boolean) => byLength.find((i) => test(texts[i]!));
  const kinds = [firstOf((t) => /[{}();=]/.test(t)), firstOf((t) => [...t].some((c) => c.charCodeAt(0) > 127)), firstOf((t) => t.includes('\n'))];
  return [...new Set([...kinds.filter((i): i is number => i !== undefined && !bands.includes(i)), ...bands])];
}

const examples = (ids: readonly string[]) => `${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}`;

export async function importVectors(
  file: string,
  local: Embedder,
  passages: readonly SitePassage[],
  hashes: readonly string[],
): Promise<{ vectors: Float32Array; engine: SiteEngine }> {
  const dim = local.info.dimension;
  const { vectors: byId, format } = await readVectorsFile(file, dim);
  const wanted = new Set(hashes);
  const missing = [...wanted].filter((h) => !byId.has(h));
  if (missing.length) {
    throw createError(
      'NOT_FOUND',
      `${file} lacks vectors for ${missing.length} of the site's ${wanted.size} passages (ids ${examples(missing)}): export them again with \`pagesense passages\` from this build and embed the new file`,
      { missing: missing.length },
    );
  }
  const extra = [...byId.keys()].filter((id) => !wanted.has(id));
  if (extra.length) {
    throw createError(
      'INVALID_ARGUMENT',
      `${file} holds ${extra.length} ids no passage of this site has (${examples(extra)}): it was made from another build or with other passage settings (--max-tokens, --overlap-tokens, --no-code)`,
      { extra: extra.length },
    );
  }
  const texts = passages.map((p) => p.text);
  const rows = sampleRows(texts);
  const sample = await assertParity(
    `the vectors in ${file}`,
    local,
    rows.map((i) => texts[i]!),
    rows.map((i) => byId.get(hashes[i]!)!),
    true,
  );
  const vectors = new Float32Array(passages.length * dim);
  hashes.forEach((h, i) => vectors.set(byId.get(h)!, i * dim));
  return { vectors, engine: { api: 'vectors-file', endpoints: 0, file: `${basename(file)} (${format})`, parity: { canaries: sample } } };
}
