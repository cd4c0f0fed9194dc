// pagesense/vite in a real `vite build` of a small multi-page site.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../scripts/forge/forge.ts';
import { pagesense } from './vite-plugin.ts';

const MODEL = 'pagesense-test/bert-tiny';

describe('pagesense/vite', () => {
  it('indexes the pages `vite build` wrote into outDir/pagesense', async () => {
    forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
    const root = mkdtempSync(join(tmpdir(), 'pagesense-vite-'));
    cpSync('test/fixtures/site', root, { recursive: true });
    await build({
      root,
      logLevel: 'silent',
      build: { outDir: 'dist', rollupOptions: { input: { index: join(root, 'index.html'), lamps: join(root, 'guide/lamps.html') } } },
      plugins: [pagesense({ model: MODEL, localModelPath: MODELS_ROOT, allowRemoteModels: false, cacheDir: join(root, '.cache'), assets: false })],
    });
    const manifest = JSON.parse(readFileSync(join(root, 'dist', 'pagesense', 'manifest.json'), 'utf8'));
    expect(manifest.counts.pages).toBe(2);
    expect(manifest.model.id).toBe(MODEL);
    expect(existsSync(join(root, 'dist', 'pagesense', 'pagefind', 'pagefind.js'))).toBe(true);
  }, 120_000);

  it('checks its options when the config is read, not after the build', () => {
    expect(() => pagesense({ asset: false } as never)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_OPTION', message: expect.stringContaining('did you mean "assets"') }),
    );
    expect(() => pagesense({ assets: 3 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('assets') }));
    expect(() => pagesense({ lexical: 'yes' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => pagesense({ assets: false, out: 'search' })).not.toThrow();
  });
});
