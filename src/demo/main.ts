// The demo page: pick a model, index documents, search. Every document string
// reaches the DOM through textContent, never innerHTML: documents are untrusted.
import {
  chunkText,
  createSearchIndex,
  createWorkerEmbedder,
  DEFAULT_MODEL_ID,
  findModel,
  isPagesenseError,
  MODELS,
  openIndexedDBStore,
  requestPersistence,
  storageReport,
  type DocumentInput,
  type Embedder,
  type Progress,
  type SearchIndex,
} from '../index.ts';
import { SAMPLE_DOCUMENTS } from './sample-corpus.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const modelId = findModel(params.get('model') ?? '') ? params.get('model')! : DEFAULT_MODEL_ID;
const device = (['auto', 'wasm', 'webgpu'] as const).find((d) => d === params.get('device')) ?? 'auto';

/** Read by the e2e tests; also handy in the console. */
const demoState = { ready: false, passagesEmbedded: 0, lastSearchMs: NaN, searchesRendered: 0, searchedCount: 0, renderedQuery: '', error: '' as string };
(globalThis as { pagesenseDemo?: typeof demoState }).pagesenseDemo = demoState;

function showError(err: unknown): void {
  const box = $('error');
  const code = isPagesenseError(err) ? `[${err.code}] ` : '';
  box.textContent = code + String((err as Error)?.message ?? err);
  box.hidden = false;
  demoState.error = box.textContent;
}

function setupModelPicker(): void {
  const select = $<HTMLSelectElement>('model-select');
  for (const m of Object.values(MODELS)) {
    const opt = document.createElement('option');
    opt.value = m.id;
    opt.textContent = m.generated ? `${m.id} (generated, for tests)` : m.id;
    select.append(opt);
  }
  select.value = modelId;
  $<HTMLSelectElement>('device-select').value = device;
  const reload = () => {
    const next = new URL(location.href);
    next.searchParams.set('model', select.value);
    next.searchParams.set('device', $<HTMLSelectElement>('device-select').value);
    location.href = next.href;
  };
  select.addEventListener('change', reload);
  $('device-select').addEventListener('change', reload);
}

function progressReporter(label: string) {
  const bar = $<HTMLProgressElement>('progress');
  const status = $('index-status');
  return (p: Progress) => {
    if (p.status === 'download') {
      bar.hidden = false;
      bar.max = p.total || 1;
      bar.value = p.loaded;
      $('model-status').textContent = `Downloading ${p.file}: ${(p.loaded / 1e6).toFixed(1)} MB${p.total ? ` of ${(p.total / 1e6).toFixed(1)} MB` : ''}`;
    } else if (p.status === 'embed' || p.status === 'store') {
      bar.hidden = false;
      bar.max = p.total;
      bar.value = p.done;
      status.textContent =
        p.status === 'embed'
          ? `${label}: embedded ${p.done} of ${p.total} passages (${p.textsPerSecond.toFixed(1)}/s)`
          : `${label}: saved ${p.done} of ${p.total} passages`;
    } else if (p.status === 'load') {
      $('model-status').textContent = `Loading ${p.modelId} on ${p.device}…`;
    }
  };
}

function countingEmbedder(inner: Embedder): Embedder {
  return {
    info: inner.info,
    embed(texts, kind, onProgress, options) {
      if (kind === 'passage') demoState.passagesEmbedded += texts.length;
      // The options carry the AbortSignal: Stop must reach the model between batches.
      return inner.embed(texts, kind, onProgress, options);
    },
    dispose: () => inner.dispose(),
  };
}

function renderResults(hits: Awaited<ReturnType<SearchIndex['search']>>): void {
  const list = $('results');
  list.replaceChildren(
    ...hits.map((h) => {
      const li = document.createElement('li');
      li.className = 'hit';
      li.dataset['id'] = h.id;
      const title = document.createElement('span');
      title.className = 'hit-title';
      title.textContent = h.title ?? h.id;
      const score = document.createElement('span');
      score.className = 'hit-score';
      score.textContent = h.score.toFixed(4);
      // Which side found it: lexical (BM25), semantic (the model), or both, with its rank there.
      const side = document.createElement('span');
      side.className = 'hit-side';
      const where = [
        h.sources.lexical && `lexical #${h.sources.lexical.rank}`,
        h.sources.vector && `semantic #${h.sources.vector.rank} (cosine ${h.sources.vector.score.toFixed(3)})`,
      ];
      side.textContent = h.foundBy === 'both' ? `both: ${where.filter(Boolean).join(', ')}` : where.filter(Boolean).join(', ');
      const text = document.createElement('p');
      text.className = 'hit-text';
      text.textContent = h.text.length > 320 ? `${h.text.slice(0, 320)}…` : h.text;
      li.append(title, score, side, text);
      return li;
    }),
  );
}

function filesToDocuments(name: string, content: string): DocumentInput[] {
  return chunkText(content).map((p, i) => ({
    id: `${name}#${i}`,
    title: p.heading ? `${name} › ${p.heading}` : name,
    text: p.text,
    url: p.anchor ? `${name}#${p.anchor}` : name,
  }));
}

async function main(): Promise<void> {
  setupModelPicker();
  const spec = findModel(modelId)!;
  $('generated-warning').hidden = !spec.generated;
  const embedder = countingEmbedder(await createWorkerEmbedder({ model: modelId, device, onProgress: progressReporter('Model') }));
  const info = embedder.info;
  $('model-status').textContent = `Model: ${info.modelId} · ${info.dimension} dimensions · ${info.device} (${info.dtype}) — ${info.deviceReason}`;
  $('progress').hidden = true;

  const store = await openIndexedDBStore({ onVersionChange: () => showError(new Error('The index was upgraded in another tab; reload this page.')) });
  const showStorage = async () => {
    const r = await storageReport();
    if (r)
      $('storage-status').textContent =
        `Storage: ${(r.usage / 1e6).toFixed(1)} MB used of ${(r.quota / 1e6).toFixed(0)} MB · ${r.persisted ? 'persistent' : 'may be evicted under storage pressure'}`;
  };
  const indexStatus = () => {
    $('index-status').textContent = `${index.count()} passages indexed (stored in IndexedDB, collection "${index.manifest.name}")`;
    void showStorage();
  };
  const index = await createSearchIndex({ embedder, store, collection: `demo:${modelId}`, onExternalChange: () => indexStatus() });
  indexStatus();

  // Stale searches are dropped: only the newest query's results are rendered.
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const runSearch = async () => {
    const q = $<HTMLInputElement>('query').value;
    const mine = ++generation;
    if (!q.trim()) return renderResults([]);
    const t0 = performance.now();
    const searched = index.count();
    try {
      const hits = await index.search(q, { k: 10 });
      if (mine !== generation) return;
      demoState.lastSearchMs = performance.now() - t0;
      renderResults(hits);
      demoState.searchedCount = searched;
      demoState.renderedQuery = q;
      demoState.searchesRendered++;
      $('search-status').textContent = `${hits.length} results in ${demoState.lastSearchMs.toFixed(0)} ms`;
    } catch (err) {
      if (mine === generation) showError(err);
    }
  };
  /** Searches the current query again (new rows landed), unless one is already waiting to run. */
  const refreshSearch = () => {
    if ($<HTMLInputElement>('query').value.trim() && timer === undefined)
      timer = setTimeout(() => {
        timer = undefined;
        void runSearch();
      }, 50);
  };

  const controls = ['load-sample', 'file-input', 'clear', 'add-paste', 'query', 'export', 'import-input'].map((id) => $<HTMLInputElement>(id));
  const setBusy = (busy: boolean) => controls.forEach((c) => (c.disabled = busy && c.id !== 'query'));
  let running: AbortController | null = null;
  $('stop').addEventListener('click', () => running?.abort());
  const addDocs = async (docs: DocumentInput[], label: string) => {
    setBusy(true);
    $('error').hidden = true;
    running = new AbortController();
    $('stop').hidden = false;
    try {
      void requestPersistence();
      const report = progressReporter(label);
      // A query typed while indexing runs is searched again as each batch lands.
      const onProgress = (p: Progress) => {
        report(p);
        if (p.status === 'store') refreshSearch();
      };
      const r = await index.add(docs, { onProgress, signal: running.signal });
      indexStatus();
      refreshSearch();
      if (r.skipped.length) $('index-status').textContent += ` · ${r.skipped.length} already indexed`;
      if (r.truncated.length) $('index-status').textContent += ` · ${r.truncated.length} cut at the model's token limit`;
    } catch (err) {
      if (isPagesenseError(err, 'CANCELLED')) {
        indexStatus();
        $('index-status').textContent += ' · stopped; run the same import again to resume';
      } else {
        showError(err);
      }
    } finally {
      running = null;
      $('stop').hidden = true;
      $('progress').hidden = true;
      setBusy(false);
    }
  };

  $('load-sample').addEventListener('click', () => void addDocs([...SAMPLE_DOCUMENTS], 'Sample corpus'));
  $('file-input').addEventListener('change', async () => {
    const input = $<HTMLInputElement>('file-input');
    const docs: DocumentInput[] = [];
    for (const f of Array.from(input.files ?? [])) docs.push(...filesToDocuments(f.name, await f.text()));
    input.value = '';
    if (docs.length) await addDocs(docs, 'Files');
  });
  $('add-paste').addEventListener('click', async () => {
    const text = $<HTMLTextAreaElement>('paste').value;
    const docs = filesToDocuments(`pasted-${Date.now()}`, text);
    if (!docs.length) return showError(new Error('Nothing to add: the pasted text is empty.'));
    await addDocs(docs, 'Pasted text');
    $<HTMLTextAreaElement>('paste').value = '';
  });
  $('clear').addEventListener('click', async () => {
    await index.clear();
    indexStatus();
    renderResults([]);
  });

  $('export').addEventListener('click', async () => {
    try {
      const bytes = await index.exportFile();
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${modelId.replace(/[^\w.-]+/g, '_')}.pagesense`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      showError(err);
    }
  });
  $('import-input').addEventListener('change', async () => {
    const input = $<HTMLInputElement>('import-input');
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    $('error').hidden = true;
    try {
      await index.importFile(new Uint8Array(await file.arrayBuffer()));
      indexStatus();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  });

  $('query').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runSearch();
    }, 120);
  });
  setBusy(false);
  demoState.ready = true;
  document.body.dataset['ready'] = 'true';
}

main().catch(showError);
