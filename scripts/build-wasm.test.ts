import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels, OUT_PATH, renderModule } from './build-wasm.ts';

describe('build:wasm', () => {
  it('the committed kernels.wasm.ts is what kernels.wat compiles to', async () => {
    const fresh = renderModule(await compileKernels(), await compileKernels(true));
    expect(readFileSync(OUT_PATH, 'utf8')).toBe(fresh);
  });
});
