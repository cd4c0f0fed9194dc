// The words <pagesense-search> shows, in the languages it ships, chosen by the page's
// `lang` (the element's nearest lang attribute); a site overrides any of them with the
// `translations` attribute (JSON) or property. {query}, {shown}, {total} are filled in.

export interface ElementStrings {
  placeholder: string;
  label: string;
  /** The modal layout's button. */
  button: string;
  close: string;
  noResults: string;
  /** Shown under "no results" while the model loads: more may come. */
  stillLoading: string;
  count: string;
  countOne: string;
  showMore: string;
  loading: string;
  unavailable: string;
  /** Some results are missing (a part of the index could not be read). */
  partial: string;
}

const en: ElementStrings = {
  placeholder: 'Search',
  label: 'Search this site',
  button: 'Search',
  close: 'Close',
  noResults: 'No results for “{query}”.',
  stillLoading: 'Semantic search is still loading; results may follow.',
  count: '{shown} of {total} pages',
  countOne: '1 page',
  showMore: 'Show more',
  loading: 'Loading semantic search…',
  unavailable: 'Search is not available right now.',
  partial: 'Some results could not be loaded.',
};

const SHIPPED: Record<string, ElementStrings> = {
  en,
  fr: {
    placeholder: 'Rechercher',
    label: 'Rechercher dans ce site',
    button: 'Rechercher',
    close: 'Fermer',
    noResults: 'Aucun résultat pour « {query} ».',
    stillLoading: 'La recherche sémantique se charge encore ; d’autres résultats peuvent suivre.',
    count: '{shown} pages sur {total}',
    countOne: '1 page',
    showMore: 'Afficher plus',
    loading: 'Chargement de la recherche sémantique…',
    unavailable: 'La recherche n’est pas disponible pour le moment.',
    partial: 'Certains résultats n’ont pas pu être chargés.',
  },
  de: {
    placeholder: 'Suchen',
    label: 'Diese Website durchsuchen',
    button: 'Suchen',
    close: 'Schließen',
    noResults: 'Keine Ergebnisse für „{query}“.',
    stillLoading: 'Die semantische Suche lädt noch; weitere Ergebnisse können folgen.',
    count: '{shown} von {total} Seiten',
    countOne: '1 Seite',
    showMore: 'Mehr anzeigen',
    loading: 'Semantische Suche wird geladen…',
    unavailable: 'Die Suche ist gerade nicht verfügbar.',
    partial: 'Einige Ergebnisse konnten nicht geladen werden.',
  },
  es: {
    placeholder: 'Buscar',
    label: 'Buscar en este sitio',
    button: 'Buscar',
    close: 'Cerrar',
    noResults: 'No hay resultados para «{query}».',
    stillLoading: 'La búsqueda semántica aún se está cargando; pueden llegar más resultados.',
    count: '{shown} de {total} páginas',
    countOne: '1 página',
    showMore: 'Mostrar más',
    loading: 'Cargando la búsqueda semántica…',
    unavailable: 'La búsqueda no está disponible en este momento.',
    partial: 'Algunos resultados no se pudieron cargar.',
  },
};

/** The shipped strings for `lang` ('fr-CA' → fr; unknown → en), with `overrides` on top. */
export function elementStrings(lang: string, overrides: Partial<ElementStrings> = {}): ElementStrings {
  const base = SHIPPED[lang.toLowerCase().split('-')[0] ?? ''] ?? en;
  return { ...base, ...overrides };
}

/** Fills {name} placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
