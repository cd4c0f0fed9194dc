import { describe, expect, it } from 'vitest';
import { makeData } from '../../../test/helpers/seeded-vectors.ts';
import { matrixProduct } from './matrix-product.ts';

function naiveProduct(a: Float32Array, ar: number, b: Float32Array, br: number, dim: number): Float32Array {
  const out = new Float32Array(ar * br);
  for (let i = 0; i < ar; i++)
    for (let j = 0; j < br; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) s += a[i * dim + t]! * b[j * dim + t]!;
      out[i * br + j] = s;
    }
  return out;
}

describe('matrixProduct', () => {
  for (const backend of ['wasm-simd', 'js'] as const) {
    it(`matches a naive triple loop on odd shapes (${backend})`, () => {
      // 7 rows (not a multiple of 4), 37 dimensions (not a multiple of 16).
      for (const [ar, br, dim] of [
        [7, 13, 37],
        [1, 1, 3],
        [9, 130, 384],
      ] as const) {
        const a = makeData('random', ar, 0, dim, 11).corpus;
        const b = makeData('random', br, 0, dim, 12).corpus;
        const got = matrixProduct({ data: a, rows: ar, dim }, { data: b, rows: br, dim }, backend);
        expect(got.rows).toBe(ar);
        expect(got.dim).toBe(br);
        const want = naiveProduct(a, ar, b, br, dim);
        for (let i = 0; i < want.length; i++) expect(got.data[i]).toBeCloseTo(want[i]!, 4);
      }
    });
  }

  it('refuses rows of different dimensions', () => {
    expect(() => matrixProduct({ data: new Float32Array(4), rows: 1, dim: 4 }, { data: new Float32Array(3), rows: 1, dim: 3 })).toThrow(/dimensions differ/);
  });
});
