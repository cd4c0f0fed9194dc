import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels, OUT_PATH, renderModule, sharedFlagOffset } from './build-wasm.ts';

describe('build:wasm', () => {
  it('the committed kernels.wasm.ts is what kernels.wat compiles to', async () => {
    const fresh = renderModule(await compileKernels(), await compileKernels(true));
    expect(readFileSync(OUT_PATH, 'utf8')).toBe(fresh);
  });

  it('the shared-memory build is the plain one with one flag set, and anything more is refused', async () => {
    const plain = await compileKernels();
    const shared = await compileKernels(true);
    const at = sharedFlagOffset(plain, shared);
    const patched = plain.slice();
    patched[at] = 0x03;
    expect(patched).toEqual(shared);
    const other = shared.slice();
    other[other.length - 1] = other.at(-1)! ^ 1;
    expect(() => sharedFlagOffset(plain, other)).toThrow(/2 bytes/);
  });
});
