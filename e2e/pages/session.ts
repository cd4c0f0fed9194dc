// Long work and long sessions in one page: indexing many passages through the real
// worker while the main thread's long animation frames are watched, then thousands
// of queries while the page's and the worker's memory are sampled.
import { createWorkerEmbedder } from '../../src/embedding/worker-embedder.ts';
import { createSearchIndex } from '../../src/search/search-index.ts';
import type { SearchIndex } from '../../src/search/search-types.ts';
import { openIndexedDBStore } from '../../src/storage/indexeddb-store.ts';

const words = ['harbor', 'lantern', 'copper', 'meadow', 'signal', 'violet', 'engine', 'glacier', 'orchard', 'marble', 'pepper', 'river'];
const textOf = (i: number) =>
  `${words[i % 12]} ${words[(i * 7 + 3) % 12]} and ${words[(i * 5 + 1) % 12]} near marker ${i}: the ${words[(i * 11 + 2) % 12]} keepers log it.`;

interface LongFrame {
  duration: number;
  /** How long scripts of ours (pagesense's modules and its dependencies') ran in the frame. */
  ours: number;
  /** Every script that ran in the frame. */
  sources: string[];
}

let index: SearchIndex | undefined;

/** Long animation frames (and long tasks) seen while `work` runs. */
async function watchLongFrames<T>(work: () => Promise<T>): Promise<{ result: T; frames: LongFrame[]; longTasks: number[] }> {
  const frames: LongFrame[] = [];
  const longTasks: number[] = [];
  const loaf = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { scripts?: { sourceURL: string; duration: number }[] })[]) {
      const scripts = e.scripts ?? [];
      const ours = scripts.filter((s) => /\/(src|workers|node_modules)\//.test(s.sourceURL));
      frames.push({
        duration: e.duration,
        ours: ours.reduce((t, s) => t + s.duration, 0),
        sources: scripts.map((s) => s.sourceURL.replace(location.origin, '')),
      });
    }
  });
  const tasks = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  loaf.observe({ type: 'long-animation-frame', buffered: false });
  tasks.observe({ type: 'longtask', buffered: false });
  try {
    const result = await work();
    await new Promise((r) => setTimeout(r, 100)); // let the last entries arrive
    return { result, frames, longTasks };
  } finally {
    loaf.disconnect();
    tasks.disconnect();
  }
}

/** The watcher's control: a 120 ms task of the page's own must be seen, and not blamed on pagesense. */
async function control() {
  return watchLongFrames(async () => {
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        const end = performance.now() + 120;
        while (performance.now() < end);
        resolve();
      }),
    );
  });
}

/** Indexes n passages with the real worker and IndexedDB, in calls of `perCall`. */
async function indexMany(model: string, n: number, perCall: number) {
  const embedder = await createWorkerEmbedder({ model, device: 'wasm', localModelPath: '/models/', wasmBase: '/ort/' });
  index = await createSearchIndex({ embedder, store: await openIndexedDBStore({ databaseName: `session-${Date.now()}` }), watch: false });
  const t0 = performance.now();
  const watched = await watchLongFrames(async () => {
    for (let s = 0; s < n; s += perCall) {
      await index!.add(Array.from({ length: Math.min(perCall, n - s) }, (_, i) => ({ id: `p${s + i}`, text: textOf(s + i) })));
    }
  });
  return { count: index.count(), seconds: (performance.now() - t0) / 1000, frames: watched.frames, longTasks: watched.longTasks };
}

/** Bytes in use by this page and its workers (JS heaps and WebAssembly memories), measured after a garbage collection. */
async function memory(): Promise<{ page: number; workers: number; total: number }> {
  const m = await (performance as any).measureUserAgentSpecificMemory();
  let pageBytes = 0;
  let workerBytes = 0;
  for (const b of m.breakdown as { bytes: number; attribution: { scope: string }[] }[]) {
    if (b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')) workerBytes += b.bytes;
    else pageBytes += b.bytes;
  }
  return { page: pageBytes, workers: workerBytes, total: m.bytes };
}

/** `n` searches one after another, memory sampled every `every`. */
async function queryMany(n: number, every: number, mode: 'hybrid' | 'vector' | 'lexical' = 'hybrid') {
  const samples = [{ queries: 0, ...(await memory()) }];
  let searching = 0;
  for (let q = 1; q <= n; q++) {
    const t0 = performance.now();
    await index!.search(`${words[q % 12]} ${words[(q * 5 + 7) % 12]} ${q % 997}`, { k: 10, mode });
    searching += performance.now() - t0;
    if (q % every === 0) samples.push({ queries: q, ...(await memory()) });
  }
  return { samples, msPerQuery: searching / n };
}

Object.assign(globalThis, { sessionCheck: { control, indexMany, queryMany, isolated: () => crossOriginIsolated, lastSearch: () => index?.lastSearch } });
document.title = 'ready';
