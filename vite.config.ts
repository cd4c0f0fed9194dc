import { defaultClientConditions, defineConfig } from 'vite';
import { ortAssets } from './scripts/vite/ort-assets.ts';

// Cross-origin isolation enables SharedArrayBuffer, which onnxruntime-web needs for WASM threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // 'mpa': a missing file is a 404, not index.html (which onnxruntime would try to parse as a model).
  appType: 'mpa',
  base: './',
  plugins: [ortAssets()],
  server: { host: '127.0.0.1', port: 5173, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  worker: { format: 'es' },
  optimizeDeps: {
    // Scan the test and benchmark pages up front too: a dependency discovered on first
    // load makes the dev server reload the page, which a browser test would trip over.
    entries: ['index.html', 'e2e/pages/*.html', 'bench/browser/*.html'],
    include: ['comlink', 'idb'],
    exclude: ['@huggingface/transformers', 'onnxruntime-web'],
  },
  resolve: {
    // onnxruntime-web's extern-wasm build loads its glue from wasmPaths (ort/) instead of
    // embedding it and emitting a second, hashed copy of the 27 MB .wasm.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  // The demo site; dist/ is the package (npm run build:package).
  build: { target: 'es2022', chunkSizeWarningLimit: 2000, outDir: 'site' },
});
