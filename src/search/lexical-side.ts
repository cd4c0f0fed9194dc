// The lexical index beside a collection's vectors (BM25 over title and text, see
// core/lexical-index.ts). It is derived from the stored documents, so it can never
// hold a batch the store does not. The first search after an open loads the index
// saved for the collection's current state (store.getDerived), or, when there is
// none (the collection changed since, or it was never saved), builds it from the
// documents and saves it for that state; this tab's writes then keep it in step in
// memory, and a re-read of the collection (another tab's write, a compaction, an
// import) builds it again. A saved index is only ever used for the exact state it
// was built from, so a crash can leave it stale, never wrong. The engine (MiniSearch,
// the stemmer) is a chunk of its own, fetched the first time a search needs it.
import type { LexicalIndex } from '../core/lexical-index.ts';
import type { DocumentInput, VectorStore } from '../storage/vector-store.ts';
import type { CollectionScan } from './collection-scan.ts';

const READ_CHUNK = 512;
const SAVED_KEY = 'lexical';

function tryLoad(load: () => LexicalIndex): LexicalIndex | undefined {
  try {
    return load();
  } catch {
    return undefined; // another format or damaged: built from the documents instead
  }
}

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
    const { createLexicalIndex, loadLexicalIndex } = await import('../core/lexical-index.ts');
    // Read before the documents: a write that lands while they are read moves the stamp on, and the save is refused.
    const saved = await this.store.getDerived?.(this.name, SAVED_KEY).catch(() => undefined);
    let index = saved?.value === undefined ? undefined : tryLoad(() => loadLexicalIndex(saved.value!));
    // Belt and braces: a snapshot that does not hold exactly the collection's documents is not used.
    if (index && index.size !== ids.length) index = undefined;
    const fromSaved = index !== undefined;
    if (!index) {
      index = createLexicalIndex();
      for (let i = 0; i < ids.length; i += READ_CHUNK) {
        const docs = await this.store.getDocuments(this.name, ids.slice(i, i + READ_CHUNK));
        index.add(docs.flatMap((d) => (d ? [{ id: d.id, text: d.text, ...(d.title === undefined ? {} : { title: d.title }) }] : [])));
      }
    }
    // A write or a re-read while the documents were read: what was read may be stale, read again.
    if (loads !== this.scan.loads || writes !== this.writes) return this.build();
    this.index = index;
    this.builtFor = loads;
    if (!fromSaved && saved && ids.length > 0) this.save(index, saved.stamp);
    return index;
  }

  /**
   * Saves the index for the state `stamp` names, after the search that built it has
   * answered (serializing a large index takes a while). The store refuses it if the
   * collection moved on meanwhile; writes here only happen after the store's, so the
   * index never holds a document that state lacks.
   */
  private save(index: LexicalIndex, stamp: string): void {
    const writes = this.writes;
    setTimeout(() => {
      if (this.index !== index || this.writes !== writes || !this.store.putDerived) return;
      // A store closed meanwhile throws before it returns a promise: either way the save is dropped.
      Promise.resolve()
        .then(() => this.store.putDerived!(this.name, SAVED_KEY, stamp, index.serialize()))
        .catch(() => false);
    }, 0);
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
