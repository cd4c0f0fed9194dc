// pagesense/vite: runs the site indexer after `vite build`, over the built pages in
// build.outDir, and copies the widget's files beside them, so one plugin line gives a
// Vite-built site <pagesense-search>. Node only; needs the indexer's optional peers.
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { createError } from './core/errors.ts';
import { assertKnownOptions, assertOptionValues, type OptionKind } from './core/options.ts';
import { copyPageAssets } from './cli/page-assets.ts';
import { INDEXER_OPTION_KINDS, type IndexerOptions, type IndexerProgress } from './indexer/indexer.ts';

export interface PagesenseVitePluginOptions extends IndexerOptions {
  /** Folder under outDir for the index. Default 'pagesense'. */
  out?: string;
  /**
   * Folder under outDir for the widget's files (widget.js, the embedding worker,
   * onnxruntime's wasm), or false when the pages import 'pagesense/widget' through the
   * bundler instead. Default 'pagesense-assets'.
   */
  assets?: string | false;
  /** Pages read, passages embedded, the lexical index written, done. */
  onProgress?: (p: IndexerProgress) => void;
}

/** Every option the plugin and indexBuiltSite take (the indexer's, and three of their own). */
export const VITE_PLUGIN_OPTION_KINDS: Readonly<Record<keyof PagesenseVitePluginOptions, OptionKind>> = {
  ...INDEXER_OPTION_KINDS,
  out: 'string',
  assets: 'string', // or false, checked below
  onProgress: 'function',
};
export const VITE_PLUGIN_OPTIONS = Object.keys(VITE_PLUGIN_OPTION_KINDS) as readonly (keyof PagesenseVitePluginOptions)[];

function checkOptions(options: PagesenseVitePluginOptions, where: string): void {
  assertKnownOptions(options, VITE_PLUGIN_OPTIONS, where);
  const { assets, ...rest } = options;
  assertOptionValues(rest, VITE_PLUGIN_OPTION_KINDS, where);
  if (assets !== undefined && assets !== false && (typeof assets !== 'string' || !assets)) {
    throw createError('INVALID_ARGUMENT', `${where}: assets must be a folder name under outDir or false, got ${JSON.stringify(assets)}`, {
      argument: 'assets',
    });
  }
}

/**
 * Indexes a built site folder and copies the widget's files into it: what the plugin
 * runs after `vite build`, and what a VitePress config calls from `buildEnd` (VitePress
 * renders its pages after the bundles close, so closeBundle would see none):
 *   buildEnd: (site) => indexBuiltSite(site.outDir, { model: 'Xenova/bge-small-en-v1.5' })
 */
export async function indexBuiltSite(outDir: string, options: PagesenseVitePluginOptions = {}, log: (line: string) => void = console.warn): Promise<void> {
  checkOptions(options, 'indexBuiltSite');
  const { out = 'pagesense', assets = 'pagesense-assets', onProgress, ...indexerOptions } = options;
  const { createIndexer } = await import('./indexer/indexer.ts');
  const indexer = await createIndexer(indexerOptions);
  try {
    const r = await indexer.index(outDir, { out: join(outDir, out), ...(onProgress ? { onProgress } : {}) });
    log(
      `pagesense: indexed ${r.manifest.counts.passages} passages from ${r.manifest.counts.pages} pages (${r.embedded} embedded) into ${out}/; ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s${r.manifest.sparse ? `; sparse side by ${r.manifest.sparse.model.id}` : ''}${r.manifest.model.engine ? `; vectors by ${r.manifest.model.engine.api}` : ''}`,
    );
  } finally {
    await indexer.dispose();
  }
  // In the package this file is dist/vite.js, beside widget.js and the rest.
  if (assets !== false) copyPageAssets(join(outDir, assets), 'widget');
}

export function pagesense(options: PagesenseVitePluginOptions = {}): Plugin {
  checkOptions(options, 'pagesense()');
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
