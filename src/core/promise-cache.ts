// Promises cached by key, a rejected one evicted: concurrent callers share one load,
// and a failure (a network blip) is tried again by the next call instead of being kept
// forever (transformers.js' memoize_promise, Pagefind's loadChunk).

export interface PromiseCache<K, T> {
  /** The cached promise for `key`, or `load()`'s, cached until it rejects. */
  get(key: K, load: () => Promise<T>): Promise<T>;
  /** The cached promise, if any, without loading. */
  peek(key: K): Promise<T> | undefined;
  /** Caches a value obtained another way. */
  set(key: K, value: T): void;
}

export function createPromiseCache<K, T>(): PromiseCache<K, T> {
  const cached = new Map<K, Promise<T>>();
  return {
    get(key, load) {
      let p = cached.get(key);
      if (!p) {
        const loading = load();
        p = loading;
        cached.set(key, loading);
        loading.catch(() => {
          if (cached.get(key) === loading) cached.delete(key);
        });
      }
      return p;
    },
    peek: (key) => cached.get(key),
    set: (key, value) => void cached.set(key, Promise.resolve(value)),
  };
}

/** One lazily loaded value, cached until its load rejects. */
export function retryingOnce<T>(load: () => Promise<T>): () => Promise<T> {
  const cache = createPromiseCache<0, T>();
  return () => cache.get(0, load);
}
