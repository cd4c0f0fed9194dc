// Every public function of pagesense/core, called with arbitrary values for every
// parameter: each call returns a result that keeps the function's invariants, or
// throws a catalog error with a code. Hangs fail by the test's time limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calibrateRanges,
  chunkText,
  communityDetection,
  cosSim,
  createFlatIndex,
  decodeIndexFile,
  dotScore,
  encodeIndexFile,
  normalizeEmbeddings,
  normalizeRows,
  paraphraseMining,
  quantizeEmbeddings,
  semanticSearch,
  slugify,
} from '../../src/core/index.ts';
import { createManifest } from '../../src/core/manifest.ts';
import { anyValue, edgyNumber, embeddings, options, returnsOrThrowsTyped, vectors } from './arbitraries.ts';

const RUNS = { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 300) };
const tally: Record<string, number> = {};
const count = (name: string) => (tally[name] = (tally[name] ?? 0) + 1);

const finite = (xs: ArrayLike<number>) => Array.from(xs).every((x) => Number.isFinite(x));

describe('pagesense/core under arbitrary input', () => {
  it('createFlatIndex, add, search, searchBatch and removeRows', () => {
    const flatOptions = options(
      ['dimension', 'precision', 'backend', 'keepFloat', 'normalize', 'ranges'],
      fc.oneof(edgyNumber, anyValue, fc.constantFrom('int8', 'binary', 'js', 'float32')),
    );
    fc.assert(
      fc.property(flatOptions, vectors, vectors, options(['k', 'rescore']), fc.array(edgyNumber, { maxLength: 3 }), (opts, rows, query, searchOpts, remove) => {
        count('flat index');
        returnsOrThrowsTyped(
          () => createFlatIndex(opts as never),
          (index) => {
            returnsOrThrowsTyped(() => index.add(rows as never));
            const size = index.size;
            returnsOrThrowsTyped(
              () => index.search(query as never, searchOpts as never),
              (hits) => {
                expect(hits.length).toBeLessThanOrEqual(size);
                for (const h of hits) expect(Number.isInteger(h.index) && h.index >= 0 && h.index < size && Number.isFinite(h.score)).toBe(true);
                for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
              },
            );
            returnsOrThrowsTyped(() => index.searchBatch(query as never, searchOpts as never));
            returnsOrThrowsTyped(
              () => index.removeRows(remove),
              () => expect(index.size).toBe(size - remove.length),
            );
          },
        );
      }),
      RUNS,
    );
  });

  it('quantizeEmbeddings and calibrateRanges', () => {
    fc.assert(
      fc.property(
        embeddings,
        anyValue.map((v) => v as never).chain((v) => fc.constantFrom(v, 'int8', 'uint8', 'binary', 'ubinary')),
        options(['ranges', 'calibrationEmbeddings'], fc.oneof(embeddings, anyValue)),
        (e, precision, opts) => {
          count('quantize');
          returnsOrThrowsTyped(
            () => quantizeEmbeddings(e as never, precision as never, opts as never),
            (q) => expect(q.data.length).toBe(q.rows * q.dim),
          );
          returnsOrThrowsTyped(() => calibrateRanges(e as never, (e as { dim?: unknown })?.dim as never));
        },
      ),
      RUNS,
    );
  });

  it('normalizeEmbeddings, cosSim, dotScore, normalizeRows', () => {
    fc.assert(
      fc.property(embeddings, embeddings, vectors, edgyNumber, (a, b, rows, dim) => {
        count('similarity');
        returnsOrThrowsTyped(
          () => normalizeEmbeddings(a as never),
          (m) => expect(finite(m.data)).toBe(true),
        );
        returnsOrThrowsTyped(
          () => cosSim(a as never, b as never),
          (m) => expect(Array.from(m.data).every((x) => Math.abs(x) <= 1.0001)).toBe(true),
        );
        returnsOrThrowsTyped(() => dotScore(a as never, b as never));
        returnsOrThrowsTyped(() => normalizeRows(rows as never, dim));
      }),
      RUNS,
    );
  });

  it('semanticSearch, paraphraseMining, communityDetection', () => {
    fc.assert(
      fc.property(
        embeddings,
        embeddings,
        options(['topK', 'queryChunkSize', 'corpusChunkSize', 'scoreFunction'], fc.oneof(edgyNumber, fc.constantFrom('cosSim', 'dotScore', 'manhattan'))),
        options(['topK', 'maxPairs']),
        options(['threshold', 'minCommunitySize']),
        (q, c, so, po, co) => {
          count('util');
          returnsOrThrowsTyped(
            () => semanticSearch(q as never, c as never, so as never),
            (res) => res.forEach((hs) => hs.forEach((h) => expect(Number.isInteger(h.corpusId) && Number.isFinite(h.score)).toBe(true))),
          );
          returnsOrThrowsTyped(
            () => paraphraseMining(q as never, po as never),
            (pairs) => pairs.forEach(([s, i, j]) => expect(Number.isFinite(s) && i < j).toBe(true)),
          );
          returnsOrThrowsTyped(
            () => communityDetection(q as never, co as never),
            (groups) => {
              const all = groups.flat();
              expect(new Set(all).size).toBe(all.length); // each row in at most one community
            },
          );
        },
      ),
      RUNS,
    );
  });

  it('chunkText never returns a passage over maxChars, whatever the script; slugify returns a slug', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.constantFrom('漢字'.repeat(3000), 'a'.repeat(9000), '---\ntitle: x\n---', `# H\n\n${'word '.repeat(900)}`),
      anyValue,
      // Markdown's shapes: fences of every length and kind (nested, unclosed), headings with and without bodies or ids, front matter.
      fc
        .array(
          fc.oneof(
            fc.constantFrom('```', '````', '~~~', '```js', '````md', '~~~~', '---', '', '', '#', '## ', '### H {#id}', '# Title', '  ```', '    ```'),
            fc.string({ maxLength: 40 }).map((w) => `## ${w}`),
            fc.string({ maxLength: 80 }),
          ),
          { maxLength: 40 },
        )
        .map((lines) => lines.join('\n')),
    );
    fc.assert(
      fc.property(text, options(['maxWords', 'maxChars']), (source, opts) => {
        count('chunkText');
        returnsOrThrowsTyped(
          () => chunkText(source as never, opts as never),
          (passages) => {
            const limit = (opts as { maxChars?: number } | undefined)?.maxChars ?? 2000;
            for (const p of passages) expect(p.text.length > 0 && p.text.length <= limit).toBe(true);
          },
        );
        returnsOrThrowsTyped(
          () => slugify(source as never),
          (slug) => expect(/\s/.test(slug)).toBe(false),
        );
      }),
      RUNS,
    );
  });

  it('decodeIndexFile: truncated at every length, bit flips anywhere, and arbitrary bytes', () => {
    const manifest = {
      ...createManifest('c', { modelId: 'm', revision: 'main', dimension: 3, pooling: 'cls' as const, normalized: true, queryInstruction: 'q: ' }, 1),
      documentCount: 2,
      vectorCount: 2,
    };
    const file = encodeIndexFile({
      manifest,
      vectors: Float32Array.of(1, 0, 0, 0, 0.6, 0.8),
      documents: [
        { id: 'a', text: 'x' },
        { id: 'b', text: 'y', meta: { n: 1 } },
      ],
    });
    for (let n = 0; n < file.length; n++) {
      count('decode');
      expect(() => decodeIndexFile(file.subarray(0, n))).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        count('decode');
        const flipped = file.slice();
        flipped[at] = flipped[at]! ^ (1 << bit);
        expect(() => decodeIndexFile(flipped)).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), anyValue), (bytes) => {
        count('decode');
        returnsOrThrowsTyped(() => decodeIndexFile(bytes as never));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(anyValue, (contents) => {
        count('encode');
        returnsOrThrowsTyped(() => encodeIndexFile(contents as never));
      }),
      RUNS,
    );
    // Well-formed files (checksum right) whose manifest fields hold arbitrary values: decoded only when
    // every field is sound and the counts match the file, else CORRUPT_INDEX.
    const fields = ['name', 'modelId', 'revision', 'pooling', 'normalized', 'queryInstruction', 'documentCount', 'vectorCount', 'createdAt', 'updatedAt'];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.oneof(anyValue, edgyNumber, fc.constantFrom(0, 1, 2, 3, 'cls', 'mean', 'max', true)), (field, value) => {
        count('decode manifest fields');
        let crafted: Uint8Array;
        try {
          crafted = encodeIndexFile({
            manifest: { ...manifest, [field]: value } as never,
            vectors: Float32Array.of(1, 0, 0, 0, 0.6, 0.8),
            documents: [
              { id: 'a', text: 'x' },
              { id: 'b', text: 'y' },
            ],
          });
        } catch (err) {
          expect((err as { code?: string }).code).toBeTypeOf('string');
          return;
        }
        returnsOrThrowsTyped(
          () => decodeIndexFile(crafted),
          (back) => {
            expect(back.manifest.vectorCount).toBe(2);
            expect(back.manifest.documentCount).toBe(2);
            expect(['cls', 'mean']).toContain(back.manifest.pooling);
            expect(typeof back.manifest.normalized).toBe('boolean');
          },
        );
      }),
      RUNS,
    );
  });

  it('tried every function', () => {
    // The counts go into the closing figures; each function saw hundreds of inputs.
    for (const [name, n] of Object.entries(tally)) expect(n, name).toBeGreaterThanOrEqual(300);
    console.log(`inputs tried: ${JSON.stringify(tally)}`);
  });
});
