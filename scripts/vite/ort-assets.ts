// Serves onnxruntime-web's wasm runtime from our own origin (dev and preview)
// and copies it into the build, so no page ever fetches it from a CDN. The
// files come from the one onnxruntime-web copy in node_modules (the version
// transformers.js depends on, pinned and deduped in package.json).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Connect, Plugin } from 'vite';

/** Both builds: the plain one for WASM pages, the asyncify one for WebGPU (see src/embedding/runtime-options.ts, OrtFiles). */
export const ORT_FILES = [
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
] as const;

export function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package does not export package.json; its main entry sits in dist/.
  return dirname(require.resolve('onnxruntime-web'));
}

function middleware(): Connect.NextHandleFunction {
  const dir = ortDistDir();
  return (req, res, next) => {
    const path = (req.url ?? '').split('?')[0]!;
    const match = /\/ort\/([^/]+)$/.exec(path);
    const file = match?.[1];
    if (!file || !(ORT_FILES as readonly string[]).includes(file)) return next();
    const full = join(dir, file);
    if (!existsSync(full)) return next();
    res.setHeader('Content-Type', file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
    res.setHeader('Content-Length', statSync(full).size);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    createReadStream(full).pipe(res);
  };
}

export function ortAssets(): Plugin {
  return {
    name: 'pagesense-ort-assets',
    configureServer(server) {
      server.middlewares.use(middleware());
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware());
    },
    async generateBundle() {
      for (const file of ORT_FILES) {
        this.emitFile({ type: 'asset', fileName: `ort/${file}`, source: await readFile(join(ortDistDir(), file)) });
      }
    },
  };
}
