// Keeps each collection's vector file (vector-file.ts) in step with the IndexedDB
// store: copies full float blocks in (as a commit seals them, or as an open reads
// ones the file lacks), has the store record them once flushed, reads them back
// checked against their probes, and removes files no collection owns. Everything
// here is a speed-up: a failure leaves the record as it was, and reads fall back
// to the database's blocks.
import { blockProbe, probeMatches, type BlockProbe } from './block-probe.ts';
import type { VectorFiles } from './vector-file.ts';

/** A full float block a commit sealed: its bytes (handed to the file) and probe. */
export interface SealedBlock {
  block: number;
  bytes: ArrayBuffer;
  probe: BlockProbe;
}

/**
 * The store's side: records in the collection record that the file holds blocks
 * [0, count), with probes for [from, count), if the record already counted `from`
 * of them; 'reset' lowers the count to `count` instead.
 */
export type RecordFile = (name: string, physical: string, count: number, from: number | 'reset', probes?: readonly BlockProbe[]) => Promise<void>;

/** The copy an open makes of the blocks it reads: hand each block over in order, then finish. */
export interface CopyOnRead {
  block(index: number, raw: ArrayBuffer): void;
  finish(): void;
}

export class VectorFileMirror {
  /** Work still running after the call that started it returned. */
  private readonly background = new Set<Promise<unknown>>();
  /** By physical id: the block the file needs next, counting copies in flight, and the last copy's completion. */
  private readonly next = new Map<string, number>();
  private readonly chain = new Map<string, Promise<unknown>>();
  private swept = false;

  constructor(
    private readonly files: VectorFiles,
    private readonly databaseName: string,
    private readonly record: RecordFile,
  ) {}

  private path(physical: string): string[] {
    return ['pagesense', encodeURIComponent(this.databaseName), `${encodeURIComponent(physical)}.f32`];
  }

  private track(work: Promise<unknown>): void {
    this.background.add(work);
    void work.then(() => this.background.delete(work));
  }

  /** Copies to the file what does not fit is never tried: a tenth of the quota stays free for the collection itself. */
  private write(physical: string, room: Promise<boolean>, block: number, bytes: ArrayBuffer): Promise<void> {
    return room.then((ok) =>
      ok ? this.files.write(this.path(physical), block * bytes.byteLength, bytes) : Promise.reject(new Error('no room for the vector file')),
    );
  }

  /**
   * After a commit: copies the blocks it sealed, when they continue the file
   * (`fileBlocks` as the commit read it). Recorded in commit order, each after the
   * copies before it, so the count never claims a block still being written.
   */
  copySealed(name: string, physical: string, fileBlocks: number, sealed: readonly SealedBlock[]): void {
    if (sealed.length === 0) return;
    const first = sealed[0]!.block;
    let count = Math.max(this.next.get(physical) ?? fileBlocks, fileBlocks);
    if (first !== count) return; // a gap (blocks sealed before vector files, a failed copy): the next open fills it
    while (count - first < sealed.length && sealed[count - first]!.block === count) count++;
    this.next.set(physical, count);
    const copied = sealed.slice(0, count - first);
    const room = this.files.hasRoom(copied.length * copied[0]!.bytes.byteLength);
    const writes = copied.map((b) => this.write(physical, room, b.block, b.bytes));
    const done = Promise.all([this.chain.get(physical), ...writes])
      .then(() =>
        this.record(
          name,
          physical,
          count,
          first,
          copied.map((b) => b.probe),
        ),
      )
      .catch(() => {
        this.next.delete(physical); // start again from what the record says
        return this.files.truncate(this.path(physical), first * copied[0]!.bytes.byteLength).catch(() => undefined);
      });
    this.chain.set(physical, done);
    this.track(done);
  }

  /**
   * An open reading blocks from the database copies [from, sealed) in as it goes
   * (blocks handed over before `from` are skipped). When `from` is below
   * `fileBlocks` the file was passed over (damaged or missing): the record stops
   * claiming those blocks while they are rewritten.
   */
  copyOnRead(name: string, physical: string, from: number, fileBlocks: number, sealed: number, blockBytes: number, dim: number): CopyOnRead | undefined {
    if (from >= sealed) return undefined;
    const room = this.files.hasRoom((sealed - from) * blockBytes);
    const reset = from < fileBlocks ? this.record(name, physical, from, 'reset') : Promise.resolve();
    const writes: Promise<void>[] = [];
    const probes: BlockProbe[] = [];
    let next = from;
    return {
      block: (i, raw) => {
        if (i !== next || i >= sealed) return;
        next++;
        probes.push(blockProbe(new Float32Array(raw), dim));
        writes.push(this.write(physical, room, i, raw));
      },
      finish: () => {
        if (writes.length === 0) return;
        const count = next;
        const done = Promise.allSettled([reset, ...writes])
          .then((results) => {
            if (results.every((r) => r.status === 'fulfilled')) return this.record(name, physical, count, from, probes);
            // Give back what a failed copy wrote past the blocks the record claims (a full disk, another tab's lock).
            const claimed = Math.min(from, fileBlocks);
            return claimed === 0 ? this.files.remove(this.path(physical)) : this.files.truncate(this.path(physical), claimed * blockBytes);
          })
          .catch(() => undefined);
        this.track(done);
      },
    };
  }

  /** The file's first probes.length blocks straight into (shared) target memory; false when short, locked or a probe does not match. */
  async readShared(
    physical: string,
    target: SharedArrayBuffer,
    byteOffset: number,
    probes: readonly BlockProbe[],
    blockBytes: number,
    dim: number,
  ): Promise<boolean> {
    if (!(await this.files.read(this.path(physical), target, byteOffset, probes.length * blockBytes))) return false;
    return probes.every((probe, i) => probeMatches(new Float32Array(target, byteOffset + i * blockBytes, blockBytes / 4), dim, probe));
  }

  /**
   * For pages without shared memory: blocks [first, first + probes.length) as one
   * handed-over buffer, and how many of them, from the first, match their probes
   * (0 when the file is short, missing or locked).
   */
  async readCopy(
    physical: string,
    first: number,
    probes: readonly BlockProbe[],
    blockBytes: number,
    dim: number,
  ): Promise<{ bytes: ArrayBuffer; intact: number }> {
    const bytes = await this.files.readCopy(this.path(physical), first * blockBytes, probes.length * blockBytes);
    if (!bytes) return { bytes: new ArrayBuffer(0), intact: 0 };
    let intact = 0;
    while (intact < probes.length && probeMatches(new Float32Array(bytes, intact * blockBytes, blockBytes / 4), dim, probes[intact])) intact++;
    return { bytes, intact };
  }

  /** Starts the reader now, so that a read soon after does not wait for it to boot. */
  warm(): void {
    this.files.warm();
  }

  /** A collection's data was deleted: so goes its file (after any copy still queued for it). */
  retire(physical: string): void {
    this.next.delete(physical);
    this.chain.delete(physical);
    this.files.remove(this.path(physical)).catch(() => undefined);
  }

  /**
   * Once per connection, in the background: removes files no collection owns (a
   * copy that landed after its collection was cleared, a removal refused while
   * another tab had the file open), and starts the reader if a file is there.
   */
  sweepOnce(owners: () => Promise<string[]>): void {
    if (this.swept) return;
    this.swept = true;
    const sweep = async () => {
      const dir = this.path('').slice(0, -1);
      const names = await this.files.list(dir); // listed before the owners are read: a file seen here was made for a collection that exists or is gone
      if (names.length === 0) return;
      const owned = new Set((await owners()).map((physical) => this.path(physical).at(-1)));
      if (names.some((file) => owned.has(file))) this.files.warm(); // a collection here opens from its file: have the reader ready
      for (const file of names) if (!owned.has(file)) await this.files.remove([...dir, file]);
    };
    this.track(sweep().catch(() => undefined));
  }

  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }

  /** Copies still being written are dropped unrecorded; the next open writes them again. */
  close(): void {
    this.files.close();
  }
}
