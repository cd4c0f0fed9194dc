// A Markdown page as HTML, the way a docs site renders it: markdown-it (CommonMark)
// for the body, front matter found by the rule every path shares (core/front-matter)
// and read by js-yaml (title, description), and heading ids by VitePress's slug rule
// (core/slug: `{#custom-id}` kept, repeats numbered), so url#anchor links match a
// VitePress build of the same files. The HTML then goes through htmlSections like
// any built page, and is what Pagefind indexes for the lexical side.
import { load as parseYaml } from 'js-yaml';
import MarkdownIt from 'markdown-it';
import { splitFrontMatter } from '../core/front-matter.ts';
import { createSlugger } from '../core/slug.ts';

export interface RenderedMarkdown {
  html: string;
  title: string;
  description: string;
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const { frontMatter, body: raw } = splitFrontMatter(source);
  const data = readFrontMatter(frontMatter);
  // VitePress containers (::: tip Title … :::) are plain text blocks here; their title stays as a line.
  const content = raw.replace(/^([ \t]*):::[ \t]*(?:[\w-]+)?[ \t]*(.*)$/gm, '$1$2');
  const md = new MarkdownIt({ html: true, linkify: false });
  const slug = createSlugger();
  md.core.ruler.push('pagesense_heading_ids', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.type !== 'heading_open') continue;
      const inline = tokens[i + 1]!;
      // VitePress's `## Title {#custom-id}`: the id is given, and leaves the heading's text.
      const last = inline.children?.at(-1);
      const custom = last?.type === 'text' ? /\s*\{#([^}\s]+)\}\s*$/.exec(last.content) : null;
      if (custom && last) {
        last.content = last.content.slice(0, custom.index);
        inline.content = inline.content.replace(/\s*\{#[^}\s]+\}\s*$/, '');
      }
      const text = (inline.children ?? [])
        .filter((t) => t.type === 'text' || t.type === 'code_inline')
        .map((t) => t.content)
        .join('');
      tokens[i]!.attrSet('id', custom ? custom[1]! : slug(text));
    }
    return true;
  });
  const body = md.render(content);
  const title = typeof data['title'] === 'string' ? data['title'] : '';
  const description = typeof data['description'] === 'string' ? data['description'] : '';
  const head = `<title>${escapeHtml(title)}</title>${description ? `<meta name="description" content="${escapeHtml(description)}">` : ''}`;
  return { html: `<!doctype html><html><head>${head}</head><body><main>${body}</main></body></html>`, title, description };
}

/** The front matter's fields; a block that is not a YAML mapping (or not YAML) gives none, as a site generator would warn and go on. */
function readFrontMatter(block: string | undefined): Record<string, unknown> {
  if (!block?.trim()) return {};
  try {
    const data = parseYaml(block);
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Text made safe inside HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
