// The build-time side of learned-sparse search: a fill-mask model run in Node through
// the runtime the indexer already uses (transformers.js over onnxruntime-node), each
// passage pooled into one weight per vocabulary token (core/sparse-pooling.ts). Texts
// are sorted by length into token-budget batches, since the logits of one batch are
// positions × 30,522 floats: 1,024 tokens make 125 MB.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoModelForMaskedLM, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { configureHf } from '../embedding/transformers-runtime.ts';
import { createError } from '../core/errors.ts';
import { poolSparse, type SparseVector } from '../core/sparse-pooling.ts';
import type { SparseActivation, SparsePruning, SparseTokenizer } from '../core/sparse-index.ts';
import { findSparseModel, SPARSE_MODEL_IDS, type SparseModelSpec } from '../models/sparse-registry.ts';

export interface SparseEncoderOptions {
  /** Sparse registry id. */
  model: string;
  /** Folder holding models/<id>/ (fetch-model or forge wrote it). */
  localModelPath: string;
  /** Default: at most 256 tokens per passage, none under 0. */
  pruning?: Partial<SparsePruning>;
  /** Padded tokens per model call. Default 1024. */
  maxBatchTokens?: number;
}

export interface SparseEncoder {
  readonly spec: SparseModelSpec;
  readonly activation: SparseActivation;
  readonly pruning: SparsePruning;
  readonly tokenizer: SparseTokenizer;
  /** The vocabulary, by id. */
  readonly vocabulary: readonly string[];
  /** Query weight per token (idf.json); tokens it lacks weigh nothing. */
  readonly queryWeights: ReadonlyMap<string, number>;
  /** One pruned sparse vector per text, in input order; `onBatch` hears how many are done. */
  encode(texts: readonly string[], onBatch?: (done: number) => void): Promise<SparseVector[]>;
  /** The model's forward pass alone, no pooling: the runtime's own rate, for comparison. */
  forwardOnly(texts: readonly string[]): Promise<void>;
  dispose(): Promise<void>;
}

export const DEFAULT_SPARSE_PRUNING: SparsePruning = { topTerms: 256, minWeight: 0 };

interface TokenizerJson {
  normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null; handle_chinese_chars?: boolean; clean_text?: boolean };
  pre_tokenizer?: { type?: string };
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

/** The page's WordPiece settings from tokenizer.json; a tokenizer it cannot mirror is refused by name. */
function wordPieceSettings(json: TokenizerJson, where: string): { tokenizer: SparseTokenizer; vocabulary: string[]; specialIds: number[] } {
  const n = json.normalizer;
  if (n?.type !== 'BertNormalizer' || json.pre_tokenizer?.type !== 'BertPreTokenizer' || json.model?.type !== 'WordPiece' || !json.model.vocab) {
    throw createError(
      'UNSUPPORTED',
      `${where} is a ${n?.type ?? 'no'} / ${json.pre_tokenizer?.type ?? 'no'} / ${json.model?.type ?? 'no'} tokenizer; the page's query side speaks BERT's (BertNormalizer, BertPreTokenizer, WordPiece) only`,
    );
  }
  const vocabulary: string[] = [];
  for (const [token, id] of Object.entries(json.model.vocab)) vocabulary[id] = token;
  const specials = (json.added_tokens ?? []).filter((t) => t.special);
  return {
    vocabulary,
    specialIds: specials.map((t) => t.id),
    tokenizer: {
      type: 'wordpiece',
      lowercase: n.lowercase ?? true,
      stripAccents: n.strip_accents ?? null,
      chineseChars: n.handle_chinese_chars ?? true,
      cleanText: n.clean_text ?? true,
      unknown: json.model.unk_token ?? '[UNK]',
      prefix: json.model.continuing_subword_prefix ?? '##',
      maxChars: json.model.max_input_chars_per_word ?? 100,
      specials: specials.map((t) => t.content),
    },
  };
}

export async function loadSparseEncoder(options: SparseEncoderOptions): Promise<SparseEncoder> {
  const spec = findSparseModel(options.model);
  if (!spec) {
    throw createError('NOT_FOUND', `unknown sparse model ${JSON.stringify(options.model)}; use one of ${SPARSE_MODEL_IDS.join(', ')}`, {
      model: options.model,
      allowed: SPARSE_MODEL_IDS,
    });
  }
  const dir = join(options.localModelPath, spec.id);
  const missing = ['tokenizer.json', 'idf.json', 'onnx/model.onnx'].filter((f) => !existsSync(join(dir, f)));
  if (missing.length) {
    const how = spec.generated
      ? 'run `npm run forge` in the pagesense repository'
      : `run \`pagesense fetch-model ${spec.id} --sparse\`${spec.onnxOnHub ? '' : ' (its Hub repository has no ONNX export: see README, "Learned-sparse models", for the one command that makes one)'}`;
    throw createError('MODEL_UNAVAILABLE', `the sparse model ${spec.id} lacks ${missing.join(', ')} under ${dir}; ${how}`, { model: spec.id, missing });
  }
  const { tokenizer, vocabulary, specialIds } = wordPieceSettings(
    JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as TokenizerJson,
    join(dir, 'tokenizer.json'),
  );
  const queryWeights = new Map(Object.entries(JSON.parse(readFileSync(join(dir, 'idf.json'), 'utf8')) as Record<string, number>));
  // The files were checked above: never the Hub.
  configureHf(
    { localModelPath: options.localModelPath.endsWith('/') ? options.localModelPath : `${options.localModelPath}/`, allowRemoteModels: false },
    spec.generated,
  );
  let tok: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tok = await AutoTokenizer.from_pretrained(spec.id);
    model = await AutoModelForMaskedLM.from_pretrained(spec.id, { dtype: 'fp32', device: 'cpu' });
  } catch (err) {
    throw createError('MODEL_UNAVAILABLE', `the sparse model ${spec.id} under ${dir} could not be loaded: ${(err as Error).message}`, { model: spec.id }, err);
  }
  const pruning: SparsePruning = { ...DEFAULT_SPARSE_PRUNING, ...options.pruning };
  const budget = options.maxBatchTokens ?? 1024;
  const V = vocabulary.length;

  const id = (t: string) => vocabulary.indexOf(t);
  const [cls, sep, pad] = [id('[CLS]'), id('[SEP]'), Math.max(0, id('[PAD]'))];
  // The session's own inputs (DistilBERT takes no token_type_ids).
  const inputNames: readonly string[] = (model as unknown as { sessions?: { model?: { inputNames?: string[] } } }).sessions?.model?.inputNames ?? [
    'input_ids',
    'attention_mask',
    'token_type_ids',
  ];

  /**
   * Length-sorted batches of at most `budget` padded tokens; calls `run` on each with its
   * texts' positions. Truncation cuts the text, then adds [CLS] and [SEP], as the
   * Python tokenizers the models were trained with do (transformers.js would drop [SEP]).
   */
  async function batched(
    texts: readonly string[],
    run: (logits: Float32Array, S: number, lengths: number[], at: number[]) => void,
    onBatch?: (done: number) => void,
  ) {
    const ids = texts.map((t) => [cls, ...(tok.encode(t, { add_special_tokens: false }) as number[]).slice(0, spec!.maxTokens - 2), sep]);
    const order = texts.map((_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length);
    const batches: number[][] = [];
    for (let i = 0; i < order.length;) {
      let j = i + 1;
      while (j < order.length && ids[order[j]!]!.length * (j - i + 1) <= budget) j++;
      batches.push(order.slice(i, j));
      i = j;
    }
    const forward = (at: number[]) => {
      const S = ids[at.at(-1)!]!.length;
      const tensor = (f: (row: number[], p: number) => number) =>
        new Tensor(
          'int64',
          BigInt64Array.from({ length: at.length * S }, (_, x) => BigInt(f(ids[at[Math.floor(x / S)]!]!, x % S))),
          [at.length, S],
        );
      const feeds: Record<string, Tensor> = {
        input_ids: tensor((row, p) => row[p] ?? pad),
        attention_mask: tensor((row, p) => (p < row.length ? 1 : 0)),
        token_type_ids: tensor(() => 0),
      };
      return model(Object.fromEntries(inputNames.map((n) => [n, feeds[n]!]))) as Promise<{ logits: Tensor }>;
    };
    // One batch ahead: the runtime computes the next batch on its own threads while this one is pooled here.
    let done = 0;
    let next = batches.length ? forward(batches[0]!) : undefined;
    for (let b = 0; b < batches.length; b++) {
      const out = await next!;
      next = b + 1 < batches.length ? forward(batches[b + 1]!) : undefined;
      const at = batches[b]!;
      if (out.logits.dims[2] !== V) throw createError('MODEL_MISMATCH', `${spec!.id} gives logits over ${out.logits.dims[2]} tokens; its tokenizer has ${V}`);
      run(
        out.logits.data as Float32Array,
        out.logits.dims[1]!,
        at.map((k) => ids[k]!.length),
        at,
      );
      out.logits.dispose();
      done += at.length;
      onBatch?.(done);
    }
  }

  return {
    spec,
    activation: spec.activation,
    pruning,
    tokenizer,
    vocabulary,
    queryWeights,
    async encode(texts, onBatch) {
      const vectors: SparseVector[] = new Array(texts.length);
      const scratch = new Float32Array(V);
      await batched(
        texts,
        (logits, S, lengths, at) =>
          at.forEach((k, b) => (vectors[k] = poolSparse(logits, b * S * V, lengths[b]!, V, spec.activation, specialIds, pruning, scratch))),
        onBatch,
      );
      return vectors;
    },
    async forwardOnly(texts) {
      await batched(texts, () => undefined);
    },
    dispose: async () => {
      await model.dispose();
    },
  };
}
