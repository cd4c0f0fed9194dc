// Progress events for everything slow, keyed on `status` (like transformers.js's ProgressInfo).
// Invariants: within one file `loaded` never decreases; the last embed/store event has done === total.

export type Progress =
  | { status: 'download'; file: string; loaded: number; total: number }
  | { status: 'load'; modelId: string; device: string }
  | { status: 'ready'; modelId: string; device: string; dtype: string }
  | { status: 'embed'; done: number; total: number; textsPerSecond: number }
  | { status: 'store'; done: number; total: number }
  /** No model could be loaded: search goes on with the lexical side alone (reason: what was tried and what to do). */
  | { status: 'fallback'; mode: 'lexical'; reason: string }
  /** IndexedDB could not be opened: the index lives in memory and ends with the page (reason: why). */
  | { status: 'fallback'; storage: 'memory'; reason: string };

export type ProgressCallback = (p: Progress) => void;
