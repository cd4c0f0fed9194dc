// A few values of a full float32 block, recorded with the vector file's block
// count. An open compares them with what it read from the file, at no measurable
// cost: a block the file lost to a race (zero-filled), a stale or a foreign file
// does not match, and the blocks are read from IndexedDB instead. Not a checksum:
// it answers "is this the block we wrote", not "did a bit flip".
export type BlockProbe = readonly number[];

function points(length: number, dim: number): number[] {
  const rows = Math.floor(length / dim);
  return [0, dim + 1, Math.floor(rows / 2) * dim + 2, length - 1].map((p) => Math.min(p, length - 1));
}

export function blockProbe(rows: Float32Array, dim: number): BlockProbe {
  return points(rows.length, dim).map((p) => rows[p]!);
}

export function probeMatches(rows: Float32Array, dim: number, probe: BlockProbe | undefined): boolean {
  if (!probe || rows.length === 0) return false;
  const at = points(rows.length, dim);
  return at.length === probe.length && at.every((p, i) => Object.is(rows[p], probe[i]));
}
