// `pagesense fetch-model`: downloads a model from the Hugging Face Hub (or a mirror)
// once, so a site can serve it itself and make no third-party request at run time.
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CONFIG_FILES, DTYPE_FILES } from '../models/model-files.ts';
import { findModel } from '../models/registry.ts';

export { DTYPE_FILES };

export interface FetchOptions {
  modelId: string;
  dtypes: string[];
  outDir: string;
  /** Default https://huggingface.co (PAGESENSE_HUB_URL overrides, for mirrors and tests). */
  hubUrl: string;
  revision: string;
  log: (line: string) => void;
}

export async function fetchModel(o: FetchOptions): Promise<string[]> {
  const spec = findModel(o.modelId);
  if (spec?.generated) throw new Error(`${o.modelId} is generated locally, not on the Hub: run \`npm run forge\` in the pagesense repository instead`);
  const files = [
    ...CONFIG_FILES,
    ...o.dtypes.map((d) => {
      const f = DTYPE_FILES[d];
      if (!f) throw new Error(`unknown dtype "${d}"; use one of ${Object.keys(DTYPE_FILES).join(', ')}`);
      return f;
    }),
  ];
  const written: string[] = [];
  for (const file of files) {
    const url = `${o.hubUrl.replace(/\/$/, '')}/${o.modelId}/resolve/${encodeURIComponent(o.revision)}/${file}`;
    const dest = join(o.outDir, o.modelId, file);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (err) {
      throw new Error(
        `cannot reach ${url}: ${String((err as Error).cause ?? err)}. fetch-model needs network access to the Hub (or set PAGESENSE_HUB_URL to a mirror).`,
        { cause: err },
      );
    }
    if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status} ${res.statusText}`);
    mkdirSync(dirname(dest), { recursive: true });
    const total = Number(res.headers.get('content-length') ?? 0);
    let loaded = 0;
    let lastLog = 0;
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    body.on('data', (chunk: Buffer) => {
      loaded += chunk.length;
      if (loaded - lastLog > 16e6) {
        lastLog = loaded;
        o.log(`  ${file}: ${(loaded / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`);
      }
    });
    // Write beside, then rename: an interrupted download never leaves a truncated model in place.
    const partial = `${dest}.partial`;
    try {
      await pipeline(body, createWriteStream(partial));
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
    renameSync(partial, dest);
    written.push(dest);
    o.log(`saved ${dest} (${(loaded / 1e6).toFixed(1)} MB)`);
  }
  return written;
}
