import { describe, expect, it } from 'vitest';
import { createError } from '../core/errors.ts';
import { outOfMemory } from './out-of-memory.ts';

describe('outOfMemory', () => {
  it('names the shapes onnxruntime-web fails with when memory runs out', () => {
    const shapes: unknown[] = [
      new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'),
      new RangeError('Out of memory'),
      new Error('std::bad_alloc'),
      new Error('failed to allocate a buffer of size 4294967296'),
      new Error('RuntimeError: Aborted(). Build with -sASSERTIONS for more info.'),
      'abort(undefined)',
      2097581304,
    ];
    for (const s of shapes) {
      const e = outOfMemory(s, 'embedding 4 texts');
      expect(e?.code, String(s)).toBe('OUT_OF_MEMORY');
      expect(e?.message).toContain('embedding 4 texts');
    }
  });

  it('leaves other errors alone, our own typed ones included', () => {
    expect(outOfMemory(new Error('protobuf parsing failed'), 'x')).toBeUndefined();
    expect(outOfMemory(new TypeError('input must be a string'), 'x')).toBeUndefined();
    expect(outOfMemory(createError('CANCELLED', 'out of memory? no, cancelled'), 'x')).toBeUndefined();
  });
});
