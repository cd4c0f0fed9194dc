// Where onnxruntime-web's two runtime files are fetched from when the caller does not
// say (wasmBase). Here, in the repository's own pages (demo, tests, benchmarks), the
// Vite plugin scripts/vite/ort-assets.ts serves them at <page>/ort/. The package build
// swaps this file for ort-files.package.ts, which points beside the built module.
import type { OrtFiles } from './runtime-options.ts';

const NAME = 'ort-wasm-simd-threaded.asyncify';

/** The two files inside the folder at `base` (an absolute URL ending in '/'). */
export function ortFilesAt(base: string): OrtFiles {
  if (!base.endsWith('/')) base += '/';
  return { mjs: `${base}${NAME}.mjs`, wasm: `${base}${NAME}.wasm` };
}

/** Where they are when wasmBase is not given: `ort/` beside the page. */
export function defaultOrtFiles(pageBase: string): OrtFiles {
  return ortFilesAt(new URL('ort/', pageBase).href);
}
