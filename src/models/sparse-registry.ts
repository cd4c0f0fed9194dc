// The learned-sparse document encoders `pagesense index --sparse` knows: pure data.
// Each is a fill-mask model (MLM head over bert-base-uncased's WordPiece vocabulary)
// with an idf.json of query weights. Figures: the model cards' average nDCG@10 over
// 13 BEIR sets (OpenSearch, 2024–2025); BM25 averages about 0.445 on the same sets.
import type { SparseActivation } from '../core/sparse-index.ts';

export interface SparseModelSpec {
  /** Hub id, and the folder under the self-hosted models path. */
  id: string;
  activation: SparseActivation;
  /** Tokens a passage may have ([CLS] and [SEP] included). */
  maxTokens: number;
  /** The model card's average nDCG@10 on its 13 BEIR sets; null for generated models. */
  beirNdcg10: number | null;
  /** Whether the Hub repository holds onnx/model.onnx; if not, README gives the export command. */
  onnxOnHub: boolean;
  generated: boolean;
  description: string;
}

const opensearch = (name: string, activation: SparseActivation, ndcg: number, description: string): SparseModelSpec => ({
  id: `opensearch-project/${name}`,
  activation,
  maxTokens: 512,
  beirNdcg10: ndcg,
  onnxOnHub: false,
  generated: false,
  description,
});

export const SPARSE_MODELS: Readonly<Record<string, SparseModelSpec>> = Object.fromEntries(
  (
    [
      opensearch('opensearch-neural-sparse-encoding-doc-v2-mini', 'log1p-relu', 0.497, 'OpenSearch doc-v2-mini (BERT, 23M parameters)'),
      opensearch('opensearch-neural-sparse-encoding-doc-v2-distill', 'log1p-relu', 0.504, 'OpenSearch doc-v2-distill (DistilBERT, 67M parameters)'),
      opensearch('opensearch-neural-sparse-encoding-doc-v3-distill', 'log1p-log1p-relu', 0.517, 'OpenSearch doc-v3-distill (DistilBERT, 67M parameters)'),
      {
        id: 'pagesense-test/sparse-tiny',
        activation: 'log1p-log1p-relu',
        maxTokens: 512,
        beirNdcg10: null,
        onnxOnHub: false,
        generated: true,
        description: 'Generated tiny BERT with an MLM head (2 layers) and random weights: for tests',
      },
      {
        id: 'pagesense-test/sparse-bge-small-arch',
        activation: 'log1p-log1p-relu',
        maxTokens: 512,
        beirNdcg10: null,
        onnxOnHub: false,
        generated: true,
        description: 'Generated BGE-small-sized BERT (12 layers, 384 wide) with an MLM head and random weights: for speed figures',
      },
    ] satisfies SparseModelSpec[]
  ).map((m) => [m.id, m]),
);

export const DEFAULT_SPARSE_MODEL_ID = 'opensearch-project/opensearch-neural-sparse-encoding-doc-v3-distill';
export const SPARSE_MODEL_IDS: readonly string[] = Object.keys(SPARSE_MODELS);

/** A sparse model's files: the fill-mask ONNX (fp32), its tokenizer and config, and the query weights. */
export const SPARSE_MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'idf.json', 'onnx/model.onnx'];

export function findSparseModel(id: string): SparseModelSpec | undefined {
  return Object.prototype.hasOwnProperty.call(SPARSE_MODELS, id) ? SPARSE_MODELS[id] : undefined;
}
