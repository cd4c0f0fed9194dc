import { describe, expect, it } from 'vitest';
import { createPromiseCache, retryingOnce } from './promise-cache.ts';

describe('createPromiseCache', () => {
  it('shares one load between concurrent callers, evicts a rejected one, and keeps a value set another way', async () => {
    const cache = createPromiseCache<string, number>();
    let loads = 0;
    const ok = () => Promise.resolve(++loads);
    const [a, b] = await Promise.all([cache.get('k', ok), cache.get('k', ok)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('blip')))).rejects.toThrow('blip');
    expect(cache.peek('bad')).toBeUndefined();
    expect(await cache.get('bad', ok)).toBe(2);
    cache.set('v', 7);
    expect(await cache.peek('v')).toBe(7);
  });

  it('retryingOnce loads once, and again only after a failure', async () => {
    let calls = 0;
    const load = retryingOnce(() => (++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(calls)));
    await expect(load()).rejects.toThrow('down');
    expect(await load()).toBe(2);
    expect(await load()).toBe(2);
    expect(calls).toBe(2);
  });
});
