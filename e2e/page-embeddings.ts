// What the page's own model makes of an index's passages, against the vectors the index
// stores: one cosine per passage of the first passage shard. The bound every index is
// held to (≥ 0.999), whoever embedded it: Node, a remote engine, a batch job.
import type { Page } from 'playwright-core';

/** Cosines between the page's embeddings (the package's worker embedder, the manifest's model and dtype) and the stored rows. */
export function pageCosinesAgainstIndex(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const manifest = await (await fetch('/pagesense/manifest.json')).json();
    const passages = (await (await fetch(`/pagesense/${manifest.passages[0].file}`)).json()) as { text: string }[];
    const stored = new Float32Array(await (await fetch(`/pagesense/${manifest.vectors[0].file}`)).arrayBuffer());
    // Through Function: the test runner would rewrite a literal import() in this function's source.
    const load = new Function('u', 'return import(u)') as (u: string) => Promise<any>;
    const { createWorkerEmbedder } = await load('/pagesense-assets/index.js');
    const embedder = await createWorkerEmbedder({
      model: manifest.model.id,
      dtype: manifest.model.dtype,
      localModelPath: '/pagesense/models/',
      allowRemoteModels: false,
    });
    const { vectors } = await embedder.embed(
      passages.map((p) => p.text),
      'passage',
    );
    await embedder.dispose();
    const d = manifest.model.dimension;
    return passages.map((_, i) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += vectors[i * d + t] * stored[i * d + t]!;
      return s;
    });
  });
}
