import { describe, expect, it } from 'vitest';
import { htmlSections } from './html-sections.ts';
import { lexicalHtml } from './pagefind-writer.ts';

describe('lexicalHtml', () => {
  it('gives Pagefind the sections the vector side cut, with their anchors, and escapes every string', () => {
    const content = {
      title: 'A <b>bold</b> "title"',
      description: '',
      sections: [
        { heading: '', anchor: '', headingPath: [], text: 'Intro & more' },
        { heading: 'Fog <horns>', anchor: 'fog"x', headingPath: ['Fog <horns>'], text: '<img src=x onerror=alert(1)>' },
      ],
    };
    const html = lexicalHtml(content);
    expect(html).not.toMatch(/<img|<b>|<horns>/);
    expect(html).toContain('data-pagefind-body');
    expect(html).toContain('<title data-pagefind-meta="title">');
    // Read back by the same rules, it is the same page.
    const again = htmlSections(html);
    expect(again.title).toBe(content.title);
    expect(again.sections).toEqual([
      { heading: '', anchor: '', headingPath: [], text: 'Intro & more' },
      { heading: 'Fog <horns>', anchor: 'fog"x', headingPath: ['Fog <horns>'], text: '<img src=x onerror=alert(1)>' },
    ]);
  });
});
