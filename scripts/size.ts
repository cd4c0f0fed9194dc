// `npm run size`: brotli bytes of every file a page downloads from the built package
// (dist/), against the budgets in size-budget.json. Over budget exits 1, so `npm test`
// fails. An entry counts the chunks it imports statically, as a browser fetches them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const DIST = 'dist';
const budgets = JSON.parse(readFileSync('size-budget.json', 'utf8')) as { files: Record<string, number> };

/** The file and every chunk it imports statically (relative ESM imports only, as the build writes them). */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(DIST, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'`]\.\/([^"'`]+\.js)["'`]/g)) closure(m[1]!, seen);
  return seen;
}

function brotli(bytes: Buffer): number {
  // Quality 11 is what static hosts precompress with; the 27 MB wasm takes long at 11, so 9 (within ~2% of 11).
  const quality = bytes.length > 4e6 ? 9 : 11;
  return brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
let over = 0;
const rows: string[] = [];
/** A budget key names a file, or (with a `*`) the one content-hashed chunk that matches it, such as a lazily loaded one. */
function resolveEntry(key: string): string {
  if (!key.includes('*')) return key;
  const re = new RegExp(`^${key.replace(/[.]/g, '\\.').replace('*', '[^/]+')}$`);
  const found = readdirSync(DIST).filter((f) => re.test(f));
  if (found.length !== 1) throw new Error(`size: ${key} matches ${found.length} files in ${DIST}, not one`);
  return found[0]!;
}

for (const [key, budget] of Object.entries(budgets.files)) {
  const entry = resolveEntry(key);
  const files = [...closure(entry)];
  const raw = files.reduce((s, f) => s + readFileSync(join(DIST, f)).length, 0);
  const br = files.reduce((s, f) => s + brotli(readFileSync(join(DIST, f))), 0);
  const ok = br <= budget;
  if (!ok) over++;
  rows.push(
    `${ok ? 'ok  ' : 'OVER'} ${entry.padEnd(42)} ${kb(raw).padStart(11)} raw ${kb(br).padStart(10)} brotli  budget ${kb(budget).padStart(10)}${files.length > 1 ? `  (${files.length} files)` : ''}`,
  );
}
console.log(rows.join('\n'));
if (over) {
  console.error(`size: ${over} file(s) over budget; shrink them or raise the budget in size-budget.json with the reason in the commit`);
  process.exitCode = 1;
}
