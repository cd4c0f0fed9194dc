import { describe, expect, it } from 'vitest';
import { groupByPage } from './page-groups.ts';
import { resultKey } from './pagefind-reader.ts';

describe('groupByPage', () => {
  const hits = [
    { id: 'a.html#one', score: 0.9 },
    { id: 'b.html#x', score: 0.8 },
    { id: 'a.html#two', score: 0.7 },
    { id: 'c.html', score: 0.6 },
    { id: 'a.html#three', score: 0.5 },
    { id: 'a.html#four', score: 0.4 },
    { id: 'b.html#y', score: 0.3 },
  ];

  it('orders pages by their best section and keeps each page’s sections best first, three at most', () => {
    expect(groupByPage(hits, { pages: 8 })).toEqual([
      { page: 'a.html', score: 0.9, keys: ['a.html#one', 'a.html#two', 'a.html#three'] },
      { page: 'b.html', score: 0.8, keys: ['b.html#x', 'b.html#y'] },
      { page: 'c.html', score: 0.6, keys: ['c.html'] },
    ]);
  });

  it('stops adding pages at the limit, while the pages it has still gather their later sections', () => {
    expect(groupByPage(hits, { pages: 2, sectionsPerPage: 2 })).toEqual([
      { page: 'a.html', score: 0.9, keys: ['a.html#one', 'a.html#two'] },
      { page: 'b.html', score: 0.8, keys: ['b.html#x', 'b.html#y'] },
    ]);
    expect(groupByPage([], { pages: 3 })).toEqual([]);
  });
});

describe('resultKey', () => {
  it('is the key both sides share: no leading slash, no index.html, the anchor kept', () => {
    expect(resultKey('/guide/lamps.html#fresnel')).toBe('guide/lamps.html#fresnel');
    expect(resultKey('/guide/index.html#top')).toBe('guide/#top');
    expect(resultKey('/index.html')).toBe('');
    expect(resultKey('guide/')).toBe('guide/');
  });
});
