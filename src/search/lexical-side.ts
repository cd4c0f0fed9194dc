// The lexical index beside a collection's vectors (BM25 over title and text, see
// core/lexical-index.ts). It is derived from the stored documents, so it can never
// hold a batch the store does not: it is built from them on first use, kept in step
// by this tab's writes, and built again after the collection was re-read (another
// tab's write, a compaction, an import). The engine (MiniSearch, the stemmer) is a
// chunk of its own, fetched the first time a search needs it.
import type { LexicalIndex } from '../core/lexical-index.ts';
import type { DocumentInput, VectorStore } from '../storage/vector-store.ts';
import type { CollectionScan } from './collection-scan.ts';

const READ_CHUNK = 512;

export class LexicalSide {
  private index: LexicalIndex | undefined;
  private building: Promise<LexicalIndex> | undefined;
  private builtFor = -1; // the scan load it was built from
  private writes = 0;

  constructor(
    private readonly store: VectorStore,
    private readonly name: string,
    private readonly scan: CollectionScan,
  ) {}

  /** The index for the collection as it is now; the first call (and the first after a re-read) reads every document. */
  async ready(): Promise<LexicalIndex> {
    if (this.index && this.builtFor === this.scan.loads) return this.index;
    this.building ??= this.build().finally(() => (this.building = undefined));
    return this.building;
  }

  private async build(): Promise<LexicalIndex> {
    const loads = this.scan.loads;
    const writes = this.writes;
    const ids = [...this.scan.allIds()];
    // Loaded on first use: a page that only ever searches by vector never downloads the lexical engine.
    const { createLexicalIndex } = await import('../core/lexical-index.ts');
    const index = createLexicalIndex();
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      const docs = await this.store.getDocuments(this.name, ids.slice(i, i + READ_CHUNK));
      index.add(docs.flatMap((d) => (d ? [{ id: d.id, text: d.text, ...(d.title === undefined ? {} : { title: d.title }) }] : [])));
    }
    // A write or a re-read while the documents were read: what was read may be stale, read again.
    if (loads !== this.scan.loads || writes !== this.writes) return this.build();
    this.index = index;
    this.builtFor = loads;
    return index;
  }

  /** Documents just stored (replacing any with the same ids). */
  put(docs: readonly DocumentInput[]): void {
    this.writes++;
    if (!this.index) return; // built from the store when first needed, these included
    this.index.remove(docs.map((d) => d.id));
    this.index.add(docs.map((d) => ({ id: d.id, text: d.text, ...(d.title === undefined ? {} : { title: d.title }) })));
  }

  remove(ids: readonly string[]): void {
    this.writes++;
    this.index?.remove(ids);
  }
}
