// Document metadata is stored in IndexedDB (structured clone) and exported as JSON,
// so it must be a JSON value to come back the same way from both: plain objects,
// arrays, strings, finite numbers, booleans and null. A Date, Map, NaN, BigInt,
// function or cycle is refused before anything is written.
import { createError } from './errors.ts';
import { describeValue } from './arguments.ts';

const MAX_DEPTH = 64;

/** Throws INVALID_ARGUMENT naming the path of the first value that is not JSON. */
export function assertJsonValue(value: unknown, path: string): void {
  const seen = new Set<object>();
  const visit = (v: unknown, at: string, depth: number): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(at, v);
      return;
    }
    if (typeof v !== 'object') fail(at, v);
    if (depth > MAX_DEPTH) throw createError('INVALID_ARGUMENT', `${at}: nested deeper than ${MAX_DEPTH} levels`);
    if (seen.has(v)) throw createError('INVALID_ARGUMENT', `${at}: refers back to itself (a cycle), which JSON cannot hold`);
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}[${i}]`, depth + 1));
    else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) fail(at, v);
      for (const [k, x] of Object.entries(v)) visit(x, `${at}.${k}`, depth + 1);
    }
    seen.delete(v);
  };
  visit(value, path, 0);
}

function fail(at: string, v: unknown): never {
  const kind = v instanceof Date ? 'a Date' : v instanceof Map ? 'a Map' : v instanceof Set ? 'a Set' : describeValue(v);
  throw createError('INVALID_ARGUMENT', `${at} must be a JSON value (object, array, string, finite number, boolean or null), got ${kind}`, {
    path: at,
  });
}
