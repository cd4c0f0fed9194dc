import { describe, expect, it } from 'vitest';
import { pendingCalls } from './pending-calls.ts';

describe('pendingCalls', () => {
  it('passes a call through, rejects the unsettled ones with the reason at endAll, and every later one at once', async () => {
    const calls = pendingCalls();
    expect(await calls.guard(Promise.resolve(1))).toBe(1);
    await expect(calls.guard(Promise.reject(new Error('own')))).rejects.toThrow('own');
    const hanging = calls.guard(new Promise(() => {}));
    calls.endAll('gone');
    await expect(hanging).rejects.toBe('gone');
    await expect(calls.guard(Promise.resolve(2))).rejects.toBe('gone');
    expect(calls.ended).toBe(true);
  });
});
