import { test, expect, type Browser } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { recordInBenchmarks } from '../harness/benchmarks-doc';
import { demoSessionCookie } from '../harness/demo-session';

// What a browser downloads to run the portal: the main wasm and JS, and, in
// a split build (`cargo leptos build --split`), the pieces of the page it
// opens, fetched when first needed. Each first page below is opened in
// a fresh browser, the scripts and wasm it fetched until it was hydrated are
// noted, and their sizes are measured raw and as gzip (-9) and brotli
// (quality 11) send them, against the budget. Written into docs/BENCHMARKS.md.
const BUDGET_BROTLI = 250 * 1024; // wasm + JS the first page loads

const FIRST_PAGES = [
  { name: 'home', path: '/', signedIn: false },
  { name: 'sign-in', path: '/login', signedIn: false },
  { name: "parent's overview", path: '/dashboard', signedIn: true },
  { name: 'advice article', path: '/advice/change-of-support', signedIn: false },
];

const repo = path.resolve(__dirname, '..', '..');
const pkg = path.join(process.env.LEPTOS_SITE_ROOT ?? path.join(repo, 'target', 'site'), 'pkg');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

type Sizes = { raw: number; gzip: number; brotli: number };

function sizes(file: string): Sizes {
  const bytes = readFileSync(path.join(pkg, file));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const sum = (entries: Sizes[]): Sizes =>
  entries.reduce((all, one) => ({ raw: all.raw + one.raw, gzip: all.gzip + one.gzip, brotli: all.brotli + one.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });

const row = (label: string, size: Sizes, files?: number) =>
  `| ${label} | ${files ?? ''} | ${kib(size.raw)} | ${kib(size.gzip)} | ${kib(size.brotli)} |`;

/** The bundle's files (`/pkg/…` wasm and JS) a fresh browser fetched to open and hydrate `address`. */
async function filesOfFirstVisit(browser: Browser, address: string, cookie?: string): Promise<string[]> {
  // No service worker: on install it fetches every piece for offline use,
  // which is not what opening the page costs.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  if (cookie) {
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url: address }]);
  }
  const fetched = new Set<string>();
  context.on('requestfinished', (request) => {
    const { pathname } = new URL(request.url());
    if (/^\/pkg\/[^/]+\.(wasm|js)$/.test(pathname)) fetched.add(pathname.slice('/pkg/'.length));
  });
  const page = await context.newPage();
  const response = await page.goto(address);
  expect(response?.status(), address).toBe(200);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.waitForLoadState('networkidle');
  await context.close();
  return [...fetched].sort();
}

test('client size: wasm + JS of each first page within the brotli budget', async ({ browser }) => {
  test.setTimeout(240_000);
  const base = process.env.PORTAL_BASE_URL!;
  const cookie = await demoSessionCookie(base);
  const measured = new Map<string, Sizes>();
  const measure = (file: string) => {
    if (!measured.has(file)) measured.set(file, sizes(file));
    return measured.get(file)!;
  };

  const rows: string[] = [];
  let heaviest = 0;
  for (const first of FIRST_PAGES) {
    const files = await filesOfFirstVisit(browser, `${base}${first.path}`, first.signedIn ? cookie : undefined);
    expect(files, `${first.path} loads the main bundle`).toEqual(expect.arrayContaining(['portal.wasm', 'portal.js']));
    const total = sum(files.map(measure));
    heaviest = Math.max(heaviest, total.brotli);
    rows.push(row(`first visit: ${first.name} (\`${first.path}\`)`, total, files.length));
  }

  const pieces = readdirSync(pkg).filter((file) => /\.(wasm|js)$/.test(file) && !/^portal\.(wasm|js)$/.test(file));
  const within = heaviest <= BUDGET_BROTLI;
  const table = [
    '| what the browser fetches | files | raw | gzip -9 | brotli 11 |',
    '|---|---:|---:|---:|---:|',
    row('main wasm (`portal.wasm`)', measure('portal.wasm'), 1),
    row('main JS (`portal.js`)', measure('portal.js'), 1),
    row('stylesheet (`portal.css`)', measure('portal.css'), 1),
    ...rows,
    // Only a split build (`cargo leptos build --split`) has pieces.
    ...(pieces.length > 0
      ? [row('every page piece and shared chunk, for reference', sum(pieces.map(measure)), pieces.length)]
      : []),
    '',
    `Budget: wasm + JS of the first page ≤ ${kib(BUDGET_BROTLI)} brotli — ${
      within ? 'met' : `**not met**: ${kib(heaviest - BUDGET_BROTLI)} over`
    } (heaviest first page: ${kib(heaviest)}).`,
  ];
  console.log(table.join('\n'));
  recordInBenchmarks('client-size', table);
  expect(heaviest, 'brotli bytes of the heaviest first page').toBeLessThanOrEqual(BUDGET_BROTLI);
});
