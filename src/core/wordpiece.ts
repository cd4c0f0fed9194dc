// BERT's tokenizer (BertNormalizer, BertPreTokenizer, WordPiece), small enough for the
// page: the query side of a learned-sparse index must cut a query into exactly the
// tokens the build-time model saw. It follows @huggingface/tokenizers (what
// transformers.js runs) step for step, quirks included: CJK characters are spaced by
// UTF-16 unit, so those outside the BMP are not; controls go, whitespace becomes a
// space; lower case, then accents stripped (NFD without Mn marks). A test compares
// its tokens with transformers.js' on thousands of strings.

export interface WordPieceOptions {
  /** Lower-case the text (uncased models). Default true. */
  lowercase?: boolean;
  /** Strip accents; null follows `lowercase`, as BertNormalizer does. Default null. */
  stripAccents?: boolean | null;
  /** Space out CJK ideographs so each is a word. Default true. */
  chineseChars?: boolean;
  /** Drop control characters and turn whitespace into spaces. Default true. */
  cleanText?: boolean;
  /** Special tokens matched verbatim in the raw text (case-sensitive), like '[MASK]'. Default none. */
  specials?: readonly string[];
  /** The token for a word the vocabulary cannot spell. Default '[UNK]'. */
  unknown?: string;
  /** Prefix of word-continuing pieces. Default '##'. */
  prefix?: string;
  /** Words longer than this (in code points) are unknown. Default 100. */
  maxChars?: number;
}

export interface WordPiece {
  /** The text's tokens, as vocabulary strings, in order (no [CLS]/[SEP]). */
  tokenize(text: string): string[];
  /** The words WordPiece will spell (after normalizing and splitting; special tokens left out): what decides which vocabulary it consults. */
  words(text: string): string[];
}

/** What a WordPiece needs to know of its vocabulary: membership. */
export interface Vocabulary {
  has(token: string): boolean;
}

const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORDS = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');
const CONTROL = /^(?:\p{Cc}|\p{Cf}|\p{Co}|\p{Cs})$/u;
const WHITESPACE = /^\s$/;
const MARKS = /\p{Mn}/gu;

function isChinese(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function cleaned(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.charCodeAt(0);
    if (cp === 0 || cp === 0xfffd || (ch !== '\t' && ch !== '\n' && ch !== '\r' && CONTROL.test(ch))) continue;
    out += WHITESPACE.test(ch) ? ' ' : ch;
  }
  return out;
}

function spacedChinese(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    out += isChinese(ch.charCodeAt(0)) ? ` ${ch} ` : ch;
  }
  return out;
}

export function createWordPiece(vocabulary: Iterable<string> | Vocabulary, options: WordPieceOptions = {}): WordPiece {
  const vocab: Vocabulary = 'has' in vocabulary && typeof vocabulary.has === 'function' ? vocabulary : new Set(vocabulary as Iterable<string>);
  const lowercase = options.lowercase ?? true;
  const strip = options.stripAccents ?? null;
  const unknown = options.unknown ?? '[UNK]';
  const prefix = options.prefix ?? '##';
  const maxChars = options.maxChars ?? 100;
  const specials = (options.specials ?? []).filter((s) => s.length > 0);
  const specialSplit = specials.length ? new RegExp(`(${specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`) : undefined;

  const normalize = (text: string) => {
    if (options.cleanText ?? true) text = cleaned(text);
    if (options.chineseChars ?? true) text = spacedChinese(text);
    if (lowercase) {
      text = text.toLowerCase();
      if (strip !== false) text = text.normalize('NFD').replace(MARKS, '');
    } else if (strip) text = text.normalize('NFD').replace(MARKS, '');
    return text;
  };

  /** Greedy longest match first, as WordPiece: a word the vocabulary cannot spell is one unknown token. */
  const pieces = (word: string, out: string[]) => {
    const chars = [...word];
    if (chars.length > maxChars) {
      out.push(unknown);
      return;
    }
    const found: string[] = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length;
      let piece: string | undefined;
      for (; start < end; end--) {
        const sub = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        if (vocab.has(sub)) {
          piece = sub;
          break;
        }
      }
      if (piece === undefined) {
        out.push(unknown);
        return;
      }
      found.push(piece);
      start = end;
    }
    out.push(...found);
  };

  const split = (text: string) => normalize(text).trim().match(WORDS) ?? [];
  const plain = (text: string, out: string[]) => {
    for (const word of split(text)) pieces(word, out);
  };
  const parts = (text: string) => (specialSplit ? text.split(specialSplit) : [text]);

  return {
    words: (text) => parts(text).flatMap((part, i) => (i % 2 ? [] : split(part))),
    tokenize(text) {
      const out: string[] = [];
      parts(text).forEach((part, i) => (i % 2 ? out.push(part) : plain(part, out)));
      return out;
    },
  };
}
