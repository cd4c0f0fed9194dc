// What a search index keeps in memory for its collection: the scan index (WASM SIMD
// where available), each row's id, and where each row sits in the store (so results
// need no lookup by id). Loading fills a new scan index beside the old one, which
// keeps answering until the swap; writes change the live one in place.
import { isPagesenseError } from '../core/errors.ts';
import { createFlatIndex, type FlatIndex } from '../core/kernel/flat-index.ts';
import type { CollectionManifest } from '../core/manifest.ts';
import type { RowHints, RowSink, VectorStore } from '../storage/vector-store.ts';

/**
 * A new collection's scan index. Stored vectors are exactly what the embedder
 * returned (unit length when the model normalizes): no second pass. An int8
 * collection scans its codes once its ranges exist; until its first block fills it
 * is small, and scanned exactly.
 */
function newIndex(m: CollectionManifest, sharedMemory = false): FlatIndex {
  return m.quantization === 'int8' && m.ranges
    ? createFlatIndex({
        dimension: m.dimension,
        normalize: false,
        precision: 'int8',
        keepFloat: false,
        ranges: { min: Float32Array.from(m.ranges.min), max: Float32Array.from(m.ranges.max) },
      })
    : createFlatIndex({ dimension: m.dimension, normalize: false, sharedMemory });
}

interface Loaded {
  index: FlatIndex;
  ids: string[];
  positions: number[];
}

/** A RowSink over a scan index made when the store says what it will deliver: in shared memory if the store asks for a region. */
function scanSink(): RowSink & { result(): Loaded } {
  let manifest: CollectionManifest | undefined;
  let total = 0;
  let index: FlatIndex | undefined;
  let inShared = false; // rows were committed into the shared region
  let ids: string[] = [];
  let positions: number[] = [];
  const ensure = () => {
    if (!index) {
      index = newIndex(manifest!);
      index.reserve(total);
    }
    return index;
  };
  return {
    begin(m, rows) {
      manifest = m;
      total = rows;
    },
    sharedRegion(rows) {
      const shared = newIndex(manifest!, true);
      if (!shared.sharedMemory) return undefined;
      shared.reserve(total);
      const region = shared.rowRegion(rows);
      if (!region || !(region.buffer instanceof SharedArrayBuffer)) return undefined;
      index = shared;
      return { buffer: region.buffer, byteOffset: region.byteOffset };
    },
    commitShared(rowIds, rowPositions) {
      try {
        index!.commitRows(rowIds.length);
      } catch (err) {
        // A file holding NaN/Infinity is damaged (stored rows never do): its blocks are read instead, into a fresh index.
        if (!isPagesenseError(err, 'NON_FINITE_VECTOR')) throw err;
        index = undefined;
        return false;
      }
      inShared = true;
      for (const id of rowIds) ids.push(id);
      for (const p of Array.from(rowPositions)) positions.push(p);
      return true;
    },
    add(block) {
      // A region that was asked for but never committed (the file was passed over) is dropped for an ordinary index.
      if (index?.sharedMemory && !inShared) index = undefined;
      const target = ensure();
      if ('codes' in block) target.addCodes(block.codes);
      else target.add(block.vectors);
      for (const id of block.ids) ids.push(id);
      for (const p of block.positions) positions.push(p);
    },
    reset() {
      index = undefined;
      inShared = false;
      ids = [];
      positions = [];
    },
    result() {
      return { index: ensure(), ids, positions };
    },
  };
}

export class CollectionScan {
  index: FlatIndex;
  manifest: CollectionManifest;
  private ids: string[] = [];
  // Each row's position in the store (-1 for rows added since the last read).
  private positions: number[] = [];
  private snapshot = '';
  // Local writes since the page opened: a load that overlapped one reads again, so its rows are not lost in the swap.
  private writes = 0;
  /** Completed loads: what is derived from the collection (the lexical index) is rebuilt when this moves on. */
  loads = 0;

  constructor(
    private readonly store: VectorStore,
    private readonly name: string,
    manifest: CollectionManifest,
  ) {
    this.manifest = manifest;
    this.index = newIndex(manifest);
  }

  /** Reads the collection into a new scan index and swaps it in; a damaged block leaves the old one in place. */
  async load(): Promise<void> {
    const seen = this.writes;
    const sink = scanSink();
    const { manifest, snapshot } = await this.store.loadInto(this.name, sink, { codes: true });
    const { index, ids, positions } = sink.result();
    this.manifest = manifest;
    this.index = index;
    this.ids = ids;
    this.positions = positions;
    this.snapshot = snapshot;
    this.loads++;
    if (this.writes !== seen) return this.load();
  }

  get size(): number {
    return this.index.size;
  }

  idAt(row: number): string {
    return this.ids[row]!;
  }

  /** Every row's id, in row order. */
  allIds(): readonly string[] {
    return this.ids;
  }

  /** Rows just written to the store (at positions this scan does not know yet). */
  append(newIds: readonly string[], vectors: Float32Array): void {
    this.writes++;
    this.index.add(vectors);
    for (const id of newIds) {
      this.ids.push(id);
      this.positions.push(-1);
    }
  }

  /** Takes these documents' rows out of the scan index in place (the store has already dropped them). */
  drop(gone: ReadonlySet<string>): void {
    this.writes++;
    const rows: number[] = [];
    this.ids.forEach((id, i) => gone.has(id) && rows.push(i));
    for (const [from, to] of this.index.removeRows(rows)) {
      this.ids[to] = this.ids[from]!;
      this.positions[to] = this.positions[from]!;
    }
    this.ids.length = this.index.size;
    this.positions.length = this.index.size;
  }

  /** Where the hits' rows sit in the store, so it can read them without its id map (-1: a row this scan does not hold). */
  hints(hits: readonly { index: number }[]): RowHints {
    return { snapshot: this.snapshot, positions: hits.map((h) => (h.index < 0 ? -1 : this.positions[h.index]!)) };
  }
}
