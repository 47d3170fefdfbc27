// Takes the install sheet's screenshots (public/screenshots/) of the demo
// parent's overview, narrow (390 × 844) and wide (1280 × 800), from a
// running portal with the demo data: PORTAL_BASE_URL=http://127.0.0.1:3000
// node end2end/harness/install-screenshots.mjs
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const base = process.env.PORTAL_BASE_URL ?? 'http://127.0.0.1:3000';
const shots = [
  { file: 'overview-narrow.png', width: 390, height: 844 },
  { file: 'overview-wide.png', width: 1280, height: 800 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? execSync('command -v chromium', { encoding: 'utf8' }).trim(),
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, baseURL: base });
    await page.goto('/login');
    await page.getByLabel('E-mail address').fill('receiving.parent@example.com');
    await page.getByLabel('Password').fill('portal-demo-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.screenshot({ path: path.join(repo, 'public', 'screenshots', shot.file) });
    console.log(`public/screenshots/${shot.file}`);
    await page.close();
  }
} finally {
  await browser.close();
}
