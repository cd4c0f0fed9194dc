// Splits documents into passages for the page's own indexing (createPagesense's
// add), where no tokenizer is at hand: passages are cut by words (about 160 BERT
// tokens for 120 words), under the heading they sit in, so results can show where
// they come from. `pagesense index` cuts by the model's own tokenizer instead
// (indexer/passages.ts), since it has one; both find front matter (core/front-matter)
// and make anchors (core/slug) the same way.
import { integerArg, stringArg } from './arguments.ts';
import { splitFrontMatter } from './front-matter.ts';
import { assertKnownOptions } from './options.ts';
import { createSlugger, slugify as vitepressSlug } from './slug.ts';

export interface Passage {
  /** Nearest heading above the passage ('' before the first). */
  heading: string;
  /** URL fragment for the heading ('' when none). */
  anchor: string;
  text: string;
}

export interface ChunkOptions {
  /** Soft limit on words per passage. Default 120 (about 160 BERT tokens). */
  maxWords?: number;
  /**
   * Hard limit on characters per passage, whatever the script: text without spaces
   * (CJK, a long token) is cut at this length. Default 2000.
   */
  maxChars?: number;
}

/**
 * Strips front matter and splits Markdown or plain text into heading-scoped passages,
 * for documents added in the page. Anchors follow VitePress (`{#custom-id}` kept,
 * repeated headings numbered).
 */
export function chunkText(source: string, options: ChunkOptions = {}): Passage[] {
  stringArg('chunkText', 'source', source);
  assertKnownOptions(options, ['maxWords', 'maxChars'], 'chunkText');
  const maxWords = integerArg('chunkText', 'maxWords', options.maxWords, 120);
  const maxChars = integerArg('chunkText', 'maxChars', options.maxChars, 2000, 16);
  const text = splitFrontMatter(source).body;
  const out: Passage[] = [];
  const slug = createSlugger();
  let heading = '';
  let anchor = '';
  let buffer: string[] = [];
  let words = 0;
  // The open code fence (its character and length), as CommonMark reads them: a fence closes only on the same character, at least as long.
  let fence: { char: string; length: number } | undefined;

  const flush = () => {
    const body = buffer.join('\n').trim();
    if (body) for (const piece of cutToLength(body, maxChars)) out.push({ heading, anchor, text: piece });
    buffer = [];
    words = 0;
  };

  for (const block of text.split(/\n{2,}/)) {
    const inFence = fence !== undefined;
    const heading_ = !inFence && /^#{1,6}\s/.test(block) ? block.split('\n')[0]! : null;
    if (heading_) {
      flush();
      const line = heading_.replace(/^#+\s*/, '');
      const custom = /\s*\{#([^}\s]+)\}\s*$/.exec(line);
      heading = (custom ? line.slice(0, custom.index) : line).trim();
      anchor = custom ? custom[1]! : slug(heading);
      const rest = block.split('\n').slice(1).join('\n');
      if (rest.trim()) buffer.push(rest);
      words = countWords(rest);
    } else {
      const w = countWords(block);
      if (words > 0 && words + w > maxWords) flush();
      if (w > maxWords && !inFence) {
        for (const piece of splitLong(block, maxWords)) {
          buffer.push(piece);
          flush();
        }
      } else {
        buffer.push(block);
        words += w;
      }
    }
    fence = fenceAfter(block, fence);
  }
  flush();
  return out;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The fence still open after a block's lines, given the one open before it. */
function fenceAfter(block: string, open: { char: string; length: number } | undefined): { char: string; length: number } | undefined {
  for (const line of block.split('\n')) {
    const m = FENCE_LINE.exec(line);
    if (!m) continue;
    const run = m[1]!;
    if (!open) {
      if (run[0] === '`' && m[2]!.includes('`')) continue; // a backtick fence's info string has no backticks
      open = { char: run[0]!, length: run.length };
    } else if (run[0] === open.char && run.length >= open.length && !m[2]!.trim()) open = undefined;
  }
  return open;
}

function countWords(s: string): number {
  const m = s.match(/\S+/g);
  return m ? m.length : 0;
}

function splitLong(block: string, maxWords: number): string[] {
  const sentences = block.split(/(?<=[.!?])\s+/);
  const pieces: string[] = [];
  let cur: string[] = [];
  let n = 0;
  for (const s of sentences) {
    const w = countWords(s);
    if (n > 0 && n + w > maxWords) {
      pieces.push(cur.join(' '));
      cur = [];
      n = 0;
    }
    if (w > maxWords) {
      const words = s.split(/\s+/);
      for (let i = 0; i < words.length; i += maxWords) pieces.push(words.slice(i, i + maxWords).join(' '));
      continue;
    }
    cur.push(s);
    n += w;
  }
  if (cur.length) pieces.push(cur.join(' '));
  return pieces;
}

/**
 * Pieces of at most `max` characters: cut at the last whitespace in the second half
 * of the window when there is one, else at `max` (never inside a surrogate pair).
 */
function cutToLength(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    const nl = rest.lastIndexOf('\n', max);
    if (nl > cut) cut = nl;
    if (cut < max / 2) cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (cut === max && code >= 0xd800 && code <= 0xdbff) cut--; // keep the pair whole
    const piece = rest.slice(0, cut).trim();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) pieces.push(rest.trim());
  return pieces;
}

/** VitePress's heading slug (core/slug), with its argument checked: the public door to the rule. */
export function slugify(heading: string): string {
  stringArg('slugify', 'heading', heading);
  return vitepressSlug(heading);
}
