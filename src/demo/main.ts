// The demo page: three views (search, similarity matrix, engine) over one model.
// Without a model (offline, nothing self-hosted) the page still searches the
// sample corpus lexically and says what would bring semantic search back.
import {
  createSearchIndex,
  createWorkerEmbedder,
  DEFAULT_MODEL_ID,
  findModel,
  isPagesenseError,
  MODELS,
  openBrowserStore,
  type Embedder,
  type Progress,
} from '../index.ts';
import { demoState } from './demo-state.ts';
import { byId, el, formatBytes } from './elements.ts';
import { setupEngineView } from './engine-view.ts';
import { createLexicalOnlyIndex } from './lexical-only-index.ts';
import { setupMatrixView } from './matrix-view.ts';
import { SAMPLE_DOCUMENTS } from './sample-corpus.ts';
import { lexicalBackend, modelBackend, type SearchBackend } from './search-backend.ts';
import { setupSearchView } from './search-view.ts';
import { setupTabs } from './tabs.ts';
import { setupTheme } from './theme.ts';

const params = new URLSearchParams(location.search);
const modelId = findModel(params.get('model') ?? '') ? params.get('model')! : DEFAULT_MODEL_ID;
const device = (['auto', 'wasm', 'webgpu'] as const).find((d) => d === params.get('device')) ?? 'auto';

function showError(err: unknown): void {
  const box = byId('error');
  const code = isPagesenseError(err) ? `[${err.code}] ` : '';
  box.textContent = code + String((err as Error)?.message ?? err);
  box.hidden = false;
  demoState.error = box.textContent;
}
const clearError = () => (byId('error').hidden = true);

function setupModelPicker(): void {
  const select = byId<HTMLSelectElement>('model-select');
  for (const m of Object.values(MODELS)) select.append(el('option', { value: m.id }, m.generated ? `${m.id} (generated, for tests)` : m.id));
  select.value = modelId;
  byId<HTMLSelectElement>('device-select').value = device;
  const reload = () => {
    const next = new URL(location.href);
    next.searchParams.set('model', select.value);
    next.searchParams.set('device', byId<HTMLSelectElement>('device-select').value);
    location.href = next.href;
  };
  select.addEventListener('change', reload);
  byId('device-select').addEventListener('change', reload);
}

function modelProgress(p: Progress): void {
  const bar = byId<HTMLProgressElement>('model-progress');
  if (p.status === 'download') {
    bar.hidden = false;
    bar.max = p.total || 1;
    bar.value = p.loaded;
    byId('model-status').textContent = `Downloading ${p.file}: ${formatBytes(p.loaded)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`;
  } else if (p.status === 'load') {
    byId('model-status').textContent = `Loading ${p.modelId} on ${p.device}…`;
  }
}

async function loadModel(): Promise<{ embedder?: Embedder; unavailable?: string }> {
  const t0 = performance.now();
  try {
    const embedder = await createWorkerEmbedder({ model: modelId, device, onProgress: modelProgress });
    demoState.modelLoadMs = performance.now() - t0;
    return { embedder };
  } catch (err) {
    if (!isPagesenseError(err, 'MODEL_UNAVAILABLE')) throw err;
    return { unavailable: err.message };
  } finally {
    byId('model-progress').hidden = true;
  }
}

function showOffline(reason: string): void {
  const spec = findModel(modelId)!;
  byId('offline-command').textContent = spec.generated ? 'npm run forge' : `npx pagesense fetch-model ${modelId} --dtype q8`;
  byId('offline-reason').textContent = reason;
  byId('offline-banner').hidden = false;
  byId('model-status').textContent = `Model: ${modelId} is not loaded · lexical search only`;
  byId('mode-badge').textContent = 'lexical only';
}

async function main(): Promise<void> {
  setupModelPicker();
  setupTheme(() => undefined);
  const spec = findModel(modelId)!;
  byId('generated-warning').hidden = !spec.generated;
  const { embedder, unavailable } = await loadModel();
  let rate = NaN;
  const onPassagesEmbedded = (_done: number, textsPerSecond: number) => (rate = textsPerSecond);

  let backend: SearchBackend;
  if (embedder) {
    const info = embedder.info;
    byId('model-status').textContent = `Model: ${info.modelId} · ${info.dimension} dimensions · ${info.device} (${info.dtype}) — ${info.deviceReason}`;
    byId('mode-badge').textContent = 'hybrid: lexical + semantic';
    const counted = countingEmbedder(embedder);
    const store = await openBrowserStore({ onVersionChange: () => showError(new Error('The index was upgraded in another tab; reload this page.')) });
    demoState.storage = store.inMemoryBecause ? 'memory' : 'indexeddb';
    const index = await createSearchIndex({ embedder: counted, store, collection: `demo:${modelId}`, onExternalChange: () => view.refreshStatus() });
    backend = modelBackend(index, store);
  } else {
    demoState.mode = 'lexical';
    showOffline(unavailable!);
    backend = lexicalBackend(await createLexicalOnlyIndex());
  }

  const engine = setupEngineView({
    embedder,
    modelId,
    index: backend.index,
    store: backend.store,
    unavailable,
    showError,
    textsPerSecond: () => rate,
  });
  const view = setupSearchView({ backend, modelId, showError, clearError, onPassagesEmbedded, onSearched: () => void engine.refresh() });
  setupMatrixView(embedder, showError, (r) => (rate = r));
  setupTabs((name) => name === 'engine' && void engine.refresh());
  // Offline, the sample corpus is searchable at once (lexically).
  if (backend.mode === 'lexical') await view.add([...SAMPLE_DOCUMENTS], 'Sample corpus');
  demoState.ready = true;
  document.body.dataset['ready'] = 'true';
}

/** Counts passages embedded (read by the tests: a reopened collection embeds nothing). */
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

main().catch(showError);
