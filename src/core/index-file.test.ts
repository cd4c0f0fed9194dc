import { describe, expect, it } from 'vitest';
import { crc32 } from './checksum.ts';
import { decodeUtf8, encodeUtf8 } from './text-codec.ts';
import { decodeIndexFile, encodeIndexFile } from './index-file.ts';
import { createManifest } from './manifest.ts';

const manifest = {
  ...createManifest('c', { modelId: 'm', revision: 'main', dimension: 3, pooling: 'cls', normalized: true, queryInstruction: '' }, 1),
  documentCount: 2,
  vectorCount: 2,
};
const contents = {
  manifest,
  vectors: Float32Array.of(1, 0, 0, 0, 0.6, 0.8),
  documents: [
    { id: 'a', text: 'x', title: 'T' },
    { id: 'b', text: 'y', meta: { n: 1 } },
  ],
};

describe('index file', () => {
  it('round-trips manifest, vectors and documents', () => {
    const back = decodeIndexFile(encodeIndexFile(contents));
    expect(back.manifest).toEqual(manifest);
    expect(Array.from(back.vectors)).toEqual(Array.from(contents.vectors).map((v) => Math.fround(v)));
    expect(back.documents).toEqual(contents.documents);
  });

  it('rejects truncated, corrupted and foreign files as CORRUPT_INDEX', () => {
    const file = encodeIndexFile(contents);
    const flipped = file.slice();
    flipped[flipped.length - 3] = flipped[flipped.length - 3]! ^ 1;
    for (const [bytes, why] of [
      [file.subarray(0, file.length - 1), /truncated/],
      [flipped, /checksum/],
      [encodeUtf8('{"hello": "world"} and more bytes here'), /magic/],
      [new Uint8Array(4), /magic/],
    ] as const) {
      expect(() => decodeIndexFile(bytes)).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX', message: expect.stringMatching(why) }));
    }
  });

  it('the checksum covers the header: a flipped bit there is CORRUPT_INDEX, not a changed manifest', () => {
    const file = encodeIndexFile(contents);
    const at = file.indexOf(encodeUtf8('"modelId":"m"')[10]!, 20); // a byte inside the header JSON
    for (const i of [20, at, 20 + 40]) {
      const flipped = file.slice();
      flipped[i] = flipped[i]! ^ 0x02;
      expect(() => decodeIndexFile(flipped)).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
    }
  });

  it('checks every header number, even under a valid checksum', () => {
    const craft = (edit: (h: Record<string, unknown>) => void) => {
      const file = encodeIndexFile(contents);
      const view = new DataView(file.buffer);
      const headerLength = view.getUint32(12, true);
      const header = JSON.parse(decodeUtf8(file.subarray(20, 20 + headerLength))) as Record<string, unknown>;
      edit(header);
      const h = encodeUtf8(JSON.stringify(header));
      const out = new Uint8Array(20 + h.length + file.length - 20 - headerLength);
      out.set(file.subarray(0, 20));
      out.set(h, 20);
      out.set(file.subarray(20 + headerLength), 20 + h.length);
      const v = new DataView(out.buffer);
      v.setUint32(12, h.length, true);
      v.setUint32(16, crc32(out.subarray(20)), true);
      return out;
    };
    expect(decodeIndexFile(craft(() => {})).documents).toEqual(contents.documents); // the crafting itself is sound
    for (const edit of [
      (h: Record<string, unknown>) => (h['count'] = -2),
      (h: Record<string, unknown>) => (h['count'] = 2 ** 40),
      (h: Record<string, unknown>) => (h['vectorBytes'] = 'lots'),
      (h: Record<string, unknown>) => (h['documentBytes'] = 1.5),
      (h: Record<string, unknown>) => (h['dimension'] = 4),
      (h: Record<string, unknown>) => delete h['manifest'],
    ]) {
      expect(() => decodeIndexFile(craft(edit))).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
    }
  });

  it('still reads version 1 files, whose checksum left the header out', () => {
    const file = encodeIndexFile(contents);
    const view = new DataView(file.buffer);
    const body = 20 + view.getUint32(12, true);
    view.setUint32(8, 1, true);
    view.setUint32(16, crc32(file.subarray(body)), true);
    expect(decodeIndexFile(file).documents).toEqual(contents.documents);
  });

  it('refuses metadata that JSON cannot carry before writing a byte', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const meta of [{ when: new Date(0) }, { n: NaN }, cyclic, { big: 1n }, { f: () => 1 }, { m: new Map() }]) {
      const docs = [contents.documents[0]!, { id: 'b', text: 'y', meta: meta as Record<string, unknown> }];
      expect(() => encodeIndexFile({ ...contents, documents: docs })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('crc32 matches the standard check value', () => {
    expect(crc32(encodeUtf8('123456789'))).toBe(0xcbf43926);
  });

  it('refuses a well-formed file whose manifest disagrees with what it holds, or carries an invalid field, naming it', () => {
    const cases: [object, RegExp][] = [
      [{ ...contents, manifest: { ...manifest, vectorCount: 5 } }, /manifest\.vectorCount is 5, the file holds 2 vectors/],
      [{ ...contents, manifest: { ...manifest, documentCount: 0 } }, /manifest\.documentCount is 0/],
      [{ ...contents, manifest: { ...manifest, pooling: 'max' } }, /manifest\.pooling must be "cls" or "mean", got "max"/],
      [{ ...contents, manifest: { ...manifest, normalized: 'yes' } }, /manifest\.normalized must be true or false/],
      [{ ...contents, manifest: { ...manifest, dimension: 3.5 } }, /manifest|dimension/],
      [{ ...contents, manifest: { ...manifest, createdAt: 'yesterday' } }, /manifest\.createdAt must be a finite number/],
      [{ ...contents, documents: [contents.documents[0]!, { ...contents.documents[1]!, id: 'a' }] }, /document id "a" appears twice/],
    ];
    for (const [c, why] of cases) {
      let file: Uint8Array;
      try {
        file = encodeIndexFile(c as never);
      } catch (err) {
        // Refused on the way out already is just as good, as long as it names the field.
        expect(String((err as Error).message)).toMatch(why);
        continue;
      }
      expect(() => decodeIndexFile(file)).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX', message: expect.stringMatching(why) }));
    }
  });
});
