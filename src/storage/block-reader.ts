// Reading a collection's blocks for an open: one consistent snapshot of its records,
// block bytes fetched a few blocks ahead of the consumer, dead rows packed out, and
// (for float collections with a vector file) the leading full blocks taken from the
// file instead, straight into shared memory where the page has it.
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import { assertManifest, type CollectionManifest } from '../core/manifest.ts';
import { blockBytes, mergeSegments, physicalRange, readBlock, type BlockRecord } from './block-records.ts';
import { BLOCK_ROWS, type CollectionRecord, type Database, type SlotsRecord } from './idb-schema.ts';
import type { VectorFileMirror } from './vector-file-mirror.ts';
import type { VectorBlock, VectorReader } from './vector-store.ts';

/** Blocks whose bytes are being fetched while the consumer copies earlier ones. */
const READ_AHEAD = 4;
/** Blocks per read from a vector file on pages without shared memory: 8 x 384-d blocks = 24 MB. */
const FILE_CHUNK_BLOCKS = 8;

export interface BlockReadContext {
  db: Database;
  mirror: VectorFileMirror | undefined;
  /** Collections with fewer rows open from IndexedDB even when their file is there. */
  fileMinRows: number;
  /** What the read saw, kept for later lookups by id and re-ranking reads. */
  saw(rec: CollectionRecord, slots: SlotsRecord[], blocks: BlockRecord[]): void;
}

export interface BlockReadOptions {
  /** int8 collections: read full blocks as int8 codes (see the manifest's ranges) instead of float32 rows. */
  codes?: boolean;
  /**
   * A search index opening: take the leading full float blocks from the vector file
   * (see `file`, and `blocks`) and copy the blocks this read fetched from the
   * database into it. The consumer must be done with a block's vectors when it asks
   * for the next block.
   */
  mirror?: boolean;
  /**
   * With `mirror`, on pages with shared memory: where the file's blocks may go (room
   * for `rawRows` rows; `totalRows` counts every stored row, dead ones too). Asked as
   * soon as the collection record is read, so the file is read straight there while
   * the other records are. Return undefined to take them through `blocks` instead.
   */
  fileTarget?(manifest: CollectionManifest, rawRows: number, totalRows: number): { buffer: SharedArrayBuffer; byteOffset: number } | undefined;
}

/** The leading full blocks of a collection, being read from its vector file into the `fileTarget` given. */
export interface VectorFilePrefix {
  blocks: number;
  /**
   * Waits for that read, then packs out the dead rows: the live rows' count, ids
   * and positions, or undefined when the file could not be read (then read the
   * blocks instead). Until it resolves, something may still be writing into the target.
   */
  read(): Promise<{ rows: number; ids: string[]; positions: Int32Array } | undefined>;
}

export interface BlockRead extends VectorReader {
  /** The blocks from the database alone, from block `first` on: after `file.read` (from file.blocks, or 0 when it failed). */
  blocksFrom(first: number): AsyncIterable<VectorBlock>;
  /** When the read started reading the vector file into the `fileTarget` given. */
  file?: VectorFilePrefix;
}

export async function readBlocks(ctx: BlockReadContext, name: string, options: BlockReadOptions = {}): Promise<BlockRead> {
  const tx = ctx.db.transaction(['collections', 'blocks', 'slots', 'segments'], 'readonly');
  const rec = await tx.objectStore('collections').get(name);
  if (!rec) throw ERROR_MESSAGES.collectionNotFound(name);
  assertManifest(rec.manifest, `collection "${name}"`);
  // The vector file: float collections opened by a search index use it and copy into it.
  const mirror = options.mirror && rec.manifest.quantization === 'none' ? ctx.mirror : undefined;
  const fileWorthIt = rec.manifest.vectorCount >= ctx.fileMinRows;
  const fullBlockBytes = BLOCK_ROWS * rec.manifest.dimension * 4;
  const held = Math.min(rec.fileBlocks ?? 0, rec.fileProbes?.length ?? 0); // the blocks the file holds, by the record
  // Its read starts now, beside the records' (the blocks it holds are sealed: they never change under it).
  let early: { buffer: SharedArrayBuffer; byteOffset: number; blocks: number; read: Promise<boolean> } | undefined;
  if (mirror && fileWorthIt && held > 0) {
    const target = options.fileTarget?.(rec.manifest, held * BLOCK_ROWS, rec.manifest.vectorCount + rec.deadRows);
    if (target)
      early = {
        ...target,
        blocks: held,
        read: mirror.readShared(rec.physical, target.buffer, target.byteOffset, rec.fileProbes!.slice(0, held), fullBlockBytes, rec.manifest.dimension),
      };
    else mirror.warm(); // the file's reader boots while the records below are read
  }
  const range = physicalRange(rec.physical);
  // Sealed blocks come back as Blob handles (no bytes yet); the bytes are read below, a few blocks ahead of the consumer.
  const [blocks, slots, segments] = await Promise.all([
    tx.objectStore('blocks').getAll(range),
    tx.objectStore('slots').getAll(range),
    tx.objectStore('segments').getAll(range),
  ]);
  await tx.done;
  mergeSegments(blocks, segments, name);
  const dim = rec.manifest.dimension;
  if (blocks.length !== slots.length) throw createError('CORRUPT_INDEX', `collection "${name}": ${blocks.length} vector blocks but ${slots.length} id blocks`);
  // Which blocks are read as int8 codes (a quarter of the bytes) instead of float32 rows.
  const useCodes = blocks.map((b) => !!options.codes && rec.manifest.quantization === 'int8' && !!rec.manifest.ranges && b.codes !== undefined);
  const live = countLiveRows(name, dim, blocks, slots, useCodes, rec.manifest.vectorCount);
  // Opening needs no id -> row map (results come with row positions); it is built from these slots on the first lookup by id.
  ctx.saw(rec, slots, blocks);
  // The vector file holds the leading full float blocks; an open reads them from there and copies in the ones it fetched past them.
  const claimed = Math.min(held, sealedPrefix(blocks));
  const fileBlocks = mirror && fileWorthIt ? claimed : 0; // the blocks this read takes from the file
  const fileProbes = (rec.fileProbes ?? []).slice(0, fileBlocks);
  if (early && early.blocks !== fileBlocks) {
    await early.read; // records that disagree: read the blocks instead, once nothing is writing into the target any more
    early = undefined;
  }
  const start = (pending: (Promise<ArrayBuffer> | null)[], i: number) => {
    if (i < blocks.length && !pending[i]) {
      const p = readBlock(useCodes[i] ? blocks[i]!.codes! : blocks[i]!.vectors, name, blocks[i]!.block);
      p.catch(() => undefined); // rejections surface when the consumer reaches this block
      pending[i] = p;
    }
  };
  // One block as the consumer gets it: its live rows only.
  const toBlock = (i: number, buf: ArrayBuffer, byteOffset?: number): VectorBlock => {
    const blockIds = slots[i]!.ids;
    const width = useCodes[i] ? 1 : 4;
    // A block record holds exactly its rows; a slice of the file at least them.
    if (byteOffset === undefined ? buf.byteLength !== blockIds.length * dim * width : buf.byteLength - byteOffset < blockIds.length * dim * width) {
      throw createError('CORRUPT_INDEX', `collection "${name}": block ${blocks[i]!.block} read back ${buf.byteLength} bytes for ${blockIds.length} rows`);
    }
    const data = useCodes[i] ? new Int8Array(buf, byteOffset ?? 0, blockIds.length * dim) : new Float32Array(buf, byteOffset ?? 0, blockIds.length * dim);
    const { ids, positions, kept } = liveRows(blockIds, blocks[i]!.block);
    let rows = data;
    if (kept) {
      rows = data instanceof Int8Array ? new Int8Array(kept.length * dim) : new Float32Array(kept.length * dim);
      kept.forEach((slot, j) => rows.set(data.subarray(slot * dim, slot * dim + dim), j * dim));
    }
    return rows instanceof Int8Array ? { ids, positions, codes: rows } : { ids, positions, vectors: rows };
  };
  const fromBlocks = async function* (from: number, pending = blocks.map(() => null as Promise<ArrayBuffer> | null)): AsyncGenerator<VectorBlock> {
    // From `from` when the file was passed over (damaged, missing); past what it holds when it was not worth reading.
    const copy = mirror?.copyOnRead(name, rec.physical, fileWorthIt ? from : Math.max(from, claimed), claimed, sealedPrefix(blocks), fullBlockBytes, dim);
    for (let i = from; i < from + READ_AHEAD; i++) start(pending, i);
    for (let i = from; i < blocks.length; i++) {
      start(pending, i + READ_AHEAD);
      const buf = await pending[i]!;
      pending[i] = null;
      yield toBlock(i, buf);
      copy?.block(i, buf); // the consumer is done with this block's buffer: hand it to the file
    }
    copy?.finish();
  };
  // An open's read with no target for the file (a page without shared memory): the file's blocks in chunks the worker reads one ahead
  // (a few tens of MB held at a time, not the whole file), then the rest from IndexedDB, fetched meanwhile.
  const fromFileThenBlocks = async function* (): AsyncGenerator<VectorBlock> {
    const pending = blocks.map(() => null as Promise<ArrayBuffer> | null);
    for (let i = fileBlocks; i < fileBlocks + READ_AHEAD; i++) start(pending, i);
    const chunk = (first: number) => mirror!.readCopy(rec.physical, first, fileProbes.slice(first, first + FILE_CHUNK_BLOCKS), fullBlockBytes, dim);
    let ahead = chunk(0);
    for (let first = 0; first < fileBlocks; first += FILE_CHUNK_BLOCKS) {
      const { bytes, intact } = await ahead;
      const size = Math.min(FILE_CHUNK_BLOCKS, fileBlocks - first);
      if (first + size < fileBlocks) ahead = chunk(first + size);
      for (let j = 0; j < intact; j++) yield toBlock(first + j, bytes, j * fullBlockBytes);
      if (intact < size) {
        yield* fromBlocks(first + intact, pending); // from the first block the file lost, copying them to it again
        return;
      }
    }
    yield* fromBlocks(fileBlocks, pending);
  };

  // The read into the consumer's target: once it is done, its dead rows are packed out.
  const started = early;
  const file = started
    ? {
        blocks: fileBlocks,
        read: async () =>
          (await started.read) ? packLiveRows(started.buffer, started.byteOffset, fullBlockBytes, dim, slots.slice(0, fileBlocks), blocks) : undefined,
      }
    : undefined;

  return {
    manifest: rec.manifest,
    rows: live,
    snapshot: rec.physical,
    blocks: fileBlocks > 0 && !file ? fromFileThenBlocks() : fromBlocks(0),
    blocksFrom: (first) => fromBlocks(first),
    ...(file ? { file } : {}),
  };
}

/** Checks each block's bytes against its ids and the dimension, and the live rows against the manifest's count; returns that count. */
function countLiveRows(
  name: string,
  dim: number,
  blocks: readonly BlockRecord[],
  slots: readonly SlotsRecord[],
  useCodes: readonly boolean[],
  expected: number,
): number {
  let live = 0;
  blocks.forEach((b, i) => {
    const s = slots[i]!;
    const bytes = blockBytes(b.vectors);
    // Codes are checked only when they are what gets read: damaged codes never stand in the way of the float rows (export, rebuild).
    const codeBytes = useCodes[i] ? blockBytes(b.codes) : 0;
    if (s.block !== b.block || !Array.isArray(s.ids) || bytes !== s.ids.length * dim * 4 || (useCodes[i] && codeBytes !== s.ids.length * dim)) {
      throw createError(
        'CORRUPT_INDEX',
        `collection "${name}": block ${b.block} holds ${bytes} bytes (codes ${codeBytes}) for ${s.ids?.length} rows of dimension ${dim}`,
      );
    }
    for (const id of s.ids) if (id !== null) live++;
  });
  if (live !== expected) throw createError('CORRUPT_INDEX', `collection "${name}": the manifest counts ${expected} vectors, the blocks hold ${live}`);
  return live;
}

/** Packs the dead rows out of full blocks read into `buffer` at `byteOffset` (one per slots record), in place; the live rows' ids and positions. */
function packLiveRows(
  buffer: SharedArrayBuffer,
  byteOffset: number,
  fullBlockBytes: number,
  dim: number,
  slots: readonly SlotsRecord[],
  blocks: readonly BlockRecord[],
) {
  const bytes = new Uint8Array(buffer);
  const rowBytes = dim * 4;
  const ids: string[] = [];
  const positions: number[] = [];
  let to = byteOffset;
  slots.forEach((s, i) => {
    const live = liveRows(s.ids, blocks[i]!.block);
    const from = byteOffset + i * fullBlockBytes;
    if (!live.kept) {
      if (to !== from) bytes.copyWithin(to, from, from + fullBlockBytes);
      to += fullBlockBytes;
    } else {
      for (const slot of live.kept) {
        bytes.copyWithin(to, from + slot * rowBytes, from + (slot + 1) * rowBytes);
        to += rowBytes;
      }
    }
    for (const id of live.ids) ids.push(id);
    for (const p of live.positions) positions.push(p);
  });
  return { rows: ids.length, ids, positions: Int32Array.from(positions) };
}

/** Ids and positions of a block's live rows; `kept` lists their slots when some are dead. */
function liveRows(blockIds: readonly (string | null)[], block: number): { ids: string[]; positions: Int32Array; kept: number[] | undefined } {
  const first = block * BLOCK_ROWS;
  if (blockIds.every((id) => id !== null)) {
    const positions = new Int32Array(blockIds.length);
    for (let slot = 0; slot < positions.length; slot++) positions[slot] = first + slot;
    return { ids: blockIds as string[], positions, kept: undefined };
  }
  const kept: number[] = [];
  blockIds.forEach((id, slot) => id !== null && kept.push(slot));
  return { ids: kept.map((slot) => blockIds[slot]!), positions: Int32Array.from(kept, (slot) => first + slot), kept };
}

/** How many blocks from the start are full (sealed Blobs), numbered 0, 1, 2... as their place in the file. */
function sealedPrefix(blocks: readonly BlockRecord[]): number {
  let n = 0;
  while (n < blocks.length && blocks[n]!.block === n && blocks[n]!.vectors instanceof Blob) n++;
  return n;
}
