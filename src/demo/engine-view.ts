// A window into the engine: what model runs where and why, how fast, where the
// last query's time went, how big the index is, what quantization costs, and a
// health check that runs the engine's self-tests in this browser.
import { storageReport, type Embedder, type SearchIndex, type VectorStore } from '../index.ts';
import { demoState } from './demo-state.ts';
import { byId, el, formatBytes, formatMs } from './elements.ts';
import { runHealthCheck } from './health-check.ts';
import { compareQuantization } from './quantization-compare.ts';

interface EngineContext {
  embedder: Embedder | undefined;
  modelId: string;
  index: SearchIndex | undefined;
  store: VectorStore | undefined;
  unavailable: string | undefined;
  showError(err: unknown): void;
  /** Texts per second last measured (indexing or the matrix), NaN before. */
  textsPerSecond(): number;
}

export interface EngineView {
  refresh(): Promise<void>;
}

const fact = (term: string, value: string) => [el('dt', {}, term), el('dd', {}, value)];

export function setupEngineView(ctx: EngineContext): EngineView {
  const refresh = async () => {
    const info = ctx.embedder?.info;
    const last = ctx.index?.lastSearch;
    const report = await storageReport();
    const count = ctx.index?.count() ?? 0;
    const dim = info?.dimension ?? 0;
    const int8 = ctx.index?.manifest.quantization === 'int8';
    const isolated = globalThis.crossOriginIsolated === true;
    const rate = ctx.textsPerSecond();
    byId('engine-facts').replaceChildren(
      ...fact(
        'Model',
        info ? `${info.modelId}${info.generated ? ' (generated test model: random weights, rankings carry no meaning)' : ''}` : `${ctx.modelId}: not loaded`,
      ),
      ...fact('Loaded from', info?.source ?? '—'),
      ...fact('Device', info ? `${info.device}: ${info.deviceReason}` : (ctx.unavailable ?? '—')),
      ...fact(
        'Threads',
        `${isolated ? 'cross-origin isolated, so WASM may use threads' : 'not cross-origin isolated: one WASM thread'} · ${navigator.hardwareConcurrency} logical cores`,
      ),
      ...fact(
        'Weights',
        info ? `${info.dtype} · ${info.dimension} dimensions · ${info.pooling} pooling${info.queryInstruction ? ' · query instruction' : ''}` : '—',
      ),
      ...fact('Model load', Number.isFinite(demoState.modelLoadMs) ? formatMs(demoState.modelLoadMs) : '—'),
      ...fact(
        'Embedding speed',
        Number.isFinite(rate) ? `${rate.toFixed(1)} texts/s (last indexing or matrix run)` : 'index something or draw a matrix to measure',
      ),
      ...fact(
        'Last query',
        last
          ? `${formatMs(last.totalMs)} in all: embed ${formatMs(last.embedMs)} · scan ${formatMs(last.scanMs)}${int8 ? ` · rescore ${formatMs(last.rescoreMs)}` : ''} · lexical ${formatMs(last.lexicalMs)} · fetch ${formatMs(last.fetchMs)}`
          : 'search something first',
      ),
      ...fact(
        'Index in memory',
        ctx.index
          ? `${count} vectors · ${formatBytes(count * dim * (int8 ? 1 : 4))} scanned (${int8 ? 'int8 codes' : 'float32'})`
          : 'in-memory lexical index only',
      ),
      ...fact(
        'On disk',
        report ? `${formatBytes(report.usage)} used by this origin of ${formatBytes(report.quota)}${report.persisted ? ' · persistent' : ''}` : '—',
      ),
    );
  };

  const quantButton = byId<HTMLButtonElement>('compare-quant');
  if (!ctx.embedder || !ctx.store || !ctx.index) {
    quantButton.disabled = true;
    byId('quant-status').textContent = 'Needs the model: there are no vectors to quantize.';
  }
  quantButton.addEventListener('click', async () => {
    const query = byId<HTMLInputElement>('quant-query').value.trim();
    if (!query) return ctx.showError(new Error('Type a query to compare the precisions on.'));
    quantButton.disabled = true;
    byId('quant-status').textContent = 'Scanning…';
    try {
      const { rows, count } = await compareQuantization(ctx.embedder!, ctx.store!, ctx.index!, query);
      byId('quant-rows').replaceChildren(
        ...rows.map((r) =>
          el(
            'tr',
            { 'data-precision': r.precision },
            el('th', { scope: 'row' }, r.precision),
            el('td', {}, `${r.bytesPerVector} B`),
            el('td', {}, formatBytes(r.bytesPerVector * count)),
            el('td', {}, formatMs(r.scanMs)),
            el('td', { class: 'recall' }, r.recallRaw.toFixed(2)),
            el('td', {}, r.precision === 'float32' ? '—' : `${r.recallRescored.toFixed(2)} in ${formatMs(r.rescoredMs)}`),
          ),
        ),
      );
      byId('quant-status').textContent = `${count} vectors, top 10; times are the median of 15 scans on this page's thread.`;
      demoState.quantizationCompared++;
    } catch (err) {
      byId('quant-status').textContent = '';
      ctx.showError(err);
    } finally {
      quantButton.disabled = false;
    }
  });

  byId('health-check').addEventListener('click', async () => {
    const button = byId<HTMLButtonElement>('health-check');
    button.disabled = true;
    const list = byId('health-results');
    list.replaceChildren();
    demoState.health = { ran: 0, passed: 0, failed: 0, skipped: 0 };
    try {
      await runHealthCheck(ctx.embedder, ctx.modelId, (r) => {
        demoState.health.ran++;
        demoState.health[r.status === 'pass' ? 'passed' : r.status === 'fail' ? 'failed' : 'skipped']++;
        list.append(
          el(
            'li',
            { class: `check-${r.status}` },
            el('span', { class: 'check-status' }, r.status),
            ' ',
            el('strong', {}, r.name),
            el('span', { class: 'muted' }, ` — ${r.detail}`),
          ),
        );
      });
    } finally {
      button.disabled = false;
    }
  });
  return { refresh };
}
