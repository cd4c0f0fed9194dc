// Front matter, found one way for every path (the page's chunker and the Node
// indexer): a first line of exactly `---`, up to the next line of exactly `---`.
// An unclosed block is not front matter (the text stays whole); an empty one is.
// Parsing the block (YAML) is the caller's: the indexer uses js-yaml, the page needs
// only the body.

export interface FrontMatterSplit {
  /** The lines between the fences ('' for an empty block), or undefined when there is none. */
  frontMatter: string | undefined;
  /** The text after the closing fence (the whole text when there is no front matter), with \n line ends. */
  body: string;
}

const FENCE = /^---[ \t]*$/;

export function splitFrontMatter(source: string): FrontMatterSplit {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { frontMatter: undefined, body: text };
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (close < 0) return { frontMatter: undefined, body: text };
  return { frontMatter: lines.slice(1, close).join('\n'), body: lines.slice(close + 1).join('\n') };
}
