// What the page tells its tests (and the console): read as globalThis.pagesenseDemo.
export const demoState = {
  ready: false,
  /** 'hybrid' with a model; 'lexical' when none could be loaded. */
  mode: 'hybrid' as 'hybrid' | 'lexical',
  passagesEmbedded: 0,
  lastSearchMs: NaN,
  searchesRendered: 0,
  searchedCount: 0,
  renderedQuery: '',
  error: '',
  /** 'memory' when IndexedDB could not be opened: the index ends with the page. */
  storage: 'indexeddb' as 'indexeddb' | 'memory',
  modelLoadMs: NaN,
  /** The last similarity matrix drawn: its size and what it took. */
  matrix: { rows: 0, cols: 0, embedMs: NaN, matrixMs: NaN, drawMs: NaN, communityMs: NaN, drawn: 0 },
  health: { ran: 0, passed: 0, failed: 0, skipped: 0 },
  quantizationCompared: 0,
};

(globalThis as { pagesenseDemo?: typeof demoState }).pagesenseDemo = demoState;
