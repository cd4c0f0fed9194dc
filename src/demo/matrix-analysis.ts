// What the matrix view reads off a computed matrix, apart from drawing it: the row
// order that puts each community in one block, and the pairs worth listing.
import { communityDetection, paraphraseMining, type Matrix } from '../index.ts';

export interface CommunityOrder {
  /** Rows, community by community, then those in none. */
  order: number[];
  /** [first row, rows] of each community in that order. */
  blocks: [number, number][];
  communities: number;
  /** Rows in no community. */
  outside: number;
}

export function communityOrder(embeddings: Matrix, threshold: number): CommunityOrder {
  const communities = communityDetection(embeddings, { threshold, minCommunitySize: 2 });
  const order = communities.flat();
  const inCommunity = new Set(order);
  for (let i = 0; i < embeddings.rows; i++) if (!inCommunity.has(i)) order.push(i);
  let at = 0;
  const blocks = communities.map((c) => {
    const b: [number, number] = [at, c.length];
    at += c.length;
    return b;
  });
  return { order, blocks, communities: communities.length, outside: embeddings.rows - at };
}

/**
 * [score, row, column] pairs at or above the threshold, best first: paraphrase pairs
 * within one list (`embeddings` given), else each query's best passage.
 */
export function matrixPairs(values: Float32Array, rows: number, cols: number, embeddings: Matrix | undefined, threshold: number): [number, number, number][] {
  if (embeddings) return paraphraseMining(embeddings, { topK: 10 }).filter((p) => p[0] >= threshold);
  return Array.from({ length: rows }, (_, i) => {
    let best = 0;
    for (let j = 1; j < cols; j++) if (values[i * cols + j]! > values[i * cols + best]!) best = j;
    return [values[i * cols + best]!, i, best] as [number, number, number];
  })
    .filter((p) => p[0] >= threshold)
    .sort((x, y) => y[0] - x[0]);
}
