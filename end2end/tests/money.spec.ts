import { test, expect, signIn, waitForHydration } from '../harness/fixtures';
import { MONEY_CASES } from '../harness/global-setup';
import type { Page } from '@playwright/test';

// Money that agrees on every path: the agency posts a payment, reverses it,
// then enters new terms from the middle of last month. The paying parent's
// dashboard, history, month table, printable statement and CSV all tell the
// same balance, to the cent, and last month is charged once. Each project
// works on a generated case no other journey reads.

function money(text: string | null): number {
  return Number((text ?? '').replace(/[$,\s]/g, ''));
}

const cents = (amount: number) => Math.round(amount * 100);

/** Where the agency is: due dates and postings are its calendar days. */
function agencyDay(date: Date): string {
  return date.toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
}

/** Rows of a CSV file, with quoted fields (a note may hold a comma). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

async function review(page: Page, hydrated: boolean, button = 'Review') {
  if (hydrated) await waitForHydration(page);
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByRole('heading', { name: 'Check before you confirm' })).toBeVisible();
}

test('a payment posted, reversed and new terms mid-month: every view of the case agrees', async ({ page, hydrated, browser }, info) => {
  test.setTimeout(90_000);
  const [number, payerEmail] = MONEY_CASES[info.project.name === 'hydrated' ? 0 : 1];
  const today = agencyDay(new Date());
  const [year, month] = today.split('-').map(Number);
  const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  const fifteenth = `${lastMonth}-15`;

  // The agency posts a payment …
  await signIn(page, hydrated, 'supervisor@example.com');
  await page.goto(`/caseload/${number}`);
  await page.getByRole('link', { name: 'Post a payment' }).click();
  await page.getByLabel('Amount').fill('75.00');
  await page.getByLabel('Date received').fill(today);
  await page.getByLabel('How it was paid').selectOption('direct');
  await page.getByLabel('Reference').fill(`money journey ${info.project.name}`);
  await review(page, hydrated);
  await page.getByRole('button', { name: 'Confirm and post' }).click();
  await expect(page.getByText('Posted. The balance below includes it.')).toBeVisible();

  // … reverses it (the bank returned it) …
  const row = page.locator('table.entries tbody tr').filter({ hasText: `money journey ${info.project.name}` });
  await row.getByRole('link', { name: /Reverse/ }).click();
  await page.getByLabel('Effective date').fill(today);
  await page.getByLabel('Reason').fill('Returned by the bank');
  await review(page, hydrated);
  await page.getByRole('button', { name: 'Confirm and post' }).click();
  await expect(row).toContainText('reversed later');

  // … and enters new terms from the middle of last month.
  await page.goto(`/caseload/${number}/order`);
  await page.getByLabel('Effective from').fill(fifteenth);
  await page.getByLabel('How often').selectOption('monthly');
  await page.getByLabel('Due day').selectOption('keep');
  await page.getByLabel('Child support per period').fill('310.00');
  await page.getByLabel('Order or docket number').fill(`FC-${info.project.name}`);
  await page.getByLabel('Reason').fill('Modified by the court');
  await review(page, hydrated);
  await page.screenshot({ path: `test-results/order-review-${info.project.name}.png`, fullPage: true });
  await page.getByRole('button', { name: 'Confirm the new terms' }).click();
  await expect(page).toHaveURL(new RegExp(`/caseload/${number}\\?changed=order$`));

  // The paying parent: every view tells the same balance.
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  const payer = await context.newPage();
  await signIn(payer, hydrated, payerEmail);
  const everything = 'from=2000-01-01';
  await payer.goto(`/cases/${number}/history?${everything}`);
  const balance = cents(money(await payer.locator('[data-figure="closing"]').textContent()));
  await payer.goto(`/cases/${number}`);
  expect(cents(money(await payer.locator('[data-figure="owed"]').textContent()))).toBe(Math.max(balance, 0));
  await payer.goto('/dashboard');
  const card = payer.locator('article.card').filter({ hasText: number });
  expect(cents(money(await card.locator('[data-figure="owed"]').textContent()))).toBe(Math.max(balance, 0));

  await payer.goto(`/cases/${number}/history?${everything}`);
  const opening = money(await payer.locator('[data-figure="opening"]').textContent());
  const due = money(await payer.locator('[data-figure="total-due"]').textContent());
  const received = money(await payer.locator('[data-figure="total-received"]').textContent());
  const takenBack = (await payer.locator('[data-figure="total-reversed"]').count())
    ? money(await payer.locator('[data-figure="total-reversed"]').textContent())
    : 0;
  expect(cents(opening + due - received + takenBack)).toBe(balance);
  await expect(payer.locator('table.ledger tbody tr').first().locator('td.balance')).toHaveText(
    (await payer.locator('[data-figure="closing"]').textContent()) ?? '',
  );
  await payer.screenshot({ path: `test-results/money-history-${info.project.name}.png`, fullPage: true });

  // The month table: each row adds up, the newest closes at the balance, and
  // last month was charged once (the old amount to the 14th, the new after).
  await payer.goto(`/cases/${number}/months?${everything}`);
  const table = payer.locator('table.months-table');
  const headers = await table.locator('thead th').allTextContents();
  const column = (name: string) => headers.indexOf(name);
  const rows = table.locator('tbody tr');
  const cells = async (n: number) => (await rows.nth(n).locator('th, td').allTextContents()).map((t) => t.trim());
  const newest = await cells(0);
  expect(cents(money(newest[column('Balance')]))).toBe(balance);
  const count = await rows.count();
  for (let n = 0; n + 1 < count; n++) {
    const [row, before] = [await cells(n), await cells(n + 1)];
    const back = column('Taken back') >= 0 ? money(row[column('Taken back')]) : 0;
    expect(
      cents(money(before[column('Balance')]) + money(row[column('Due')]) - money(row[column('Received')]) + back),
      `${row[0]} adds up`,
    ).toBe(cents(money(row[column('Balance')])));
  }
  await payer.screenshot({ path: `test-results/money-months-${info.project.name}.png`, fullPage: true });

  // The printable statement and the CSV close at the same balance.
  await payer.goto(`/cases/${number}/statement?${everything}`);
  expect(cents(money(await payer.locator('[data-figure="closing"]').textContent()))).toBe(balance);
  const csv = await payer.request.get(`/cases/${number}/history.csv?${everything}`);
  expect(csv.status()).toBe(200);
  const lines = parseCsv(await csv.text());
  const balanceColumn = lines[0].indexOf('balance');
  const changeColumn = lines[0].indexOf('change');
  expect(cents(Number(lines[lines.length - 1][balanceColumn]))).toBe(balance);
  const summed = lines.slice(2).reduce((sum, line) => sum + cents(Number(line[changeColumn])), cents(Number(lines[1][balanceColumn])));
  expect(summed).toBe(balance);
  await context.close();
});
