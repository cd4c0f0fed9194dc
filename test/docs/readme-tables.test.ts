// The README is the API reference: each of its option, flag and attribute tables
// (marked `<!-- options: … -->`, `<!-- flags: … -->`, `<!-- attributes: … -->`) must
// list exactly what the code accepts, so a new option cannot ship undocumented and a
// removed one cannot linger in the docs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { INDEXER_OPTIONS } from '../../src/indexer/indexer.ts';
import { PAGESENSE_OPTIONS } from '../../src/pagesense.ts';
import { ELEMENT_ATTRIBUTES } from '../../src/site/element-attributes.ts';
import { SITE_SEARCH_OPTIONS } from '../../src/site/site-search.ts';
import { VITE_PLUGIN_OPTIONS } from '../../src/vite-plugin.ts';

const README = readFileSync('README.md', 'utf8');

/** The first column of the table after a marker: each row's first `code` span (a flag without its `<value>`), and its (old: `…`) names. */
function table(marker: string): { names: string[]; aliases: string[] } {
  const at = README.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`README.md has no <!-- ${marker} --> table`);
  const lines = README.slice(at).split('\n').slice(1);
  const rows = lines.slice(lines.findIndex((l) => l.startsWith('|')));
  const body = rows.slice(
    2,
    rows.findIndex((l) => !l.startsWith('|')),
  );
  const names: string[] = [];
  const aliases: string[] = [];
  for (const row of body) {
    const first = row.split('|')[1]!;
    const spans = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.split(' ')[0]!);
    names.push(spans[0]!);
    aliases.push(...spans.slice(1));
  }
  return { names, aliases };
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('README option tables match the code', () => {
  it('createPagesense', () => expect(sorted(table('options: createPagesense').names)).toEqual(sorted(PAGESENSE_OPTIONS)));
  it('createIndexer', () => expect(sorted(table('options: createIndexer').names)).toEqual(sorted(INDEXER_OPTIONS)));
  it('createSiteSearch', () => expect(sorted(table('options: createSiteSearch').names)).toEqual(sorted(SITE_SEARCH_OPTIONS)));
  it('pagesense/vite: its own options beside createIndexer’s', () => {
    const own = VITE_PLUGIN_OPTIONS.filter((o) => !(INDEXER_OPTIONS as readonly string[]).includes(o));
    expect(sorted(table('options: pagesense/vite').names)).toEqual(sorted(own));
  });
  it('<pagesense-search> attributes, with their old names', () => {
    const t = table('attributes: pagesense-search');
    expect(sorted(t.names)).toEqual(sorted(Object.keys(ELEMENT_ATTRIBUTES)));
    const aliases = Object.values(ELEMENT_ATTRIBUTES).flatMap((a) => ('alias' in a ? [a.alias] : []));
    expect(sorted(t.aliases)).toEqual(sorted(aliases));
  });
  for (const c of Object.values(COMMANDS)) {
    if (!c.flags.length) continue;
    it(`pagesense ${c.name} flags, with their old names`, () => {
      const t = table(`flags: ${c.name}`);
      expect(sorted(t.names)).toEqual(sorted(c.flags.map((f) => f.flag)));
      expect(sorted(t.aliases)).toEqual(sorted(c.flags.flatMap((f) => f.aliases ?? [])));
    });
  }
});
