// The files a model is made of, as the Hub lays them out: what fetch-model downloads
// and what the indexer's --bundle-model copies next to a site index.
export const DTYPE_FILES: Record<string, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};
export const CONFIG_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
