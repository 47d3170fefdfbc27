import { test, expect } from '../harness/fixtures';
import type { Page } from '@playwright/test';

// The demo's stories (README), as each parent sees them, hydrated and as
// pure SSR. The demo is written relative to today, so the journeys check
// what each story guarantees, and that every page agrees with the others.
const PASSWORD = 'portal-demo-2026';

async function signIn(page: Page, visit: (path: string) => Promise<unknown>, email: string) {
  await visit('/login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** `$1,234.56` or `-$20.00` as cents. */
function cents(text: string): number {
  const match = text.match(/(-?)\$([\d,]+)\.(\d\d)/);
  if (!match) throw new Error(`no amount in "${text}"`);
  const value = Number(match[2].replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] === '-' ? -value : value;
}

/** `1234.56` (the CSV's plain numbers) as cents. */
function plainCents(text: string): number {
  const [whole, fraction = '0'] = text.split('.');
  const value = Math.abs(Number(whole)) * 100 + Number(fraction.padEnd(2, '0'));
  return text.startsWith('-') ? -value : value;
}

async function figure(page: Page, name: string, within = page.locator('body')): Promise<number> {
  return cents(await within.locator(`[data-figure="${name}"]`).first().innerText());
}

test('the on-time payer sees his order, the next payment and nothing overdue', async ({ page, visit }, info) => {
  await signIn(page, visit, 'paying.parent@example.com');
  const card = page.getByRole('article', { name: 'CS-2020-004172' });
  await expect(card.getByText('the paying parent')).toBeVisible();
  await expect(card.getByText('$237.50 twice a month · child support')).toBeVisible();
  await expect(card.locator('[data-figure="next-due"]')).toContainText('$237.50');
  await expect(card.locator('[data-figure="last-payment"]')).toContainText('withheld from wages');
  // Paid from every paycheck: whatever is past due is only days late.
  const pastDue = await figure(page, 'past-due', card);
  const note = card.locator('[data-figure="past-due"] .note');
  if (pastDue > 0) expect(cents(await note.innerText())).toBe(pastDue);
  await expect(card).not.toContainText('Sent to you');
  await page.screenshot({ path: `test-results/dashboard-paying-${info.project.name}.png`, fullPage: true });

  // The case page: the order in force and the caseworker to call.
  await card.getByRole('link', { name: 'CS-2020-004172' }).click();
  await expect(page).toHaveURL(/\/cases\/CS-2020-004172$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case CS-2020-004172');
  await expect(page.getByText('In force')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Your caseworker' })).toContainText('Alex Morgan');
  await expect(page.getByRole('heading', { name: 'Past-due support' })).toHaveCount(0);
});

test('the history reconciles with the balance, pages, filters and downloads as a CSV that sums to it', async ({ page, visit }) => {
  await signIn(page, visit, 'receiving.parent@example.com');
  const owed = await figure(page, 'owed');
  const credit = (await page.locator('[data-figure="credit"]').count()) ? await figure(page, 'credit') : 0;
  const balance = owed - credit;

  await visit('/cases/CS-2020-004172/history');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History · CS-2020-004172');
  const opening = await figure(page, 'opening');
  const due = await figure(page, 'total-due');
  const received = await figure(page, 'total-received');
  const closing = await figure(page, 'closing');
  expect(closing).toBe(balance);
  expect(opening + due - received).toBe(closing);
  // Newest first: the first row's balance is the balance today.
  const firstBalance = await page.locator('table.ledger tbody tr').first().locator('td.balance').innerText();
  expect(cents(firstBalance)).toBe(closing);
  await expect(page.locator('table.ledger tbody tr')).toHaveCount(50);

  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/^Page 2 of \d+/)).toBeVisible();

  // Only payments.
  await page.getByLabel('Kind').selectOption('received');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/kind=received/);
  const descriptions = page.locator('table.ledger tbody tr td:nth-child(2)');
  await expect(descriptions.first()).toHaveText(/^Payment/);
  const kinds = await descriptions.allInnerTexts();
  expect(kinds.length).toBeGreaterThan(0);
  for (const text of kinds) expect(text).toMatch(/^Payment/);

  // A date the calendar does not have is named at its field.
  await visit('/cases/CS-2020-004172/history?from=2026-02-30');
  await expect(page.getByText('Enter a date as year-month-day')).toBeVisible();
  await expect(page.locator('#from')).toHaveAttribute('aria-invalid', 'true');

  // The whole life of the case as a spreadsheet: opening + changes = balance.
  await visit('/cases/CS-2020-004172/history');
  await page.getByRole('link', { name: 'Whole life of the case' }).click();
  await expect(page).toHaveURL(/from=/);
  const link = page.getByRole('link', { name: 'Download as a spreadsheet (CSV)' });
  const csv = await page.request.get((await link.getAttribute('href')) ?? '');
  expect(csv.headers()['content-type']).toContain('text/csv');
  const rows = (await csv.text()).trim().split('\n').map((row) => row.split(','));
  const header = rows[0];
  const change = header.indexOf('change');
  const balanceColumn = header.indexOf('balance');
  expect(rows[1][2]).toBe('opening_balance');
  let sum = plainCents(rows[1][balanceColumn]);
  for (const row of rows.slice(2)) sum += plainCents(row[change]);
  expect(sum).toBe(balance);
  expect(plainCents(rows[rows.length - 1][balanceColumn])).toBe(balance);
});

test('a person in two cases sees both roles, and money held back says why', async ({ page, visit }, info) => {
  await signIn(page, visit, 'two.cases@example.com');
  const pays = page.getByRole('article', { name: 'CS-2021-005560' });
  const receives = page.getByRole('article', { name: 'CS-2022-006013' });
  await expect(pays.getByText('the paying parent')).toBeVisible();
  await expect(receives.getByText('the receiving parent')).toBeVisible();
  await expect(pays.getByText('$300.00 every month · child support')).toBeVisible();
  await expect(receives.getByText('$275.00 every two weeks · child support')).toBeVisible();
  const held = receives.locator('[data-figure="on-hold"]');
  await expect(held).toContainText('$275.00');
  await expect(held).toContainText('Mail to you came back undelivered');
  await expect(receives.locator('[data-figure="sent"]')).toContainText('$275.00');
  await expect(pays).not.toContainText('On hold');
  await page.screenshot({ path: `test-results/dashboard-two-roles-${info.project.name}.png`, fullPage: true });
});

test('a parent behind on support sees what can happen and plans the way out', async ({ page, visit, hydrated }, info) => {
  await signIn(page, visit, 'behind.parent@example.com');
  await visit('/cases/CS-2019-002931');
  const panel = page.getByRole('region', { name: 'Past-due support' });
  await expect(panel).toBeVisible();
  const pastDue = cents(await panel.locator('p').first().innerText());
  expect(pastDue).toBeGreaterThan(250_000);
  // Over both thresholds, with his own numbers.
  await expect(panel.getByText('is over $2,500.00, so a passport can be denied')).toBeVisible();
  await expect(panel.getByText('is over $500.00, so federal and state tax refunds')).toBeVisible();

  const planner = page.getByRole('region', { name: 'Your way out: a payoff plan' });
  const extra = planner.getByLabel('Extra amount each time');
  await extra.fill('100');
  if (!hydrated) await planner.getByRole('button', { name: 'Show the plan' }).click();
  await expect(planner.locator('[data-figure="plan-per-period"]')).toHaveText('$620.00');
  const payments = Math.ceil(pastDue / 10_000);
  await expect(planner.locator('[data-figure="plan-paid-off"]')).toContainText(`after ${payments} payments`);
  const total = cents(await planner.locator('[data-figure="plan-total"]').innerText());
  expect(total).toBe(payments * 52_000 + pastDue);

  await extra.fill('ten');
  if (!hydrated) await planner.getByRole('button', { name: 'Show the plan' }).click();
  await expect(planner.getByText('Enter an amount in dollars, like 50 or 75.50.')).toBeVisible();
  await page.screenshot({ path: `test-results/case-behind-${info.project.name}.png`, fullPage: true });
});

test('month by month: the chart renders with its table, and every month is explained', async ({ page, visit }, info) => {
  await signIn(page, visit, 'behind.parent@example.com');
  await visit('/cases/CS-2019-002931/months');
  const chart = page.getByRole('img', { name: 'Support due, received and the balance, month by month' });
  await expect(chart).toBeVisible();
  await expect(chart.locator('rect.bar-due')).toHaveCount(24);
  await expect(chart.locator('polyline.balance-line')).toHaveCount(1);
  await expect(page.locator('table.months-table tbody tr')).toHaveCount(24);
  await expect(page.getByRole('heading', { name: 'Why is my balance this?' })).toBeVisible();
  await expect(page.locator('details.month[open] .explained li').first()).toContainText(/\$[\d,]+\.\d\d/);
  await page.screenshot({ path: `test-results/months-${info.project.name}.png`, fullPage: true });
});

test('the printable statement names the case and parties and prints', async ({ page, visit, browserName }, info) => {
  await signIn(page, visit, 'paying.parent@example.com');
  await visit('/cases/CS-2020-004172/statement?from=2026-01-01');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statement of account');
  await expect(page.locator('.statement-head')).toContainText('CS-2020-004172');
  await expect(page.locator('.statement-head')).toContainText('Marcus Bell');
  await expect(page.locator('.statement-head')).toContainText('Dana Bell');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('table.ledger')).toBeVisible();
  if (browserName === 'chromium') {
    const pdf = await page.pdf({ format: 'Letter' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  }
  await page.screenshot({ path: `test-results/statement-print-${info.project.name}.png`, fullPage: true });
});

test('staff read a case in their own words, without the parent\'s planner', async ({ page, visit }) => {
  await signIn(page, visit, 'supervisor@example.com');
  await visit('/cases/CS-2019-002931');
  await expect(page.locator('.card-role')).toHaveText('a supervisor');
  await expect(page.getByText('Owed by the paying parent')).toBeVisible();
  await expect(page.getByText('Last sent to the receiving parent')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Past-due support' })).toContainText('The agency is working to collect it');
  await expect(page.getByRole('region', { name: 'Your way out: a payoff plan' })).toHaveCount(0);
});
