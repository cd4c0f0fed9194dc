import { describe, expect, it } from 'vitest';
import { isPagesenseError } from './errors.ts';
import { assertVectors, normalizeRows } from './vectors.ts';

describe('normalizeRows', () => {
  it('scales every row to unit length', () => {
    const v = normalizeRows(Float32Array.of(3, 4, 0, 0, 0, 5, 1, 1, 1, 1, 1, 1), 4);
    for (let r = 0; r < 3; r++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += v[r * 4 + j]! ** 2;
      expect(s).toBeCloseTo(1, 6);
    }
    expect(v[0]).toBeCloseTo(0.6, 6);
  });

  it('leaves a zero row zero, never NaN', () => {
    const v = normalizeRows(new Float32Array(6), 3);
    expect(Array.from(v)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('normalizes rows whose squares overflow float range', () => {
    const v = normalizeRows(Float32Array.of(3e38, 3e38), 2);
    expect(v[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Number.isNaN(v[1])).toBe(false);
  });
});

describe('assertVectors', () => {
  it('names the row holding NaN or Infinity', () => {
    try {
      assertVectors(Float32Array.of(1, 2, 3, NaN), 2);
      expect.unreachable();
    } catch (e) {
      expect(isPagesenseError(e, 'NON_FINITE_VECTOR')).toBe(true);
      expect((e as Error).message).toContain('row 1');
    }
    expect(() => assertVectors(Float32Array.of(Infinity, 0), 2)).toThrow(/row 0/);
  });

  it('rejects a length that is not a multiple of the dimension', () => {
    expect(() => assertVectors(new Float32Array(5), 2)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('counts rows of valid data', () => {
    expect(assertVectors(new Float32Array(12), 4)).toBe(3);
  });
});
