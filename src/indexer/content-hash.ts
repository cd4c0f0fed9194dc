// Content hashes for everything the indexer names by what it holds: passages in the
// embedding cache, shard file names and the SHA-256 the manifest lists per shard.
import { createHash } from 'node:crypto';

/** SHA-256 of a string (as UTF-8) or bytes, as 64 hex digits. */
export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
