import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlSections } from './html-sections.ts';
import { slugify as vitepressSlug } from '../core/slug.ts';
import { renderMarkdown } from './markdown-page.ts';

const page = readFileSync('test/fixtures/site/index.html', 'utf8');

describe('htmlSections', () => {
  it('keeps the main content only, one section per heading, with the page’s own anchors and the heading path', () => {
    const c = htmlSections(page);
    expect(c.title).toBe('Welcome'); // the h1, as Pagefind titles a page; <title> is 'Lighthouse Handbook'
    expect(c.description).toBe('How the lighthouse keepers work');
    expect(c.sections.map((s) => [s.heading, s.anchor, s.headingPath.join(' › ')])).toEqual([
      ['Welcome', 'welcome', 'Welcome'],
      ['Night shifts', 'shifts', 'Welcome › Night shifts'],
      ['Handover', 'handover', 'Welcome › Night shifts › Handover'],
    ]);
    const all = c.sections.map((s) => s.text).join(' ');
    for (const dropped of ['site navigation', 'souvenir', 'Related', 'Harbour Trust', 'window.track']) expect(all).not.toContain(dropped);
    expect(c.sections[2]!.text).toContain('log.write("midnight: wind NW 4")');
    expect(htmlSections(page, { code: false }).sections[2]!.text).not.toContain('log.write');
  });

  it('narrows to data-pagesense-body, reads an anchor from a link inside a heading, and takes <article> without <main>', () => {
    const c = htmlSections(
      '<body><div>outside</div><div data-pagesense-body><h2><a id="deep" href="#deep"></a>Deep <em>dive</em></h2><p>inside text</p></div></body>',
    );
    expect(c.sections).toEqual([{ heading: 'Deep dive', anchor: 'deep', headingPath: ['Deep dive'], text: 'inside text' }]);
    const a = htmlSections(readFileSync('test/fixtures/site/guide/lamps.html', 'utf8'));
    expect(a.sections.map((s) => s.anchor)).toEqual(['fresnel', 'fuel']);
    expect(a.sections[0]!.headingPath).toEqual(['Lamps and lenses', 'The Fresnel lens']);
  });

  it('titles a page by its h1 (no " | Site" suffix), and leaves out a code block’s language label and copy button', () => {
    const c = htmlSections(
      '<title>Config | Lighthouse Docs</title><main><h1>Config <a class="header-anchor" href="#config">#</a></h1><div class="language-json vp-adaptive-theme"><button class="copy" title="Copy"></button><span class="lang">json</span><pre><code>{ "lamp": 1 }</code></pre></div></main>',
    );
    expect(c.title).toBe('Config');
    expect(c.sections[0]!.text).toBe('{ "lamp": 1 }');
    // Without an h1 the <title> stands, suffix and all: the site's own words.
    expect(htmlSections('<title>Config | Docs</title><main><h2>Part</h2><p>x</p></main>').title).toBe('Config | Docs');
  });

  it('finds the page’s image: data-pagesense-image, then Pagefind’s image meta (both forms), then og:image', () => {
    const img = (html: string) => htmlSections(html).image;
    expect(img('<main><img data-pagesense-image src="/a.png"><img data-pagefind-meta="image[src]" src="/b.png"></main>')).toBe('/a.png');
    expect(img('<main><img data-pagefind-meta="image[src], image_alt[alt]" src="b.png" alt="x"></main>')).toBe('b.png');
    expect(img('<main><div data-pagefind-meta="author:Ann, image:/c.png"></div></main>')).toBe('/c.png');
    expect(img('<head><meta property="og:image" content="/d.png"></head><main><p>x</p></main>')).toBe('/d.png');
    expect(img('<main><p>none</p></main>')).toBeUndefined();
  });

  it('leaves out a heading’s “link to this section” anchor and its screen-reader text (Starlight, Docusaurus)', () => {
    const c = htmlSections(
      '<main><div class="sl-heading-wrapper"><h2 id="fuel">Fuel</h2><a class="sl-anchor-link" href="#fuel"><span class="sr-only">Section titled “Fuel”</span></a></div><p>Whale oil.</p></main>',
    );
    expect(c.sections).toEqual([{ heading: 'Fuel', anchor: 'fuel', headingPath: ['Fuel'], text: 'Whale oil.' }]);
  });

  it('collects the page’s metadata for result lists from data-pagesense-meta and data-pagefind-meta (inline, attribute and text forms)', () => {
    const c = htmlSections(
      '<main data-pagesense-meta="author:Ann Lee, section:Guide"><h1>T</h1><time data-pagefind-meta="date[datetime]" datetime="2026-01-02">2 Jan</time><span data-pagefind-meta="keeper">Bo</span><p>x</p></main>',
    );
    expect(c.meta).toEqual({ author: 'Ann Lee', section: 'Guide', date: '2026-01-02', keeper: 'Bo' });
    expect(htmlSections('<main><p>x</p></main>').meta).toBeUndefined();
  });

  it('finds nothing in a page whose main content is empty', () => {
    expect(htmlSections(readFileSync('test/fixtures/site/guide/empty.html', 'utf8')).sections).toEqual([]);
  });
});

describe('renderMarkdown', () => {
  it('reads front matter and gives headings VitePress’s slugs, numbered when repeated', () => {
    const r = renderMarkdown(
      '---\ntitle: Features\ndescription: What Vite does\n---\n# Features\n\n## CSS Modules\n\nText.\n\n## CSS Modules\n\nAgain.\n\n## 2. `defineConfig` & you\n',
    );
    expect(r.title).toBe('Features');
    const c = htmlSections(r.html);
    expect(c.title).toBe('Features');
    expect(c.description).toBe('What Vite does');
    expect(c.sections.map((s) => s.anchor)).toEqual(['css-modules', 'css-modules-1']);
    expect(vitepressSlug('2. `defineConfig` & you')).toBe('_2-defineconfig-you');
    expect(vitepressSlug('Café déjà vu')).toBe('cafe-deja-vu');
  });
});
