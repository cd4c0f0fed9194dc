// A bounded min-heap of (score, index) keeping the k best. Order: higher
// score first; on equal scores the lower index wins, so results are
// deterministic whatever order rows are scanned in.

export interface Hit {
  index: number;
  score: number;
}

export class TopKHeap {
  readonly k: number;
  private scores: Float64Array;
  private indices: Int32Array;
  size = 0;

  constructor(k: number) {
    this.k = k;
    this.scores = new Float64Array(Math.max(k, 1));
    this.indices = new Int32Array(Math.max(k, 1));
  }

  /** True when (a, ia) ranks below (b, ib). */
  private static worse(a: number, ia: number, b: number, ib: number): boolean {
    return a < b || (a === b && ia > ib);
  }

  /** Score a full heap must beat; -Infinity while filling. Lets scans skip pushes cheaply. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(score: number, index: number): void {
    if (this.k === 0) return;
    const s = this.scores;
    const ix = this.indices;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!TopKHeap.worse(score, index, s[p]!, ix[p]!)) break;
        s[i] = s[p]!;
        ix[i] = ix[p]!;
        i = p;
      }
      s[i] = score;
      ix[i] = index;
      return;
    }
    if (!TopKHeap.worse(s[0]!, ix[0]!, score, index)) return;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && TopKHeap.worse(s[r]!, ix[r]!, s[l]!, ix[l]!) ? r : l;
      if (!TopKHeap.worse(s[c]!, ix[c]!, score, index)) break;
      s[i] = s[c]!;
      ix[i] = ix[c]!;
      i = c;
    }
    s[i] = score;
    ix[i] = index;
  }

  /** Best first. */
  sorted(): Hit[] {
    const out: Hit[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.indices[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}
