import { test, expect, signIn, waitForHydration } from '../harness/fixtures';
import type { Browser, Page } from '@playwright/test';

// A supervisor adds a caseworker (mistakes first), reads the first
// password shown once, and gives them a case; the new caseworker signs in
// with it and finds the case on their caseload. Each project adds its own
// person and gives a case no other journey asks the caseworker of.
const mine = {
  hydrated: { name: 'Riley Park', email: 'riley.park@agency.example', case: 'CS-2025-007741' },
  'no-js': { name: 'Quinn Dale', email: 'quinn.dale@agency.example', case: 'CS-2016-000388' },
};

async function freshPage(browser: Browser, hydrated: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  return context.newPage();
}

test('a supervisor adds a caseworker and gives them a case', async ({ page, visit, hydrated, browser }, info) => {
  test.setTimeout(60_000);
  const me = mine[info.project.name as keyof typeof mine];
  await signIn(page, hydrated, 'supervisor@example.com');
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await visit('/staff');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff');
  await expect(page.getByRole('row', { name: /Alex Morgan/ })).toContainText('Caseworker');

  // Mistakes: each field says so; nobody is added.
  await page.getByLabel('Full name').fill(' ');
  await page.getByLabel('E-mail address').fill('');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByLabel('Full name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Full name').fill(me.name);
  await page.getByLabel('E-mail address').fill(me.email);
  await page.getByLabel('Role', { exact: true }).selectOption('caseworker');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const password = page.locator('[data-figure="first-password"]');
  await expect(password).toHaveText(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);
  const first = (await password.textContent()) ?? '';
  await expect(page.getByRole('row', { name: new RegExp(me.name) })).toContainText('Active');
  await page.screenshot({ path: `test-results/staff-${info.project.name}.png`, fullPage: true });
  // Shown once: opened again, the desk no longer has it.
  await visit('/staff');
  await expect(page.locator('[data-figure="first-password"]')).toHaveCount(0);

  // The case goes to them.
  await visit(`/caseload/${me.case}`);
  await page.getByLabel('Caseworker', { exact: true }).selectOption({ label: me.name });
  await page.getByRole('button', { name: 'Give the case' }).click();
  await expect(page.getByLabel('Caseworker', { exact: true })).toHaveValue(/\d+/);
  await expect(page.getByLabel('Caseworker', { exact: true }).locator('option:checked')).toHaveText(me.name);

  // They sign in with the first password and find it.
  const newcomer = await freshPage(browser, hydrated);
  await signIn(newcomer, hydrated, me.email, first);
  await newcomer.goto('/caseload');
  await expect(newcomer.getByRole('link', { name: me.case })).toBeVisible();
  await expect(newcomer.getByText('1 cases')).toBeVisible();
  await newcomer.context().close();
});
