// add and upsert: the whole call validated before any write, then embedded and
// committed `commitBatch` documents at a time (a crash keeps every committed batch),
// with the scan index changed in place as each batch lands.
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import { assertJsonValue } from '../core/json-value.ts';
import { assertKnownOptions, assertOptionValues } from '../core/options.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { DocumentInput, VectorStore } from '../storage/vector-store.ts';
import type { CollectionScan } from './collection-scan.ts';
import type { LexicalSide } from './lexical-side.ts';
import type { AddResult, IngestOptions } from './search-types.ts';

export interface IngestContext {
  embedder: Embedder;
  store: VectorStore;
  name: string;
  scan: CollectionScan;
  lexical: LexicalSide;
  commitBatch: number;
  maxTextLength: number;
}

/** Rejects the call (storing nothing) for a document without a string id or text, empty, too long, or given twice. */
export function validateDocuments(docs: readonly DocumentInput[], maxTextLength: number): void {
  if (!Array.isArray(docs)) throw createError('INVALID_ARGUMENT', `documents must be an array of { id, text }, got ${typeof docs}`);
  const seen = new Set<string>();
  // An index loop, not forEach: a sparse array's holes are documents too (missing ones).
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    if (!d || typeof d.id !== 'string' || d.id === '') throw createError('INVALID_ARGUMENT', `document ${i} needs a non-empty string id`);
    if (typeof d.text !== 'string') throw createError('INVALID_ARGUMENT', `document "${d.id}" has no text`);
    if (d.text.trim() === '') throw createError('EMPTY_TEXT', `document "${d.id}" has empty text`, { id: d.id });
    if ((d.title !== undefined && typeof d.title !== 'string') || (d.url !== undefined && typeof d.url !== 'string')) {
      throw createError('INVALID_ARGUMENT', `document "${d.id}": title and url must be strings when given`, { id: d.id });
    }
    if (d.meta !== undefined) {
      if (typeof d.meta !== 'object' || d.meta === null || Array.isArray(d.meta)) {
        throw createError('INVALID_ARGUMENT', `document "${d.id}": meta must be an object of JSON values`, { id: d.id });
      }
      assertJsonValue(d.meta, `document "${d.id}" meta`);
    }
    if (d.text.length > maxTextLength) {
      throw createError(
        'TEXT_TOO_LONG',
        `document "${d.id}" has ${d.text.length} characters (limit ${maxTextLength}); split it into passages with chunkText() first`,
        { id: d.id },
      );
    }
    if (seen.has(d.id)) throw ERROR_MESSAGES.duplicateInCall(d.id, 'call');
    seen.add(d.id);
  }
}

/** Returns what was added, and whether the scan index must be read again (an int8 collection just fixed its ranges). */
export async function ingest(
  ctx: IngestContext,
  docs: readonly DocumentInput[],
  mode: 'add' | 'upsert',
  options: IngestOptions,
): Promise<{ result: AddResult; reload: boolean }> {
  const { embedder, store, name, scan } = ctx;
  assertKnownOptions(options, ['onProgress', 'signal'], mode);
  assertOptionValues(options, { onProgress: 'function', signal: 'object' }, mode);
  const { onProgress, signal } = options;
  if (signal !== undefined && typeof signal.aborted !== 'boolean') throw createError('INVALID_ARGUMENT', `${mode}: signal must be an AbortSignal`);
  validateDocuments(docs, ctx.maxTextLength);
  const stored = await store.hasDocuments(
    name,
    docs.map((d) => d.id),
  );
  const fresh = mode === 'add' ? docs.filter((_, i) => !stored[i]) : [...docs];
  const skipped = mode === 'add' ? docs.filter((_, i) => stored[i]).map((d) => d.id) : [];
  const known = new Set(docs.filter((_, i) => stored[i]).map((d) => d.id));
  const truncated: string[] = [];
  const t0 = performance.now();
  let done = 0;
  let reload = false;
  for (let start = 0; start < fresh.length; start += ctx.commitBatch) {
    if (signal?.aborted) throw createError('CANCELLED', `indexing cancelled after ${done} of ${fresh.length} documents (those are saved)`, { done });
    const batch = fresh.slice(start, start + ctx.commitBatch);
    const result = await embedder.embed(
      batch.map((d) => d.text),
      'passage',
      (p) => {
        if (p.status !== 'embed') return;
        const secs = (performance.now() - t0) / 1000;
        onProgress?.({ status: 'embed', done: done + p.done, total: fresh.length, textsPerSecond: secs > 0 ? (done + p.done) / secs : 0 });
      },
      signal ? { signal } : {},
    );
    result.truncated.forEach((t, i) => t && truncated.push(batch[i]!.id));
    const replacing = mode === 'upsert' && batch.some((d) => known.has(d.id));
    scan.manifest = replacing ? await store.upsert(name, batch, result.vectors) : await store.append(name, batch, result.vectors);
    // The first full block of an int8 collection fixed its ranges: switch to scanning codes.
    if (scan.manifest.ranges && scan.index.precision === 'float32') reload = true;
    if (!reload) {
      if (replacing) scan.drop(new Set(batch.filter((d) => known.has(d.id)).map((d) => d.id)));
      scan.append(
        batch.map((d) => d.id),
        result.vectors,
      );
    }
    ctx.lexical.put(batch);
    done += batch.length;
    onProgress?.({ status: 'store', done, total: fresh.length });
  }
  return { result: { added: fresh.length, skipped, truncated }, reload };
}
