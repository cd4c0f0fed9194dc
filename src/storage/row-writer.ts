// Writing rows inside one write transaction: appending (filling the last block and
// its last document chunk before starting new ones), tombstoning, and the counts
// every write leaves in the collection record.
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import type { CollectionManifest } from '../core/manifest.ts';
import { calibrateRanges, quantizeRows, type Ranges } from '../core/quantization.ts';
import { assertVectors } from '../core/vectors.ts';
import { blockProbe } from './block-probe.ts';
import { blockRange, openBlockBytes, type BlockRecord } from './block-records.ts';
import {
  BLOCK_ROWS,
  CHUNKS_PER_BLOCK,
  DOC_CHUNK,
  type CollectionRecord,
  type DocChunkRecord,
  type DocumentBody,
  type SlotsRecord,
  type WriteTx,
} from './idb-schema.ts';
import type { IdMap } from './id-maps.ts';
import type { SealedBlock } from './vector-file-mirror.ts';
import type { DocumentInput } from './vector-store.ts';

/** Rejects a batch before anything is written: vectors that do not fit, ids missing or repeated. */
export function checkBatch(rec: Pick<CollectionRecord, 'name' | 'manifest'>, docs: readonly DocumentInput[], vectors: Float32Array): void {
  const dim = rec.manifest.dimension;
  const rows = assertVectors(vectors, dim, `vectors for "${rec.name}"`);
  if (rows !== docs.length) {
    throw createError('DIMENSION_MISMATCH', `${docs.length} documents but ${rows} vectors of dimension ${dim}`, { documents: docs.length, rows });
  }
  const seen = new Set<string>();
  for (const d of docs) {
    if (typeof d.id !== 'string' || d.id === '') throw createError('INVALID_ARGUMENT', 'every document needs a non-empty string id');
    if (seen.has(d.id)) throw ERROR_MESSAGES.duplicateInCall(d.id, 'batch');
    seen.add(d.id);
  }
}

/**
 * Appends rows, filling the last block (and its last document chunk) before
 * starting new ones. Full float blocks it seals are pushed onto `sealed` (when
 * given), for the vector file once the transaction commits.
 */
export async function writeRows(
  tx: WriteTx,
  rec: CollectionRecord,
  map: IdMap,
  docs: readonly DocumentInput[],
  vectors: Float32Array,
  sealed: SealedBlock[] | undefined,
): Promise<void> {
  const dim = rec.manifest.dimension;
  const writes: Promise<unknown>[] = [];
  // If the batch fails midway, the abort rejects requests nobody awaits yet: mark them handled.
  const track = (p: Promise<unknown>) => {
    p.catch(() => undefined);
    writes.push(p);
  };
  for (const d of docs) {
    if (map.rows.has(d.id)) throw ERROR_MESSAGES.alreadyStored(`collection "${rec.name}"`, d.id);
  }
  let i = 0;
  let block = rec.nextBlock - 1;
  let slots: SlotsRecord | undefined = block >= 0 ? await tx.objectStore('slots').get([rec.physical, block]) : undefined;
  if (slots && slots.ids.length >= BLOCK_ROWS) slots = undefined;
  while (i < docs.length) {
    const fresh = !slots;
    if (!slots) {
      block = rec.nextBlock++;
      slots = { collection: rec.physical, block, ids: [] };
    }
    const start = slots.ids.length;
    const take = Math.min(BLOCK_ROWS - start, docs.length - i);
    const rows = vectors.subarray(i * dim, (i + take) * dim);
    // Document chunks touched by slots start .. start + take - 1; the first may already hold rows.
    for (let c = Math.floor(start / DOC_CHUNK); c * DOC_CHUNK < start + take; c++) {
      const key = block * CHUNKS_PER_BLOCK + c;
      const chunk =
        c * DOC_CHUNK < start
          ? ((await tx.objectStore('docs').get([rec.physical, key])) ?? { collection: rec.physical, chunk: key, docs: [] })
          : { collection: rec.physical, chunk: key, docs: [] };
      const from = Math.max(start, c * DOC_CHUNK);
      const to = Math.min(start + take, (c + 1) * DOC_CHUNK);
      for (let s = from; s < to; s++) chunk.docs[s - c * DOC_CHUNK] = toBody(docs[i + s - start]!);
      track(tx.objectStore('docs').put(chunk));
    }
    for (let j = 0; j < take; j++) {
      const id = docs[i + j]!.id;
      slots.ids.push(id);
      map.rows.set(id, block, start + j);
    }
    track(tx.objectStore('slots').put(slots));
    if (start + take < BLOCK_ROWS) {
      // Still open: the first batch is the block's base record, later ones are segments.
      const bytes = rows.slice().buffer;
      if (fresh) track(tx.objectStore('blocks').put({ collection: rec.physical, block, vectors: bytes }));
      else track(tx.objectStore('segments').put({ collection: rec.physical, block, first: start, vectors: bytes }));
    } else {
      // Full: one sealed Blob (plus int8 codes) replaces the base and its segments.
      const merged = new Float32Array(BLOCK_ROWS * dim);
      if (!fresh) {
        const before = await openBlockBytes(tx.objectStore('blocks'), tx.objectStore('segments'), rec.physical, block);
        if (before.byteLength !== start * dim * 4)
          throw createError('CORRUPT_INDEX', `collection "${rec.name}": open block ${block} holds ${before.byteLength} bytes for ${start} rows`);
        merged.set(new Float32Array(before));
        track(tx.objectStore('segments').delete(blockRange(rec.physical, block)));
      }
      merged.set(rows, start * dim);
      const record: BlockRecord = { collection: rec.physical, block, vectors: new Blob([merged.buffer]) };
      if (rec.manifest.quantization === 'int8') record.codes = new Blob([sealCodes(rec, merged)]);
      else sealed?.push({ block, bytes: merged.buffer, probe: blockProbe(merged, dim) }); // the Blob holds its own copy
      track(tx.objectStore('blocks').put(record));
    }
    i += take;
    slots = undefined;
  }
  await Promise.all(writes);
}

/** int8 codes of a full block; the collection's first full block also fixes its ranges. */
function sealCodes(rec: CollectionRecord, rows: Float32Array): Int8Array<ArrayBuffer> {
  const dim = rec.manifest.dimension;
  if (!rec.manifest.ranges) {
    const r = calibrateRanges(rows, dim);
    rec.manifest = { ...rec.manifest, ranges: { min: Array.from(r.min), max: Array.from(r.max) } };
  }
  return quantizeRows(rows, dim, 'int8', toRanges(rec.manifest.ranges!)) as Int8Array<ArrayBuffer>;
}

/** Turns the rows of existing ids into tombstones; returns how many existed. */
export async function tombstone(tx: WriteTx, rec: CollectionRecord, map: IdMap, ids: readonly string[]): Promise<number> {
  const byBlock = new Map<number, number[]>();
  let found = 0;
  for (const id of new Set(ids)) {
    const at = map.rows.get(id);
    if (!at) continue;
    byBlock.set(at.block, [...(byBlock.get(at.block) ?? []), at.slot]);
    map.rows.delete(id);
    found++;
  }
  for (const [b, slotList] of byBlock) {
    const slots = await tx.objectStore('slots').get([rec.physical, b]);
    if (!slots) throw createError('CORRUPT_INDEX', `collection "${rec.name}": block ${b} is missing`);
    const chunks = new Map<number, DocChunkRecord>();
    for (const s of slotList) {
      slots.ids[s] = null;
      const key = b * CHUNKS_PER_BLOCK + Math.floor(s / DOC_CHUNK);
      let chunk = chunks.get(key);
      if (!chunk) {
        chunk = await tx.objectStore('docs').get([rec.physical, key]);
        if (!chunk) throw createError('CORRUPT_INDEX', `collection "${rec.name}": document chunk ${key} is missing`);
        chunks.set(key, chunk);
      }
      chunk.docs[s % DOC_CHUNK] = null;
    }
    await tx.objectStore('slots').put(slots);
    for (const c of chunks.values()) await tx.objectStore('docs').put(c);
  }
  rec.deadRows += found;
  return found;
}

/** Counts `delta` more live rows, moves the write version on (and the map's with it), and saves the record. */
export async function finishWrite(tx: WriteTx, rec: CollectionRecord, map: IdMap, delta: number): Promise<CollectionManifest> {
  rec.manifest = {
    ...rec.manifest,
    documentCount: rec.manifest.documentCount + delta,
    vectorCount: rec.manifest.vectorCount + delta,
    updatedAt: Date.now(),
  };
  rec.version++;
  map.version = rec.version;
  await tx.objectStore('collections').put(rec);
  return rec.manifest;
}

export const toRanges = (r: { min: number[]; max: number[] }): Ranges => ({ min: Float32Array.from(r.min), max: Float32Array.from(r.max) });

function toBody(d: DocumentInput): DocumentBody {
  const out: DocumentBody = { id: d.id, text: d.text };
  if (d.title !== undefined) out.title = d.title;
  if (d.url !== undefined) out.url = d.url;
  if (d.meta !== undefined) out.meta = d.meta;
  return out;
}
