import { test, expect, signIn, waitForHydration } from '../harness/fixtures';
import type { Browser, Page } from '@playwright/test';

// A receiving parent says a payment is missing and sends proof. The agency
// finds the message on its work list, looks the case up on the caseload,
// posts the payment (a mistake first, then a review, then the confirmation)
// and answers. The parent reads the answer from the notification and sees
// the new balance. Then the agency reverses the payment with a reason. The
// supervisor acts; each project works on a case no other journey counts.
const cases = {
  hydrated: {
    search: 'Walsh',
    number: 'CS-2018-001205',
    phone: '(312) 555-0105',
    parent: { email: 'erin.walsh@example.com', name: 'Erin Walsh' },
  },
  'no-js': {
    search: 'Price',
    number: 'CS-2016-000388',
    phone: '(312) 555-0107',
    parent: { email: 'olivia.price@example.com', name: 'Olivia Price' },
  },
};

/** Signs in as the supervisor unless told whom. */
const signInAs = (page: Page, hydrated: boolean, email = 'supervisor@example.com') => signIn(page, hydrated, email);

function money(text: string | null): number {
  return Number((text ?? '').replace(/[$,]/g, ''));
}

function dollars(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
}

async function parentPage(browser: Browser, hydrated: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  return context.newPage();
}

test('a parent reports a missing payment; the agency posts it, answers, then reverses it', async ({ page, visit, hydrated, browser }, info) => {
  test.setTimeout(90_000); // two people, a dozen pages
  const mine = cases[info.project.name as keyof typeof cases];

  // The parent writes, with a photo of the bank statement.
  const parent = await parentPage(browser, hydrated);
  await signInAs(parent, hydrated, mine.parent.email);
  await parent.goto(`/cases/${mine.number}`);
  const owedBefore = money(await parent.locator('[data-figure="owed"]').textContent());
  await parent.goto('/messages');
  if (hydrated) await waitForHydration(parent);
  await parent.getByLabel('What it is about').selectOption('missing_payment');
  await parent.getByLabel('Your message').fill('I paid $75.00 by money order on the 1st and it is not on my case.');
  await parent.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(parent).toHaveURL(/\/messages\/\d+$/);
  const conversation = new URL(parent.url()).pathname;
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200)]);
  await parent.getByLabel('File', { exact: true }).setInputFiles({ name: 'money order.png', mimeType: 'image/png', buffer: png });
  await parent.getByRole('button', { name: 'Send the file' }).click();
  await expect(parent.getByRole('link', { name: 'money order.png' })).toBeVisible();

  // The agency finds it waiting on the work list, with the proof.
  await signInAs(page, hydrated);
  await visit('/work');
  const waiting = page.locator('table.work tbody tr').filter({ hasText: mine.parent.name }).filter({ hasText: mine.number });
  await expect(waiting).toContainText('0 business days');
  await waiting.getByRole('link', { name: 'A payment seems missing' }).click();
  await expect(page).toHaveURL(new RegExp(`${conversation}$`));
  await expect(page.getByRole('link', { name: 'money order.png' })).toBeVisible();

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
  await expect(page.locator('[data-figure="owed"]')).toHaveText(dollars(Math.max(owed - 75, 0)));
  const row = page.locator('table.entries tbody tr').filter({ hasText: `money order ${info.project.name}` });
  await expect(row).toContainText('$75.00');

  // The agency answers the parent.
  await visit(conversation);
  const reply = `We found your money order and posted it today (${info.project.name}).`;
  await page.getByLabel('Your message').fill(reply);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.locator('.message-body').last()).toHaveText(reply);

  // The parent is told, reads the answer and sees the new balance.
  await parent.goto('/notifications');
  await parent.getByRole('link', { name: 'Your caseworker answered your message.' }).first().click();
  await expect(parent).toHaveURL(new RegExp(`${conversation}$`));
  await expect(parent.locator('.message.from-agency .message-body')).toHaveText(reply);
  await parent.goto(`/cases/${mine.number}`);
  await expect(parent.locator('[data-figure="owed"]')).toHaveText(dollars(Math.max(owedBefore - 75, 0)));
  await parent.screenshot({ path: `test-results/parent-after-posting-${info.project.name}.png`, fullPage: true });
  await parent.context().close();
  await visit(`/caseload/${mine.number}`);

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
  await expect(page.locator('[data-figure="owed"]')).toHaveText(dollars(owed));
  await expect(row).toContainText('reversed later');
  await visit(new URL(page.url()).pathname);
  await page.screenshot({ path: `test-results/case-file-${info.project.name}.png`, fullPage: true });
});
