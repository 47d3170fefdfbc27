import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { recordInBenchmarks } from '../harness/benchmarks-doc';

// What a browser downloads to run the portal: the release bundle's files,
// raw and as gzip (-9) and brotli (quality 11) send them, against the
// budget for what the first page loads. Written into docs/BENCHMARKS.md.
const BUDGET_BROTLI = 250 * 1024; // wasm + JS the first page loads

const repo = path.resolve(__dirname, '..', '..');
const pkg = path.join(process.env.LEPTOS_SITE_ROOT ?? path.join(repo, 'target', 'site'), 'pkg');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function sizes(file: string) {
  const bytes = readFileSync(path.join(pkg, file));
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

test('client size: wasm + JS of the first page within the brotli budget', async () => {
  test.setTimeout(120_000);
  // Everything but the precompressed copies and type declarations.
  const files = readdirSync(pkg)
    .filter((file) => /\.(wasm|js|css)$/.test(file))
    .sort()
    .map(sizes);
  const code = files.filter((entry) => /\.(wasm|js)$/.test(entry.file));
  const total = (key: 'raw' | 'gzip' | 'brotli') => code.reduce((sum, entry) => sum + entry[key], 0);
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
  ];
  console.log(table.join('\n'));
  recordInBenchmarks('client-size', table);
  expect(firstPage, 'brotli bytes of wasm + JS').toBeLessThanOrEqual(BUDGET_BROTLI);
});
