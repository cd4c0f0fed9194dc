// A similarity matrix on a canvas. The cells are painted once into an image one
// pixel per cell and scaled up without smoothing; the cursor and community blocks
// live on an overlay canvas, so hovering a 1,000 x 1,000 matrix redraws two
// rectangles, not a million cells. Arrow keys move the cursor cell too.
import { cssColour, scaleIndex, VIRIDIS } from './colour-scale.ts';
import { el } from './elements.ts';

export interface HeatmapData {
  /** Row-major rows x cols scores. */
  values: Float32Array;
  rows: number;
  cols: number;
  rowLabels: readonly string[];
  colLabels: readonly string[];
  /** Display order: position -> original row/column (identity when absent). */
  rowOrder?: readonly number[];
  colOrder?: readonly number[];
  /** Blocks outlined on the diagonal, in display positions: [start, length]. */
  blocks?: readonly [number, number][];
}

export interface Heatmap {
  draw(data: HeatmapData): void;
  readonly range: [number, number];
  /** The cells as drawn, as a PNG. */
  toPng(): Promise<Blob>;
  /** Moves the cursor (display positions) and says the cell's value. */
  moveTo(row: number, col: number): void;
  readonly element: HTMLElement;
}

export function createHeatmap(options: { label: string; cssSize: number; onCell?: (text: string) => void; tooltip?: boolean }): Heatmap {
  const base = el('canvas', { class: 'heatmap-base', width: 1, height: 1 });
  const overlay = el('canvas', { class: 'heatmap-overlay', width: 1, height: 1, tabindex: 0, role: 'img', 'aria-label': options.label });
  const tip = el('div', { class: 'heatmap-tip', role: 'presentation', hidden: true });
  const frame = el('div', { class: 'heatmap-frame' }, base, overlay, tip);
  const legend = el('canvas', { class: 'heatmap-legend', width: 256, height: 12, 'aria-hidden': 'true' });
  const lo = el('span', {}, '');
  const hi = el('span', {}, '');
  const element = el('div', { class: 'heatmap' }, frame, el('div', { class: 'legend-row' }, lo, legend, hi));
  frame.style.setProperty('--size', `${options.cssSize}px`);

  let data: HeatmapData | undefined;
  let range: [number, number] = [0, 1];
  let cursor: [number, number] | undefined;

  const rowAt = (p: number) => data!.rowOrder?.[p] ?? p;
  const colAt = (p: number) => data!.colOrder?.[p] ?? p;
  const valueAt = (r: number, c: number) => data!.values[rowAt(r) * data!.cols + colAt(c)]!;

  function paintOverlay(): void {
    if (!data) return;
    const w = overlay.width,
      h = overlay.height;
    const ctx = overlay.getContext('2d')!;
    ctx.clearRect(0, 0, w, h);
    const cw = w / data.cols,
      ch = h / data.rows;
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    for (const [s, n] of data.blocks ?? []) ctx.strokeRect(s * cw, s * ch, n * cw, n * ch);
    if (cursor) {
      const [r, c] = cursor;
      ctx.fillStyle = 'rgba(255,255,255,0.18)';
      ctx.fillRect(0, r * ch, w, Math.max(1, ch));
      ctx.fillRect(c * cw, 0, Math.max(1, cw), h);
      ctx.strokeStyle = '#ff3b6b';
      ctx.lineWidth = Math.max(2, devicePixelRatio * 1.5);
      ctx.strokeRect(c * cw, r * ch, Math.max(2, cw), Math.max(2, ch));
    }
  }

  function describe(r: number, c: number): string {
    return `${valueAt(r, c).toFixed(3)} · row ${rowAt(r) + 1}: “${data!.rowLabels[rowAt(r)]}” · column ${colAt(c) + 1}: “${data!.colLabels[colAt(c)]}”`;
  }

  function moveTo(r: number, c: number, at?: { x: number; y: number }): void {
    if (!data) return;
    cursor = [Math.max(0, Math.min(data.rows - 1, r)), Math.max(0, Math.min(data.cols - 1, c))];
    paintOverlay();
    const text = describe(cursor[0], cursor[1]);
    options.onCell?.(text);
    if (options.tooltip !== false) {
      const [rr, cc] = cursor;
      tip.replaceChildren(
        el('strong', {}, valueAt(rr, cc).toFixed(3)),
        el('span', {}, `${rowAt(rr) + 1}. ${data.rowLabels[rowAt(rr)]}`),
        el('span', {}, `${colAt(cc) + 1}. ${data.colLabels[colAt(cc)]}`),
      );
      const size = frame.clientWidth;
      const x = at?.x ?? ((cc + 0.5) / data.cols) * size;
      const y = at?.y ?? ((rr + 0.5) / data.rows) * size;
      tip.style.left = `${Math.min(x + 12, size - 220)}px`;
      tip.style.top = `${y + 14}px`;
      tip.hidden = false;
    }
  }

  overlay.addEventListener('pointermove', (e) => {
    if (!data) return;
    const box = overlay.getBoundingClientRect();
    const x = e.clientX - box.left,
      y = e.clientY - box.top;
    moveTo(Math.floor((y / box.height) * data.rows), Math.floor((x / box.width) * data.cols), { x, y });
  });
  overlay.addEventListener('pointerleave', () => (tip.hidden = true));
  overlay.addEventListener('blur', () => (tip.hidden = true));
  overlay.addEventListener('keydown', (e) => {
    if (!data) return;
    const [r, c] = cursor ?? [0, 0];
    const step = e.key.startsWith('Page') ? 10 : 1;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      PageUp: [r - step, c],
      PageDown: [r + step, c],
      Home: [r, 0],
      End: [r, data.cols - 1],
    };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    moveTo(to[0], to[1]);
  });

  return {
    element,
    get range() {
      return range;
    },
    moveTo: (r, c) => moveTo(r, c),
    draw(next) {
      data = next;
      cursor = undefined;
      tip.hidden = true;
      // The scale spans the off-diagonal scores (the diagonal is always 1 and would flatten the rest).
      let min = Infinity,
        max = -Infinity;
      const square = next.rows === next.cols;
      for (let i = 0; i < next.rows; i++)
        for (let j = 0; j < next.cols; j++) {
          if (square && i === j && next.rows > 1) continue;
          const v = next.values[i * next.cols + j]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      if (!Number.isFinite(min)) [min, max] = [0, 1];
      range = [min, max];
      const cells = new ImageData(next.cols, next.rows);
      const px = new Uint32Array(cells.data.buffer);
      for (let r = 0; r < next.rows; r++) {
        const src = (next.rowOrder?.[r] ?? r) * next.cols;
        for (let c = 0; c < next.cols; c++) px[r * next.cols + c] = VIRIDIS[scaleIndex(next.values[src + (next.colOrder?.[c] ?? c)]!, min, max)]!;
      }
      const image = el('canvas', { width: next.cols, height: next.rows });
      image.getContext('2d')!.putImageData(cells, 0, 0);
      // Backing store at device pixels, at least one pixel per cell.
      const side = Math.max(Math.round(options.cssSize * devicePixelRatio), next.cols, next.rows);
      const aspect = next.rows / next.cols;
      base.width = overlay.width = side;
      base.height = overlay.height = Math.round(side * aspect);
      frame.style.setProperty('--aspect', String(next.cols / next.rows));
      const ctx = base.getContext('2d')!;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(image, 0, 0, base.width, base.height);
      paintOverlay();
      const lctx = legend.getContext('2d')!;
      for (let i = 0; i < 256; i++) {
        lctx.fillStyle = cssColour(VIRIDIS[i]!);
        lctx.fillRect(i, 0, 1, 12);
      }
      lo.textContent = min.toFixed(2);
      hi.textContent = max.toFixed(2);
    },
    toPng: () =>
      new Promise((resolve, reject) => base.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png')),
  };
}
