// The pages of a site folder: built HTML, or Markdown sources. Each page comes back
// with the URL it is served at and its HTML (Markdown rendered, see markdown-page.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { createError } from '../core/errors.ts';
import { renderMarkdown } from './markdown-page.ts';

export interface SitePage {
  /** The file, relative to the site folder. */
  file: string;
  /** Where the page is served, relative to the site root ('guide/features.html'). */
  url: string;
  html: string;
  /** 'html' for a built page, 'markdown' for a source file. */
  kind: 'html' | 'markdown';
}

const SKIPPED_DIRS = new Set(['node_modules', 'pagesense', 'pagefind', '.git', '.vitepress']);

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(html?|md)$/i.test(name)) out.push(path);
  }
}

/** Every page under `root`; NO_INPUT when there is none, and a named error for a file that cannot be read. */
export function readSitePages(root: string): SitePage[] {
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw createError('NOT_FOUND', `pagesense index: ${root} does not exist`);
  }
  if (!stat.isDirectory())
    throw createError('INVALID_ARGUMENT', `pagesense index: ${root} is not a folder; give the folder your site builds into (or its Markdown sources)`);
  const files: string[] = [];
  walk(root, files);
  // A built site wins over Markdown sources that happen to sit in it (a README, say).
  const html = files.filter((f) => /\.html?$/i.test(f));
  const chosen = html.length ? html : files;
  if (!chosen.length)
    throw createError('NOT_FOUND', `pagesense index: no .html or .md files under ${root}; build your site first, or point at its Markdown folder`);
  return chosen.map((path) => {
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (err) {
      throw createError('STORAGE_FAILED', `pagesense index: cannot read ${path}: ${(err as Error).message}`, undefined, err);
    }
    const file = relative(root, path).split(sep).join('/');
    if (extname(path).toLowerCase() === '.md') {
      return { file, url: file.replace(/\.md$/i, '.html'), html: renderMarkdown(source).html, kind: 'markdown' as const };
    }
    return { file, url: file, html: source, kind: 'html' as const };
  });
}
