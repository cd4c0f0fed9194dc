// English text analysis for lexical search: Unicode normalization (NFKC), case
// folding, tokens of letters and digits, code identifiers split as well as kept
// whole (`defineConfig` -> define, config, defineconfig; `base_url` -> base, url,
// base_url), Lucene's English stop words dropped, and Porter stemming (the
// `stemmer` package). The same analysis runs on documents and queries.
import { stemmer } from 'stemmer';

/** Lucene's EnglishAnalyzer default stop set (ENGLISH_STOP_WORDS_SET). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
]);

/** Words as written, identifiers whole: runs of letters, digits, marks, '_' and '$'. */
const WORD = /[\p{L}\p{M}\p{N}_$]+/gu;

/** The parts of one identifier: camelCase humps, snake_case and digits split off letters. */
function identifierParts(word: string): string[] {
  return word
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[\s_$]+/)
    .filter(Boolean);
}

/** Tokens before stemming, lower-cased: each word, plus its identifier parts when it has several. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.normalize('NFKC').match(WORD) ?? []) {
    const parts = identifierParts(word);
    const whole = word.toLowerCase();
    if (parts.length > 1) for (const p of parts) out.push(p.toLowerCase());
    if (parts.length <= 1 || whole.replace(/[_$]/g, '') !== '') out.push(whole);
  }
  return out;
}

/** A token as the index keeps it: stop words dropped (null), others stemmed. */
export function processTerm(token: string): string | null {
  if (ENGLISH_STOP_WORDS.has(token)) return null;
  return /^[a-z]+$/.test(token) ? stemmer(token) : token;
}

/** The terms a text contributes to a lexical index. */
export function analyze(text: string): string[] {
  return tokenize(text).flatMap((t) => processTerm(t) ?? []);
}
