// Builds a BERT encoder as an ONNX graph with deterministic seeded weights.
// The graph matches what HF exports for BertModel (inputs input_ids,
// attention_mask, token_type_ids; output last_hidden_state), so
// transformers.js loads it exactly as it loads Xenova/bge-small-en-v1.5.
import { DataType, GraphBuilder } from './onnx.ts';

export interface BertArchitecture {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

/** BAAI/bge-small-en-v1.5's architecture, from its config.json. */
export const BGE_SMALL_ARCHITECTURE: BertArchitecture = {
  vocabSize: 30522,
  hiddenSize: 384,
  numLayers: 12,
  numHeads: 12,
  intermediateSize: 1536,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

export const TINY_ARCHITECTURE: BertArchitecture = {
  ...BGE_SMALL_ARCHITECTURE,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 64,
};

/** mulberry32 + Box-Muller: fast, seedable, identical on every platform. */
export function gaussianSource(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

export interface BuildOptions {
  seed: number;
  /** Std of embedding tables. Larger than BERT's 0.02 so token identity survives the layers. */
  embeddingStd?: number;
  /** Std of query/key weights. */
  weightStd?: number;
  /**
   * Dynamic int8 quantization the way onnxruntime's quantize_dynamic writes it:
   * int8 weights with a per-tensor scale, activations through
   * DynamicQuantizeLinear, products through MatMulInteger.
   */
  quantized?: boolean;
  /**
   * 'mlm': BertForMaskedLM's head on top (dense, GELU, LayerNorm, then the word
   * embeddings transposed as the decoder, plus a bias), output `logits` [B, S, vocab]:
   * what a fill-mask export of a learned-sparse document encoder gives.
   */
  head?: 'none' | 'mlm';
}

/** The generated MLM head's logit bias: about 0.1% of random tokens score above zero at a position. */
const MLM_BIAS = -3;

export function buildBertOnnx(arch: BertArchitecture, opts: BuildOptions): Uint8Array {
  const { hiddenSize: H, numHeads, intermediateSize: I } = arch;
  if (H % numHeads !== 0) throw new Error('hiddenSize must divide by numHeads');
  const headDim = H / numHeads;
  const rnd = gaussianSource(opts.seed);
  const embStd = opts.embeddingStd ?? 1;
  const wStd = opts.weightStd ?? 0.02;
  const g = new GraphBuilder();

  const randn = (n: number, std: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rnd() * std;
    return a;
  };
  const filled = (n: number, v: number) => new Float32Array(n).fill(v);

  const layerNorm = (x: string, prefix: string) =>
    g.op('LayerNormalization', [x, g.f32(`${prefix}.weight`, [H], filled(H, 1)), g.f32(`${prefix}.bias`, [H], filled(H, 0))], {
      axis: { int: -1 },
      epsilon: { float: arch.layerNormEps },
    });

  // Query/key weights stay small so attention is near uniform, while value,
  // output and feed-forward weights keep unit gain: the CLS vector then carries
  // a mix of the text's tokens, so the random model still ranks by word overlap.
  const dense = (x: string, prefix: string, inDim: number, outDim: number, std = 1 / Math.sqrt(inDim)) => {
    const w = randn(inDim * outDim, std);
    const bias = g.f32(`${prefix}.bias`, [outDim], filled(outDim, 0));
    if (!opts.quantized) return g.op('Add', [g.op('MatMul', [x, g.f32(`${prefix}.weight`, [inDim, outDim], w)]), bias]);
    let maxAbs = 0;
    for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
    const scale = maxAbs / 127 || 1;
    const q = new Int8Array(w.length);
    for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i]! / scale)));
    const wq = g.init(`${prefix}.weight_quantized`, DataType.INT8, [inDim, outDim], q);
    const wScale = g.f32(`${prefix}.weight_scale`, [], Float32Array.of(scale));
    const wZero = g.init(`${prefix}.weight_zero_point`, DataType.INT8, [], Int8Array.of(0));
    const [xq, xScale, xZero] = g.opN('DynamicQuantizeLinear', [x], 3) as [string, string, string];
    const acc = g.op('MatMulInteger', [xq, wq, xZero, wZero]);
    const accF = g.op('Cast', [acc], { to: { int: DataType.FLOAT } });
    const scaled = g.op('Mul', [accF, g.op('Mul', [xScale, wScale])]);
    return g.op('Add', [scaled, bias]);
  };

  // Embeddings: word + token type + absolute position, then LayerNorm.
  const wordEmb = g.f32('embeddings.word_embeddings.weight', [arch.vocabSize, H], randn(arch.vocabSize * H, embStd));
  const posEmb = g.f32('embeddings.position_embeddings.weight', [arch.maxPositions, H], randn(arch.maxPositions * H, embStd * 0.1));
  const typeEmb = g.f32('embeddings.token_type_embeddings.weight', [arch.typeVocabSize, H], randn(arch.typeVocabSize * H, embStd * 0.1));
  const seqLen = g.op('Shape', ['input_ids'], { start: { int: 1 }, end: { int: 2 } });
  const positions = g.op('Slice', [posEmb, g.i64('const.zero', [0]), seqLen, g.i64('const.axis0', [0])]);
  let x = g.op('Add', [g.op('Add', [g.op('Gather', [wordEmb, 'input_ids']), g.op('Gather', [typeEmb, 'token_type_ids'])]), positions]);
  x = layerNorm(x, 'embeddings.LayerNorm');
  const embedded = x;

  // Additive attention mask [B, 1, 1, S]: 0 where attended, -10000 on padding.
  const maskF = g.op('Cast', ['attention_mask'], { to: { int: DataType.FLOAT } });
  const inverted = g.op('Sub', [g.f32('const.one', [], Float32Array.of(1)), maskF]);
  const additive = g.op('Mul', [inverted, g.f32('const.neg', [], Float32Array.of(-10000))]);
  const mask = g.op('Unsqueeze', [additive, g.i64('const.axes12', [1, 2])]);

  const headsShape = g.i64('const.heads_shape', [0, 0, numHeads, headDim]);
  const mergedShape = g.i64('const.merged_shape', [0, 0, H]);
  const scale = g.f32('const.attn_scale', [], Float32Array.of(1 / Math.sqrt(headDim)));
  const sqrt2 = g.f32('const.sqrt2', [], Float32Array.of(Math.SQRT2));
  const half = g.f32('const.half', [], Float32Array.of(0.5));
  const one = 'const.one';

  for (let l = 0; l < arch.numLayers; l++) {
    const p = `encoder.layer.${l}`;
    const split = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, headsShape])], { perm: { ints: perm } });
    const q = split(dense(x, `${p}.attention.self.query`, H, H, wStd), [0, 2, 1, 3]);
    const k = split(dense(x, `${p}.attention.self.key`, H, H, wStd), [0, 2, 3, 1]);
    const v = split(dense(x, `${p}.attention.self.value`, H, H), [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, k]), scale]), mask]);
    const probs = g.op('Softmax', [scores], { axis: { int: -1 } });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } }), mergedShape]);
    const attnOut = dense(ctx, `${p}.attention.output.dense`, H, H);
    x = layerNorm(g.op('Add', [attnOut, x]), `${p}.attention.output.LayerNorm`);
    const inter = dense(x, `${p}.intermediate.dense`, H, I);
    // Exact GELU, as BERT's "gelu": 0.5 * x * (1 + erf(x / sqrt 2)).
    const gelu = g.op('Mul', [g.op('Mul', [inter, half]), g.op('Add', [g.op('Erf', [g.op('Div', [inter, sqrt2])]), one])]);
    const out = dense(gelu, `${p}.output.dense`, I, H);
    x = layerNorm(g.op('Add', [out, x]), `${p}.output.LayerNorm`);
  }
  const ids = (name: string) => ({ name, elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] as const });
  let output = { name: 'last_hidden_state', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', H] as (string | number)[] };
  if (opts.head === 'mlm') {
    // Unlike a trained head, the transform stays near the identity and the embeddings
    // skip past the encoder into it, so a position's logits favour its own token:
    // generated sparse vectors then weight a passage's own words (plus random
    // expansions), which lets tests see lexical sense in them. Speed is unchanged.
    const eye = new Float32Array(H * H);
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) eye[i * H + j] = (i === j ? 1 : 0) + rnd() * (0.1 / Math.sqrt(H));
    const t = g.op('Add', [
      g.op('MatMul', [x, g.f32('cls.predictions.transform.dense.weight', [H, H], eye)]),
      g.f32('cls.predictions.transform.dense.bias', [H], filled(H, 0)),
    ]);
    const tg = g.op('Mul', [g.op('Mul', [t, half]), g.op('Add', [g.op('Erf', [g.op('Div', [t, sqrt2])]), one])]);
    const h = layerNorm(g.op('Add', [tg, embedded]), 'cls.predictions.transform.LayerNorm');
    const decoder = g.op('Transpose', [wordEmb], { perm: { ints: [1, 0] } });
    // Scaled so a random token's logit is about N(0, 1), shifted so few are positive.
    const scaled = g.op('Mul', [g.op('MatMul', [h, decoder]), g.f32('cls.predictions.scale', [], Float32Array.of(1 / Math.sqrt(H)))]);
    x = g.op('Add', [scaled, g.f32('cls.predictions.bias', [arch.vocabSize], filled(arch.vocabSize, MLM_BIAS))]);
    output = { name: 'logits', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', arch.vocabSize] };
  }
  g.op('Identity', [x]);
  g.nameLast(output.name);

  return g.toModel({
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [output],
    opset: 17,
    producer: 'pagesense-forge',
    graphName: 'bert',
    docString: 'Generated by pagesense forge: deterministic random weights, NOT a trained model.',
  });
}

/** config.json as transformers.js reads it for a BertModel (or BertForMaskedLM with the MLM head). */
export function bertConfig(arch: BertArchitecture, head: 'none' | 'mlm' = 'none'): Record<string, unknown> {
  return {
    architectures: [head === 'mlm' ? 'BertForMaskedLM' : 'BertModel'],
    model_type: 'bert',
    vocab_size: arch.vocabSize,
    hidden_size: arch.hiddenSize,
    num_hidden_layers: arch.numLayers,
    num_attention_heads: arch.numHeads,
    intermediate_size: arch.intermediateSize,
    max_position_embeddings: arch.maxPositions,
    type_vocab_size: arch.typeVocabSize,
    hidden_act: 'gelu',
    layer_norm_eps: arch.layerNormEps,
    pad_token_id: 0,
    pagesense_generated: true,
  };
}
