import { describe, expect, it } from 'vitest';
import { assertCompatible, assertManifest, createManifest, type EmbeddingSpec } from './manifest.ts';

const spec: EmbeddingSpec = { modelId: 'a/b', revision: 'main', dimension: 384, pooling: 'cls', normalized: true, queryInstruction: '' };

describe('manifest', () => {
  it('accepts the same embedding setup', () => {
    expect(() => assertCompatible(spec, { ...spec }, 'c')).not.toThrow();
  });

  it('refuses another model and names every field that differs', () => {
    try {
      assertCompatible(spec, { ...spec, modelId: 'x/y', dimension: 1024 }, 'docs');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('MODEL_MISMATCH');
      expect((e as Error).message).toMatch(/modelId: stored "a\/b", requested "x\/y"/);
      expect((e as Error).message).toMatch(/dimension: stored 384, requested 1024/);
      expect((e as Error).message).toContain('"docs"');
    }
  });

  it('rejects foreign or future-version records as CORRUPT_INDEX', () => {
    expect(() => assertManifest({ hello: 1 }, 'x')).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
    expect(() => assertManifest({ ...createManifest('n', spec, 0), schemaVersion: 99 }, 'x')).toThrow(/schema version 99/);
    expect(() => assertManifest(createManifest('n', spec, 0), 'x')).not.toThrow();
  });
});
