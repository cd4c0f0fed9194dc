// <pagesense-search>'s attributes, apart from the element so Node (the README check)
// can read them without a DOM.
import { DEFAULT_MODELS_URL } from '../models/model-files.ts';

/**
 * The element's attributes, each with the createSiteSearch option it sets (or what it
 * does) and its default: the README's table is checked against this list.
 */
export const ELEMENT_ATTRIBUTES = {
  index: { option: 'index', default: '/pagesense/' },
  'local-model-path': { option: 'localModelPath', default: DEFAULT_MODELS_URL, alias: 'models' },
  'allow-remote-models': { option: 'allowRemoteModels', default: 'true', alias: 'remote-models' },
  warm: { option: undefined, default: 'focus' },
  placeholder: { option: undefined, default: 'Search' },
  debounce: { option: undefined, default: '100' },
  layout: { option: undefined, default: 'dropdown' },
  translations: { option: undefined, default: '' },
  debug: { option: undefined, default: 'false' },
} as const;
