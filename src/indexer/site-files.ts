// The pages of a site folder: built HTML, or Markdown sources. Each page comes back
// with the URL it is served at and its HTML (Markdown rendered, see markdown-page.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { createError } from '../core/errors.ts';
import { readingFrom } from './file-errors.ts';
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
  for (const name of readingFrom(dir, () => readdirSync(dir).sort())) {
    if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(html?|md)$/i.test(name)) out.push(path);
  }
}

/** Every page under `root`; NOT_FOUND when there is none, READ_FAILED naming a file that cannot be read. */
export function readSitePages(root: string): SitePage[] {
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw createError('NOT_FOUND', `${root} does not exist; give the folder your site builds into (or its Markdown sources)`, { path: root });
  }
  if (!stat.isDirectory()) throw createError('INVALID_ARGUMENT', `${root} is not a folder; give the folder your site builds into (or its Markdown sources)`);
  const files: string[] = [];
  walk(root, files);
  // A built site wins over Markdown sources that happen to sit in it (a README, say).
  // Error pages (a generator's 404.html) are not content a reader searches for.
  const html = files.filter((f) => /\.html?$/i.test(f) && !/(^|[/\\])404(\.html?|[/\\]index\.html?)$/i.test(relative(root, f)));
  const chosen = html.length ? html : files;
  if (!chosen.length) throw createError('NOT_FOUND', `no .html or .md files under ${root}; build your site first, or point at its Markdown folder`);
  return chosen.map((path) => {
    const source = readingFrom(path, () => readFileSync(path, 'utf8'));
    const file = relative(root, path).split(sep).join('/');
    if (extname(path).toLowerCase() === '.md') {
      return { file, url: file.replace(/\.md$/i, '.html'), html: renderMarkdown(source).html, kind: 'markdown' as const };
    }
    return { file, url: file, html: source, kind: 'html' as const };
  });
}
