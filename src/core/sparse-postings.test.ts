import { describe, expect, it } from 'vitest';
import { gaussianSource } from '../../scripts/forge/bert.ts';
import { activate, assertSparseSide, shardOf } from './sparse-index.ts';
import { poolSparse } from './sparse-pooling.ts';
import { decodePostingsShard, encodePostingsShard, type TokenPostings } from './sparse-postings.ts';
import { queryTokens, scoreSparse } from './sparse-scoring.ts';

describe('postings shards', () => {
  it('round-trip tokens (any Unicode), query weights, rows and weights', () => {
    const tokens = new Map<string, TokenPostings>([
      ['lamp', { queryWeight: 2.5, rows: Uint32Array.of(0, 3, 300, 70000), weights: Uint8Array.of(1, 255, 17, 9) }],
      ['##ing', { queryWeight: 0.125, rows: Uint32Array.of(5), weights: Uint8Array.of(200) }],
      ['中', { queryWeight: 1, rows: Uint32Array.of(2 ** 31), weights: Uint8Array.of(3) }],
    ]);
    const back = decodePostingsShard(encodePostingsShard(tokens), 'x.bin');
    expect([...back.keys()].sort()).toEqual([...tokens.keys()].sort());
    for (const [t, p] of tokens) expect(back.get(t)).toEqual(p);
  });

  it('refuses bytes that are not a shard, or a truncated one, as CORRUPT_INDEX naming the file', () => {
    expect(() => decodePostingsShard(new TextEncoder().encode('<!doctype html>'), 'sparse-0.bin')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_INDEX', message: expect.stringContaining('sparse-0.bin') }),
    );
    const whole = encodePostingsShard(new Map([['lamp', { queryWeight: 1, rows: Uint32Array.of(1, 2, 3), weights: Uint8Array.of(1, 2, 3) }]]));
    expect(() => decodePostingsShard(whole.subarray(0, whole.length - 2), 'sparse-0.bin')).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
  });
});

describe('sparse scoring', () => {
  it('equals the dot product of the query vector and each passage vector, best first', () => {
    const rnd = gaussianSource(9);
    const vocab = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const passages = 200;
    const docs = Array.from(
      { length: passages },
      () => new Map(vocab.filter(() => rnd() > 1).map((t) => [t, Math.min(255, 1 + Math.floor(Math.abs(rnd()) * 100))] as const)),
    );
    const idf = new Map(vocab.map((t) => [t, Math.abs(rnd())] as const));
    const postings = new Map<string, TokenPostings>();
    for (const t of vocab) {
      const rows = docs.map((d, i) => (d.has(t) ? i : -1)).filter((i) => i >= 0);
      postings.set(t, { queryWeight: idf.get(t)!, rows: Uint32Array.from(rows), weights: Uint8Array.from(rows, (r) => docs[r]!.get(t)!) });
    }
    const scale = 0.01;
    const query = queryTokens(['t1', 't7', 't7', 't30', 'nowhere', '[CLS]'], ['[CLS]']);
    expect(query).toEqual(['t1', 't7', 't30', 'nowhere']);
    const brute = docs
      .map((d, index) => ({ index, score: query.reduce((s, t) => s + (idf.get(t) ?? 0) * (d.get(t) ?? 0) * scale, 0) }))
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 10);
    const got = scoreSparse(query, postings, passages, scale, 10);
    expect(got.map((h) => [h.index, +h.score.toFixed(4)])).toEqual(brute.map((h) => [h.index, +h.score.toFixed(4)]));
    got.forEach((h, i) => expect(h.score).toBeCloseTo(brute[i]!.score, 5));
  });
});

describe('sparse pooling and format', () => {
  it('takes the max over real positions only, activates, zeroes special ids, prunes', () => {
    const V = 4;
    // Two real positions, one padded position whose huge logits must not count.
    const logits = Float32Array.of(1, -2, 3, 0.5, 2, -1, 0, 0.1, 99, 99, 99, 99);
    const v = poolSparse(logits, 0, 2, V, 'log1p-relu', [3], { topTerms: 2, minWeight: 0 });
    expect([...v.ids]).toEqual([0, 2]);
    expect(v.weights[0]).toBeCloseTo(Math.log1p(2), 6);
    expect(v.weights[1]).toBeCloseTo(Math.log1p(3), 6);
    expect(activate('log1p-log1p-relu', 3)).toBeCloseTo(Math.log1p(Math.log1p(3)), 12);
    expect(activate('log1p-relu', -1)).toBe(0);
  });

  it('hashes a token to the same shard everywhere (FNV-1a over UTF-16 units; values from an independent implementation)', () => {
    expect([shardOf('lamp', 2 ** 32 - 1), shardOf('##ing', 97), shardOf('中', 97), shardOf('', 97)]).toEqual([
      1810951995,
      1242671093 % 97,
      677484088 % 97,
      2166136261 % 97,
    ]);
  });

  it('refuses a sparse entry of another version as UNSUPPORTED, a damaged one as CORRUPT_INDEX', () => {
    expect(() => assertSparseSide({ version: 2 }, 'manifest.json')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => assertSparseSide({ version: 1, model: { activation: 'gelu' } }, 'manifest.json')).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
  });
});
