import { describe, expect, it } from 'vitest';
import { analyze, tokenize } from './lexical-analysis.ts';
import { createLexicalIndex } from './lexical-index.ts';

describe('lexical analysis', () => {
  it('splits code identifiers and keeps them whole', () => {
    expect(tokenize('defineConfig')).toEqual(['define', 'config', 'defineconfig']);
    expect(tokenize('base_url')).toEqual(['base', 'url', 'base_url']);
    expect(tokenize('HTMLParser v2')).toEqual(['html', 'parser', 'htmlparser', 'v2']);
  });

  it('normalizes (NFKC), folds case, drops stop words and stems', () => {
    expect(analyze('The ﬁles ARE Running on the Servers')).toEqual(['file', 'run', 'server']);
  });
});

describe('lexical index (BM25 by MiniSearch)', () => {
  const docs = [
    { id: 'proxy', title: 'Server options', text: 'Configure custom proxy rules for the dev server with server.proxy.' },
    { id: 'define', title: 'Shared options', text: 'Use defineConfig to get type hints for the config file.' },
    { id: 'css', title: 'Features', text: 'CSS modules, PostCSS and preprocessors are supported out of the box.' },
    { id: 'long', title: 'Guide', text: `${'The server starts quickly and the server reloads. '.repeat(20)}` },
  ];

  it('ranks the document with the rare query term first, and finds identifiers from their parts', () => {
    const index = createLexicalIndex();
    index.add(docs);
    expect(index.search('proxy rules')[0]!.id).toBe('proxy');
    expect(index.search('define config')[0]!.id).toBe('define');
    expect(index.search('defineConfig')[0]!.id).toBe('define');
    expect(index.search('postcss').map((h) => h.id)).toEqual(['css']);
  });

  it('length normalization (b): with b = 0 one match scores the same in a short and a long text; with the default the short one wins', () => {
    const pair = [
      { id: 'short', text: 'server options' },
      { id: 'long', text: `server ${'lorem ipsum dolor '.repeat(30)}` },
    ];
    const score = (b?: number) => {
      const index = createLexicalIndex(b === undefined ? {} : { b });
      index.add(pair);
      return Object.fromEntries(index.search('server').map((h) => [h.id, h.score]));
    };
    expect(score(0)['short']).toBeCloseTo(score(0)['long']!, 10);
    expect(score()['short']!).toBeGreaterThan(score()['long']!);
  });

  it('removes documents; unknown options and bad parameters are typed errors', () => {
    const index = createLexicalIndex();
    index.add(docs);
    index.remove(['proxy', 'nope']);
    expect(index.size).toBe(3);
    expect(index.search('proxy rules').map((h) => h.id)).not.toContain('proxy');
    expect(() => createLexicalIndex({ k: 1 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
    expect(() => createLexicalIndex({ b: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
