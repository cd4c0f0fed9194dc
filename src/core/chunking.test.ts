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
});
