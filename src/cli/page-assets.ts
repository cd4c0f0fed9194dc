// The package's files a browser loads, copied beside a site's pages: what `pagesense
// assets` does, and what pagesense/vite does after a build. The list is the one the
// package build wrote (dist/page-files.json), so the Node code (cli.js, vite.js,
// node.js), the types and the source maps never reach a site.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createError } from '../core/errors.ts';

/** 'widget': <pagesense-search> alone (widget.js, the embedding worker, ort/); 'all': every page entry and worker as well. */
export type PageAssetSet = 'widget' | 'all';

/** The built package's folder: cli.js and vite.js sit in dist/, beside the files a page loads. */
export const packageDist = (): string => dirname(fileURLToPath(import.meta.url));

export function copyPageAssets(target: string, set: PageAssetSet, dist = packageDist()): { files: number; bytes: number } {
  const list = join(dist, 'page-files.json');
  if (!existsSync(list))
    throw createError('NOT_FOUND', `${list} is missing: the page files are copied from the built pagesense package (npm run build:package in its repository)`);
  const files = (JSON.parse(readFileSync(list, 'utf8')) as Record<PageAssetSet, string[]>)[set];
  if (existsSync(target) && !statSync(target).isDirectory()) throw createError('INVALID_ARGUMENT', `${target} exists and is not a folder`, { path: target });
  let bytes = 0;
  for (const f of files) {
    try {
      mkdirSync(dirname(join(target, f)), { recursive: true });
      copyFileSync(join(dist, f), join(target, f));
    } catch (err) {
      throw createError('WRITE_FAILED', `cannot copy ${f} into ${target}: ${(err as Error).message}`, { path: target }, err);
    }
    bytes += statSync(join(dist, f)).size;
  }
  return { files: files.length, bytes };
}
