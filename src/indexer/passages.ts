// Sections cut into passages sized by the model's own tokenizer, so nothing is cut
// silently at embedding time: sentences (Intl.Segmenter) are packed until the next
// would pass maxTokens, the next passage starts with the last sentences of the one
// before (about overlapTokens of them), and a sentence longer than the limit is cut
// at word boundaries. Each passage keeps its character range in the section's text.
import { createError } from '../core/errors.ts';

export interface PassageSpan {
  text: string;
  /** Character offsets into the section's text: text === section.slice(start, end). */
  start: number;
  end: number;
  tokens: number;
}

export interface PassageOptions {
  /** Tokens per passage, the model's [CLS] and [SEP] included. Default 256. */
  maxTokens?: number;
  /** Tokens the next passage repeats from the end of this one. Default 32. */
  overlapTokens?: number;
}

/** Tokens of a text without the model's special tokens (subword tokenizers split on whitespace first, so counts add up). */
export type TokenCounter = (text: string) => number;

const SPECIAL_TOKENS = 2; // [CLS] and [SEP]

interface Piece {
  start: number;
  end: number;
  tokens: number;
}

function segments(text: string, granularity: 'sentence' | 'word', from = 0): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of new Intl.Segmenter('en', { granularity }).segment(text)) out.push({ start: from + s.index, end: from + s.index + s.segment.length });
  return out;
}

export function splitPassages(text: string, count: TokenCounter, options: PassageOptions = {}): PassageSpan[] {
  const budget = (options.maxTokens ?? 256) - SPECIAL_TOKENS;
  const overlap = options.overlapTokens ?? 32;
  if (budget < 8)
    throw createError('INVALID_ARGUMENT', `maxTokens must be at least 10 (the model's [CLS] and [SEP] and 8 tokens of text), got ${options.maxTokens}`, {
      argument: 'maxTokens',
    });
  const pieces: Piece[] = [];
  for (const s of segments(text, 'sentence')) {
    const tokens = count(text.slice(s.start, s.end));
    if (tokens <= budget) {
      pieces.push({ ...s, tokens });
      continue;
    }
    // A sentence over the limit: its words, packed as pieces under it.
    let cur: Piece | undefined;
    for (const w of segments(text.slice(s.start, s.end), 'word', s.start)) {
      const t = count(text.slice(w.start, w.end));
      if (cur && cur.tokens + t > budget) {
        pieces.push(cur);
        cur = undefined;
      }
      cur = cur ? { start: cur.start, end: w.end, tokens: cur.tokens + t } : { start: w.start, end: w.end, tokens: t };
    }
    if (cur) pieces.push(cur);
  }
  const out: PassageSpan[] = [];
  let i = 0;
  while (i < pieces.length) {
    let j = i;
    let tokens = 0;
    while (j < pieces.length && tokens + pieces[j]!.tokens <= budget) tokens += pieces[j++]!.tokens;
    if (j === i) j = i + 1; // a single word over the limit: kept whole (the embedder truncates and says so)
    const start = pieces[i]!.start;
    const end = pieces[j - 1]!.end;
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trail = raw.length - raw.trimEnd().length;
    if (raw.trim()) out.push({ text: raw.trim(), start: start + lead, end: end - trail, tokens: tokens + SPECIAL_TOKENS });
    if (j >= pieces.length) break;
    // Step back over the last pieces worth about `overlap` tokens, but always move forward.
    let back = j;
    let repeated = 0;
    while (back - 1 > i && repeated + pieces[back - 1]!.tokens <= overlap) repeated += pieces[--back]!.tokens;
    i = back;
  }
  return out;
}
