// The collections this origin keeps in IndexedDB: size, model, a delete button
// each; export of the current one as a file and import of such a file.
import { storageReport, type SearchIndex, type VectorStore } from '../index.ts';
import { byId, download, el, formatBytes } from './elements.ts';

interface CollectionsHooks {
  store: VectorStore;
  index: SearchIndex;
  modelId: string;
  showError(err: unknown): void;
  clearError(): void;
  /** The current collection changed (cleared, deleted, imported). */
  changed(): void;
}

export interface CollectionsPanel {
  refresh(): Promise<void>;
}

export function setupCollectionsPanel(hooks: CollectionsHooks): CollectionsPanel {
  const { store, index } = hooks;
  const list = byId('collections');

  const refresh = async () => {
    const [collections, report] = await Promise.all([store.listCollections(), storageReport()]);
    list.replaceChildren(
      ...collections.map((m) => {
        const current = m.name === index.manifest.name;
        // float32 rows, plus one byte per dimension per row for int8 collections.
        const vectorBytes = m.vectorCount * m.dimension * (4 + (m.quantization === 'int8' ? 1 : 0));
        const remove = el('button', { type: 'button', class: 'danger', 'aria-label': `Delete collection ${m.name}` }, 'Delete');
        remove.addEventListener('click', async () => {
          hooks.clearError();
          try {
            if (current) await index.clear();
            else await store.clear(m.name);
            hooks.changed();
            await refresh();
          } catch (err) {
            hooks.showError(err);
          }
        });
        return el(
          'li',
          { class: current ? 'current' : undefined },
          el('span', { class: 'collection-name' }, m.name),
          el(
            'span',
            { class: 'muted' },
            ` ${m.documentCount} passages · ${m.modelId} · ${m.dimension} dims · ${formatBytes(vectorBytes)} of vectors${current ? ' · open here' : ''}`,
          ),
          ' ',
          remove,
        );
      }),
    );
    if (!collections.length) list.replaceChildren(el('li', { class: 'muted' }, 'No collections stored yet.'));
    if (store.dataLost) {
      byId('storage-status').textContent = `Storage: ${store.dataLost}.`;
    } else if (store.inMemoryBecause) {
      byId('storage-status').textContent = `Storage: this visit only. ${store.inMemoryBecause}.`;
    } else if (report) {
      byId('storage-status').textContent =
        `Storage: ${formatBytes(report.usage)} used of ${formatBytes(report.quota)} · ${report.persisted ? 'persistent' : 'may be evicted under storage pressure'}`;
    }
  };

  byId('export').addEventListener('click', async () => {
    try {
      const bytes = await index.exportFile();
      download(`${hooks.modelId.replace(/[^\w.-]+/g, '_')}.pagesense`, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    } catch (err) {
      hooks.showError(err);
    }
  });
  byId<HTMLInputElement>('import-input').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    hooks.clearError();
    try {
      await index.importFile(new Uint8Array(await file.arrayBuffer()));
      hooks.changed();
      await refresh();
    } catch (err) {
      hooks.showError(err);
    }
  });
  return { refresh };
}
