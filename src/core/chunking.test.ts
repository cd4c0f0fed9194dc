import { describe, expect, it } from 'vitest';
import { chunkText, slugify } from './chunking.ts';

describe('chunkText', () => {
  it('drops front matter and scopes passages to their heading', () => {
    const md = '---\ntitle: x\n---\n\nIntro text.\n\n## Server Options {#server-options}\n\nThe server listens.\n\n### Proxy\n\nProxy rules.';
    const p = chunkText(md);
    expect(p.map((x) => [x.heading, x.text])).toEqual([
      ['', 'Intro text.'],
      ['Server Options', 'The server listens.'],
      ['Proxy', 'Proxy rules.'],
    ]);
    expect(p[1]!.anchor).toBe('server-options');
  });

  it('keeps passages near the word limit and loses no words', () => {
    const para = Array.from({ length: 50 }, (_, i) => `word${i}.`).join(' ');
    const text = Array.from({ length: 6 }, () => para).join('\n\n');
    const p = chunkText(text, { maxWords: 120 });
    expect(p.length).toBeGreaterThan(2);
    for (const x of p) expect(x.text.split(/\s+/).length).toBeLessThanOrEqual(120);
    expect(p.reduce((n, x) => n + x.text.split(/\s+/).length, 0)).toBe(300);
  });

  it('does not treat # lines inside code fences as headings', () => {
    const p = chunkText('## Real\n\n```sh\n# comment\n\nls\n```');
    expect(p.every((x) => x.heading === 'Real')).toBe(true);
  });

  it('returns nothing for blank input', () => {
    expect(chunkText('   \n\n  ')).toEqual([]);
  });

  it('slugs like VitePress', () => {
    expect(slugify('Hello, World! `code`')).toBe('hello-world-code');
  });

  it('reads code fences as CommonMark does: nested, tilde, unclosed', () => {
    // A four-backtick fence holds a three-backtick one; the heading inside is code, the one after is a heading.
    const nested = chunkText('## Real\n\n````md\n```js\n\n# not a heading\n\n```\n````\n\n## After\n\nText.');
    expect(nested.map((p) => p.heading)).toEqual(['Real', 'After']);
    expect(nested[0]!.text).toContain('# not a heading');
    // A tilde fence is not closed by backticks.
    const tilde = chunkText('~~~\n```\n\n# inside\n\n~~~\n\n# Out\n\nx');
    expect(tilde.map((p) => p.heading)).toEqual(['', 'Out']);
    // An unclosed fence runs to the end: nothing after it is a heading, and no text is lost.
    const open = chunkText('Intro.\n\n```\ncode\n\n# comment\n\nmore');
    expect(open.every((p) => p.heading === '')).toBe(true);
    expect(open.map((p) => p.text).join('\n')).toContain('# comment');
  });

  it('takes empty front matter, and headings with no body, without losing the text around them', () => {
    expect(chunkText('---\n---\nBody text.')).toEqual([{ heading: '', anchor: '', text: 'Body text.' }]);
    const p = chunkText('## Empty\n\n## Full\n\nSome text.\n\n### Also empty');
    expect(p).toEqual([{ heading: 'Full', anchor: 'full', text: 'Some text.' }]);
  });
});
