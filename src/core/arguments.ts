// Checks for the arguments of public functions. TypeScript signatures are no guard
// at run time (plain JavaScript callers, values that crossed a worker boundary), so
// each public function checks what it is given and, when it is wrong, throws
// INVALID_ARGUMENT naming the argument, the kind of value it got, and what it takes.
import { createError } from './errors.ts';

/** 'a string', 'NaN', 'an array', 'null', '3.5'…: how a value reads in an error message. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'object') return ArrayBuffer.isView(v) ? `a ${v.constructor.name}` : 'an object';
  return typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`;
}

function invalid(where: string, name: string, value: unknown, wanted: string): never {
  throw createError('INVALID_ARGUMENT', `${where}: ${name} must be ${wanted}, got ${describeValue(value)}`, { argument: name });
}

/** An integer >= min (default 1), or the fallback when undefined (no fallback: required). */
export function integerArg(where: string, name: string, value: unknown, fallback: number | undefined, min = 1): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) invalid(where, name, value, `an integer >= ${min}`);
  return value;
}

/** A finite number within [min, max], or the fallback when undefined. */
export function numberArg(where: string, name: string, value: unknown, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(where, name, value, `a finite number${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` and <= ${max}` : ''}`);
  }
  return value;
}

/** One of the allowed strings, or the fallback when undefined (no fallback: required). */
export function oneOfArg<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[], fallback: T | undefined): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    invalid(where, name, value, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

/** true or false, or the fallback when undefined. */
export function booleanArg(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(where, name, value, 'true or false');
  return value;
}

export function stringArg(where: string, name: string, value: unknown): string {
  if (typeof value !== 'string') invalid(where, name, value, 'a string');
  return value;
}

/** A Float32Array: other arrays would be converted on the way in, where 1e300 becomes Infinity after the check. */
export function float32Arg(where: string, name: string, value: unknown): Float32Array {
  if (!(value instanceof Float32Array)) invalid(where, name, value, 'a Float32Array');
  return value;
}

/** An array of strings (a lone string would otherwise be taken character by character). */
export function stringListArg(where: string, name: string, value: unknown): readonly string[] {
  if (!Array.isArray(value)) invalid(where, name, value, typeof value === 'string' ? 'an array of strings (wrap one id: [id])' : 'an array of strings');
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') invalid(where, `${name}[${i}]`, value[i], 'a string'); // holes of a sparse array too
  return value as readonly string[];
}
