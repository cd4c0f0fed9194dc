// A perceptually uniform colour scale (viridis, by van der Walt and Smith for
// matplotlib) as a 256-entry lookup table, so painting a million cells is one
// table read per cell.
const STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];

/** 256 RGBA colours packed little-endian for a Uint32Array view of ImageData. */
export const VIRIDIS: Uint32Array = (() => {
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (STOPS.length - 1);
    const lo = Math.floor(t);
    const hi = Math.min(STOPS.length - 1, lo + 1);
    const f = t - lo;
    const [r, g, b] = [0, 1, 2].map((c) => Math.round(STOPS[lo]![c]! * (1 - f) + STOPS[hi]![c]! * f));
    lut[i] = (255 << 24) | (b! << 16) | (g! << 8) | r!;
  }
  return lut;
})();

export function cssColour(lutEntry: number): string {
  return `rgb(${lutEntry & 255} ${(lutEntry >> 8) & 255} ${(lutEntry >> 16) & 255})`;
}

/** The value's place in [lo, hi] as a table index. */
export function scaleIndex(value: number, lo: number, hi: number): number {
  const t = hi > lo ? (value - lo) / (hi - lo) : 1;
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}
