import { describe, expect, it } from 'vitest';
import { markedExcerpt, withoutLeadingHeading } from './excerpt.ts';
import { analyze } from './lexical-analysis.ts';

const terms = (q: string) => new Set(analyze(q));

describe('markedExcerpt', () => {
  it('marks the words the query’s analysis matches, stems included, and lists them once', () => {
    const e = markedExcerpt('Proofing the dough: a proof that is too long collapses. Proofing again.', terms('proof'));
    expect(e.marks.map(([s, t]) => e.text.slice(s, t))).toEqual(['Proofing', 'proof', 'Proofing']);
    expect(e.words).toEqual(['proofing', 'proof']);
  });

  it('cuts a long text around its first match, `lead` characters before it, with ellipses', () => {
    const text = `${'x '.repeat(200)}the lighthouse keeper ${'y '.repeat(200)}`;
    const e = markedExcerpt(text, terms('lighthouse'), { max: 60, lead: 10 });
    expect(e.text.startsWith('…')).toBe(true);
    expect(e.text.endsWith('…')).toBe(true);
    expect(e.text.length).toBe(62);
    const [[s, t]] = e.marks as [[number, number]];
    expect(e.text.slice(s, t)).toBe('lighthouse');
    expect(s).toBe(11); // the ellipsis, then 10 characters of lead
  });

  it('keeps a short text whole and marks nothing without terms', () => {
    expect(markedExcerpt('short text', new Set())).toEqual({ text: 'short text', marks: [], words: [] });
  });
});

describe('withoutLeadingHeading', () => {
  it('drops the heading the passage starts with, and shifts the marks; leaves other text alone', () => {
    const e = {
      text: 'Lamp settings. The lamp’s settings live here',
      marks: [
        [0, 4],
        [19, 23],
      ] as [number, number][],
    };
    expect(withoutLeadingHeading(e, 'Lamp settings')).toEqual({ text: 'The lamp’s settings live here', marks: [[4, 8]] });
    expect(withoutLeadingHeading(e, 'Fuel')).toBe(e);
    expect(withoutLeadingHeading({ text: 'Fuel', marks: [] }, 'Fuel')).toEqual({ text: 'Fuel', marks: [] });
  });
});
