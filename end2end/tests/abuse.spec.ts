import { test, expect, signIn } from '../harness/fixtures';
import type { Browser, Page } from '@playwright/test';
import { GUARDED_CASES } from '../harness/global-setup';
import { totpCode } from '../harness/totp';

// What an attacker would try, seen from the people it protects: a PIN alone
// does not take over an account that has a second step, and a case read
// many times by staff keeps every read on a record that stays usable.
const perProject = { hydrated: GUARDED_CASES[0], 'no-js': GUARDED_CASES[1] };
type Project = keyof typeof perProject;

async function anotherBrowser(browser: Browser, hydrated: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  return context.newPage();
}

test('a PIN reset of an account with a second step also asks for its code', async ({ page, visit, hydrated, browser }, info) => {
  const [caseNumber, email] = perProject[info.project.name as Project].reset;
  const newPassword = 'a kettle singing on the stove';

  // The parent turns on a second step and keeps a recovery code.
  await signIn(page, hydrated, email);
  await visit('/account/security');
  await page.getByRole('button', { name: 'Set up a second step' }).click();
  const key = ((await page.locator('code.key').textContent()) ?? '').replace(/\s/g, '');
  await page.getByLabel('Six-digit code from the app').fill(totpCode(key));
  await page.getByLabel('Your password').fill('portal-demo-2026');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  const recoveryCode = ((await page.locator('.recovery-codes li').first().textContent()) ?? '').trim();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);

  // The agency issues a PIN to reset the password (the parent forgot it).
  const agency = await anotherBrowser(browser, hydrated);
  await signIn(agency, hydrated, 'supervisor@example.com');
  await agency.goto(`/caseload/${caseNumber}`);
  await agency.getByRole('button', { name: /Issue a PIN to reset the password/ }).click();
  const pin = ((await agency.locator('.pin-value code').textContent()) ?? '').trim();
  expect(pin).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await agency.context().close();

  const fillReset = async (code: string) => {
    await page.getByLabel('Case number').fill(caseNumber);
    await page.getByLabel('PIN').fill(pin);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByLabel('Password again').fill(newPassword);
    await page.getByLabel(/Code from your authenticator app/).fill(code);
    await page.getByRole('button', { name: 'Create account' }).click();
  };
  // Whoever holds the PIN without the phone gets no further: the code is
  // asked for at its field, and the PIN still works for its owner.
  await visit('/activate');
  await fillReset('');
  await expect(page.getByLabel(/Code from your authenticator app/)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('This account has a second step at sign-in')).toBeVisible();
  await expect(page).toHaveURL(/\/activate/);
  await page.screenshot({ path: `test-results/pin-reset-needs-code-${info.project.name}.png`, fullPage: true });
  await fillReset(recoveryCode);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('link', { name: caseNumber })).toBeVisible();

  // The new password opens the first step only: the second is still on.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await visit('/login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\/second-step/);
  // The recovery code was used up by the reset.
  await page.getByLabel('Code').fill(recoveryCode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByLabel('Code')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Code').fill(totpCode(key, 30));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("every staff read is on the case's audit log, a page at a time", async ({ page, visit, hydrated }, info) => {
  const caseNumber = perProject[info.project.name as Project].audited;
  await signIn(page, hydrated, 'supervisor@example.com');
  // Fifty-one reads of the history: more than one page of the log.
  for (let read = 0; read < 51; read++) {
    const response = await page.request.get(`/cases/${caseNumber}/history`);
    expect(response.ok()).toBe(true);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(`/caseload/${caseNumber}`);
  const pages = page.getByRole('navigation', { name: 'Pages' });
  await expect(pages).toContainText(/Page 1 of [2-9]/);
  // Newest first: opening the case file, then the reads.
  const rows = page.locator('table.audit tbody tr');
  await expect(rows.first()).toContainText('case_opened');
  await expect(rows.nth(1)).toContainText('history_read');
  await expect(rows.nth(1)).toContainText('Morgan Reyes');
  await expect(pages.getByRole('link', { name: '← Newer' })).toHaveCount(0);
  await pages.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('audit_page') === '2');
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(/Page 2 of/);
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: '← Newer' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Pages' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `test-results/audit-pager-phone-${info.project.name}.png`, fullPage: true });
});
