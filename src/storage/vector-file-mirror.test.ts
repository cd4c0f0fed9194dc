// The mirror's bookkeeping over an in-memory stand-in for the OPFS worker (the real
// files are exercised in Chromium by e2e/vector-files.e2e.ts).
import { describe, expect, it } from 'vitest';
import { blockProbe } from './block-probe.ts';
import type { VectorFiles } from './vector-file.ts';
import { VectorFileMirror, type RecordFile, type SealedBlock } from './vector-file-mirror.ts';

const DIM = 4;
const ROWS = 8; // rows per block in these tests
const BLOCK_BYTES = ROWS * DIM * 4;

function blockRows(block: number): Float32Array<ArrayBuffer> {
  return Float32Array.from({ length: ROWS * DIM }, (_, i) => block * 1000 + i + 0.5);
}
const sealed = (block: number): SealedBlock => {
  const rows = blockRows(block);
  return { block, bytes: rows.slice().buffer, probe: blockProbe(rows, DIM) };
};

/** Files in memory; `failWrites` refuses writes, `delay(block)` holds a block's write until released. */
function memoryFiles(options: { room?: boolean } = {}) {
  const files = new Map<string, Uint8Array>();
  const held = new Map<number, () => void>();
  const state = { failWrites: false, holdBlocks: new Set<number>(), warmed: false, log: [] as string[] };
  const key = (path: string[]) => path.join('/');
  const api: VectorFiles = {
    async read(path, target, byteOffset, byteLength) {
      const f = files.get(key(path));
      if (!f || f.length < byteLength) return false;
      new Uint8Array(target, byteOffset, byteLength).set(f.subarray(0, byteLength));
      return true;
    },
    async readCopy(path, offset, byteLength) {
      const f = files.get(key(path));
      return f && f.length >= offset + byteLength ? f.slice(offset, offset + byteLength).buffer : undefined;
    },
    async write(path, offset, data) {
      const block = offset / data.byteLength;
      if (state.holdBlocks.has(block)) await new Promise<void>((r) => held.set(block, r));
      if (state.failWrites) throw new Error('refused');
      const f = files.get(key(path)) ?? new Uint8Array(0);
      const grown = new Uint8Array(Math.max(f.length, offset + data.byteLength));
      grown.set(f);
      grown.set(new Uint8Array(data), offset);
      files.set(key(path), grown);
      state.log.push(`write ${block}`);
    },
    async hasRoom() {
      return options.room ?? true;
    },
    async truncate(path, size) {
      const f = files.get(key(path));
      if (f && f.length > size) files.set(key(path), f.slice(0, size));
      state.log.push(`truncate ${size}`);
    },
    async list(path) {
      const prefix = key(path) + '/';
      return [...files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    },
    async remove(path) {
      files.delete(key(path));
      state.log.push(`remove ${path.at(-1)}`);
    },
    warm() {
      state.warmed = true;
    },
    close() {},
  };
  return { api, files, state, release: (block: number) => held.get(block)?.() };
}

/** The store's record, as recordFile keeps it. */
function recorder() {
  const rec = { fileBlocks: 0, probes: [] as (readonly number[])[], calls: [] as string[] };
  const record: RecordFile = async (_name, _physical, count, from, probes = []) => {
    rec.calls.push(`${from === 'reset' ? 'reset' : `from ${from}`} -> ${count}`);
    if (from === 'reset' ? rec.fileBlocks <= count : rec.fileBlocks < from || rec.fileBlocks >= count) return;
    rec.probes = from === 'reset' ? rec.probes.slice(0, count) : [...rec.probes.slice(0, from), ...probes];
    rec.fileBlocks = count;
  };
  return { rec, record };
}

/** A mirror over files in memory, with the record it keeps. */
function setup(options: { room?: boolean } = {}) {
  const files = memoryFiles(options);
  const { rec, record } = recorder();
  return { ...files, rec, mirror: new VectorFileMirror(files.api, 'db', record) };
}

describe('VectorFileMirror', () => {
  it('copies sealed blocks that continue the file and records them with their probes', async () => {
    const { files, rec, mirror } = setup();
    mirror.copySealed('c', 'p1', 0, [sealed(0), sealed(1)]);
    await mirror.whenIdle();
    expect(rec.fileBlocks).toBe(2);
    expect(rec.probes).toEqual([sealed(0).probe, sealed(1).probe]);
    const target = new SharedArrayBuffer(2 * BLOCK_BYTES);
    expect(await mirror.readShared('p1', target, 0, rec.probes, BLOCK_BYTES, DIM)).toBe(true);
    expect(new Float32Array(target, BLOCK_BYTES, ROWS * DIM)).toEqual(blockRows(1));
    expect([...files.keys()]).toEqual(['pagesense/db/p1.f32']);
  });

  it('skips blocks that leave a gap, and what it cannot record is never claimed', async () => {
    const { state, rec, mirror } = setup();
    mirror.copySealed('c', 'p1', 0, [sealed(3)]); // blocks 0-2 are not in the file
    await mirror.whenIdle();
    expect(state.log).toEqual([]);
    expect(rec.fileBlocks).toBe(0);
  });

  it('records commits in order even when a later block is flushed first', async () => {
    const { state, release, rec, mirror } = setup();
    state.holdBlocks.add(0);
    mirror.copySealed('c', 'p1', 0, [sealed(0)]);
    mirror.copySealed('c', 'p1', 0, [sealed(1)]); // the second commit read fileBlocks 0 too: block 0 was still in flight
    await new Promise((r) => setTimeout(r, 10));
    expect(state.log).toEqual(['write 1']);
    expect(rec.fileBlocks).toBe(0); // block 1 is written, but not claimed before block 0
    release(0);
    await mirror.whenIdle();
    expect(rec.calls).toEqual(['from 0 -> 1', 'from 1 -> 2']);
    expect(rec.fileBlocks).toBe(2);
  });

  it('gives back a refused copy and starts again from the record', async () => {
    const { state, files, rec, mirror } = setup();
    mirror.copySealed('c', 'p1', 0, [sealed(0)]);
    await mirror.whenIdle();
    state.failWrites = true;
    mirror.copySealed('c', 'p1', 1, [sealed(1)]);
    await mirror.whenIdle();
    expect(rec.fileBlocks).toBe(1);
    expect(state.log.at(-1)).toBe(`truncate ${BLOCK_BYTES}`);
    expect(files.get('pagesense/db/p1.f32')!.length).toBe(BLOCK_BYTES);
    state.failWrites = false;
    mirror.copySealed('c', 'p1', 1, [sealed(2)]); // a gap now: not copied
    mirror.copySealed('c', 'p1', 1, [sealed(1), sealed(2)]);
    await mirror.whenIdle();
    expect(rec.fileBlocks).toBe(3);
  });

  it('without room, writes nothing and records nothing', async () => {
    const { state, rec, mirror } = setup({ room: false });
    mirror.copySealed('c', 'p1', 0, [sealed(0)]);
    const copy = mirror.copyOnRead('c', 'p1', 0, 0, 2, BLOCK_BYTES, DIM)!;
    copy.block(0, blockRows(0).slice().buffer);
    copy.finish();
    await mirror.whenIdle();
    expect(state.log.filter((l) => l.startsWith('write'))).toEqual([]);
    expect(rec.fileBlocks).toBe(0);
  });

  it('a read that passed over the file stops claiming it, rewrites it, then claims it again', async () => {
    const { rec, mirror } = setup();
    mirror.copySealed('c', 'p1', 0, [sealed(0), sealed(1)]);
    await mirror.whenIdle();
    expect(rec.fileBlocks).toBe(2);
    const copy = mirror.copyOnRead('c', 'p1', 0, 2, 3, BLOCK_BYTES, DIM)!;
    for (const b of [0, 1, 2]) copy.block(b, blockRows(b).slice().buffer);
    copy.finish();
    await mirror.whenIdle();
    expect(rec.calls.slice(-2)).toEqual(['reset -> 0', 'from 0 -> 3']);
    expect(rec.fileBlocks).toBe(3);
    expect((await mirror.readCopy('p1', 0, rec.probes, BLOCK_BYTES, DIM)).intact).toBe(3);
  });

  it('a read that did not use the file copies only the blocks past it', async () => {
    const { state, rec, mirror } = setup();
    mirror.copySealed('c', 'p1', 0, [sealed(0), sealed(1)]);
    await mirror.whenIdle();
    state.log.length = 0;
    const copy = mirror.copyOnRead('c', 'p1', 2, 2, 3, BLOCK_BYTES, DIM)!;
    for (const b of [0, 1, 2]) copy.block(b, blockRows(b).slice().buffer);
    copy.finish();
    await mirror.whenIdle();
    expect(state.log).toEqual(['write 2']);
    expect(rec.calls.at(-1)).toBe('from 2 -> 3');
    expect(rec.fileBlocks).toBe(3);
    expect(mirror.copyOnRead('c', 'p1', 3, 3, 3, BLOCK_BYTES, DIM)).toBeUndefined(); // nothing left to copy
  });

  it('a refused copy-on-read from the start removes the file', async () => {
    const { state, files, rec, mirror } = setup();
    const copy = mirror.copyOnRead('c', 'p1', 0, 0, 2, BLOCK_BYTES, DIM)!;
    copy.block(0, blockRows(0).slice().buffer);
    state.failWrites = true;
    copy.block(1, blockRows(1).slice().buffer);
    copy.finish();
    await mirror.whenIdle();
    expect(rec.fileBlocks).toBe(0);
    expect(files.size).toBe(0);
  });

  it('reads fail on a short file or a probe that does not match', async () => {
    const { files, rec, mirror } = setup();
    mirror.copySealed('c', 'p1', 0, [sealed(0), sealed(1)]);
    await mirror.whenIdle();
    const target = new SharedArrayBuffer(3 * BLOCK_BYTES);
    expect(await mirror.readShared('p1', target, 0, [...rec.probes, sealed(2).probe], BLOCK_BYTES, DIM)).toBe(false); // short
    files.get('pagesense/db/p1.f32')!.fill(0, BLOCK_BYTES); // block 1 zero-filled
    expect(await mirror.readShared('p1', target, 0, rec.probes, BLOCK_BYTES, DIM)).toBe(false);
    expect((await mirror.readCopy('p1', 0, rec.probes, BLOCK_BYTES, DIM)).intact).toBe(1); // block 0 is fine
    expect((await mirror.readCopy('p1', 1, rec.probes.slice(1), BLOCK_BYTES, DIM)).intact).toBe(0);
    expect((await mirror.readCopy('p1', 0, [...rec.probes, sealed(2).probe], BLOCK_BYTES, DIM)).intact).toBe(0); // short
  });

  it('sweeps files no collection owns, once, and warms the reader when one is owned', async () => {
    const { state, files, mirror } = setup();
    files.set('pagesense/db/p1.f32', new Uint8Array(4));
    files.set('pagesense/db/gone.f32', new Uint8Array(4));
    files.set('pagesense/other-db/x.f32', new Uint8Array(4));
    mirror.sweepOnce(async () => ['p1']);
    mirror.sweepOnce(async () => []); // once per connection
    await mirror.whenIdle();
    expect([...files.keys()].sort()).toEqual(['pagesense/db/p1.f32', 'pagesense/other-db/x.f32']);
    expect(state.warmed).toBe(true);
    mirror.retire('p1');
    await new Promise((r) => setTimeout(r, 0));
    expect([...files.keys()]).toEqual(['pagesense/other-db/x.f32']);
  });
});
