// fetch-model against a local stand-in for the Hub, serving a generated model.
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORGED_MODELS, forgeModel } from './forge/forge.ts';
import { fetchModel } from './fetch-model.ts';
import { runCli } from '../src/cli/commands.ts';

const src = forgeModel(FORGED_MODELS[0]!, mkdtempSync(join(tmpdir(), 'hub-')));
let server: Server;
let hubUrl = '';
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const m = /^\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const file = m ? join(src, m[1]!) : '';
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
});
