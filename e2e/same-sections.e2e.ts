// One set of main-content rules: the same HTML gives the same sections in the page
// (DOMParser, what the demo runs on a dropped file) and in Node (parse5, what
// `pagesense index` runs), on the fixture sites, a demo sample, Markdown pages
// rendered as the indexer renders them, and pages built to trip the rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlSections } from '../src/indexer/html-sections.ts';
import { renderMarkdown } from '../src/indexer/markdown-page.ts';
import { openLabPage, type LabPage } from './lab-page.ts';

let lab: LabPage;
beforeAll(async () => {
  lab = await openLabPage('e2e/pages/sections.html');
});
afterAll(async () => {
  await lab?.close();
});

const inPage = <T>(fn: 'sections' | 'passages', ...args: string[]): Promise<T> =>
  lab.session.page.evaluate(([f, a]) => (globalThis as any).sectionsCheck[f](...a), [fn, args] as const) as Promise<T>;

const TRICKY: Record<string, string> = {
  'role-main.html': '<body><div>chrome</div><div role="main"><h2 id="a">A</h2><p>kept</p></div><article><h2>B</h2><p>not the main</p></article></body>',
  'hidden.html':
    '<body><main><h1>T</h1><p>seen <span aria-hidden="true">icon</span><span hidden>gone</span></p><div data-pagesense-ignore>ignored</div><template><p>inert</p></template><form><p>form text</p></form></main></body>',
  'body-only.html': '<html><body>Plain text straight in the body, no blocks at all.</body></html>',
  'no-title.html': '<body><main><h1 id="top">First heading</h1><p>Body text.</p><h2><a name="old">Old anchor</a></h2><p>More.</p></main></body>',
  'marked-body.html':
    '<body><main><p>outside</p><section data-pagesense-body><h3 id="x">Inner <code>code</code> ¶</h3><pre>let x = 1;</pre></section></main></body>',
};

function pages(): [string, string][] {
  const out: [string, string][] = Object.entries(TRICKY);
  for (const f of ['index.html', 'guide/lamps.html', 'guide/empty.html']) out.push([f, readFileSync(join('test/fixtures/site', f), 'utf8')]);
  out.push(['tea.html', readFileSync('public/samples/tea.html', 'utf8')]);
  const md = 'test/fixtures/vitepress';
  for (const f of readdirSync(md, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'))) {
    out.push([f, renderMarkdown(readFileSync(join(md, f), 'utf8')).html]);
  }
  return out;
}

describe('one set of main-content rules for the page and the indexer', () => {
  it('gives the same title, description and sections (heading, anchor, heading path, text) in Chromium and in Node', async () => {
    const all = pages();
    expect(all.length).toBeGreaterThan(10);
    for (const [name, html] of all) {
      const node = htmlSections(html);
      const page = await inPage<unknown>('sections', html);
      expect(page, name).toEqual(node);
    }
    // The rules did work on the tricky pages: not vacuous agreement on empty results.
    expect(htmlSections(TRICKY['role-main.html']!).sections).toEqual([{ heading: 'A', anchor: 'a', headingPath: ['A'], text: 'kept' }]);
    expect(htmlSections(TRICKY['hidden.html']!).sections.map((s) => s.text)).toEqual(['seen']);
    expect(htmlSections(TRICKY['no-title.html']!).title).toBe('First heading');
  });

  it('a dropped HTML file becomes passages under those sections, linked by the page’s own anchors', async () => {
    const html = readFileSync('test/fixtures/site/guide/lamps.html', 'utf8');
    const node = htmlSections(html);
    const passages = await inPage<{ title: string; url: string; text: string }[]>('passages', 'lamps.html', html);
    expect(passages.map((p) => p.url)).toEqual(node.sections.map((s) => `lamps.html#${s.anchor}`));
    expect(passages.map((p) => p.title)).toEqual(node.sections.map((s) => `${node.title} › ${s.heading}`));
    expect(passages.map((p) => p.text)).toEqual(node.sections.map((s) => s.text));
  });
});
