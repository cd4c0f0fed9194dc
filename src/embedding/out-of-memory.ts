// onnxruntime-web's out-of-memory failures are opaque and vary by engine and build:
// "RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded", "Out of memory",
// "bad_alloc", "failed to allocate", "Aborted()", "abort(undefined)", or a bare number (the
// address of a C++ exception the wasm threw). Name them, so a caller can shrink its batch.
import { createError, isPagesenseError, type PagesenseError } from '../core/errors.ts';

// wasm32 also refuses a tensor over 4 GiB before allocating: onnxruntime's SafeInt reports "Integer overflow".
const MEMORY_WORDS =
  /out of memory|SafeIntOnOverflow|bad_alloc|failed to allocate|allocation fail|could not allocate|memory size exceeded|Memory\.grow|array buffer allocation/i;
const RUNTIME_ABORT = /^(RuntimeError: )?(abort|Aborted)\(|^\d+$/;

/** OUT_OF_MEMORY for an error that reads as the runtime running out of memory; undefined for any other. */
export function outOfMemory(err: unknown, doing: string): PagesenseError | undefined {
  if (isPagesenseError(err)) return undefined;
  const message = typeof err === 'object' && err !== null && 'message' in err ? String((err as Error).message) : String(err);
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as Error).name) : '';
  if (!MEMORY_WORDS.test(message) && !RUNTIME_ABORT.test(message) && !(name === 'RangeError' && /memory/i.test(message))) return undefined;
  return createError(
    'OUT_OF_MEMORY',
    `the model runtime ran out of memory while ${doing} (${message.slice(0, 200)}); its worker is replaced. Use smaller batches (maxBatchTokens) or a smaller model`,
    { doing, runtimeMessage: message.slice(0, 500) },
    err,
  );
}
