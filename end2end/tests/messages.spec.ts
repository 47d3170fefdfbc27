import { test, expect, signIn, waitForHydration } from '../harness/fixtures';
import { expectUsableInEveryLanguage } from '../harness/usable';
import type { Browser, Page } from '@playwright/test';

// A parent reports a missing payment; the agency answers; the parent reads
// the answer and sees that their message was read. Each project has its own
// parent, and the supervisor answers.
const parents = {
  hydrated: { email: 'receiving.parent@example.com', name: 'Dana Bell', case: 'CS-2020-004172' },
  'no-js': { email: 'two.cases@example.com', name: 'Jordan Ellis', case: 'CS-2022-006013' },
};

async function staffPage(browser: Browser, hydrated: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  return context.newPage();
}

test('a parent reports a missing payment and reads the agency\'s answer', async ({ page, visit, hydrated, browser }, info) => {
  test.setTimeout(120_000); // two people, and both views checked on a phone in both languages
  const me = parents[info.project.name as keyof typeof parents];
  await signIn(page, hydrated, me.email);
  await visit('/messages');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Messages');
  await expect(page.getByText('We answer within 2 business days.')).toBeVisible();

  // Nothing chosen, nothing written: each field says so, nothing is sent.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByLabel('What it is about')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Your message')).toHaveAttribute('aria-invalid', 'true');

  if (await page.getByLabel('About case').count()) await page.getByLabel('About case').selectOption(me.case);
  await page.getByLabel('What it is about').selectOption('missing_payment');
  const words = `The payment of this month has not reached my bank yet (${info.project.name}). <b>Please check.</b>`;
  await page.getByLabel('Your message').fill(words);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page).toHaveURL(/\/messages\/\d+$/);
  const conversation = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A payment seems missing');
  await expect(page.locator('.message-body').first()).toHaveText(words);
  await expect(page.getByText('waiting for the agency')).toBeVisible();
  await expect(page.getByText('answer due by')).toBeVisible();

  // A photo of the bank statement goes with it; a text file does not.
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200)]);
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('only words') });
  await page.getByRole('button', { name: 'Send the file' }).click();
  await expect(page.getByText('Send a PDF, JPEG or PNG file.')).toBeVisible();
  await expect(page.getByLabel('File', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'bank statement.png', mimeType: 'image/png', buffer: png });
  await page.getByLabel('A few words about it (optional)').fill('My bank statement');
  await page.getByRole('button', { name: 'Send the file' }).click();
  await expect(page.getByRole('link', { name: 'bank statement.png' })).toBeVisible();
  await expect(page.getByText('Send a PDF, JPEG or PNG file.')).toHaveCount(0);

  // The agency sees it, unread, and answers.
  const staff = await staffPage(browser, hydrated);
  await signIn(staff, hydrated, 'supervisor@example.com');
  await staff.goto('/messages');
  const row = staff.locator('.thread').filter({ hasText: me.name }).filter({ hasText: me.case });
  await expect(row.getByText('New')).toBeVisible();
  // It waits on the work list, counted in business days.
  await staff.goto('/work');
  const waiting = staff.locator('table.work tbody tr').filter({ hasText: me.name }).filter({ hasText: me.case });
  await expect(waiting).toContainText('0 business days');
  await waiting.getByRole('link', { name: 'A payment seems missing' }).click();
  await expect(staff).toHaveURL(conversation);
  await expectUsableInEveryLanguage(staff, browser, hydrated);
  const file = staff.getByRole('link', { name: 'bank statement.png' });
  const download = await staff.request.get((await file.getAttribute('href')) ?? '');
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toBe('image/png');
  const reply = `We found it: it was sent on the 3rd (${info.project.name}).`;
  await staff.getByLabel('Your message').fill(reply);
  await staff.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(staff.locator('.message-body').last()).toHaveText(reply);
  await staff.context().close();

  // The parent reads the answer; their own message shows as seen.
  await visit(new URL(conversation).pathname);
  await expect(page.locator('.message.from-agency .message-body')).toHaveText(reply);
  await expect(page.locator('.message').first().getByText('Seen')).toBeVisible();
  await expect(page.getByText('answered', { exact: true })).toBeVisible();
  await page.screenshot({ path: `test-results/conversation-${info.project.name}.png`, fullPage: true });
  await expectUsableInEveryLanguage(page, browser, hydrated);
});
