// A searchable collection: embeds documents through an Embedder, persists them
// in a VectorStore, and answers queries with an exact top-k scan over the
// vectors it keeps in memory.
import { createError, isPagesenseError } from '../core/errors.ts';
import { createFlatIndex, type FlatIndex } from '../core/kernel/flat-index.ts';
import { assertCompatible, type CollectionManifest, type CollectionQuantization } from '../core/manifest.ts';
import { rescoreHits } from '../core/kernel/rescore.ts';
import { decodeIndexFile } from '../core/index-file.ts';
import type { ProgressCallback } from '../core/progress.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { DocumentInput, StoredDocument, VectorBlock, VectorStore } from '../storage/vector-store.ts';

export interface SearchIndexOptions {
  embedder: Embedder;
  store: VectorStore;
  /** Collection name. Default 'default'. */
  collection?: string;
  /** Texts embedded and committed per transaction. Default 32. A crash loses at most one batch. */
  commitBatch?: number;
  /** Longest accepted text in characters. Default 200 000. Chunk longer documents first. */
  maxTextLength?: number;
  /** Reload when another tab changes the collection. Default true. */
  watch?: boolean;
  /** Called after the index reloaded because another tab changed the collection. */
  onExternalChange?: () => void;
  /**
   * A new collection's storage: 'none' (default) keeps float32 only; 'int8' also
   * keeps int8 codes, which are what opening reads and searching scans (a
   * quarter of the bytes), with the best candidates re-ranked exactly from their
   * float32 rows. An existing collection keeps what it was built with.
   */
  quantization?: CollectionQuantization;
  /** int8: candidates re-ranked per result (k * rescore). Default 4. */
  rescore?: number;
  /**
   * After delete/upsert, rewrite the collection without dead rows once they are
   * this fraction of the stored rows. Default 0.25; 1 turns it off (see compact()).
   */
  compactAt?: number;
}

export interface AddResult {
  added: number;
  /** Ids already in the collection, left as they are. */
  skipped: string[];
  /** Ids whose text was cut at the model's token limit. */
  truncated: string[];
}

export interface IngestOptions {
  onProgress?: ProgressCallback;
  /** Stops after the batch in flight with CANCELLED; batches already committed stay. */
  signal?: AbortSignal;
}

export interface SearchHit {
  id: string;
  score: number;
  text: string;
  title?: string;
  url?: string;
  meta?: Record<string, unknown>;
}

export interface SearchIndex {
  readonly manifest: CollectionManifest;
  /** Embeds and stores documents whose ids are new; known ids are skipped (see upsert). */
  add(docs: readonly DocumentInput[], options?: IngestOptions): Promise<AddResult>;
  /** Embeds and stores documents, replacing those whose ids are already indexed. */
  upsert(docs: readonly DocumentInput[], options?: IngestOptions): Promise<AddResult>;
  delete(ids: readonly string[]): Promise<number>;
  /** The stored documents of these ids, in order; undefined where an id is not indexed. */
  get(ids: readonly string[]): Promise<(DocumentInput | undefined)[]>;
  search(query: string, options?: { k?: number }): Promise<SearchHit[]>;
  count(): number;
  /** Re-reads vectors from storage (done automatically when another tab changes the collection). */
  reload(): Promise<void>;
  /** Rewrites the collection without deleted and replaced rows now; returns whether there were any. */
  compact(): Promise<boolean>;
  /**
   * Re-embeds every document with another embedder into a new collection built
   * beside this one (which keeps answering meanwhile), then switches atomically.
   * Returns the index bound to the new embedder; this one must not be used after.
   */
  reindex(embedder: Embedder, options?: IngestOptions): Promise<SearchIndex>;
  /** The collection as one portable file: header with manifest and checksum, vectors, documents. */
  exportFile(): Promise<Uint8Array>;
  /**
   * Replaces the collection with an exported file, atomically. The file must come
   * from the same embedding setup (else MODEL_MISMATCH); a damaged file is
   * CORRUPT_INDEX. Either way nothing changes on failure.
   */
  importFile(file: Uint8Array): Promise<void>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function createSearchIndex(options: SearchIndexOptions): Promise<SearchIndex> {
  const { embedder, store } = options;
  const name = options.collection ?? 'default';
  const commitBatch = options.commitBatch ?? 32;
  const maxTextLength = options.maxTextLength ?? 200_000;
  const dim = embedder.info.dimension;

  const rescore = options.rescore ?? 4;
  const compactAt = options.compactAt ?? 0.25;
  if (!(rescore >= 1)) throw createError('INVALID_ARGUMENT', `rescore must be >= 1, got ${rescore}`);
  let manifest = await store.openCollection(name, embedder.info, options.quantization ? { quantization: options.quantization } : {});
  let ids: string[] = [];
  // Each row's position in the store (-1 for rows added since the last read), so results need no lookup by id.
  let positions: number[] = [];
  let snapshot = '';
  // The scan index (WASM SIMD where available); rebuilt on reload, appended to on add.
  // Stored vectors are exactly what the embedder returned (unit length when the model normalizes): no second pass.
  // An int8 collection scans its codes once its ranges exist; until its first block fills it is small, and scanned exactly.
  const newIndex = (m: CollectionManifest, sharedMemory = false) =>
    m.quantization === 'int8' && m.ranges
      ? createFlatIndex({
          dimension: dim,
          normalize: false,
          precision: 'int8',
          keepFloat: false,
          ranges: { min: Float32Array.from(m.ranges.min), max: Float32Array.from(m.ranges.max) },
        })
      : createFlatIndex({ dimension: dim, normalize: false, sharedMemory });
  let index: FlatIndex = newIndex(manifest);

  // Local writes since the page opened: a reload that overlapped one reads again, so its rows are not lost in the swap.
  let writes = 0;
  // Builds the new index beside the old one, which keeps answering until the swap; a damaged block leaves the old one in place.
  const reload = async (): Promise<void> => {
    const seen = writes;
    // A float index in shared memory, sized for every stored row, whose leading rows the store's vector file
    // is read straight into (where the page has no shared memory, reader.blocks takes them from the file instead).
    let shared: FlatIndex | undefined;
    const fileTarget = (rawRows: number, totalRows: number) => {
      const index = newIndex(manifest, true);
      if (!index.sharedMemory) return undefined;
      index.reserve(totalRows);
      const region = index.rowRegion(rawRows);
      if (!region || !(region.buffer instanceof SharedArrayBuffer)) return undefined;
      shared = index;
      return { buffer: region.buffer, byteOffset: region.byteOffset };
    };
    const reader = await store.readVectors(name, { codes: true, mirror: true, fileTarget });
    let next = reader.file && shared ? shared : newIndex(reader.manifest);
    let nextIds: string[] = [];
    let nextPositions: number[] = [];
    let blocks = reader.blocks;
    if (reader.file) {
      const prefix = await reader.file.read();
      if (prefix && committed(next, prefix.rows)) {
        for (const id of prefix.ids) nextIds.push(id);
        for (const p of prefix.positions) nextPositions.push(p);
        blocks = reader.blocksFrom(reader.file.blocks);
      } else {
        blocks = reader.blocksFrom(0);
      }
    }
    const fill = async (from: AsyncIterable<VectorBlock>) => {
      next.reserve(reader.rows);
      for await (const block of from) {
        if ('codes' in block) next.addCodes(block.codes);
        else next.add(block.vectors);
        for (const id of block.ids) nextIds.push(id);
        for (const p of block.positions) nextPositions.push(p);
      }
    };
    try {
      await fill(blocks);
    } catch (err) {
      // NaN from the vector file's chunks (stored rows are checked when written): the database's blocks instead,
      // into a fresh index. Should the database's own blocks hold one, this read throws it again.
      if (!(blocks === reader.blocks && isPagesenseError(err, 'NON_FINITE_VECTOR'))) throw err;
      next = newIndex(reader.manifest);
      nextIds = [];
      nextPositions = [];
      await fill(reader.blocksFrom(0));
    }
    manifest = reader.manifest;
    ids = nextIds;
    positions = nextPositions;
    snapshot = reader.snapshot;
    index = next;
    if (writes !== seen) return reload();
  };
  await reload();
  // Another tab wrote to this collection: pick its changes up.
  const unsubscribe =
    options.watch === false
      ? () => {}
      : store.onExternalChange((c) => {
          if (c !== name) return;
          reload().then(
            () => options.onExternalChange?.(),
            () => undefined,
          ); // the next local call reports storage errors
        });

  const appendRows = (newIds: readonly string[], vectors: Float32Array) => {
    writes++;
    index.add(vectors);
    for (const id of newIds) {
      ids.push(id);
      positions.push(-1);
    }
  };

  /** Takes these documents' rows out of the scan index in place (the store has already dropped them). */
  const dropRows = (gone: ReadonlySet<string>) => {
    writes++;
    const rows: number[] = [];
    ids.forEach((id, i) => gone.has(id) && rows.push(i));
    for (const [from, to] of index.removeRows(rows)) {
      ids[to] = ids[from]!;
      positions[to] = positions[from]!;
    }
    ids.length = index.size;
    positions.length = index.size;
  };

  const hintsFor = (hits: readonly { index: number }[]) => ({ snapshot, positions: hits.map((h) => positions[h.index]!) });

  const validate = (docs: readonly DocumentInput[]) => {
    const seen = new Set<string>();
    docs.forEach((d, i) => {
      if (!d || typeof d.id !== 'string' || d.id === '') throw createError('INVALID_ARGUMENT', `document ${i} needs a non-empty string id`);
      if (typeof d.text !== 'string') throw createError('INVALID_ARGUMENT', `document "${d.id}" has no text`);
      if (d.text.trim() === '') throw createError('EMPTY_TEXT', `document "${d.id}" has empty text`, { id: d.id });
      if (d.text.length > maxTextLength) {
        throw createError(
          'TEXT_TOO_LONG',
          `document "${d.id}" has ${d.text.length} characters (limit ${maxTextLength}); split it into passages with chunkText() first`,
          { id: d.id },
        );
      }
      if (seen.has(d.id)) throw createError('DUPLICATE_ID', `document id "${d.id}" appears twice in one call`);
      seen.add(d.id);
    });
  };

  const ingest = async (docs: readonly DocumentInput[], mode: 'add' | 'upsert', { onProgress, signal }: IngestOptions): Promise<AddResult> => {
    validate(docs); // before any write: a bad document rejects the call and stores nothing
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
    let replaced = false;
    for (let start = 0; start < fresh.length; start += commitBatch) {
      if (signal?.aborted) throw createError('CANCELLED', `indexing cancelled after ${done} of ${fresh.length} documents (those are saved)`, { done });
      const batch = fresh.slice(start, start + commitBatch);
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
      manifest = replacing ? await store.upsert(name, batch, result.vectors) : await store.append(name, batch, result.vectors);
      // The first full block of an int8 collection fixed its ranges: switch to scanning codes.
      if (manifest.ranges && index.precision === 'float32') replaced = true;
      if (!replaced) {
        if (replacing) dropRows(new Set(batch.filter((d) => known.has(d.id)).map((d) => d.id)));
        appendRows(
          batch.map((d) => d.id),
          result.vectors,
        );
      }
      done += batch.length;
      onProgress?.({ status: 'store', done, total: fresh.length });
    }
    if (replaced) await reload();
    if (mode === 'upsert') await maybeCompact();
    return { added: fresh.length, skipped, truncated };
  };

  /** Dead rows past the threshold: compact. A conflict with another tab's write just waits for the next call. */
  const maybeCompact = async () => {
    if (compactAt >= 1) return;
    try {
      if (await store.compact(name, { minDeadFraction: compactAt })) await reload();
    } catch (err) {
      if ((err as { code?: string }).code !== 'CONFLICT') throw err;
    }
  };

  return {
    get manifest() {
      return manifest;
    },
    add: (docs, o = {}) => ingest(docs, 'add', o),
    upsert: (docs, o = {}) => ingest(docs, 'upsert', o),
    async delete(delIds) {
      if (!Array.isArray(delIds) || delIds.some((id) => typeof id !== 'string')) {
        throw createError(
          'INVALID_ARGUMENT',
          `delete takes an array of id strings, got ${typeof delIds === 'string' ? 'one string (wrap it: [id])' : typeof delIds}`,
        );
      }
      const before = manifest.documentCount;
      manifest = await store.delete(name, delIds);
      dropRows(new Set(delIds));
      await maybeCompact();
      return before - manifest.documentCount;
    },
    async compact() {
      const done = await store.compact(name);
      if (done) await reload();
      return done !== null;
    },
    async get(getIds) {
      const docs = await store.getDocuments(name, getIds);
      return docs.map((d) => {
        if (!d) return undefined;
        const { collection: _c, ...doc } = d;
        return doc;
      });
    },
    reload,
    async reindex(next, o = {}) {
      const staging = await store.beginRebuild(name, next.info);
      try {
        const target = await createSearchIndex({ ...options, embedder: next, collection: staging, watch: false });
        for (let start = 0; start < ids.length; start += 256) {
          const docs = (await store.getDocuments(name, ids.slice(start, start + 256))).filter((d): d is StoredDocument => !!d);
          await target.add(
            docs.map(({ collection: _c, ...d }) => d),
            o,
          );
        }
        await store.commitRebuild(name);
      } catch (err) {
        await store.abortRebuild(name).catch(() => undefined);
        throw err;
      }
      unsubscribe();
      await embedder.dispose();
      return createSearchIndex({ ...options, embedder: next, collection: name });
    },
    exportFile: () => store.exportCollection(name),
    async importFile(file) {
      const { manifest: incoming } = decodeIndexFile(file);
      assertCompatible(incoming, embedder.info, name);
      await store.importCollection(name, file);
      await reload();
    },
    async search(query, searchOptions = {}) {
      const k = searchOptions.k ?? 10;
      if (typeof query !== 'string' || query.trim() === '') throw createError('EMPTY_TEXT', 'the query is empty');
      if (!Number.isInteger(k) || k < 1) throw createError('INVALID_ARGUMENT', `k must be a positive integer, got ${k}`);
      if (index.size === 0) return [];
      const { vectors } = await embedder.embed([query], 'query');
      let hits = index.search(vectors, { k: index.precision === 'float32' ? k : Math.ceil(k * rescore) });
      if (index.precision !== 'float32' && rescore > 1) {
        // Exact re-ranking from the candidates' float32 rows, read from storage (the scan keeps codes only).
        const rows = await store.getVectors(
          name,
          hits.map((h) => ids[h.index]!),
          hintsFor(hits),
        );
        hits = rescoreHits(vectors, 0, dim, hits, rows, (i) => i * dim, k);
      } else {
        hits = hits.slice(0, k);
      }
      const docs = await store.getDocuments(
        name,
        hits.map((h) => ids[h.index]!),
        hintsFor(hits),
      );
      return hits.flatMap((h, i) => {
        const d = docs[i];
        return d ? [toHit(d, h.score)] : [];
      });
    },
    count: () => index.size,
    async clear() {
      await store.clear(name);
      manifest = await store.openCollection(name, embedder.info, { quantization: manifest.quantization });
      await reload();
    },
    async close() {
      unsubscribe();
      store.close();
      await embedder.dispose();
    },
  };
}

function toHit(d: StoredDocument, score: number): SearchHit {
  const hit: SearchHit = { id: d.id, score, text: d.text };
  if (d.title !== undefined) hit.title = d.title;
  if (d.url !== undefined) hit.url = d.url;
  if (d.meta !== undefined) hit.meta = d.meta;
  return hit;
}

/** Counts rows a file read wrote in place; a file holding NaN/Infinity is damaged (stored rows never do), so its blocks are read instead. */
function committed(index: FlatIndex, rows: number): boolean {
  try {
    index.commitRows(rows);
    return true;
  } catch (err) {
    if (isPagesenseError(err, 'NON_FINITE_VECTOR')) return false;
    throw err;
  }
}
