// `npm run fetch-model -- <model-id> [--dtype fp32,q8] [--out public/models]`
// Downloads a model from the Hugging Face Hub once, so the site can serve it
// itself (no third-party request at run time). Needs network access to the Hub.
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_ID, findModel } from '../src/models/registry.ts';

const DTYPE_FILES: Record<string, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};
const CONFIG_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

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
  if (spec?.generated) throw new Error(`${o.modelId} is generated locally: run \`npm run forge\` instead`);
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const dtypes = (flag('--dtype') ?? 'fp32').split(',');
  const outDir = flag('--out') ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models');
  const modelId = args[0] ?? DEFAULT_MODEL_ID;
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  fetchModel({ modelId, dtypes, outDir, hubUrl: process.env['PAGESENSE_HUB_URL'] ?? 'https://huggingface.co', revision: 'main', log: console.log })
    .then(() => console.log(`${modelId} is self-hosted under ${join(outDir, modelId)}; the app now loads it from there first.`))
    .catch((err) => {
      console.error(`fetch-model: ${(err as Error).message}`);
      process.exit(1);
    });
}
