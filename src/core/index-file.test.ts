import { describe, expect, it } from 'vitest';
import { crc32 } from './checksum.ts';
import { encodeUtf8 } from './text-codec.ts';
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

  it('crc32 matches the standard check value', () => {
    expect(crc32(encodeUtf8('123456789'))).toBe(0xcbf43926);
  });
});
