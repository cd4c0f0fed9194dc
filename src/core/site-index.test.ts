import { describe, expect, it } from 'vitest';
import { assertSiteManifest, SITE_INDEX_FORMAT, SITE_INDEX_VERSION } from './site-index.ts';

const good = {
  format: SITE_INDEX_FORMAT,
  formatVersion: SITE_INDEX_VERSION,
  model: { id: 'm', dimension: 4, dtype: 'fp32', pooling: 'cls' },
  codes: { file: 'codes-x.i8' },
  keys: { file: 'keys-x.json' },
  vectors: [],
  passages: [],
};

describe('assertSiteManifest', () => {
  it('accepts a manifest of this format and version', () => {
    expect(assertSiteManifest(good, '/pagesense/manifest.json')).toBe(good);
  });

  it('refuses another format, another version, or a manifest missing its shards, naming the file', () => {
    expect(() => assertSiteManifest({ ...good, format: 'pagefind' }, '/x/manifest.json')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_INDEX', message: expect.stringContaining('/x/manifest.json is not a pagesense site index') }),
    );
    expect(() => assertSiteManifest({ ...good, formatVersion: 2 }, '/x/manifest.json')).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED',
        message: expect.stringMatching(/\/x\/manifest\.json has site index format 2; this pagesense reads format 1\. Run `pagesense index` again/),
      }),
    );
    expect(() => assertSiteManifest({ ...good, keys: undefined }, '/x/manifest.json')).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
    expect(() => assertSiteManifest(null, 'm.json')).toThrow(expect.objectContaining({ code: 'CORRUPT_INDEX' }));
  });

  it('refuses a model dtype or pooling the page cannot load, instead of passing it on to the runtime', () => {
    expect(() => assertSiteManifest({ ...good, model: { ...good.model, dtype: 'int3' } }, '/x/manifest.json')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_INDEX', message: expect.stringContaining('dtype "int3"') }),
    );
    expect(() => assertSiteManifest({ ...good, model: { ...good.model, pooling: 'max' } }, '/x/manifest.json')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_INDEX' }),
    );
  });
});
