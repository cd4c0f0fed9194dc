// The package's version, from package.json: what `pagesense --version` prints and what
// a site index manifest records as the pagesense that wrote it.
import pkg from '../package.json' with { type: 'json' };

export const PAGESENSE_VERSION: string = pkg.version;
