// createSiteSearch's options and search's, checked at the door like createPagesense's.
import { describe, expect, it } from 'vitest';
import { createSiteSearch, SITE_SEARCH_OPTIONS } from './site-search.ts';

describe('createSiteSearch options', () => {
  it('refuses a misspelt option, naming the one meant and listing the rest', () => {
    expect(() => createSiteSearch({ indx: '/pagesense/' } as never)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_OPTION', message: expect.stringContaining('"indx" (did you mean "index"?)') }),
    );
    expect(() => createSiteSearch({ localModelPath: 3 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'createSiteSearch: localModelPath must be a string, got 3' }),
    );
    expect(() => createSiteSearch({ allowRemoteModels: 'no' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(SITE_SEARCH_OPTIONS).toEqual(['index', 'localModelPath', 'allowRemoteModels', 'onStatus']);
  });

  it("refuses a search limit that is not a whole number of pages, before fetching anything", async () => {
    const site = createSiteSearch({ index: 'https://docs.test/pagesense/' });
    await expect(site.search('lamps', { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('limit') });
    await expect(site.search('lamps', { limt: 3 } as never)).rejects.toMatchObject({ code: 'UNKNOWN_OPTION' });
  });
});
