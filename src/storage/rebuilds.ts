// Blue-green rebuilds: a staging collection is filled beside the live one (which
// keeps answering), then the name is switched over in one transaction. Compaction
// (a rebuild from the stored vectors, no re-embedding), import and reindex use it;
// export reads the live rows into one portable file.
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import { decodeIndexFile, encodeIndexFile } from '../core/index-file.ts';
import { assertManifest, pickSpec, type CollectionManifest, type EmbeddingSpec } from '../core/manifest.ts';
import { REBUILD_SUFFIX, type CollectionRecord, type WriteTx } from './idb-schema.ts';
import type { CollectionOptions, StoredDocument, VectorStore } from './vector-store.ts';

/** What a rebuild needs from the store beyond its public verbs. */
export interface RebuildOps {
  write<T>(action: string, body: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** Creates a collection; `fresh` replaces one that exists (retiring its data). */
  create(name: string, spec: EmbeddingSpec, fresh: boolean, options?: CollectionOptions): Promise<CollectionManifest>;
  announce(name: string): void;
}

type Store = Pick<VectorStore, 'getManifest' | 'clear' | 'readVectors' | 'getDocuments' | 'append' | 'loadVectors'> & { purgeRetired(): Promise<void> };

export class Rebuilds {
  constructor(
    private readonly store: Store,
    private readonly ops: RebuildOps,
  ) {}

  async begin(name: string, spec: EmbeddingSpec, options: CollectionOptions = {}): Promise<string> {
    const staging = name + REBUILD_SUFFIX;
    const quantization = options.quantization ?? (await this.store.getManifest(name))?.quantization ?? 'none';
    await this.ops.create(staging, spec, true, { quantization });
    await this.store.purgeRetired();
    return staging;
  }

  commit(name: string): Promise<CollectionManifest> {
    return this.switchTo(name, undefined);
  }

  async abort(name: string): Promise<void> {
    await this.store.clear(name + REBUILD_SUFFIX);
  }

  /** `expectVersion`: refuse (CONFLICT) when the live collection was written since that version, so no write is lost. */
  private async switchTo(name: string, expectVersion: number | undefined): Promise<CollectionManifest> {
    const staging = name + REBUILD_SUFFIX;
    const manifest = await this.ops.write(`switch collection "${name}" to its rebuild`, async (tx) => {
      const next = await tx.objectStore('collections').get(staging);
      if (!next) throw ERROR_MESSAGES.collectionNotFound(staging);
      assertManifest(next.manifest, `collection "${staging}"`);
      const live = await tx.objectStore('collections').get(name);
      if (expectVersion !== undefined && live?.version !== expectVersion) {
        throw createError('CONFLICT', `collection "${name}" changed while it was being compacted; nothing was switched, try again`);
      }
      const createdAt = live?.manifest.createdAt ?? next.manifest.createdAt;
      const switched: CollectionRecord = { ...next, name, manifest: { ...next.manifest, name, createdAt, updatedAt: Date.now() } };
      await tx.objectStore('collections').put(switched);
      await tx.objectStore('collections').delete(staging);
      if (live) await tx.objectStore('retired').put({ physical: live.physical });
      return switched.manifest;
    });
    this.ops.announce(name);
    await this.store.purgeRetired();
    return manifest;
  }

  /** Runs `fill` into a fresh staging collection, then switches; a failure leaves the live collection as it was. */
  private async rebuild(name: string, spec: EmbeddingSpec, options: CollectionOptions, fill: (staging: string) => Promise<void>, expectVersion?: number) {
    const staging = await this.begin(name, spec, options);
    try {
      await fill(staging);
      return await this.switchTo(name, expectVersion);
    } catch (err) {
      await this.abort(name).catch(() => undefined);
      throw err;
    }
  }

  /** The live rows, block by block, into a staging collection (no re-embedding); null when under `minDeadFraction` of the rows are dead. */
  async compact(rec: CollectionRecord, minDeadFraction: number): Promise<CollectionManifest | null> {
    const name = rec.name;
    const total = rec.manifest.vectorCount + rec.deadRows;
    if (rec.deadRows === 0 || rec.deadRows < minDeadFraction * total) return null;
    // Other tabs read the old blocks meanwhile.
    return this.rebuild(
      name,
      pickSpec(rec.manifest),
      { quantization: rec.manifest.quantization },
      async (staging) => {
        const reader = await this.store.readVectors(name);
        for await (const block of reader.blocks) {
          if (!('vectors' in block)) throw createError('CORRUPT_INDEX', `collection "${name}": codes where float rows were asked for`);
          const docs = await this.store.getDocuments(name, block.ids);
          await this.store.append(staging, bodies(name, block.ids, docs), block.vectors);
        }
      },
      rec.version,
    );
  }

  async exportFile(rec: CollectionRecord): Promise<Uint8Array> {
    const { ids, vectors } = await this.store.loadVectors(rec.name);
    const docs = await this.store.getDocuments(rec.name, ids);
    return encodeIndexFile({ manifest: rec.manifest, vectors, documents: bodies(rec.name, ids, docs) });
  }

  async importFile(name: string, file: Uint8Array): Promise<CollectionManifest> {
    const contents = decodeIndexFile(file); // everything is validated before the first write
    // The file carries float rows; how this site stores them (float32 only, or with int8 codes) stays its own choice.
    const quantization = (await this.store.getManifest(name))?.quantization ?? contents.manifest.quantization;
    return this.rebuild(name, pickSpec(contents.manifest), { quantization }, async (staging) => {
      await this.store.append(staging, contents.documents, contents.vectors);
    });
  }
}

/** The documents of a block's ids without their collection field; a missing one means the records disagree. */
function bodies(name: string, ids: readonly string[], docs: readonly (StoredDocument | undefined)[]) {
  return docs.map((d, i) => {
    if (!d) throw createError('CORRUPT_INDEX', `collection "${name}": vector ${ids[i]} has no document`);
    const { collection: _c, ...doc } = d;
    return doc;
  });
}
