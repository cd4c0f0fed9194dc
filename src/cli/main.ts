// The `pagesense` command. One verb per job, flags with defaults in --help, a one-line
// reason and a non-zero exit for a user's mistake (never a stack trace).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built package's folder: cli.js sits in dist/, beside the files a page loads. */
const DIST = dirname(fileURLToPath(import.meta.url));

/** What a page downloads from the package; `pagesense assets` copies exactly these. */
const BROWSER_FILES = (): string[] =>
  readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter(
    (f) => !f.startsWith('types') && f !== 'cli.js' && !f.startsWith('cli.js') && statSync(join(DIST, f)).isFile(),
  );

const HELP = `pagesense — semantic search that runs entirely inside a web page

Usage:
  pagesense <command> [options]

Commands:
  assets <dir>     Copy the files a page without a bundler loads (index.js, core.js,
                   the two workers, ort/ with onnxruntime-web's .mjs and .wasm) into <dir>.
                   Import <dir>/index.js from a <script type="module">.

Options:
  -h, --help       Show this help and exit.
  -v, --version    Print the version and exit.

Bundlers (Vite, webpack 5) need no command: they find the workers and ort/ files themselves.
Docs: README.md in the package.`;

class UsageError extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(DIST, '../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function assets(args: string[]): string {
  const [dir, ...rest] = args;
  if (!dir || dir.startsWith('-')) throw new UsageError('assets needs a folder: pagesense assets <dir>');
  if (rest.length) throw new UsageError(`assets takes one folder, got also: ${rest.join(' ')}`);
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
  mkdirSync(target, { recursive: true });
  let bytes = 0;
  const files = BROWSER_FILES();
  for (const f of files) {
    mkdirSync(dirname(join(target, f)), { recursive: true });
    cpSync(join(DIST, f), join(target, f));
    bytes += statSync(join(DIST, f)).size;
  }
  return `copied ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) into ${relative(process.cwd(), target) || '.'}`;
}

export function run(argv: string[]): { code: number; out: string } {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { code: 0, out: HELP };
    if (command === '-v' || command === '--version') return { code: 0, out: version() };
    if (command === 'assets') return { code: 0, out: assets(args) };
    throw new UsageError(`unknown command "${command}"; commands: assets (see pagesense --help)`);
  } catch (err) {
    if (err instanceof UsageError) return { code: 2, out: `pagesense: ${err.message}` };
    return { code: 1, out: `pagesense: ${(err as Error).message}` };
  }
}

const result = run(process.argv.slice(2));
(result.code === 0 ? process.stdout : process.stderr).write(result.out + '\n');
process.exitCode = result.code;
