// A Markdown page as HTML, the way a docs site renders it: markdown-it (CommonMark)
// for the body, gray-matter for the front matter (title, description), and heading
// ids made with VitePress's slug rules (@mdit-vue/shared), so url#anchor links match
// a VitePress build of the same files. The HTML then goes through htmlSections like
// any built page, and is what Pagefind indexes for the lexical side.
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';

// eslint-disable-next-line no-control-regex -- VitePress's own rule: control characters leave the slug
const rControl = /[\u0000-\u001f]/g;
const rSpecial = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
const rCombining = /[\u0300-\u036F]/g;

/** VitePress's heading slug. */
export function vitepressSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(rCombining, '')
    .replace(rControl, '')
    .replace(rSpecial, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

export interface RenderedMarkdown {
  html: string;
  title: string;
  description: string;
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const { content: raw, data } = matter(source);
  // VitePress containers (::: tip Title … :::) are plain text blocks here; their title stays as a line.
  const content = raw.replace(/^([ \t]*):::[ \t]*(?:[\w-]+)?[ \t]*(.*)$/gm, '$1$2');
  const md = new MarkdownIt({ html: true, linkify: false });
  const used = new Map<string, number>();
  md.core.ruler.push('pagesense_heading_ids', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.type !== 'heading_open') continue;
      const inline = tokens[i + 1]!;
      const text = (inline.children ?? [])
        .filter((t) => t.type === 'text' || t.type === 'code_inline')
        .map((t) => t.content)
        .join('');
      let slug = vitepressSlug(text) || 'section';
      // Repeated headings get -1, -2, … as VitePress's anchor plugin does.
      const seen = used.get(slug) ?? 0;
      used.set(slug, seen + 1);
      if (seen) slug = `${slug}-${seen}`;
      tokens[i]!.attrSet('id', slug);
    }
    return true;
  });
  const body = md.render(content);
  const title = typeof data['title'] === 'string' ? data['title'] : '';
  const description = typeof data['description'] === 'string' ? data['description'] : '';
  const head = `<title>${escapeHtml(title)}</title>${description ? `<meta name="description" content="${escapeHtml(description)}">` : ''}`;
  return { html: `<!doctype html><html><head>${head}</head><body><main>${body}</main></body></html>`, title, description };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
