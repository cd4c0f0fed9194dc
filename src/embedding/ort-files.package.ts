// The package's copy of ort-files.ts (scripts/build-package.ts swaps it in). Literal
// `new URL('./…', import.meta.url)` expressions are what bundlers (Vite, webpack 5,
// Parcel) follow to emit a file next to the code that needs it; with no bundler, they
// resolve to dist/ort/ beside the served module.
import type { OrtFiles } from './runtime-options.ts';

export { ortFilesAt } from './ort-files.ts';

export function defaultOrtFiles(_pageBase: string): OrtFiles {
  return {
    wasm: {
      mjs: new URL('./ort/ort-wasm-simd-threaded.mjs', import.meta.url).href,
      wasm: new URL('./ort/ort-wasm-simd-threaded.wasm', import.meta.url).href,
    },
    webgpu: {
      mjs: new URL('./ort/ort-wasm-simd-threaded.asyncify.mjs', import.meta.url).href,
      wasm: new URL('./ort/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
    },
  };
}
