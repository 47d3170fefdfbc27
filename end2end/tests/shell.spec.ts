import { test, expect } from '../harness/fixtures';

test('the home page shows the agency and the portal, with and without JavaScript', async ({ page, visit }) => {
  const response = await visit('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/Child Support Portal/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('banner')).toContainText('Riverside County Child Support Services');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your child support, in plain words');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText('1-800-555-0142');
  await expect(page.getByRole('contentinfo')).toContainText('Monday to Friday, 8 am to 5 pm');
});

test('an unknown address answers 404 with a helpful page', async ({ page, visit }) => {
  const response = await visit('/there/is/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your child support, in plain words');
});

test('the hydration marker appears only when JavaScript runs', async ({ page, visit, hydrated }) => {
  await visit('/');
  const marker = page.locator('body[data-hydrated]');
  if (hydrated) {
    await expect(marker).toHaveCount(1);
  } else {
    await page.waitForLoadState('load');
    await expect(marker).toHaveCount(0);
  }
});

test('a parent can switch to Spanish and back', async ({ page, visit }) => {
  await visit('/');
  await page.getByRole('link', { name: 'Español' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Su manutención de menores, en palabras sencillas',
  );
  await expect(page.getByRole('contentinfo')).toContainText('Horario de atención');
  await expect(page.getByRole('contentinfo')).toContainText('De lunes a viernes, de 8 a. m. a 5 p. m.');

  // The choice is remembered on the next visit.
  await visit('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');

  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your child support, in plain words');
});

test('keyboard users can skip straight to the content', async ({ page, visit }) => {
  await visit('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
});
