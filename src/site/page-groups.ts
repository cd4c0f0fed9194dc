// Fused passage hits ('page#anchor' ids, best first) grouped by page, the way a
// reader scans a docs search: pages in the order of their best section, each with
// its first few sections. Pure: the site search reads passages only for the groups
// this returns.

export interface PageGroup {
  /** The page's path ('guide/lamps.html'): the id before '#'. */
  page: string;
  /** The score of its best section. */
  score: number;
  /** Its section ids, best first, at most `sectionsPerPage`. */
  keys: string[];
}

export interface GroupOptions {
  /** Pages returned. */
  pages: number;
  /** Sections kept per page. Default 3. */
  sectionsPerPage?: number;
}

export function groupByPage(hits: readonly { id: string; score: number }[], options: GroupOptions): PageGroup[] {
  const perPage = options.sectionsPerPage ?? 3;
  const groups = new Map<string, PageGroup>();
  for (const hit of hits) {
    const page = hit.id.split('#')[0]!;
    let g = groups.get(page);
    if (!g) {
      if (groups.size >= options.pages) continue; // pages past the limit add nothing, but earlier pages still gather sections
      g = { page, score: hit.score, keys: [] };
      groups.set(page, g);
    }
    if (g.keys.length < perPage) g.keys.push(hit.id);
  }
  return [...groups.values()];
}
