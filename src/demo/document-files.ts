// Turning what a reader drops in (.txt, .md, .html files, or pasted text) into
// passages. HTML goes through pagesense's htmlSections (DOMParser, inert: no script
// runs, nothing loads; the main-content rules `pagesense index` applies), so a page
// dropped here has the sections the indexer would give it; each section, and each
// Markdown or text file, is cut by chunkText.
import { chunkText, htmlSections, type DocumentInput } from '../index.ts';

export interface PreparedFile {
  name: string;
  kind: 'text' | 'markdown' | 'html';
  passages: DocumentInput[];
}

function kindOf(name: string, type: string): PreparedFile['kind'] {
  if (/\.html?$/i.test(name) || type === 'text/html') return 'html';
  if (/\.(md|markdown)$/i.test(name) || type === 'text/markdown') return 'markdown';
  return 'text';
}

/** Splits one file's content into passages with ids `name#i`, titles `name › heading`, urls `name#anchor`. */
export function prepareFile(name: string, content: string, type = ''): PreparedFile {
  const kind = kindOf(name, type);
  const pieces =
    kind === 'html'
      ? (() => {
          const page = htmlSections(content);
          return page.sections.flatMap((s) =>
            chunkText(s.text).map((p) => ({ label: page.title || name, heading: s.heading, anchor: s.anchor, text: p.text })),
          );
        })()
      : chunkText(content).map((p) => ({ label: name, ...p }));
  const passages = pieces.map((p, i) => ({
    id: `${name}#${i}`,
    title: p.heading ? `${p.label} › ${p.heading}` : p.label,
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
