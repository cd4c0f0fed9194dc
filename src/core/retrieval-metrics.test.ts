// Each expected value below was computed by hand from trec_eval's definitions
// (ndcg_cut, recip_rank, recall, map_cut), which pytrec_eval and BEIR report.
import { describe, expect, it } from 'vitest';
import { meanMetrics, queryMetrics, rankRun } from './retrieval-metrics.ts';

const judged = (o: Record<string, number>) => new Map(Object.entries(o));

describe('retrieval metrics', () => {
  it('graded relevance: linear gains, log2 discounts, ideal from every judged grade', () => {
    // DCG = 0/log2 2 + 1/log2 3 + 0/log2 4 + 2/log2 5 = 1.4922829; IDCG = 2/log2 2 + 1/log2 3 = 2.6309298.
    const m = queryMetrics(['d3', 'd1', 'x', 'd2'], judged({ d1: 1, d2: 2, d3: 0 }))!;
    expect(m.ndcg).toBeCloseTo(1.4922829 / 2.6309298, 6);
    expect(m.mrr).toBe(0.5); // first relevant at rank 2
    expect(m.recall).toBe(1);
    expect(m.map).toBeCloseTo((1 / 2 + 2 / 4) / 2, 10); // relevant at ranks 2 and 4, of 2 relevant
  });

  it('cutoffs cut: only the top k count', () => {
    const m = queryMetrics(['d3', 'd1', 'x', 'd2'], judged({ d1: 1, d2: 2, d3: 0 }), { ndcgAt: 2, mrrAt: 1, recallAt: 2, mapAt: 2 })!;
    expect(m.ndcg).toBeCloseTo(0.6309298 / 2.6309298, 6);
    expect(m.mrr).toBe(0);
    expect(m.recall).toBe(0.5);
    expect(m.map).toBeCloseTo(0.5 / 2, 10);
  });

  it('fewer results than k, and a document listed twice counts once', () => {
    // IDCG@10 over two relevant = 1 + 1/log2 3 = 1.6309298.
    const m = queryMetrics(['d1', 'd1'], judged({ d1: 1, d2: 1 }))!;
    expect(m.ndcg).toBeCloseTo(1 / 1.6309298, 6);
    expect(m.recall).toBe(0.5);
    expect(m.map).toBe(0.5);
    expect(m.mrr).toBe(1);
  });

  it('ties in score are ordered by document id, descending, as trec_eval does', () => {
    expect(
      rankRun([
        { id: 'a', score: 1 },
        { id: 'c', score: 2 },
        { id: 'b', score: 1 },
      ]),
    ).toEqual(['c', 'b', 'a']);
  });

  it('a query with no relevant document is left out of the means and counted; a judged query the run lacks scores 0', () => {
    const qrels = new Map([
      ['q1', judged({ d1: 1 })],
      ['q2', judged({ d9: 0 })],
      ['q3', judged({ d2: 1 })],
    ]);
    const m = meanMetrics(
      new Map([
        ['q1', ['d1']],
        ['q2', ['d9']],
      ]),
      qrels,
    );
    expect(m).toEqual({ ndcg: 0.5, mrr: 0.5, recall: 0.5, map: 0.5, queries: 2, skipped: 1 });
  });

  it('refuses a cutoff that is not a positive integer', () => {
    expect(() => queryMetrics([], judged({ a: 1 }), { ndcgAt: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
