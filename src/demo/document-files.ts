// Turning what a reader drops in (.txt, .md, .html files, or pasted text) into
// passages: HTML is parsed by the browser's own parser (DOMParser, inert: no
// script runs, nothing loads), reduced to its main content, and written out as
// Markdown-like text so one chunker splits every format by its headings.
import { chunkText, type DocumentInput } from '../index.ts';

export interface PreparedFile {
  name: string;
  kind: 'text' | 'markdown' | 'html';
  passages: DocumentInput[];
}

const DROPPED = 'nav, header, footer, aside, script, style, noscript, template, svg, form, [hidden], [aria-hidden="true"]';
const BLOCKS = new Set(['P', 'LI', 'PRE', 'BLOCKQUOTE', 'TD', 'TH', 'DT', 'DD', 'FIGCAPTION']);

/** The main content of an HTML page as Markdown-like text: headings as #-lines, blocks as paragraphs. */
export function htmlToText(html: string): { title: string; text: string } {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const root = doc.querySelector('main, article, [role="main"]') ?? doc.body;
  root.querySelectorAll(DROPPED).forEach((n) => n.remove());
  const lines: string[] = [];
  const walk = (node: Element) => {
    for (const child of Array.from(node.children)) {
      const level = /^H([1-6])$/.exec(child.tagName)?.[1];
      const text = (child.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (level) {
        if (text) lines.push(`${'#'.repeat(Number(level))} ${text}`);
      } else if (BLOCKS.has(child.tagName) && !child.querySelector('p, li, pre, h1, h2, h3, h4, h5, h6')) {
        if (text) lines.push(text);
      } else {
        walk(child);
      }
    }
  };
  walk(root);
  // A page whose text sits directly in <body> with no block elements at all.
  if (lines.length === 0) lines.push((root.textContent ?? '').replace(/\s+/g, ' ').trim());
  return { title: doc.title.trim(), text: lines.filter(Boolean).join('\n\n') };
}

function kindOf(name: string, type: string): PreparedFile['kind'] {
  if (/\.html?$/i.test(name) || type === 'text/html') return 'html';
  if (/\.(md|markdown)$/i.test(name) || type === 'text/markdown') return 'markdown';
  return 'text';
}

/** Splits one file's content into passages with ids `name#i`, titles `name › heading`, urls `name#anchor`. */
export function prepareFile(name: string, content: string, type = ''): PreparedFile {
  const kind = kindOf(name, type);
  const { title, text } = kind === 'html' ? htmlToText(content) : { title: '', text: content };
  const label = title || name;
  const passages = chunkText(text).map((p, i) => ({
    id: `${name}#${i}`,
    title: p.heading ? `${label} › ${p.heading}` : label,
    text: p.text,
    url: p.anchor ? `${name}#${p.anchor}` : name,
  }));
  return { name, kind, passages };
}

const ACCEPTED = /\.(txt|md|markdown|html?)$/i;

/** Reads dropped or chosen files; names what it skipped (other types) so the reader knows. */
export async function readFiles(files: readonly File[]): Promise<{ prepared: PreparedFile[]; skipped: string[] }> {
  const prepared: PreparedFile[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    if (!ACCEPTED.test(f.name) && !f.type.startsWith('text/')) {
      skipped.push(f.name);
      continue;
    }
    prepared.push(prepareFile(f.name, await f.text(), f.type));
  }
  return { prepared, skipped };
}
