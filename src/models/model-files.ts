// The files a model is made of, as the Hub lays them out: what fetch-model downloads
// and what the indexer's --bundle-model copies next to a site index.
export const DTYPE_FILES: Record<string, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};
export const CONFIG_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/**
 * Where self-hosted models live in a project: what `pagesense fetch-model` writes and
 * `pagesense index` reads by default. Vite, VitePress and most static generators copy
 * public/ to the site root, so pages find the files at /models/, the widget's default.
 */
export const DEFAULT_MODELS_DIR = 'public/models';
/** The same folder as a page sees it once the site is built. */
export const DEFAULT_MODELS_URL = '/models/';
