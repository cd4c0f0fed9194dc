// The `pagesense` command as a user meets it: help for every verb, mistakes named
// once with what to do, old flag names still taken, and an index run that ends with
// a summary, on the generated tiny model.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import { COMMANDS, runCli } from './commands.ts';
import { copyPageAssets } from './page-assets.ts';
import { embedProgress, LOG_EVERY_SECONDS } from './progress-lines.ts';

const MODEL = 'pagesense-test/bert-tiny';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

beforeAll(() => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
});

describe('pagesense --help', () => {
  it('every command answers --help (and `help <command>`) with each flag, its old names and its default, exit 0', async () => {
    for (const c of Object.values(COMMANDS)) {
      const r = await run(c.name, '--help');
      expect(r.code, c.name).toBe(0);
      const text = r.out.join('\n');
      expect(text).toContain(`Usage: pagesense ${c.usage}`);
      for (const f of c.flags) {
        expect(text).toContain(f.flag);
        for (const a of f.aliases ?? []) expect(text).toContain(a);
        if (f.default) expect(text).toContain(`default: ${f.default}`);
      }
      expect((await run('help', c.name)).out.join('\n')).toBe(text);
    }
    const top = await run('--help');
    expect(top.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(top.out.join('\n')).toContain(name);
  });
});

describe('pagesense mistakes', () => {
  it('name the command once and say what to do, exit 2 for the command line', async () => {
    const unknownFlag = await run('index', 'site', '--modle', MODEL);
    expect(unknownFlag).toMatchObject({ code: 2, err: ['pagesense index: unknown flag --modle (did you mean --model?) (see pagesense index --help)'] });
    const unknownModel = await run('index', 'site', '--model', 'bge-small');
    expect(unknownModel.code).toBe(2);
    expect(unknownModel.err[0]).toMatch(/^pagesense index: unknown model bge-small; use one of Xenova\/bge-small-en-v1\.5, /);
    expect((await run('index')).err).toEqual(['pagesense index: needs a folder: pagesense index <dir>']);
    expect((await run('index', 'site', '--max-tokens', 'lots')).err).toEqual([
      'pagesense index: --max-tokens needs a whole number >= 10, got lots (see pagesense index --help)',
    ]);
    expect((await run('index', 'site', '--dtype', 'int4')).err).toEqual(['pagesense index: --dtype takes one of fp32, fp16, q8, got int4']);
    for (const r of [unknownFlag, unknownModel]) expect(r.err[0]).not.toMatch(/^pagesense[^:]*: pagesense/);
  });

  it('report what failed while running with its code, exit 1', async () => {
    const r = await run('index', join(tmpdir(), 'no-such-site-here'), '--model', MODEL, '--local-model-path', MODELS_ROOT, '--no-allow-remote-models');
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toMatch(/^pagesense index: .*no-such-site-here does not exist; give the folder your site builds into .*\[NOT_FOUND\]$/);
  });
});

describe('pagesense index', () => {
  it('indexes with the new flag names or the old ones, logs progress, and ends with pages, passages, embedded/cached, bytes and seconds', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pagesense-cli-'));
    cpSync('test/fixtures/site', join(work, 'site'), { recursive: true });
    const first = await run(
      'index',
      join(work, 'site'),
      '--model',
      MODEL,
      '--local-model-path',
      MODELS_ROOT,
      '--no-allow-remote-models',
      '--cache-dir',
      join(work, 'c'),
      '--overlap-tokens',
      '8',
    );
    expect(first.code).toBe(0);
    expect(first.err).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^loading pagesense-test\/bert-tiny from /),
        expect.stringMatching(/^3 pages, \d+ passages$/),
        expect.stringMatching(/^embedding \d+ passages$/),
      ]),
    );
    expect(first.out).toHaveLength(1);
    expect(first.out[0]).toMatch(
      /^indexed (\d+) passages from 3 pages into .*site\/pagesense \(\1 embedded, 0 from the cache\) with pagesense-test\/bert-tiny \(fp32\); [\d.]+ MB written in [\d.]+ s$/,
    );
    const manifest = JSON.parse(readFileSync(join(work, 'site', 'pagesense', 'manifest.json'), 'utf8'));
    expect(manifest.passageTokens.overlap).toBe(8);
    // The old names, kept one version: same setup, so everything comes from the cache.
    const again = await run('index', join(work, 'site'), '--model', MODEL, '--models', MODELS_ROOT, '--offline', '--cache', join(work, 'c'), '--overlap', '8');
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(/\(0 embedded, \d+ from the cache\)/);
  }, 120_000);

  it('logs a line at least every few seconds outside a terminal, however slow the tenths come', () => {
    const at: number[] = [];
    let t = 0;
    const lines: string[] = [];
    const progress = embedProgress(
      (l) => {
        lines.push(l);
        at.push(t);
      },
      false,
      () => t,
    );
    progress(0, 1000, 0);
    for (let done = 1; done <= 30; done++) {
      t += 2000; // one passage every 2 s: a tenth would take 200 s
      progress(done, 1000, 0.5);
    }
    expect(lines[0]).toBe('embedding 1000 passages');
    const gaps = at.slice(1).map((x, i) => x - at[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LOG_EVERY_SECONDS * 1000 + 2000);
    expect(lines.at(-1)).toMatch(/^embedding \d+\/1000 passages · 0\.5\/s · ETA \d+ s$/);
  });
});

describe('page assets', () => {
  it('copies exactly the files the build listed for pages, for the widget or for every entry', () => {
    const dist = mkdtempSync(join(tmpdir(), 'pagesense-dist-'));
    mkdirSync(join(dist, 'ort'));
    for (const f of ['widget.js', 'index.js', 'embed.worker.js', 'ort/x.wasm', 'cli.js', 'index.js.map']) writeFileSync(join(dist, f), f);
    writeFileSync(
      join(dist, 'page-files.json'),
      JSON.stringify({ widget: ['widget.js', 'embed.worker.js', 'ort/x.wasm'], all: ['index.js', 'widget.js', 'embed.worker.js', 'ort/x.wasm'] }),
    );
    const target = join(dist, 'out');
    expect(copyPageAssets(target, 'widget', dist)).toEqual({ files: 3, bytes: 'widget.js'.length + 'embed.worker.js'.length + 'ort/x.wasm'.length });
    expect(existsSync(join(target, 'index.js'))).toBe(false);
    copyPageAssets(target, 'all', dist);
    expect(existsSync(join(target, 'index.js'))).toBe(true);
    expect(existsSync(join(target, 'cli.js')) || existsSync(join(target, 'index.js.map'))).toBe(false);
    expect(() => copyPageAssets(target, 'all', mkdtempSync(join(tmpdir(), 'empty-')))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
