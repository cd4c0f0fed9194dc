// Values a hostile but ordinary caller might pass: anything at all, numbers at and past
// every edge, vectors with NaN and huge values, embeddings in every shape, and options
// objects with wrong values or misspelt names.
import fc from 'fast-check';
import { isPagesenseError } from '../../src/core/errors.ts';

export const anyValue = fc.anything({
  maxDepth: 2,
  maxKeys: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withSparseArray: true,
});

export const edgyNumber = fc.oneof(
  fc.integer({ min: -3, max: 24 }),
  fc.constantFrom(0, -0, 1, 0.5, 1.5, NaN, Infinity, -Infinity, 1e300, -1e300, 2 ** 31, Number.MAX_SAFE_INTEGER),
  fc.double(),
);

/** Float32Arrays of a few rows (NaN and Infinity included), plain arrays, and anything. */
export const vectors = fc.oneof(
  { weight: 3, arbitrary: fc.float32Array({ maxLength: 48 }) },
  { weight: 3, arbitrary: fc.float32Array({ maxLength: 48, noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.array(edgyNumber, { maxLength: 12 }) },
  { weight: 1, arbitrary: fc.float64Array({ maxLength: 12 }) },
  { weight: 1, arbitrary: anyValue },
);

const finiteRow = (dim: number) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: dim, maxLength: dim });

/** Embeddings as rows or a matrix: mostly well formed, often not. */
export const embeddings = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }).chain((d) => fc.array(finiteRow(d), { minLength: 1, maxLength: 6 })) },
  { weight: 1, arbitrary: fc.array(fc.array(edgyNumber, { maxLength: 4 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.record({ data: fc.float32Array({ maxLength: 24 }), rows: edgyNumber, dim: edgyNumber }) },
  { weight: 1, arbitrary: anyValue },
);

/** An options object over `keys` (any values, sometimes a misspelt extra key), or anything instead. */
export function options(keys: readonly string[], values = fc.oneof(edgyNumber, anyValue, fc.string({ maxLength: 8 }))) {
  const record = fc.record(Object.fromEntries(keys.map((k) => [k, values])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: record },
    { weight: 1, arbitrary: record.map((r) => ({ ...r, [`${keys[0] ?? 'x'}x`]: 1 })) },
    { weight: 1, arbitrary: anyValue },
  );
}

/** Runs `call`: a result goes to `check`; a throw must be a catalog error with a code and a message. */
export function returnsOrThrowsTyped<T>(call: () => T, check: (result: T) => void = () => {}): void {
  let result: T;
  try {
    result = call();
  } catch (err) {
    if (!isPagesenseError(err)) throw new Error(`untyped error: ${String(err)}`, { cause: err });
    if (!(err as Error).message) throw new Error(`catalog error ${(err as { code: string }).code} without a message`, { cause: err });
    return;
  }
  check(result);
}

export async function resolvesOrRejectsTyped<T>(call: () => Promise<T>, check: (result: T) => void = () => {}): Promise<boolean> {
  let result: T;
  try {
    result = await call();
  } catch (err) {
    if (!isPagesenseError(err)) throw new Error(`untyped error: ${String(err)}`, { cause: err });
    return false;
  }
  check(result);
  return true;
}
