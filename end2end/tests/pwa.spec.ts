import { test, expect, chooseLanguage, signIn, waitForHydration } from '../harness/fixtures';
import type { Page } from '@playwright/test';

// The installed app: a valid manifest, a service worker that takes over,
// the last known overview and history offline (with the banner), and
// nothing personal once the parent has signed out. Service workers need
// JavaScript: the no-JS project checks only that the manifest is linked.

const CASE = 'CS-2020-004172';

async function serviceWorkerInControl(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
}

/** Waits until the service worker has kept `path` for this reader. */
async function kept(page: Page, path: string) {
  await expect
    .poll(
      () =>
        page.evaluate(async (path) => {
          const cache = await caches.open('personal-pages');
          return (await cache.match(new URL(path, location.origin).href)) !== undefined;
        }, path),
      { timeout: 15_000 },
    )
    .toBe(true);
}

test('the manifest is linked and describes an installable app', async ({ page, visit, request }) => {
  await visit('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#1d4f91');

  const response = await request.get(href!);
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  const manifest = await response.json();
  expect(manifest.name).toBe('Riverside Child Support');
  expect(manifest.short_name).toBe('Child Support');
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('/dashboard');
  expect(manifest.theme_color).toBe('#1d4f91');
  // Every icon and screenshot is there, a PNG of the size it claims.
  const images = [...manifest.icons, ...manifest.screenshots];
  expect(manifest.icons.map((icon: { purpose: string }) => icon.purpose)).toContain('maskable');
  expect(manifest.screenshots.map((shot: { form_factor: string }) => shot.form_factor).sort()).toEqual(['narrow', 'wide']);
  for (const image of images) {
    const file = await request.get(image.src);
    expect(file.status(), image.src).toBe(200);
    expect(file.headers()['content-type']).toBe('image/png');
    const png = await file.body();
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(`${width}x${height}`, image.src).toBe(image.sizes);
  }
});

/** The bundle's script, wasm and stylesheet, as the home page links them. */
async function bundle(page: Page) {
  const href = (selector: string) => page.locator(selector).first().getAttribute('href');
  return {
    js: (await href('link[rel="modulepreload"]'))!,
    wasm: (await href('link[rel="preload"][as="fetch"]'))!,
    css: (await href('link[rel="stylesheet"]'))!,
  };
}

test('the bundle is fingerprinted and kept for good; pages are not', async ({ page, visit, request }) => {
  await visit('/');
  const files = await bundle(page);
  for (const file of Object.values(files)) {
    // portal.<hash>.js: a new build is a new name.
    expect(file).toMatch(/^\/pkg\/portal\.[A-Za-z0-9_-]{8,}\.(js|wasm|css)$/);
    const response = await request.get(file);
    expect(response.status(), file).toBe(200);
    expect(response.headers()['cache-control'], file).toBe('public, max-age=31536000, immutable');
  }
  const home = await request.get('/');
  expect(home.headers()['cache-control']).toBe('no-cache');
  const worker = await request.get('/sw.js');
  expect(worker.headers()['cache-control']).toBe('no-cache');
  expect(await worker.text(), 'the service worker keeps the fingerprinted files').toContain(`"${files.wasm}"`);
});

test('the bundle goes compressed to browsers that accept it', async ({ page, visit, request }) => {
  await visit('/');
  const files = await bundle(page);
  for (const [file, type] of [[files.wasm, 'application/wasm'], [files.js, 'text/javascript']]) {
    for (const encoding of ['br', 'gzip']) {
      const response = await request.get(file, { headers: { 'accept-encoding': encoding } });
      expect(response.status(), `${file} as ${encoding}`).toBe(200);
      expect(response.headers()['content-encoding'], `${file} as ${encoding}`).toBe(encoding);
      expect(response.headers()['content-type']).toContain(type);
    }
    const plain = await request.get(file, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers()['content-encoding']).toBeUndefined();
  }
});

test('offline, the installed app shows the last known overview and history, marked as such', async ({ page, hydrated, context }, info) => {
  test.skip(!hydrated, 'a service worker needs JavaScript');
  await signIn(page, hydrated, 'paying.parent@example.com');
  await serviceWorkerInControl(page);
  const owed = await page.locator('[data-figure="owed"]').first().innerText();
  await kept(page, '/dashboard');
  // The history, loaded through the service worker, which keeps it.
  await page.getByRole('article', { name: CASE }).getByRole('link', { name: CASE }).click();
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}/history$`));
  await kept(page, `/cases/${CASE}/history`);
  await page.goto('/dashboard');

  await context.setOffline(true);
  await page.reload();
  await waitForHydration(page);
  const notice = page.getByRole('status').filter({ hasText: 'You are offline.' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/This page shows what the portal knew on \w{3} \d+, \d{4}, \d+:\d\d [AP]M\./);
  await expect(page.locator('[data-figure="owed"]').first()).toHaveText(owed);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/offline-overview-${info.project.name}.png`, fullPage: true });

  // A link loads the kept page from the device; forms are held; a page
  // never opened here is not there.
  await page.getByRole('article', { name: CASE }).getByRole('link', { name: CASE }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Case ${CASE}`);
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}/history$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`History · ${CASE}`);
  await expect(page.getByRole('status').filter({ hasText: 'You are offline.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeDisabled();
  await page.goto('/messages');
  await expect(page).toHaveURL(/\/offline$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not saved on this device');
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}/history$`));
  await expect(page.getByRole('status').filter({ hasText: 'You are offline.' })).toBeVisible();

  // The network comes back: the kept page says so and offers the latest.
  await context.setOffline(false);
  const back = page.getByRole('status').filter({ hasText: 'You are back online.' });
  await expect(back).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeEnabled();
  await back.getByRole('link', { name: 'Show the latest figures' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`History · ${CASE}`);
  await waitForHydration(page);
  await expect(page.locator('body')).not.toHaveAttribute('data-offline');
  await expect(page.locator('.offline-notice')).toBeHidden();
});

test('a new version of the app waits until the reader reloads', async ({ page, hydrated }) => {
  test.skip(!hydrated, 'a service worker needs JavaScript');
  await page.goto('/advice');
  await waitForHydration(page);
  await serviceWorkerInControl(page);
  const prompt = page.getByRole('status').filter({ hasText: 'A new version of the portal is available.' });
  await expect(prompt).toHaveCount(0);

  // To the browser a worker script at another address is a new version, as
  // a new deploy's (whose build stamp differs) is: it installs and waits.
  await page.evaluate(() => navigator.serviceWorker.register('/sw.js?next-deploy'));
  await expect(prompt).toBeVisible();
  const controller = () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
  expect(await controller()).not.toContain('next-deploy');

  const reloaded = page.waitForEvent('load');
  await prompt.getByRole('button', { name: 'Reload to use it' }).click();
  await reloaded;
  await expect.poll(controller).toContain('next-deploy');
});

test('after signing out, nothing personal is on the device', async ({ page, hydrated, context }) => {
  test.skip(!hydrated, 'a service worker needs JavaScript');
  await signIn(page, hydrated, 'receiving.parent@example.com');
  await serviceWorkerInControl(page);
  await kept(page, '/dashboard');
  const name = 'Dana Bell';

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  const personal = await page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('personal')));
  expect(personal).toEqual([]);

  await context.setOffline(true);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/offline$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not saved on this device');
  await expect(page.locator('body')).not.toContainText(name);
  await expect(page.locator('[data-figure]')).toHaveCount(0);
  await context.setOffline(false);
});

for (const language of ['en', 'es'] as const) {
  test(`on a phone the overview shows what is owed on its first screen (${language})`, async ({ page, hydrated }, info) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await chooseLanguage(page, language);
    await signIn(page, hydrated, 'paying.parent@example.com');
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    const owed = page.locator('[data-figure="owed"]').first();
    await expect(owed).toBeVisible();
    // Above the fold: the header and quick exit leave room for the answer.
    // (Measured from the top of the page, however far it may have scrolled.)
    const bottom = await owed.evaluate((element) => element.getBoundingClientRect().bottom + window.scrollY);
    expect(bottom, 'the amount owed ends within the first screen').toBeLessThanOrEqual(844);
    await page.screenshot({ path: `test-results/phone-overview-${language}-${info.project.name}.png` });
  });
}
