import { test, expect, waitForHydration } from '../harness/fixtures';
import type { Page } from '@playwright/test';

// The agency's side of a case: find it on the caseload, read the parents'
// contact details, post a payment (a mistake first, then a review, then the
// confirmation), see it on the card, and reverse it with a reason. The
// supervisor acts (the caseworkers enrol a second factor in another journey
// at the same time); each project works on a case no other journey counts.
const PASSWORD = 'portal-demo-2026';
const cases = {
  hydrated: { search: 'Walsh', number: 'CS-2018-001205', phone: '(312) 555-0105' },
  'no-js': { search: 'Price', number: 'CS-2016-000388', phone: '(312) 555-0107' },
};

async function signIn(page: Page, hydrated: boolean) {
  await page.goto('/login');
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('E-mail address').fill('supervisor@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

function money(text: string | null): number {
  return Number((text ?? '').replace(/[$,]/g, ''));
}

test('the agency posts a payment after reviewing it, then reverses it', async ({ page, visit, hydrated }, info) => {
  const mine = cases[info.project.name as keyof typeof cases];
  await signIn(page, hydrated);

  await visit('/caseload');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Caseload');
  await page.getByLabel("Case number or a parent's name").fill(mine.search);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('1 cases')).toBeVisible();
  await page.getByRole('link', { name: mine.number }).click();
  await expect(page).toHaveURL(new RegExp(`/caseload/${mine.number}$`));
  if (hydrated) await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Agency file ${mine.number}`);
  await expect(page.getByRole('link', { name: mine.phone })).toBeVisible();
  const owed = money(await page.locator('[data-figure="owed"]').textContent());

  // A payment with mistakes: each field says what is wrong, nothing is posted.
  await page.getByRole('link', { name: 'Post a payment' }).click();
  if (hydrated) await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Post a payment');
  await page.getByLabel('Amount').fill('12,5.0.0');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText('Enter an amount in dollars and cents, like 125.50.')).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Date received')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('How it was paid')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `test-results/posting-errors-${info.project.name}.png`, fullPage: true });

  // Corrected, reviewed, confirmed.
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
  await page.getByLabel('Amount').fill('75.00');
  await page.getByLabel('Date received').fill(today);
  await page.getByLabel('How it was paid').selectOption('direct');
  await page.getByLabel('Reference').fill(`money order ${info.project.name}`);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('heading', { name: 'Check before you confirm' })).toBeVisible();
  await expect(page.locator('[data-figure="review-amount"]')).toHaveText('$75.00');
  expect(money(await page.locator('[data-figure="balance-after"]').textContent())).toBeCloseTo(
    money(await page.locator('[data-figure="balance-before"]').textContent()) - 75,
    2,
  );
  await visit(new URL(page.url()).pathname + new URL(page.url()).search);
  await page.screenshot({ path: `test-results/posting-review-${info.project.name}.png`, fullPage: true });
  await page.getByRole('button', { name: 'Confirm and post' }).click();
  await expect(page).toHaveURL(new RegExp(`/caseload/${mine.number}\\?posted=\\d+$`));
  await expect(page.getByText('Posted. The balance below includes it.')).toBeVisible();
  await expect(page.locator('[data-figure="owed"]')).toHaveText(
    `$${Math.max(owed - 75, 0).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  );
  const row = page.locator('table.entries tbody tr').filter({ hasText: `money order ${info.project.name}` });
  await expect(row).toContainText('$75.00');

  // Reversed with a reason: the entry is marked, the balance is back.
  await row.getByRole('link', { name: /Reverse/ }).click();
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('Effective date').fill(today);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Reason').fill('Money order returned unpaid');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('heading', { name: 'Check before you confirm' })).toBeVisible();
  await page.getByRole('button', { name: 'Confirm and post' }).click();
  await expect(page.getByText('Posted. The balance below includes it.')).toBeVisible();
  await expect(page.locator('[data-figure="owed"]')).toHaveText(
    `$${owed.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  );
  await expect(row).toContainText('reversed later');
  await visit(new URL(page.url()).pathname);
  await page.screenshot({ path: `test-results/case-file-${info.project.name}.png`, fullPage: true });
});
