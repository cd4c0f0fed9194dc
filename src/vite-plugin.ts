// pagesense/vite: runs the site indexer after `vite build`, over the built pages in
// build.outDir, and copies the widget's files beside them, so one plugin line gives a
// Vite-built site <pagesense-search>. Node only; needs the indexer's optional peers.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';
import type { IndexerOptions, IndexerProgress } from './indexer/indexer.ts';

export interface PagesenseVitePluginOptions extends IndexerOptions {
  /** Folder under outDir for the index. Default 'pagesense'. */
  out?: string;
  /**
   * Folder under outDir for the widget's files (widget.js, the embedding worker,
   * onnxruntime's wasm), or false when the pages import 'pagesense/widget' through the
   * bundler instead. Default 'pagesense-assets'.
   */
  assets?: string | false;
  onProgress?: (p: IndexerProgress) => void;
}

/**
 * Indexes a built site folder and copies the widget's files into it: what the plugin
 * runs after `vite build`, and what a VitePress config calls from `buildEnd` (VitePress
 * renders its pages after the bundles close, so closeBundle would see none):
 *   buildEnd: (site) => indexBuiltSite(site.outDir, { model: 'Xenova/bge-small-en-v1.5' })
 */
export async function indexBuiltSite(outDir: string, options: PagesenseVitePluginOptions = {}, log: (line: string) => void = console.warn): Promise<void> {
  const { out = 'pagesense', assets = 'pagesense-assets', onProgress, ...indexerOptions } = options;
  const { createIndexer } = await import('./indexer/indexer.ts');
  const indexer = await createIndexer(indexerOptions);
  try {
    const r = await indexer.index(outDir, { out: join(outDir, out), ...(onProgress ? { onProgress } : {}) });
    log(`pagesense: indexed ${r.manifest.counts.passages} passages from ${r.manifest.counts.pages} pages (${r.embedded} embedded) into ${out}/`);
  } finally {
    await indexer.dispose();
  }
  if (assets !== false) {
    // In the package this file is dist/vite.js, beside widget.js and the rest.
    const dist = dirname(fileURLToPath(import.meta.url));
    const target = join(outDir, assets);
    for (const f of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
      if (f === 'widget.js' || f === 'embed.worker.js' || f.startsWith('ort/')) cpSync(join(dist, f), join(target, f), { recursive: true });
    }
  }
}

export function pagesense(options: PagesenseVitePluginOptions = {}): Plugin {
  let config: ResolvedConfig | undefined;
  return {
    name: 'pagesense',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      if (!config || config.build.ssr) return; // the client build writes the pages
      await indexBuiltSite(resolve(config.root, config.build.outDir), options, (line) => config!.logger.info(line));
    },
  };
}
