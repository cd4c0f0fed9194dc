// Options objects are checked by name at the public boundary: a misspelt option would
// otherwise be ignored and its default used without a word (Pagefind lists the allowed
// ones; so do we).
import { booleanArg, describeValue, integerArg, oneOfArg, stringArg } from './arguments.ts';
import { createError } from './errors.ts';

/**
 * The option names of an options type, from an object with one `true` per name:
 * the compiler then insists the list names every option and nothing else.
 */
export const optionNames = <T>(names: Record<keyof T, true>): readonly string[] => Object.keys(names);

/** Throws UNKNOWN_OPTION naming each unknown key and listing the allowed ones. */
export function assertKnownOptions(options: unknown, allowed: readonly string[], where: string): void {
  if (options === undefined) return;
  const proto = typeof options === 'object' && options !== null ? Object.getPrototypeOf(options) : undefined;
  if (typeof options !== 'object' || options === null || (proto !== Object.prototype && proto !== null)) {
    throw createError(
      'INVALID_ARGUMENT',
      `${where}: options must be a plain object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return;
  const near = unknown.map((k) => {
    const guess = nearestName(k, allowed);
    return guess ? `"${k}" (did you mean "${guess}"?)` : `"${k}"`;
  });
  throw createError('UNKNOWN_OPTION', `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${near.join(', ')}. Allowed: ${allowed.join(', ')}`, {
    unknown,
    allowed,
  });
}

/** The allowed name a misspelling most likely meant (same letters in another case, or two edits away), if any. */
export function nearestName(name: string, allowed: readonly string[]): string | undefined {
  return allowed.find((a) => a.toLowerCase() === name.toLowerCase() || editDistance(a, name) <= 2);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** What an option's value must be: checked only when the option is given. */
export type OptionKind = 'string' | 'boolean' | 'function' | 'object' | 'positiveInteger' | 'nonNegativeInteger' | 'nonNegativeNumber' | readonly string[];

/** Throws INVALID_ARGUMENT for the first given option whose value is not of its kind, naming it and what it takes. */
export function assertOptionValues(options: object | undefined, kinds: Readonly<Record<string, OptionKind>>, where: string): void {
  if (!options) return;
  for (const [name, kind] of Object.entries(kinds)) {
    const v = (options as Record<string, unknown>)[name];
    if (v === undefined) continue;
    // The kinds positional arguments also have are checked by the same functions (arguments.ts).
    if (Array.isArray(kind)) oneOfArg(where, name, v, kind, undefined);
    else if (kind === 'positiveInteger') integerArg(where, name, v, undefined, 1);
    else if (kind === 'nonNegativeInteger') integerArg(where, name, v, undefined, 0);
    else if (kind === 'boolean') booleanArg(where, name, v, false);
    else if (kind === 'string') stringArg(where, name, v);
    else if (kind === 'nonNegativeNumber' ? !(typeof v === 'number' && v >= 0) : kind === 'object' ? typeof v !== 'object' || v === null : typeof v !== kind) {
      const wanted = kind === 'nonNegativeNumber' ? 'a number >= 0' : kind === 'object' ? 'an object' : `a ${kind}`;
      throw createError('INVALID_ARGUMENT', `${where}: ${name} must be ${wanted}, got ${describeValue(v)}`, { argument: name });
    }
  }
}
