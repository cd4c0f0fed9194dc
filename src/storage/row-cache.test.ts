import { describe, expect, it } from 'vitest';
import { RowCache } from './row-cache.ts';

describe('row cache', () => {
  const row = (v: number) => Float32Array.of(v, v, v, v); // 16 bytes

  it('evicts the least recently used rows past its byte budget', () => {
    const cache = new RowCache(48); // three rows
    cache.set('p', 1, row(1));
    cache.set('p', 2, row(2));
    cache.set('p', 3, row(3));
    expect(cache.get('p', 1)?.[0]).toBe(1); // 1 is now the most recent
    cache.set('p', 4, row(4));
    expect(cache.get('p', 2)).toBeUndefined();
    expect([1, 3, 4].map((k) => cache.get('p', k)?.[0])).toEqual([1, 3, 4]);
  });

  it('keeps collections apart and drops one whole', () => {
    const cache = new RowCache(1024);
    cache.set('a', 7, row(1));
    cache.set('b', 7, row(2));
    cache.dropCollection('a');
    expect(cache.get('a', 7)).toBeUndefined();
    expect(cache.get('b', 7)?.[0]).toBe(2);
  });
});
