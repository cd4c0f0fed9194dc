// The `pagesense` command's flags: one table per verb, from which the parser
// (node:util parseArgs, strict), each verb's --help and the README's flag tables
// (checked by a test) all come. A flag is the kebab-case name of the option it sets;
// renamed flags keep their old name as an alias for one version, said in --help.
import { parseArgs } from 'node:util';
import { nearestName } from '../core/options.ts';

export interface FlagSpec {
  /** '--max-tokens'. */
  flag: string;
  /** The API option it sets (createIndexer's, or index()'s), when there is one. */
  option?: string;
  /** What follows the flag ('<n>'); none for a switch. */
  value?: string;
  /** The default, as --help prints it. */
  default: string;
  help: string;
  /** Old names, accepted for one more version. */
  aliases?: string[];
}

export interface CommandSpec {
  name: string;
  /** 'index <dir>'. */
  usage: string;
  /** One line for `pagesense --help`. */
  brief: string;
  summary: string;
  flags: readonly FlagSpec[];
  /** Lines after the flags. */
  notes?: string;
}

/** A mistake on the command line: one line, exit 2, never a stack trace. */
export class UsageError extends Error {}

const HELP_FLAG: FlagSpec = { flag: '--help', default: '', help: 'Show this help and exit.' };

export function commandHelp(c: CommandSpec): string {
  const flags = [...c.flags, HELP_FLAG];
  const left = flags.map((f) => `${[f.flag, ...(f.aliases ?? [])].join(', ')}${f.value ? ` ${f.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = flags.map((f, i) => {
    const extra = [f.default ? `default: ${f.default}` : '', f.aliases?.length ? `${f.aliases.join(', ')}: old name, kept for one version` : '']
      .filter(Boolean)
      .join('; ');
    return `  ${left[i]!.padEnd(width)}${f.help}${extra ? ` (${extra})` : ''}`;
  });
  return [`Usage: pagesense ${c.usage} [options]`, '', c.summary, '', 'Options:', ...lines, ...(c.notes ? ['', c.notes] : [])].join('\n');
}

export interface ParsedFlags {
  /** Values by flag name without dashes ('max-tokens'); switches are true when given. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses args against a command's flags; aliases land under the new name; a mistake is a UsageError naming the command once. */
export function parseFlags(c: CommandSpec, args: readonly string[]): ParsedFlags {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  const canonical = new Map<string, string>();
  for (const f of c.flags) {
    for (const name of [f.flag, ...(f.aliases ?? [])]) {
      options[name.slice(2)] = { type: f.value ? 'string' : 'boolean' };
      canonical.set(name.slice(2), f.flag.slice(2));
    }
  }
  // parseArgs takes '--dtype --out x' as dtype '--out'; a value that looks like a flag is a missing value here.
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.startsWith('--') ? args[i]!.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && (args[i + 1] === undefined || args[i + 1]!.startsWith('-'))) {
      throw new UsageError(`--${name} needs a value (see pagesense ${c.name} --help)`);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    const unknown = /Unknown option '([^']+)'/.exec((err as Error).message)?.[1];
    if (unknown) {
      const near = nearestName(unknown.replace(/^-+/, ''), [...canonical.keys()]);
      throw new UsageError(`unknown flag ${unknown}${near ? ` (did you mean --${canonical.get(near)}?)` : ''} (see pagesense ${c.name} --help)`);
    }
    throw new UsageError(`${(err as Error).message} (see pagesense ${c.name} --help)`);
  }
  const values: ParsedFlags['values'] = {};
  for (const [k, v] of Object.entries(parsed.values)) values[canonical.get(k) ?? k] = v as string | boolean;
  return { values, positionals: parsed.positionals };
}

/** A flag's value as a whole number >= min. */
export function wholeNumber(c: CommandSpec, values: ParsedFlags['values'], name: string, min: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} needs a whole number >= ${min}, got ${String(v)} (see pagesense ${c.name} --help)`);
  return n;
}
