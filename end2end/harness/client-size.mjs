// What a browser downloads to run the portal: the release bundle's files,
// raw and as gzip (-9) and brotli (quality 11) would send them, against the
// budget for what the first page loads. Prints a table, writes it into
// docs/BENCHMARKS.md, and exits 1 while the budget is not met.
//
//   node end2end/harness/client-size.mjs        (after a release build)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const repo = path.resolve(import.meta.dirname, '..', '..');
const pkg = path.join(process.env.LEPTOS_SITE_ROOT ?? path.join(repo, 'target', 'site'), 'pkg');
const BUDGET_BROTLI = 250 * 1024; // wasm + JS the first page loads

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const sizes = (file) => {
  const bytes = readFileSync(path.join(pkg, file));
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
};

// Everything but the precompressed copies and type declarations.
const files = readdirSync(pkg)
  .filter((file) => /\.(wasm|js|css)$/.test(file))
  .sort()
  .map(sizes);
const code = files.filter((entry) => /\.(wasm|js)$/.test(entry.file));
const total = (key) => code.reduce((sum, entry) => sum + entry[key], 0);
const firstPage = total('brotli');
const within = firstPage <= BUDGET_BROTLI;

const table = [
  '| file | raw | gzip -9 | brotli 11 |',
  '|---|---:|---:|---:|',
  ...files.map((entry) => `| \`${entry.file}\` | ${kib(entry.raw)} | ${kib(entry.gzip)} | ${kib(entry.brotli)} |`),
  `| **wasm + JS** | ${kib(total('raw'))} | ${kib(total('gzip'))} | **${kib(firstPage)}** |`,
  '',
  `Budget: wasm + JS of the first page ≤ ${kib(BUDGET_BROTLI)} brotli — ${
    within ? 'met' : `**not met**: ${kib(firstPage - BUDGET_BROTLI)} over`
  }. Without code splitting the first page loads the whole bundle.`,
].join('\n');
console.log(table);

const doc = path.join(repo, 'docs', 'BENCHMARKS.md');
const [start, end] = ['<!-- client-size -->', '<!-- /client-size -->'];
const text = readFileSync(doc, 'utf8');
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`${doc} has no ${start} … ${end} section`);
writeFileSync(doc, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
process.exit(within ? 0 : 1);
