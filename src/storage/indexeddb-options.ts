// The options of openIndexedDBStore (createPagesense passes its own through).

export interface IndexedDBStoreOptions {
  /** Database name. Default 'pagesense'. */
  databaseName?: string;
  /** Called when another tab needs a newer schema; this connection closes itself first so that tab is not blocked. */
  onVersionChange?: () => void;
  /**
   * Also keep each float32 collection's full blocks in one file in the Origin
   * Private File System, which a worker reads in one go: straight into the search
   * index's shared memory on cross-origin isolated pages (100k x 384 opens in about
   * 0.6 of the time), as one handed-over buffer elsewhere (about 0.8). Costs the
   * vector bytes a second time on disk. IndexedDB stays the record: blocks are copied
   * in the background after the commit that sealed them (or by an open that found
   * them missing), and a missing, locked or damaged file just means the blocks are
   * read from IndexedDB. Needs OPFS and module workers; int8 collections do not use
   * it. Default true.
   */
  vectorFiles?: boolean | VectorFileOptions;
}

export interface VectorFileOptions {
  /**
   * Collections with fewer rows open from IndexedDB even when their file is there:
   * below about 16k rows reading a few blocks is as fast as starting the file's
   * worker (~15 ms). Their blocks are still copied, ready for when they grow.
   * Default 16384.
   */
  minRows?: number;
}
