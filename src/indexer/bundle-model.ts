// --bundle-model: the model's files (config, tokenizer, the ONNX weights of the dtype
// the index was built with) copied into the index folder, so the site never calls the
// Hub. The page finds them through the manifest (model.bundled).
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createError } from '../core/errors.ts';
import { CONFIG_FILES, DTYPE_FILES } from '../models/model-files.ts';
import { writingTo } from './file-errors.ts';

export function bundleModel(localModelPath: string, modelId: string, dtype: string, out: string): { path: string; bytes: number } {
  const weights = DTYPE_FILES[dtype];
  if (!weights) throw createError('UNSUPPORTED', `--bundle-model: no file layout known for dtype ${dtype}`);
  const from = join(localModelPath, modelId);
  const target = join(out, 'models', modelId);
  writingTo(join(out, 'models'), () => rmSync(join(out, 'models'), { recursive: true, force: true }));
  let bytes = 0;
  for (const file of [...CONFIG_FILES, weights]) {
    const src = join(from, file);
    if (!existsSync(src)) {
      throw createError(
        'NOT_FOUND',
        `--bundle-model copies the self-hosted model, and ${src} is missing: run \`pagesense fetch-model ${modelId} --dtype ${dtype} --out <models>\` and pass --models <models>`,
      );
    }
    writingTo(join(target, file), () => {
      mkdirSync(dirname(join(target, file)), { recursive: true });
      copyFileSync(src, join(target, file));
    });
    bytes += statSync(src).size;
  }
  return { path: 'models/', bytes };
}
