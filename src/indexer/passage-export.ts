// `pagesense passages <dir> --out passages.parquet`: the passages `pagesense index`
// would embed, cut by the same rules and the model's own tokenizer, for a batch engine
// (Ray Data, Spark, Daft with sentence-transformers) to embed; `pagesense index
// --vectors` reads the vectors back by id (the passage text's SHA-256, the cache's key).
import { resolve } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { configureHf } from '../embedding/transformers-runtime.ts';
import { createError } from '../core/errors.ts';
import { DEFAULT_MODELS_DIR } from '../models/model-files.ts';
import { DEFAULT_MODEL_ID, findModel, MODEL_IDS } from '../models/registry.ts';
import { sha256 } from './content-hash.ts';
import { readSitePages } from './site-files.ts';
import { sitePassages } from './site-passages.ts';
import { writePassagesParquet } from './vector-table.ts';

export interface PassageExportOptions {
  model?: string;
  localModelPath?: string;
  allowRemoteModels?: boolean;
  maxTokens?: number;
  overlapTokens?: number;
  code?: boolean;
}

export async function exportPassages(dir: string, out: string, options: PassageExportOptions = {}): Promise<{ passages: number; pages: number; file: string }> {
  const spec = findModel(options.model ?? DEFAULT_MODEL_ID);
  if (!spec) throw createError('NOT_FOUND', `unknown model ${JSON.stringify(options.model)}; use one of ${MODEL_IDS.join(', ')}`, { model: options.model });
  configureHf(
    { localModelPath: resolve(options.localModelPath ?? DEFAULT_MODELS_DIR) + '/', allowRemoteModels: options.allowRemoteModels ?? true },
    spec.generated,
  );
  const tokenizer = await AutoTokenizer.from_pretrained(spec.id);
  const count = (text: string) => (tokenizer.encode(text, { add_special_tokens: false }) as number[]).length;
  const pages = readSitePages(resolve(dir));
  const { passages } = sitePassages(pages, count, {
    maxTokens: Math.min(options.maxTokens ?? 256, spec.maxTokens),
    overlapTokens: options.overlapTokens ?? 32,
    code: options.code ?? true,
  });
  // One row per distinct text: the batch engine embeds each once.
  const rows = new Map<string, { id: string; text: string; url: string }>();
  for (const p of passages) {
    const id = sha256(p.text);
    if (!rows.has(id)) rows.set(id, { id, text: p.text, url: p.anchor ? `${p.url}#${p.anchor}` : p.url });
  }
  const file = resolve(out);
  await writePassagesParquet(file, [...rows.values()]);
  return { passages: rows.size, pages: pages.length, file };
}
