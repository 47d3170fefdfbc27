// Draws the installed app's icons from public/favicon.svg with Debian's
// Chromium: 192 and 512 px, and a 512 px maskable one (the mark inside the
// safe zone, on a full-bleed background, as Android crops it to any shape).
// Run after changing the favicon: node end2end/harness/app-icons.mjs
import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const svg = readFileSync(path.join(repo, 'public', 'favicon.svg'), 'utf8');
const mark = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
const THEME = '#1d4f91';

const icons = [
  { file: 'icon-192.png', size: 192, inset: 0, background: 'transparent' },
  { file: 'icon-512.png', size: 512, inset: 0, background: 'transparent' },
  // The safe zone of a maskable icon is the middle 80%.
  { file: 'maskable-512.png', size: 512, inset: 0.12, background: THEME },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? execSync('command -v chromium', { encoding: 'utf8' }).trim(),
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  for (const icon of icons) {
    const pad = Math.round(icon.size * icon.inset);
    await page.setViewportSize({ width: icon.size, height: icon.size });
    await page.setContent(
      `<body style="margin:0;background:${icon.background}">` +
        `<img src="${mark}" style="display:block;margin:${pad}px;width:${icon.size - 2 * pad}px;height:${icon.size - 2 * pad}px"></body>`,
    );
    await page.screenshot({ path: path.join(repo, 'public', 'icons', icon.file), omitBackground: true });
    console.log(`public/icons/${icon.file}`);
  }
} finally {
  await browser.close();
}
