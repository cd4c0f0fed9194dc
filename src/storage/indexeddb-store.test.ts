import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { EmbeddingSpec } from '../core/manifest.ts';
import { calibrateRanges, quantizeRows } from '../core/quantization.ts';
import { BLOCK_ROWS } from './idb-schema.ts';
import { openIndexedDBStore } from './indexeddb-store.ts';
import { docs, fresh as freshStore, spec, vecs } from '../../test/helpers/store-fixtures.ts';

let dbCount = 0; // for tests that name their own databases
const fresh = () => freshStore('t');

describe('IndexedDB store', () => {
  it('round-trips documents and vectors across blocks and reopen', async () => {
    const name = `rt${dbCount}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    const n = BLOCK_ROWS + 5;
    const m = await store.append('c', docs(n), vecs(n));
    expect(m.documentCount).toBe(n);
    store.close();
    const again = await openIndexedDBStore({ databaseName: name });
    await again.openCollection('c', spec);
    const loaded = await again.loadVectors('c');
    expect(loaded.ids.length).toBe(n);
    expect(loaded.ids[n - 1]).toBe(`d${n - 1}`);
    expect(Array.from(loaded.vectors)).toEqual(Array.from(vecs(n)));
    const [d] = await again.getDocuments('c', ['d3']);
    expect(d?.text).toBe('text 3');
  });

  it('refuses to open a collection with another model, and keeps its data', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    await expect(store.openCollection('c', { ...spec, modelId: 'm/2' })).rejects.toMatchObject({ code: 'MODEL_MISMATCH' });
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
  });

  it('writes a batch all or nothing: a duplicate id rolls the whole batch back', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    const batch = [
      { id: 'new', text: 'x' },
      { id: 'd1', text: 'dup' },
    ];
    await expect(store.append('c', batch, vecs(2))).rejects.toMatchObject({ code: 'DUPLICATE_ID' });
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
    expect(await store.hasDocuments('c', ['new'])).toEqual([false]);
  });

  it('rejects wrong vector sizes and NaN before writing anything', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await expect(store.append('c', docs(2), new Float32Array(7))).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    await expect(store.append('c', docs(1), Float32Array.of(0, NaN, 0, 0))).rejects.toMatchObject({ code: 'NON_FINITE_VECTOR' });
    expect((await store.loadVectors('c')).ids).toEqual([]);
  });

  it('clears one collection and leaves the others', async () => {
    const store = await fresh();
    await store.openCollection('a', spec);
    await store.openCollection('b', spec);
    await store.append('a', docs(3), vecs(3));
    await store.append('b', docs(2), vecs(2));
    await store.clear('a');
    await store.openCollection('a', spec);
    expect((await store.loadVectors('a')).ids).toEqual([]);
    expect((await store.loadVectors('b')).ids).toEqual(['d0', 'd1']);
  });
});

describe('IndexedDB store: updates, rebuilds, files, quota, tabs', () => {
  const vec = (...rows: number[][]) => Float32Array.from(rows.flat());

  it('upsert replaces by id, delete removes, and loads skip the tombstones', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(3), vec([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]));
    let m = await store.upsert(
      'c',
      [
        { id: 'd1', text: 'new one' },
        { id: 'x', text: 'brand new' },
      ],
      vec([0, 0, 0, 1], [1, 1, 0, 0]),
    );
    expect(m.documentCount).toBe(4);
    m = await store.delete('c', ['d0', 'missing']);
    expect(m.documentCount).toBe(3);
    const { ids, vectors } = await store.loadVectors('c');
    expect(ids).toEqual(['d2', 'd1', 'x']);
    expect(Array.from(vectors.subarray(4, 8))).toEqual([0, 0, 0, 1]);
    expect((await store.getDocuments('c', ['d1']))[0]?.text).toBe('new one');
    expect(await store.hasDocuments('c', ['d0'])).toEqual([false]);
  });

  it('fills the last block before starting another', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    for (let i = 0; i < 5; i++) await store.append('c', docs(10, `b${i}-`), vecs(10));
    const { ids } = await store.loadVectors('c');
    expect(ids.length).toBe(50);
    expect(ids[49]).toBe('b4-9');
  });

  it('blue-green: the old collection answers until the switch, then the new one replaces it', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    const newSpec = { ...spec, modelId: 'm/2', dimension: 2 };
    const staging = await store.beginRebuild('c', newSpec);
    await store.append(staging, docs(3, 'n'), Float32Array.of(1, 0, 0, 1, 1, 1));
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
    expect((await store.getManifest('c'))?.modelId).toBe('m/1');
    const m = await store.commitRebuild('c');
    expect(m).toMatchObject({ modelId: 'm/2', name: 'c', documentCount: 3 });
    expect((await store.loadVectors('c')).ids).toEqual(['n0', 'n1', 'n2']);
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c']);
    expect(await store.openCollection('c', newSpec)).toMatchObject({ modelId: 'm/2' });
  });

  it('exports to one file and imports it back; a damaged file changes nothing', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append(
      'c',
      [
        { id: 'a', text: 'alpha', title: 'A', meta: { k: 1 } },
        { id: 'b', text: 'beta' },
      ],
      vecs(2),
    );
    const file = await store.exportCollection('c');
    const other = await fresh();
    await other.openCollection('c', { ...spec, modelId: 'old' });
    await other.append('c', docs(1), vecs(1));
    const damaged = file.slice(0, file.length - 10);
    await expect(other.importCollection('c', damaged)).rejects.toMatchObject({ code: 'CORRUPT_INDEX' });
    expect((await other.loadVectors('c')).ids).toEqual(['d0']);
    const m = await other.importCollection('c', file);
    expect(m).toMatchObject({ modelId: 'm/1', documentCount: 2 });
    expect((await other.getDocuments('c', ['a']))[0]).toMatchObject({ text: 'alpha', title: 'A', meta: { k: 1 } });
    expect(Array.from((await other.loadVectors('c')).vectors)).toEqual(Array.from(vecs(2)));
  });

  it('turns QuotaExceededError into QUOTA_EXCEEDED and keeps the store consistent', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    const proto = IDBObjectStore.prototype as unknown as { put: (...a: unknown[]) => unknown };
    const original = proto.put;
    proto.put = function () {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      await expect(store.append('c', docs(2, 'q'), vecs(2))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    } finally {
      proto.put = original;
    }
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
    expect((await store.getManifest('c'))?.documentCount).toBe(2);
  });

  it('tells other connections (tabs) which collection changed', async () => {
    const name = `tabs${dbCount++}`;
    const a = await openIndexedDBStore({ databaseName: name });
    const b = await openIndexedDBStore({ databaseName: name });
    const seen: string[] = [];
    b.onExternalChange((c) => seen.push(c));
    await a.openCollection('c', spec);
    await a.append('c', docs(1), vecs(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toContain('c');
    expect((await b.loadVectors('c')).ids).toEqual(['d0']);
    a.close();
    b.close();
  });

  it('detects a manifest that disagrees with the blocks as CORRUPT_INDEX', async () => {
    const name = `corrupt${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name);
    const rec = await raw.get('collections', 'c');
    rec.manifest.vectorCount = 5;
    await raw.put('collections', rec);
    raw.close();
    const again = await openIndexedDBStore({ databaseName: name });
    await expect(again.loadVectors('c')).rejects.toMatchObject({ code: 'CORRUPT_INDEX' });
  });
});

describe('IndexedDB store: sealed blocks and int8 codes', () => {
  const dim = 16;
  const spec16: EmbeddingSpec = { ...spec, dimension: dim };
  const randomRows = (n: number, seed: number) => {
    let s = seed;
    return Float32Array.from({ length: n * dim }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 31 - 1;
    });
  };

  it('keeps full blocks as Blobs, the open tail block as an ArrayBuffer', async () => {
    const name = `sealed${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec16);
    await store.append('c', docs(BLOCK_ROWS + 3), randomRows(BLOCK_ROWS + 3, 1));
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name);
    const blocks = await raw.getAll('blocks');
    raw.close();
    expect(blocks.map((b) => b.vectors.constructor.name)).toEqual(['Blob', 'ArrayBuffer']);
    expect(blocks.every((b) => b.codes === undefined)).toBe(true);
  });

  it('int8: fixes ranges from the first full block, stores its codes, reads codes or floats on request', async () => {
    const store = await fresh();
    const rows = randomRows(BLOCK_ROWS + 10, 2);
    await store.openCollection('q', spec16, { quantization: 'int8' });
    const m1 = await store.append('q', docs(BLOCK_ROWS - 1), rows.subarray(0, (BLOCK_ROWS - 1) * dim));
    expect(m1.ranges).toBeUndefined();
    const m2 = await store.append('q', docs(11, 'e'), rows.subarray((BLOCK_ROWS - 1) * dim));
    const ranges = calibrateRanges(rows.subarray(0, BLOCK_ROWS * dim), dim);
    expect(m2.ranges).toEqual({ min: Array.from(ranges.min), max: Array.from(ranges.max) });

    const reader = await store.readVectors('q', { codes: true });
    const blocks = [];
    for await (const b of reader.blocks) blocks.push(b);
    expect(blocks.map((b) => ('codes' in b ? 'codes' : 'vectors'))).toEqual(['codes', 'vectors']);
    const first = blocks[0] as { codes: Int8Array };
    expect(Array.from(first.codes)).toEqual(Array.from(quantizeRows(rows.subarray(0, BLOCK_ROWS * dim), dim, 'int8', ranges)));
    // Without codes: exact float32 rows, as for any collection.
    expect(Array.from((await store.loadVectors('q')).vectors)).toEqual(Array.from(rows));
    // Single rows come back exact, from the sealed Blob and from the open block alike.
    const got = await store.getVectors('q', ['d5', 'e10', 'd0']);
    const row = (i: number) => Array.from(rows.subarray(i * dim, i * dim + dim));
    expect(Array.from(got)).toEqual([...row(5), ...row(BLOCK_ROWS + 9), ...row(0)]);
    await expect(store.getVectors('q', ['nope'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('int8: tombstoned rows drop out of the codes too; the quantization setting is part of the contract', async () => {
    const store = await fresh();
    const rows = randomRows(BLOCK_ROWS, 3);
    await store.openCollection('q', spec16, { quantization: 'int8' });
    await store.append('q', docs(BLOCK_ROWS), rows);
    await store.delete('q', ['d0', 'd7']);
    const reader = await store.readVectors('q', { codes: true });
    expect(reader.rows).toBe(BLOCK_ROWS - 2);
    for await (const b of reader.blocks) {
      expect(b.ids.slice(0, 7)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd8']);
      expect('codes' in b && b.codes.length).toBe((BLOCK_ROWS - 2) * dim);
    }
    await expect(store.openCollection('q', spec16, { quantization: 'none' })).rejects.toMatchObject({ code: 'MODEL_MISMATCH' });
    expect((await store.openCollection('q', spec16)).quantization).toBe('int8');
  });

  it('a codes Blob of the wrong size is CORRUPT_INDEX, and nothing is changed', async () => {
    const name = `badcodes${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('q', spec16, { quantization: 'int8' });
    await store.append('q', docs(BLOCK_ROWS), randomRows(BLOCK_ROWS, 4));
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name);
    const [block] = await raw.getAll('blocks');
    block.codes = new Blob([new Uint8Array(10)]);
    await raw.put('blocks', block);
    raw.close();
    const again = await openIndexedDBStore({ databaseName: name });
    await expect(again.readVectors('q', { codes: true })).rejects.toMatchObject({ code: 'CORRUPT_INDEX' });
    expect((await again.loadVectors('q')).ids.length).toBe(BLOCK_ROWS); // the float rows are intact
  });
});

describe('IndexedDB store: row positions', () => {
  it('positions from a read find documents and rows without the id index; stale or wrong hints never return another document', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    const n = BLOCK_ROWS + 100;
    const all = vecs(n);
    await store.append('c', docs(n), all);
    const reader = await store.readVectors('c');
    const ids: string[] = [];
    const positions: number[] = [];
    for await (const b of reader.blocks) {
      ids.push(...b.ids);
      positions.push(...b.positions);
    }
    const pick = [5, BLOCK_ROWS + 7, 0];
    const hints = { snapshot: reader.snapshot, positions: pick.map((r) => positions[r]!) };
    const want = pick.map((r) => `d${r}`);
    expect((await store.getDocuments('c', want, hints)).map((d) => d?.text)).toEqual(pick.map((r) => `text ${r}`));
    expect(Array.from(await store.getVectors('c', want, hints))).toEqual(pick.flatMap((r) => Array.from(all.subarray(r * 4, r * 4 + 4))));
    // Hints that point at other rows are caught by the stored id: no wrong document comes back.
    const swapped = { snapshot: reader.snapshot, positions: [hints.positions[1]!, hints.positions[0]!, hints.positions[2]!] };
    expect((await store.getDocuments('c', want, swapped)).map((d) => d?.id)).toEqual([undefined, undefined, 'd0']);
    // A deleted row's hint finds an empty slot.
    await store.delete('c', ['d5']);
    expect((await store.getDocuments('c', want, hints)).map((d) => d?.id)).toEqual([undefined, `d${BLOCK_ROWS + 7}`, 'd0']);
    // After a rebuild the old snapshot's hints are ignored and the ids are looked up.
    await store.compact('c');
    expect((await store.getDocuments('c', want, hints)).map((d) => d?.id)).toEqual([undefined, `d${BLOCK_ROWS + 7}`, 'd0']);
    expect(Array.from(await store.getVectors('c', want.slice(1), { snapshot: reader.snapshot, positions: hints.positions.slice(1) }))).toEqual(
      [BLOCK_ROWS + 7, 0].flatMap((r) => Array.from(all.subarray(r * 4, r * 4 + 4))),
    );
  });

  it('duplicate ids in stored slots are CORRUPT_INDEX at the first lookup by id', async () => {
    const name = `dups${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    await store.append('c', docs(3), vecs(3));
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name);
    const [slots] = await raw.getAll('slots');
    slots.ids[2] = 'd0';
    await raw.put('slots', slots);
    raw.close();
    const again = await openIndexedDBStore({ databaseName: name });
    expect((await again.loadVectors('c')).ids).toEqual(['d0', 'd1', 'd0']); // searchable as stored
    await expect(again.hasDocuments('c', ['d1'])).rejects.toMatchObject({ code: 'CORRUPT_INDEX' });
  });
});

describe('IndexedDB store: small commits', () => {
  const dim = 4;
  const rows = (n: number, from = 0) => Float32Array.from({ length: n * dim }, (_, i) => Math.sin(from * dim + i));

  it('appends in small batches write segments, folded into one sealed Blob when the block fills', async () => {
    const name = `small${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    const total = BLOCK_ROWS + 100;
    for (let at = 0; at < total; at += 31) {
      const n = Math.min(31, total - at);
      await store.append(
        'c',
        Array.from({ length: n }, (_, i) => ({ id: `r${at + i}`, text: `row ${at + i}` })),
        rows(n, at),
      );
    }
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name);
    const blocks = await raw.getAll('blocks');
    const segments = await raw.getAll('segments');
    raw.close();
    expect(blocks.map((b) => b.vectors.constructor.name)).toEqual(['Blob', 'ArrayBuffer']);
    // Only the open block has segments: its base is the first batch after the seal, the rest follow.
    expect(segments.every((s) => s.block === 1)).toBe(true);
    expect(segments.map((s) => s.first)).toEqual(segments.map((_, i) => segments[0].first + i * 31));
    const again = await openIndexedDBStore({ databaseName: name });
    const loaded = await again.loadVectors('c');
    expect(loaded.ids.length).toBe(total);
    expect(Array.from(loaded.vectors)).toEqual(Array.from(rows(total)));
    // A row of the open block, read through a fresh connection (no cached handles).
    const other = await openIndexedDBStore({ databaseName: name });
    expect(Array.from(await other.getVectors('c', [`r${total - 1}`, 'r5']))).toEqual([...rows(1, total - 1), ...rows(1, 5)]);
  });

  it('opens a version 1 database: upgrades in place and reads and extends its data', async () => {
    const name = `v1${dbCount++}`;
    const { openDB } = await import('idb');
    const { createManifest } = await import('../core/manifest.ts');
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('collections', { keyPath: 'name' });
        db.createObjectStore('blocks', { keyPath: ['collection', 'block'] });
        db.createObjectStore('slots', { keyPath: ['collection', 'block'] });
        db.createObjectStore('docs', { keyPath: ['collection', 'chunk'] });
        db.createObjectStore('retired', { keyPath: 'physical' });
      },
    });
    // What version 1 wrote for three rows: one open block holding all of them as an ArrayBuffer.
    const manifest = { ...createManifest('c', spec, 1), documentCount: 3, vectorCount: 3 };
    await v1.put('collections', { name: 'c', physical: 'p1', manifest, nextBlock: 1, deadRows: 0, version: 1 });
    await v1.put('blocks', { collection: 'p1', block: 0, vectors: rows(3).buffer });
    await v1.put('slots', { collection: 'p1', block: 0, ids: ['a', 'b', 'c'] });
    await v1.put('docs', { collection: 'p1', chunk: 0, docs: ['a', 'b', 'c'].map((id) => ({ id, text: `text ${id}` })) });
    v1.close();
    const store = await openIndexedDBStore({ databaseName: name });
    expect((await store.openCollection('c', spec)).documentCount).toBe(3);
    await store.append('c', [{ id: 'd', text: 'text d' }], rows(1, 3));
    const loaded = await store.loadVectors('c');
    expect(loaded.ids).toEqual(['a', 'b', 'c', 'd']);
    expect(Array.from(loaded.vectors)).toEqual(Array.from(rows(4)));
    expect((await store.getDocuments('c', ['b']))[0]?.text).toBe('text b');
  });
});

describe('IndexedDB store: re-ranking reads', () => {
  it('reads a float row from disk once; asking again is served from memory', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    const n = BLOCK_ROWS + 10;
    await store.append('c', docs(n), vecs(n));
    const slice = vi.spyOn(Blob.prototype, 'slice');
    try {
      const first = await store.getVectors('c', ['d3', 'd9', `d${BLOCK_ROWS + 2}`]);
      expect(slice).toHaveBeenCalledTimes(2); // the two rows in the sealed block; the open one is in memory already
      const again = await store.getVectors('c', ['d9', 'd3']);
      expect(slice).toHaveBeenCalledTimes(2);
      expect(Array.from(again)).toEqual([...Array.from(first.subarray(4, 8)), ...Array.from(first.subarray(0, 4))]);
      expect(Array.from(first.subarray(0, 4))).toEqual(Array.from(vecs(4).subarray(12, 16)));
    } finally {
      slice.mockRestore();
    }
  });
});
