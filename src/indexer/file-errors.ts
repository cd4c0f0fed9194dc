// File-system failures as catalog errors: a Node errno error (EACCES, ENOSPC, EROFS…)
// becomes WRITE_FAILED or READ_FAILED naming the path and the system's reason, so the
// CLI prints one line a user can act on instead of a stack trace.
import { createError, isPagesenseError } from '../core/errors.ts';

function fileStep<T>(code: 'READ_FAILED' | 'WRITE_FAILED', path: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (isPagesenseError(err)) throw err;
    throw createError(code, `cannot ${code === 'READ_FAILED' ? 'read' : 'write'} ${path}: ${(err as Error).message}`, { path }, err);
  }
}

export const writingTo = <T>(path: string, write: () => T): T => fileStep('WRITE_FAILED', path, write);
export const readingFrom = <T>(path: string, read: () => T): T => fileStep('READ_FAILED', path, read);
