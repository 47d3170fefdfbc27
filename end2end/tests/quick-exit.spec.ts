import { test, expect, waitForHydration } from '../harness/fixtures';
import type { Page } from '@playwright/test';

// "Leave this site quickly": from a parent's dashboard, one press shows the
// agency's neutral site, signs out, and going Back shows nothing personal.
// With JavaScript, Esc pressed twice does the same. The neutral site is
// served by the test itself (no network needed).
const NEUTRAL = 'https://www.weather.gov/';
const CASE = 'CS-2020-004172';

async function signIn(page: Page, hydrated: boolean) {
  await page.goto('/login');
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('E-mail address').fill('paying.parent@example.com');
  await page.getByLabel('Password').fill('portal-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(CASE).first()).toBeVisible();
}

test('leaving quickly signs out and leaves nothing personal behind', async ({ page, visit, hydrated }, info) => {
  await page.context().route(`${NEUTRAL}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Forecast</h1>' }),
  );
  await signIn(page, hydrated);
  await visit('/dashboard');
  await page.setViewportSize({ width: 360, height: 740 });
  const exit = page.getByRole('link', { name: 'Leave this site quickly' });
  await expect(exit).toBeInViewport();
  await page.screenshot({ path: `test-results/quick-exit-${info.project.name}.png` });
  await exit.click();
  await expect(page).toHaveURL(NEUTRAL);
  await expect(page.getByRole('heading', { name: 'Forecast' })).toBeVisible();

  // Back: the portal asks for a sign-in; the dashboard is gone.
  await page.goBack();
  await expect(page.locator('body')).not.toContainText(CASE);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);

  if (!hydrated) return;
  // Esc twice, from anywhere on the page (heard once the page is hydrated:
  // on a busy machine the keys came before the listener did).
  await signIn(page, hydrated);
  await waitForHydration(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(NEUTRAL);
});
