// Writes a site index folder: content-hashed shards first, the manifest last (so a
// reader never sees a manifest naming files that are not there yet), then removes
// shards an earlier run wrote that the new manifest no longer names.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PASSAGE_SHARD_ROWS, SITE_MANIFEST_FILE, VECTOR_SHARD_ROWS, type SiteManifest, type SitePassage, type SiteShard } from '../core/site-index.ts';
import { sha256 } from './content-hash.ts';
import { writingTo } from './file-errors.ts';
import { SPARSE_FILE, writeSparseFiles, type SparseContents } from './sparse-writer.ts';

const SHARD_FILE = /^(codes|keys|vectors|passages)-[\w-]+\.(i8|f32|json)$/;

function shard(out: string, stem: string, ext: string, data: Uint8Array): SiteShard {
  const hash = sha256(data);
  const file = `${stem}-${hash.slice(0, 16)}.${ext}`;
  writeFileSync(join(out, file), data);
  return { file, bytes: data.byteLength, sha256: hash };
}

export interface SiteIndexContents {
  manifest: Omit<SiteManifest, 'codes' | 'keys' | 'vectors' | 'passages' | 'sparse'>;
  codes: Int8Array;
  vectors: Float32Array;
  passages: SitePassage[];
  /** The learned-sparse side's vectors and what reads them, when --sparse is on. */
  sparse?: SparseContents;
}

/** Writes the folder; WRITE_FAILED naming it when the file system refuses (a full disk, a read-only folder). */
export function writeSiteIndex(out: string, contents: SiteIndexContents): SiteManifest {
  return writingTo(out, () => writeFolder(out, contents));
}

function writeFolder(out: string, contents: SiteIndexContents): SiteManifest {
  mkdirSync(out, { recursive: true });
  const { dimension } = contents.manifest.model;
  const codes = shard(out, 'codes', 'i8', new Uint8Array(contents.codes.buffer, contents.codes.byteOffset, contents.codes.byteLength));
  const vectors: SiteShard[] = [];
  for (let r = 0; r < contents.passages.length; r += VECTOR_SHARD_ROWS) {
    const rows = contents.vectors.subarray(r * dimension, Math.min(contents.passages.length, r + VECTOR_SHARD_ROWS) * dimension);
    vectors.push(shard(out, `vectors-${r / VECTOR_SHARD_ROWS}`, 'f32', new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength)));
  }
  const passages: SiteShard[] = [];
  for (let r = 0; r < contents.passages.length; r += PASSAGE_SHARD_ROWS) {
    const json = JSON.stringify(contents.passages.slice(r, r + PASSAGE_SHARD_ROWS));
    passages.push(shard(out, `passages-${r / PASSAGE_SHARD_ROWS}`, 'json', new TextEncoder().encode(json)));
  }
  const keyList = contents.passages.map((p) => (p.anchor ? `${p.url}#${p.anchor}` : p.url));
  const keys = shard(out, 'keys', 'json', new TextEncoder().encode(JSON.stringify(keyList)));
  const sparse = contents.sparse ? writeSparseFiles(out, contents.sparse) : undefined;
  const manifest: SiteManifest = { ...contents.manifest, codes, keys, vectors, passages, ...(sparse ? { sparse } : {}) };
  writeFileSync(join(out, `${SITE_MANIFEST_FILE}.tmp`), JSON.stringify(manifest, null, 1));
  renameSync(join(out, `${SITE_MANIFEST_FILE}.tmp`), join(out, SITE_MANIFEST_FILE));
  const named = new Set([
    ...[codes, keys, ...vectors, ...passages].map((s) => s.file),
    ...(sparse ? [...Object.values(sparse.vocabulary), ...sparse.postings] : []),
  ]);
  for (const name of readdirSync(out)) if ((SHARD_FILE.test(name) || SPARSE_FILE.test(name)) && !named.has(name)) rmSync(join(out, name));
  return manifest;
}

/** The manifest a previous run left in `out`, if it reads as one (anything else: none). */
export function previousManifest(out: string): SiteManifest | undefined {
  const file = join(out, SITE_MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SiteManifest;
  } catch {
    return undefined;
  }
}

/**
 * Removes the folders a previous run wrote that this one did not: a bundled model
 * (re-indexed without --bundle-model) and Pagefind's index (re-indexed with
 * --no-lexical), so a deployed folder never carries megabytes nothing reads.
 */
export function removeStaleFolders(out: string, previous: SiteManifest | undefined, next: SiteManifest): string[] {
  const stale = [
    previous?.model?.bundled && !next.model.bundled ? previous.model.bundled.path : undefined,
    previous?.lexical && !next.lexical ? previous.lexical.path : undefined,
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  const removed: string[] = [];
  for (const path of stale) {
    const target = resolve(out, path);
    const inside = relative(out, target);
    if (!inside || inside.startsWith('..')) continue; // only ever inside the index folder
    writingTo(target, () => rmSync(target, { recursive: true, force: true }));
    removed.push(path);
  }
  return removed;
}

/** Bytes of every file under `dir`: what a deploy of the index folder uploads. */
export function folderBytes(dir: string): number {
  let bytes = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(join(dir, f));
    if (s.isFile()) bytes += s.size;
  }
  return bytes;
}
