// The similarity-matrix explorer: sentences in, E·Eᵀ (or queries × passages,
// A·Bᵀ) out as a heatmap computed by the scan kernels, rows reordered by
// community so clusters show as blocks, the top paraphrase pairs above a
// threshold, CLS vs mean pooling, and CSV / PNG export.
import { createFlatIndex, dotScore, isPagesenseError, type Embedder, type Matrix } from '../index.ts';
import { demoState } from './demo-state.ts';
import { byId, download, el, formatMs } from './elements.ts';
import { createHeatmap, type HeatmapData } from './heatmap.ts';
import { communityOrder, matrixPairs } from './matrix-analysis.ts';
import { matrixCsv } from './matrix-export.ts';
import { MATRIX_PRESETS } from './matrix-presets.ts';
import { comparePoolings } from './pooling-compare.ts';

export const MAX_SENTENCES = 1000;

interface Computed {
  data: HeatmapData;
  /** One list: the embeddings, for communities and pairs. */
  embeddings?: Matrix;
}

const linesOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The preset list and the one-list / two-lists switch; returns whether two lists are in use. */
function setupMatrixInputs(): () => boolean {
  const twoLists = () => byId<HTMLInputElement>('matrix-mode-two').checked;
  const presets = byId<HTMLSelectElement>('matrix-preset');
  for (const [i, p] of MATRIX_PRESETS.entries()) presets.append(el('option', { value: i }, p.name));
  const syncMode = () => {
    byId('sentences-b-field').hidden = !twoLists();
    byId('matrix-order').toggleAttribute('disabled', twoLists());
  };
  const usePreset = () => {
    const p = MATRIX_PRESETS[Number(presets.value)]!;
    byId<HTMLTextAreaElement>('sentences').value = p.a.join('\n');
    byId<HTMLTextAreaElement>('sentences-b').value = (p.b ?? []).join('\n');
    byId<HTMLInputElement>(p.b ? 'matrix-mode-two' : 'matrix-mode-one').checked = true;
    syncMode();
  };
  presets.addEventListener('change', usePreset);
  for (const id of ['matrix-mode-one', 'matrix-mode-two']) byId(id).addEventListener('change', syncMode);
  usePreset();
  return twoLists;
}

export function setupMatrixView(embedder: Embedder | undefined, showError: (err: unknown) => void, onRate: (textsPerSecond: number) => void): void {
  const status = byId('matrix-status');
  const cell = byId('matrix-cell');
  const heatmap = createHeatmap({ label: 'Similarity matrix; arrow keys move the cursor cell', cssSize: 560, onCell: (t) => (cell.textContent = t) });
  byId('matrix-canvas').append(heatmap.element);
  const twoLists = setupMatrixInputs();
  let computed: Computed | undefined;

  if (!embedder) {
    for (const id of ['compute-matrix', 'compare-pooling']) byId<HTMLButtonElement>(id).disabled = true;
    status.textContent = 'The similarity matrix needs the model, which is not loaded (see the banner above).';
    return;
  }
  const kernel = createFlatIndex({ dimension: embedder.info.dimension }).backend;

  const orderAndBlocks = (): Pick<HeatmapData, 'rowOrder' | 'colOrder' | 'blocks'> => {
    if (!computed?.embeddings || byId<HTMLSelectElement>('matrix-order').value !== 'community') return {};
    const threshold = Number(byId<HTMLInputElement>('community-threshold').value);
    const { order, blocks, communities, outside } = communityOrder(computed.embeddings, threshold);
    byId('communities').textContent = communities
      ? `${communities} communit${communities === 1 ? 'y' : 'ies'} at cosine ≥ ${threshold.toFixed(2)} (outlined), ${outside} sentences in none`
      : `No community at cosine ≥ ${threshold.toFixed(2)}: lower the threshold.`;
    return { rowOrder: order, colOrder: order, blocks };
  };

  const redraw = () => {
    if (!computed) return;
    const t0 = performance.now();
    const order = orderAndBlocks();
    const t1 = performance.now();
    heatmap.draw({ ...computed.data, ...order });
    demoState.matrix.communityMs = order.rowOrder ? t1 - t0 : NaN;
    demoState.matrix.drawMs = performance.now() - t1;
    demoState.matrix.drawn++;
    renderPairs();
  };

  const renderPairs = () => {
    if (!computed) return;
    const threshold = Number(byId<HTMLInputElement>('pair-threshold').value);
    byId('pair-threshold-value').textContent = threshold.toFixed(2);
    const { data } = computed;
    const pairs = matrixPairs(data.values, data.rows, data.cols, computed.embeddings, threshold);
    const shown = pairs.slice(0, 20);
    byId('pairs-summary').textContent = computed.embeddings
      ? `${pairs.length} paraphrase pairs at cosine ≥ ${threshold.toFixed(2)}${pairs.length > shown.length ? ` (best ${shown.length} shown)` : ''}`
      : `${pairs.length} of ${data.rows} queries have a passage at ≥ ${threshold.toFixed(2)}`;
    byId('pairs').replaceChildren(
      ...shown.map(([score, i, j]) =>
        el(
          'li',
          {},
          el('span', { class: 'pair-score' }, score.toFixed(3)),
          ' ',
          el('span', {}, data.rowLabels[i]!),
          el('span', { class: 'muted' }, ' ↔ '),
          el('span', {}, data.colLabels[j]!),
        ),
      ),
    );
  };

  const compute = async () => {
    const a = linesOf(byId<HTMLTextAreaElement>('sentences').value);
    const b = twoLists() ? linesOf(byId<HTMLTextAreaElement>('sentences-b').value) : a;
    const which = twoLists() ? 'Each list' : 'The list';
    if (a.length === 0 || b.length === 0) return showError(new Error(`${which} needs at least one sentence, one per line.`));
    if (a.length > MAX_SENTENCES || b.length > MAX_SENTENCES) {
      return showError(new Error(`At most ${MAX_SENTENCES} sentences per list (got ${Math.max(a.length, b.length)}): remove some lines.`));
    }
    const button = byId<HTMLButtonElement>('compute-matrix');
    button.disabled = true;
    try {
      const t0 = performance.now();
      const progress = (p: { status: string; done?: number; total?: number }) => {
        if (p.status === 'embed') status.textContent = `Embedding ${p.done} of ${p.total} sentences…`;
      };
      const ea = await embedder.embed(a, twoLists() ? 'query' : 'passage', progress);
      const eb = twoLists() ? await embedder.embed(b, 'passage', progress) : ea;
      const t1 = performance.now();
      const dim = embedder.info.dimension;
      const A = { data: ea.vectors, rows: a.length, dim };
      const B = { data: eb.vectors, rows: b.length, dim };
      // The rows are unit length already, so the dot product is the cosine.
      const m = dotScore(A, B);
      const t2 = performance.now();
      computed = { data: { values: m.data, rows: a.length, cols: b.length, rowLabels: a, colLabels: b }, ...(twoLists() ? {} : { embeddings: A }) };
      Object.assign(demoState.matrix, { rows: a.length, cols: b.length, embedMs: t1 - t0, matrixMs: t2 - t1 });
      redraw();
      const texts = a.length + (twoLists() ? b.length : 0);
      onRate((texts / (t1 - t0)) * 1000);
      status.textContent =
        `Embedded ${texts} sentences in ${formatMs(t1 - t0)} (${((texts / (t1 - t0)) * 1000).toFixed(1)}/s) · ` +
        `${a.length} × ${b.length} matrix in ${formatMs(t2 - t1)} (${kernel} kernel) · drawn in ${formatMs(demoState.matrix.drawMs)}` +
        (Number.isFinite(demoState.matrix.communityMs) ? ` · communities in ${formatMs(demoState.matrix.communityMs)}` : '');
      byId('matrix-results').hidden = false;
      for (const id of ['export-csv', 'export-png']) byId<HTMLButtonElement>(id).disabled = false;
    } catch (err) {
      showError(isPagesenseError(err) ? err : new Error(`Embedding the sentences failed: ${String((err as Error)?.message ?? err)}`));
    } finally {
      button.disabled = false;
    }
  };

  byId('compute-matrix').addEventListener('click', () => void compute());
  byId('matrix-order').addEventListener('change', redraw);
  byId('community-threshold').addEventListener('input', () => {
    byId('community-threshold-value').textContent = Number(byId<HTMLInputElement>('community-threshold').value).toFixed(2);
    redraw();
  });
  byId('pair-threshold').addEventListener('input', renderPairs);
  byId('export-csv').addEventListener('click', () => {
    if (!computed) return;
    const d = computed.data;
    download('similarity-matrix.csv', new Blob([matrixCsv(d.values, d.rows, d.cols, d.rowLabels, d.colLabels)], { type: 'text/csv' }));
  });
  byId('export-png').addEventListener('click', async () => download('similarity-matrix.png', await heatmap.toPng()));
  byId('compare-pooling').addEventListener('click', async () => {
    const lines = linesOf(byId<HTMLTextAreaElement>('sentences').value);
    if (lines.length < 2) return showError(new Error('Comparing poolings needs at least two sentences in the first list.'));
    const button = byId<HTMLButtonElement>('compare-pooling');
    button.disabled = true;
    try {
      await comparePoolings(byId('pooling-compare'), embedder, lines);
    } catch (err) {
      showError(err);
    } finally {
      button.disabled = false;
    }
  });
}
