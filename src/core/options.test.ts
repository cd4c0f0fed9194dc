import { describe, expect, it } from 'vitest';
import { createFlatIndex } from './kernel/flat-index.ts';
import { assertKnownOptions } from './options.ts';

describe('options checks', () => {
  it('names the unknown option, suggests the near one and lists the allowed ones', () => {
    let err: { code?: string; message?: string; details?: { unknown: string[] } } | undefined;
    try {
      assertKnownOptions({ colection: 'x', model: 'y' }, ['model', 'collection'], 'createPagesense');
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.code).toBe('UNKNOWN_OPTION');
    expect(err?.message).toBe('createPagesense: unknown option "colection" (did you mean "collection"?). Allowed: model, collection');
    expect(err?.details?.unknown).toEqual(['colection']);
  });

  it('accepts undefined (all defaults) and refuses what is not a plain object', () => {
    expect(() => assertKnownOptions(undefined, ['a'], 'f')).not.toThrow();
    for (const bad of [null, 'a', 3, ['a']]) expect(() => assertKnownOptions(bad, ['a'], 'f')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('createFlatIndex rejects a misspelt option instead of using its default', () => {
    expect(() => createFlatIndex({ dimension: 4, precison: 'int8' } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
    expect(() => createFlatIndex(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
