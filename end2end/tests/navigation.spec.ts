import { test, expect, signIn, waitForHydration } from '../harness/fixtures';
import type { Page } from '@playwright/test';

// Page to page in one document: with JavaScript the islands router fetches
// the next page and patches it in (patches/README.md); without, every link
// and form is a page load as before. The marker is a property of the
// document's window: a full load would lose it.
const CASE = 'CS-2020-004172';

async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { portalDocument: string }).portalDocument = 'first'));
}

async function expectSameDocument(page: Page, hydrated: boolean) {
  if (!hydrated) return;
  const marker = await page.evaluate(() => (window as unknown as { portalDocument?: string }).portalDocument);
  expect(marker, 'no page load since the first').toBe('first');
}

/** After a navigation: at the top, the heading focused, the title said. */
async function expectArrived(page: Page, hydrated: boolean, heading: string) {
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toHaveText(heading);
  await expect(page).toHaveTitle(new RegExp(CASE));
  if (!hydrated) return;
  await expect(h1).toBeFocused();
  await expect(page.locator('#leptos-route-announcer')).toHaveText(await page.title());
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

test('a parent goes from page to page, back and forward, in one document', async ({ page, visit, hydrated }, info) => {
  await visit('/login');
  await markDocument(page).catch(() => undefined);
  await page.locator('main input[name="email"]').fill('receiving.parent@example.com');
  await page.locator('main input[name="password"]').fill('portal-demo-2026');
  await page.locator('main button[type="submit"]').first().click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My cases');

  await page.getByRole('article', { name: CASE }).getByRole('link', { name: CASE }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}$`));
  await expectArrived(page, hydrated, `Case ${CASE}`);

  // Read down the case page, then on to its history.
  await page.evaluate(() => window.scrollTo(0, 400));
  const scrolled = await page.evaluate(() => window.scrollY);
  // Clicked where it is, without scrolling to it first.
  await page.getByRole('link', { name: 'History', exact: true }).dispatchEvent('click');
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}/history$`));
  await expectArrived(page, hydrated, `History · ${CASE}`);
  const rows = page.locator('table.ledger tbody tr');
  await expect(rows).toHaveCount(50);

  // A filter (a GET form) keeps fewer lines: none of the old rows stay.
  await page.getByLabel('Kind').selectOption('received');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/kind=received/);
  const descriptions = page.locator('table.ledger tbody tr td:nth-child(2)');
  await expect(descriptions.first()).toHaveText(/^Payment/);
  for (const text of await descriptions.allInnerTexts()) expect(text).toMatch(/^Payment/);

  // Back: the unfiltered history, then the case page where it was read.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}/history$`));
  await expect(rows).toHaveCount(50);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Case ${CASE}`);
  if (hydrated) await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`/cases/${CASE}/history$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`History · ${CASE}`);

  // A link to a place on the page stays on the page.
  await page.getByRole('link', { name: 'Skip to main content' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(rows).toHaveCount(50);
  await expectSameDocument(page, hydrated);
  await page.screenshot({ path: `test-results/navigation-history-${info.project.name}.png` });
});

test('forms send their file and their pressed button; the language switch rebuilds the islands', async ({ page, hydrated }) => {
  await signIn(page, hydrated, 'behind.parent@example.com');
  await markDocument(page).catch(() => undefined);

  // A conversation, then a file sent with it (a multipart form).
  await page.getByRole('link', { name: 'Messages', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Messages');
  await page.getByLabel('What it is about').selectOption('missing_payment');
  await page.getByLabel('Your message').fill('Has my last payment arrived?');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page).toHaveURL(/\/messages\/\d+$/);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200)]);
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Send the file' }).click();
  const file = page.getByRole('link', { name: 'receipt.png' });
  await expect(file).toBeVisible();
  const sent = await page.request.get((await file.getAttribute('href')) ?? '');
  expect(sent.status()).toBe(200);
  expect((await sent.body()).length).toBe(png.length);

  // The other language: the page and its islands (the quick exit) in it.
  await page.getByRole('link', { name: 'Español' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.locator('.quick-exit')).toHaveText('Salir rápido de este sitio');
  if (hydrated) {
    // The rebuilt island works: Esc twice leaves.
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('.quick-exit')).toHaveText('Leave this site quickly');
  await expectSameDocument(page, hydrated);
});

test('the pressed button of the advice editor is sent', async ({ page, hydrated }) => {
  await signIn(page, hydrated, 'supervisor@example.com');
  await page.goto('/staff/advice');
  if (hydrated) await waitForHydration(page);
  await markDocument(page).catch(() => undefined);
  // An article the editing journey leaves alone.
  await page.locator('main table a[href^="/staff/advice/"]').last().click();
  await expect(page).toHaveURL(/\/staff\/advice\/(en|es)\//);
  // Publish without a title: the server read the button (publish checks
  // the title; a preview would not) and says so at the field.
  const title = page.getByLabel('Title', { exact: true });
  await title.fill('');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#fields\\[title\\]-error')).toHaveText('This is required.');
  await expectSameDocument(page, hydrated);
});

test('offline, a link to a page this device never kept shows the offline page', async ({ page, hydrated, context }) => {
  test.skip(!hydrated, 'a service worker needs JavaScript');
  await signIn(page, hydrated, 'paying.parent@example.com');
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
  await markDocument(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Messages', exact: true }).first().click();
  await expect(page).toHaveURL(/\/offline$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not saved on this device');
  await context.setOffline(false);
});
