import { describe, expect, it } from 'vitest';
import { blockProbe, probeMatches } from './block-probe.ts';

const block = (rows: number, dim: number, seed: number) => Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 12.9898 + seed));

describe('blockProbe', () => {
  it('matches the block it was taken from, and a copy of it', () => {
    const b = block(2048, 384, 1);
    const probe = blockProbe(b, 384);
    expect(probeMatches(b, 384, probe)).toBe(true);
    expect(probeMatches(b.slice(), 384, probe)).toBe(true);
  });

  it('tells a zero-filled, another or a shifted block apart', () => {
    const b = block(2048, 384, 1);
    const probe = blockProbe(b, 384);
    expect(probeMatches(new Float32Array(b.length), 384, probe)).toBe(false);
    expect(probeMatches(block(2048, 384, 2), 384, probe)).toBe(false);
    const shifted = new Float32Array(b.length);
    shifted.set(b.subarray(384), 0); // rows moved up by one: the last row is zeros
    expect(probeMatches(shifted, 384, probe)).toBe(false);
    expect(probeMatches(b, 384, undefined)).toBe(false);
  });

  it('stays inside tiny blocks', () => {
    const b = block(1, 1, 3);
    expect(blockProbe(b, 1)).toHaveLength(4);
    expect(probeMatches(b, 1, blockProbe(b, 1))).toBe(true);
  });
});
