import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { recordInBenchmarks } from '../harness/benchmarks-doc';
import { chromiumPath } from '../harness/chromium';
import { demoSessionCookie } from '../harness/demo-session';

// The budgets of the installed app (issue: phone): performance ≥ 90,
// accessibility 100, best practices 100, on the parent's overview and an
// advice article, with Lighthouse's mobile emulation and throttling.
const BUDGET = { performance: 90, accessibility: 100, 'best-practices': 100 } as const;
const PAGES = [
  { name: 'overview', path: '/dashboard', signedIn: true },
  { name: 'advice article', path: '/advice/change-of-support', signedIn: false },
];

const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift'];

const out = path.resolve(__dirname, '..', 'test-results', 'lighthouse');

test('Lighthouse scores of the overview and an advice article', async () => {
  const base = process.env.PORTAL_BASE_URL!;
  const cookie = await demoSessionCookie(base);
  mkdirSync(out, { recursive: true });
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const lines: string[] = [];
  const rows: string[] = [];
  try {
    for (const page of PAGES) {
      const result = await lighthouse(`${base}${page.path}`, {
        port: chrome.port,
        output: 'html',
        logLevel: 'error',
        onlyCategories: Object.keys(BUDGET),
        extraHeaders: page.signedIn ? { Cookie: cookie } : undefined,
      });
      if (!result) throw new Error(`no result for ${page.path}`);
      const file = path.join(out, `${page.name.replace(/ /g, '-')}.html`);
      writeFileSync(file, result.report as string);
      const scores = Object.fromEntries(
        Object.keys(BUDGET).map((category) => [category, Math.round((result.lhr.categories[category].score ?? 0) * 100)]),
      );
      lines.push(`${page.name} (${page.path}): ${Object.entries(scores).map(([c, s]) => `${c} ${s}`).join(', ')}`);
      const metrics = METRICS.map((id) => (result.lhr.audits[id]?.displayValue ?? '?').replace(/\u00a0/g, ' '));
      rows.push(`| ${page.name} (\`${page.path}\`) | ${Object.values(scores).join(' | ')} | ${metrics.join(' | ')} |`);
      for (const [category, least] of Object.entries(BUDGET)) {
        const failing = Object.values(result.lhr.audits)
          .filter((audit) => audit.score !== null && audit.score < 1 && result.lhr.categories[category].auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0))
          .map((audit) => `${audit.id} (${audit.displayValue ?? audit.score})`);
        expect.soft(scores[category], `${page.name} ${category}; below full marks: ${failing.join(', ')}`).toBeGreaterThanOrEqual(least);
      }
    }
    recordInBenchmarks('lighthouse', [
      '| page | performance | accessibility | best practices | FCP | LCP | TBT | CLS |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ]);
  } finally {
    await chrome.kill();
    console.log(['', 'Lighthouse (mobile, simulated throttling):', ...lines, `reports: ${out}`].join('\n'));
  }
});
