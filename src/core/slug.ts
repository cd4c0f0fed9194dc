// Heading slugs, one rule for every path: VitePress's (@mdit-vue/shared `slugify`),
// so a url#anchor pagesense makes for Markdown matches the anchor a VitePress build of
// the same file has. Repeated headings on one page get -1, -2, … as VitePress's anchor
// plugin numbers them.

// eslint-disable-next-line no-control-regex -- VitePress's own rule: control characters leave the slug
const rControl = /[\u0000-\u001f]/g;
const rSpecial = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
const rCombining = /[\u0300-\u036F]/g;

/** VitePress's heading slug: 'Café déjà vu' → 'cafe-deja-vu', '2. `defineConfig` & you' → '_2-defineconfig-you'. */
export function slugify(heading: string): string {
  return heading
    .normalize('NFKD')
    .replace(rCombining, '')
    .replace(rControl, '')
    .replace(rSpecial, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** Slugs unique within one page: the second 'css-modules' is 'css-modules-1'. */
export function createSlugger(): (heading: string) => string {
  const used = new Map<string, number>();
  return (heading) => {
    const slug = slugify(heading) || 'section';
    const seen = used.get(slug) ?? 0;
    used.set(slug, seen + 1);
    return seen ? `${slug}-${seen}` : slug;
  };
}
