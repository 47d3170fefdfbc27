import { test, expect } from '../harness/fixtures';

// A visitor, signed out, looks for how to ask for a change of support: from
// the home page, and from the search box, in English and in Spanish.

test('a visitor finds how to ask for a change of support from the home page', async ({ page, visit }) => {
  await visit('/');
  await page.getByRole('link', { name: 'How do I ask to change my support?' }).click();
  await expect(page).toHaveURL(/\/advice\/change-of-support$/);
  await visit('/advice/change-of-support');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How to ask for a change of support');
  await expect(page).toHaveTitle(/change of support/);
  // The agency's own threshold, not a placeholder.
  await expect(page.locator('.advice-body')).toContainText('15%');
  await expect(page.locator('.advice-body')).not.toContainText('{{');
  await expect(page.getByRole('link', { name: 'Ask for a change of support' })).toBeVisible();
  await page.screenshot({ path: `test-results/advice-article-${test.info().project.name}.png`, fullPage: true });
  // A word it uses, explained in the glossary.
  await page.locator('.advice-body').getByRole('link', { name: /arrears|order/i }).first().click();
  await expect(page).toHaveURL(/\/advice\/glossary#/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Words we use');
});

test('a visitor searches for it, and finds suggestions when nothing matches', async ({ page, visit }) => {
  await visit('/advice');
  await page.getByLabel('Search advice and the words we use').fill('how do I ask to change my support');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/advice\?q=/);
  const hits = page.locator('ol.hits > li');
  await expect(hits.first()).toBeVisible();
  const first = await hits.locator('a').allTextContents();
  expect(first.slice(0, 3)).toContain('How to ask for a change of support');
  await page.screenshot({ path: `test-results/advice-search-${test.info().project.name}.png`, fullPage: true });

  await visit('/advice?q=zzqqxx');
  await expect(page.getByText('Nothing matched. These answer most questions:')).toBeVisible();
  await expect(page.getByRole('link', { name: 'write a message' })).toBeVisible();
});

test('en español: la búsqueda entiende acentos y mayúsculas', async ({ page, visit }) => {
  await visit('/');
  await page.getByRole('link', { name: 'Español' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.getByRole('link', { name: '¿Cómo pido un cambio de mi manutención?' }).click();
  await expect(page).toHaveURL(/\/advice\/change-of-support$/);
  const title = await page.getByRole('heading', { level: 1 }).textContent();
  expect(title).toMatch(/cambio/i);
  await visit('/advice?q=CAMBIO%20MANUTENCION');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  const hits = await page.locator('ol.hits > li > a').allTextContents();
  expect(hits.slice(0, 3)).toContain(title ?? '');
  await page.screenshot({ path: `test-results/advice-es-${test.info().project.name}.png`, fullPage: true });
  // Back to English for the other journeys of this browser context.
  await page.getByRole('link', { name: 'English' }).click();
});
