// The records that hold a collection's vectors, and how their bytes are put
// together and read. Keys start with the collection's physical id.
import { createError } from '../core/errors.ts';

export interface BlockRecord {
  collection: string; // physical id
  block: number;
  /**
   * Little-endian f32 rows. A full (sealed) block is a Blob: reading the record
   * returns a handle at once and the bytes are fetched separately, so opening a
   * collection overlaps reading one block with copying the previous one. The
   * last, open block is an ArrayBuffer (its first batch) plus segments: appends
   * extend it inside their transaction, where awaiting a Blob read would end it.
   */
  vectors: Blob | ArrayBuffer;
  /** int8 collections, sealed blocks: one byte per dimension per row, quantized with the manifest's ranges. */
  codes?: Blob | ArrayBuffer;
}

/**
 * Rows appended to the open block after its first batch: each append writes only
 * its own rows here, so a batch costs what it holds, not the size of the block.
 * Merged into the sealed Blob when the block fills.
 */
export interface SegmentRecord {
  collection: string;
  block: number;
  /** Slot of the segment's first row. */
  first: number;
  vectors: ArrayBuffer;
}

export const physicalRange = (physical: string) => IDBKeyRange.bound([physical, -Infinity], [physical, []]);
export const blockRange = (physical: string, block: number) => IDBKeyRange.bound([physical, block, -Infinity], [physical, block, []]);

interface Getter<K, V> {
  get(key: K): Promise<V | undefined>;
  getAll(range: IDBKeyRange): Promise<V[]>;
}

/** An open block's rows so far: its base record followed by its segments, in slot order. */
export async function openBlockBytes(
  blocks: Getter<[string, number], BlockRecord>,
  segments: Getter<[string, number, number], SegmentRecord>,
  physical: string,
  block: number,
): Promise<ArrayBuffer> {
  const [base, segs] = await Promise.all([blocks.get([physical, block]), segments.getAll(blockRange(physical, block))]);
  if (!base || !(base.vectors instanceof ArrayBuffer)) throw createError('CORRUPT_INDEX', `block ${block} is not an open block`);
  return concatBytes(base.vectors, segs);
}

function concatBytes(base: ArrayBuffer, segs: readonly SegmentRecord[]): ArrayBuffer {
  if (segs.length === 0) return base;
  const out = new Uint8Array(base.byteLength + segs.reduce((n, s) => n + s.vectors.byteLength, 0));
  out.set(new Uint8Array(base));
  let at = base.byteLength;
  for (const s of segs) {
    out.set(new Uint8Array(s.vectors), at);
    at += s.vectors.byteLength;
  }
  return out.buffer;
}

/** Folds each open block's segments into its record, so readers see one buffer per block. */
export function mergeSegments(blocks: BlockRecord[], segments: SegmentRecord[], name: string): void {
  if (segments.length === 0) return;
  const byBlock = new Map<number, SegmentRecord[]>();
  for (const s of segments) byBlock.set(s.block, [...(byBlock.get(s.block) ?? []), s]);
  for (const b of blocks) {
    const segs = byBlock.get(b.block);
    if (!segs) continue;
    if (!(b.vectors instanceof ArrayBuffer)) throw createError('CORRUPT_INDEX', `collection "${name}": sealed block ${b.block} still has segments`);
    b.vectors = concatBytes(b.vectors, segs);
    byBlock.delete(b.block);
  }
  if (byBlock.size > 0) throw createError('CORRUPT_INDEX', `collection "${name}": segments of missing block ${[...byBlock.keys()][0]}`);
}

export function blockBytes(v: Blob | ArrayBuffer | undefined): number {
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (typeof Blob === 'function' && v instanceof Blob) return v.size;
  return -1;
}

export async function readBlock(v: Blob | ArrayBuffer, name: string, block: number): Promise<ArrayBuffer> {
  if (v instanceof ArrayBuffer) return v;
  try {
    return await v.arrayBuffer();
  } catch (err) {
    // The file behind the Blob went away (site data cleared while reading, disk error).
    throw createError(
      'STORAGE_FAILED',
      `collection "${name}": could not read vector block ${block}: ${(err as Error)?.message ?? String(err)}`,
      undefined,
      err,
    );
  }
}
