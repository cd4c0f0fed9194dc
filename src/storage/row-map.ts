// id -> (block, slot) for a collection's rows. Positions are packed into one
// number per id: a 100k-row collection builds its map without 100k small objects.
export interface RowPosition {
  block: number;
  slot: number;
}

export class RowMap {
  private readonly rows = new Map<string, number>();
  constructor(private readonly blockRows: number) {}

  get size(): number {
    return this.rows.size;
  }

  set(id: string, block: number, slot: number): void {
    this.rows.set(id, block * this.blockRows + slot);
  }

  get(id: string): RowPosition | undefined {
    const at = this.rows.get(id);
    return at === undefined ? undefined : { block: Math.floor(at / this.blockRows), slot: at % this.blockRows };
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  delete(id: string): boolean {
    return this.rows.delete(id);
  }
}
