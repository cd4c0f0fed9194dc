// Where onnxruntime-web's runtime files are fetched from when the caller does not
// say (wasmBase). Here, in the repository's own pages (demo, tests, benchmarks), the
// Vite plugin scripts/vite/ort-assets.ts serves them at <page>/ort/. The package build
// swaps this file for ort-files.package.ts, which points beside the built module.
import type { OrtFiles } from './runtime-options.ts';

/** The file stems of the two builds (see OrtFiles): WASM execution, and WebGPU's. */
export const ORT_BUILDS = { wasm: 'ort-wasm-simd-threaded', webgpu: 'ort-wasm-simd-threaded.asyncify' } as const;

/** The files inside the folder at `base` (an absolute URL ending in '/'). */
export function ortFilesAt(base: string): OrtFiles {
  if (!base.endsWith('/')) base += '/';
  const build = (stem: string) => ({ mjs: `${base}${stem}.mjs`, wasm: `${base}${stem}.wasm` });
  return { wasm: build(ORT_BUILDS.wasm), webgpu: build(ORT_BUILDS.webgpu) };
}

/** Where they are when wasmBase is not given: `ort/` beside the page. */
export function defaultOrtFiles(pageBase: string): OrtFiles {
  return ortFilesAt(new URL('ort/', pageBase).href);
}
