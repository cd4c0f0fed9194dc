// fetch-model against a local stand-in for the Hub, serving a generated model.
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGED_MODELS, forgeModel } from './forge/forge.ts';
import { fetchModel } from './fetch-model.ts';
import { runCli } from '../src/cli/commands.ts';
import { loadSparseEncoder } from '../src/indexer/sparse-encoder.ts';

const src = forgeModel(FORGED_MODELS[0]!, mkdtempSync(join(tmpdir(), 'hub-')));
// A generated sparse model stands in for OpenSearch's: served whole as doc-v3-distill, without its ONNX as doc-v2-mini.
const sparseSrc = forgeModel(
  FORGED_MODELS.find((m) => m.id === 'pagesense-test/sparse-tiny')!,
  mkdtempSync(join(tmpdir(), 'hub-')),
);
const V3 = 'opensearch-project/opensearch-neural-sparse-encoding-doc-v3-distill';
const V2_MINI = 'opensearch-project/opensearch-neural-sparse-encoding-doc-v2-mini';
let server: Server;
let hubUrl = '';
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const m = /^\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const sparse = /^\/opensearch-project\/opensearch-neural-sparse-encoding-doc-(v3-distill|v2-mini)\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const file = m ? join(src, m[1]!) : sparse && !(sparse[1] === 'v2-mini' && sparse[2]!.endsWith('.onnx')) ? join(sparseSrc, sparse[2]!) : '';
    if (!file || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('fetch-model', () => {
  it('downloads config, tokenizer and the requested dtypes into the self-hosting folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'models-'));
    const files = await fetchModel({ modelId: 'Xenova/all-MiniLM-L6-v2', dtypes: ['fp32', 'q8'], outDir: out, hubUrl, revision: 'main', log: () => {} });
    expect(files.length).toBe(5);
    const got = readFileSync(join(out, 'Xenova/all-MiniLM-L6-v2/onnx/model.onnx'));
    expect(got.equals(readFileSync(join(src, 'onnx/model.onnx')))).toBe(true);
    expect(existsSync(join(out, 'Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx'))).toBe(true);
  });

  it('fails clearly on a missing file and leaves no partial file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'models-'));
    await expect(fetchModel({ modelId: 'Xenova/all-MiniLM-L6-v2', dtypes: ['fp16'], outDir: out, hubUrl, revision: 'main', log: () => {} })).rejects.toThrow(
      /model_fp16\.onnx answered 404/,
    );
    expect(existsSync(join(out, 'Xenova/all-MiniLM-L6-v2/onnx/model_fp16.onnx'))).toBe(false);
    expect(existsSync(join(out, 'Xenova/all-MiniLM-L6-v2/onnx/model_fp16.onnx.partial'))).toBe(false);
  });

  it('refuses generated models and unknown dtypes', async () => {
    const base = { dtypes: ['fp32'], outDir: tmpdir(), hubUrl, revision: 'main', log: () => {} };
    await expect(fetchModel({ ...base, modelId: 'pagesense-test/bert-tiny' })).rejects.toThrow(/npm run forge/);
    await expect(fetchModel({ ...base, modelId: 'Xenova/bge-m3', dtypes: ['int3'] })).rejects.toThrow(/unknown dtype/);
  });

  it('`pagesense fetch-model` takes the same job from its flags, and a flag without a value exits 2', async () => {
    const out = mkdtempSync(join(tmpdir(), 'models-'));
    const lines: string[] = [];
    const code = await runCli(
      ['fetch-model', 'Xenova/all-MiniLM-L6-v2', '--hub', hubUrl, '--out', out, '--dtype', 'q8'],
      (l) => lines.push(l),
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    expect(existsSync(join(out, 'Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx'))).toBe(true);
    expect(existsSync(join(out, 'Xenova/all-MiniLM-L6-v2/onnx/model.onnx'))).toBe(false);
    expect(lines.at(-1)).toContain('is self-hosted under');
    const errors: string[] = [];
    expect(
      await runCli(
        ['fetch-model', '--dtype'],
        () => {},
        (l) => errors.push(l),
      ),
    ).toBe(2);
    expect(errors).toEqual(['pagesense fetch-model: --dtype needs a value (see pagesense fetch-model --help)']);
  });

  it('--sparse fetches a sparse encoder’s files, and `pagesense index --sparse` can load them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'models-'));
    const lines: string[] = [];
    expect(await runCli(['fetch-model', V3, '--sparse', '--hub', hubUrl, '--local-model-path', out], (l) => lines.push(l))).toBe(0);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'idf.json', 'onnx/model.onnx'])
      expect(existsSync(join(out, V3, f)), f).toBe(true);
    expect(lines.at(-1)).toContain(`pagesense index --sparse ${V3}`);
    const encoder = await loadSparseEncoder({ model: V3, localModelPath: out });
    const [v] = await encoder.encode(['lamps and lenses']);
    expect(v!.ids.length).toBeGreaterThan(0);
    await encoder.dispose();
  });

  it('--sparse on a model with no ONNX export on the Hub names the one command that makes it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'models-'));
    await expect(fetchModel({ modelId: V2_MINI, dtypes: [], outDir: out, hubUrl, revision: 'main', log: () => {}, sparse: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(`optimum-cli export onnx --model ${V2_MINI} --task fill-mask ${out}/${V2_MINI}/onnx/`),
    });
    expect(existsSync(join(out, V2_MINI, 'idf.json'))).toBe(true);
  });
});
