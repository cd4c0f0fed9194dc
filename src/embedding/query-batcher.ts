// Queries from many search() calls at once (a burst of keystrokes, a page firing
// a thousand requests in a tick) become a few model calls: calls made while one
// query batch is in flight wait and go together in the next, so the model's queue
// holds at most one query batch from this embedder however many calls are pending.
// The same text asked twice in a batch is embedded once.
import type { EmbedResult, Embedder } from './embedder.ts';

interface Waiting {
  text: string;
  resolve: (r: EmbedResult) => void;
  reject: (e: unknown) => void;
}

/** Most distinct queries per model call: long enough to drain a burst, short enough that no call waits long. */
const DEFAULT_MAX_BATCH = 32;

/** `embedder` with its one-text query calls batched; passages and calls with options go straight through. */
export function batchingQueries(embedder: Embedder, maxBatch = DEFAULT_MAX_BATCH): Embedder {
  const waiting: Waiting[] = [];
  let busy = false;

  const flush = async () => {
    busy = true;
    try {
      while (waiting.length) {
        // The first maxBatch distinct texts, with every waiting call that asks for one of them.
        const texts: string[] = [];
        const taken: Waiting[] = [];
        const left: Waiting[] = [];
        for (const w of waiting) {
          if (!texts.includes(w.text) && texts.length < maxBatch) texts.push(w.text);
          (texts.includes(w.text) ? taken : left).push(w);
        }
        waiting.splice(0, waiting.length, ...left);
        try {
          const { vectors, truncated } = await embedder.embed(texts, 'query');
          const dim = vectors.length / texts.length;
          for (const w of taken) {
            const i = texts.indexOf(w.text);
            w.resolve({ vectors: vectors.slice(i * dim, (i + 1) * dim), truncated: [truncated[i]!] });
          }
        } catch (err) {
          for (const w of taken) w.reject(err);
        }
      }
    } finally {
      busy = false;
    }
  };

  return {
    get info() {
      return embedder.info;
    },
    embed(texts, kind, onProgress, options) {
      if (kind !== 'query' || texts.length !== 1 || onProgress || options) return embedder.embed(texts, kind, onProgress, options);
      return new Promise<EmbedResult>((resolve, reject) => {
        waiting.push({ text: texts[0]!, resolve, reject });
        // Calls made in the same tick join the first batch.
        if (!busy) queueMicrotask(() => void (busy || flush()));
      });
    },
    dispose: () => embedder.dispose(),
  };
}
