// A search index's open, as the IndexedDB store does it: the vector file's blocks
// straight into the sink's shared memory (or in handed-over chunks), the rest from
// the database; and from the database alone, from the first block, when the file
// turns out damaged (NaN in it: stored rows are checked when written).
import { isPagesenseError } from '../core/errors.ts';
import type { CollectionManifest } from '../core/manifest.ts';
import type { BlockRead, BlockReadOptions } from './block-reader.ts';
import type { RowSink, VectorBlock } from './vector-store.ts';

export async function loadInto(
  read: (options: BlockReadOptions) => Promise<BlockRead>,
  sink: RowSink,
  codes: boolean,
): Promise<{ manifest: CollectionManifest; snapshot: string }> {
  let begun = false;
  const begin = (manifest: CollectionManifest, rows: number) => {
    if (!begun) sink.begin(manifest, rows);
    begun = true;
  };
  const reader = await read({
    codes,
    mirror: true,
    fileTarget: (manifest, rawRows, totalRows) => {
      begin(manifest, totalRows);
      return sink.sharedRegion(rawRows);
    },
  });
  begin(reader.manifest, reader.rows);
  let blocks = reader.blocks;
  if (reader.file) {
    const prefix = await reader.file.read();
    blocks = reader.blocksFrom(prefix && sink.commitShared(prefix.ids, prefix.positions) ? reader.file.blocks : 0);
  }
  const fill = async (from: AsyncIterable<VectorBlock>) => {
    for await (const block of from) sink.add(block);
  };
  try {
    await fill(blocks);
  } catch (err) {
    // NaN from the vector file's chunks: the database's blocks instead, from the start.
    // Should the database's own blocks hold one, this read throws it again.
    if (!(blocks === reader.blocks && isPagesenseError(err, 'NON_FINITE_VECTOR'))) throw err;
    sink.reset();
    await fill(reader.blocksFrom(0));
  }
  return { manifest: reader.manifest, snapshot: reader.snapshot };
}
