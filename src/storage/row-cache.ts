// Float rows read back for re-ranking, least recently used out first. Rows
// never move or change within one physical collection, so an entry needs no
// invalidation; a retired collection's entries are dropped with it. Queries
// typed letter by letter share most of their candidates, which then come from
// here instead of from disk.
export class RowCache {
  private readonly rows = new Map<string, Float32Array>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  private static key(physical: string, position: number): string {
    return `${physical}\u0000${position}`;
  }

  get(physical: string, position: number): Float32Array | undefined {
    const k = RowCache.key(physical, position);
    const row = this.rows.get(k);
    if (row) {
      this.rows.delete(k); // re-insert: Map order is recency order
      this.rows.set(k, row);
    }
    return row;
  }

  set(physical: string, position: number, row: Float32Array): void {
    const k = RowCache.key(physical, position);
    if (this.rows.has(k) || row.byteLength > this.maxBytes) return;
    this.rows.set(k, row);
    this.bytes += row.byteLength;
    for (const [oldest, r] of this.rows) {
      if (this.bytes <= this.maxBytes) break;
      this.rows.delete(oldest);
      this.bytes -= r.byteLength;
    }
  }

  dropCollection(physical: string): void {
    const prefix = `${physical}\u0000`;
    for (const [k, r] of this.rows) {
      if (!k.startsWith(prefix)) continue;
      this.rows.delete(k);
      this.bytes -= r.byteLength;
    }
  }
}
