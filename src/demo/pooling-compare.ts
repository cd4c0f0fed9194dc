// CLS against mean pooling on the same sentences, side by side: the same model,
// the same tokens, only the way token vectors become one vector differs. A model
// trained with one pooling (BGE: CLS) spreads its scores less under the other,
// which blurs rankings; this panel shows by how much.
import { dotScore, type Embedder } from '../index.ts';
import { el, formatMs } from './elements.ts';
import { createHeatmap } from './heatmap.ts';

const MAX_SENTENCES = 200;

function spread(values: Float32Array, n: number): { mean: number; std: number } {
  let sum = 0,
    sq = 0,
    count = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const v = values[i * n + j]!;
      sum += v;
      sq += v * v;
      count++;
    }
  const mean = count ? sum / count : 1;
  return { mean, std: count ? Math.sqrt(Math.max(0, sq / count - mean * mean)) : 0 };
}

export async function comparePoolings(target: HTMLElement, embedder: Embedder, sentences: readonly string[]): Promise<{ cls: number; mean: number }> {
  const lines = sentences.slice(0, MAX_SENTENCES);
  const own = embedder.info.pooling;
  const t0 = performance.now();
  const [cls, mean] = [
    await embedder.embed(lines, 'passage', undefined, { pooling: 'cls' }),
    await embedder.embed(lines, 'passage', undefined, { pooling: 'mean' }),
  ];
  const took = performance.now() - t0;
  const n = lines.length;
  const panes = (
    [
      ['cls', cls.vectors],
      ['mean', mean.vectors],
    ] as const
  ).map(([pooling, vectors]) => {
    const m = dotScore({ data: vectors, rows: n, dim: embedder.info.dimension }, { data: vectors, rows: n, dim: embedder.info.dimension });
    const s = spread(m.data, n);
    const map = createHeatmap({ label: `${pooling} pooling similarity matrix`, cssSize: 240, tooltip: true });
    map.draw({ values: m.data, rows: n, cols: n, rowLabels: lines, colLabels: lines });
    const title = `${pooling === 'cls' ? 'CLS' : 'Mean'} pooling${pooling === own ? ' (the model card’s)' : ''}`;
    return {
      std: s.std,
      node: el(
        'figure',
        { class: 'pooling-pane', 'data-pooling': pooling },
        map.element,
        el('figcaption', {}, el('strong', {}, title), ` · mean cosine ${s.mean.toFixed(3)}, spread (std) ${s.std.toFixed(3)}`),
      ),
    };
  });
  target.replaceChildren(
    el('h2', {}, 'CLS vs mean pooling, same sentences'),
    el('div', { class: 'pooling-panes' }, ...panes.map((p) => p.node)),
    el(
      'p',
      { class: 'muted' },
      `${n} sentences embedded twice in ${formatMs(took)}${sentences.length > n ? ` (the first ${n} of ${sentences.length})` : ''}. ` +
        `Scores that bunch together (a small spread) separate related from unrelated sentences less well; ` +
        `use the pooling the model was trained with, which pagesense reads from its registry.`,
    ),
  );
  return { cls: panes[0]!.std, mean: panes[1]!.std };
}
