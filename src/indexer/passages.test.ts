import { describe, expect, it } from 'vitest';
import { splitPassages } from './passages.ts';

// One token per word: enough to check packing, overlap and offsets exactly.
const words = (t: string) => t.split(/\s+/).filter(Boolean).length;

describe('splitPassages', () => {
  const text = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} has exactly seven words.`).join(' ');

  it('packs sentences under the token limit, repeats about overlapTokens into the next, and keeps exact offsets', () => {
    const ps = splitPassages(text, words, { maxTokens: 30, overlapTokens: 7 });
    expect(ps.length).toBeGreaterThan(5);
    for (const p of ps) {
      expect(p.tokens).toBeLessThanOrEqual(30);
      expect(text.slice(p.start, p.end)).toBe(p.text);
    }
    // Four sentences (28 tokens) fit under 28 text tokens; the next passage starts with the last of them.
    expect(ps[0]!.text.endsWith('Sentence number 3 has exactly seven words.')).toBe(true);
    expect(ps[1]!.text.startsWith('Sentence number 3 has')).toBe(true);
    expect(ps.at(-1)!.text.endsWith('Sentence number 29 has exactly seven words.')).toBe(true);
  });

  it('cuts a sentence longer than the limit at word boundaries, and never loops on a long one', () => {
    const long = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ') + '.';
    const ps = splitPassages(long, words, { maxTokens: 22, overlapTokens: 0 });
    expect(ps.map((p) => p.tokens).every((t) => t <= 22)).toBe(true);
    expect(
      ps
        .map((p) => p.text)
        .join('')
        .replace(/\s/g, ''),
    ).toBe(long.replace(/\s/g, ''));
    for (const p of ps) expect(long.slice(p.start, p.end)).toBe(p.text);
  });

  it('gives one passage for a short text and none for blank text', () => {
    expect(splitPassages('Just one line.', words)).toEqual([{ text: 'Just one line.', start: 0, end: 14, tokens: 5 }]);
    expect(splitPassages('   ', words)).toEqual([]);
  });
});
