import { test, expect, waitForHydration, DEMO_PASSWORD } from '../harness/fixtures';
import type { Locator, Page } from '@playwright/test';

// The journeys of a parent and a caseworker with the keyboard alone: every
// step is reached with Tab and done with Enter, Space, arrows or typing.
// No click, no fill.

/** Presses Tab until `target` has the focus (at most `limit` times). */
async function tabTo(page: Page, target: Locator, limit = 80) {
  for (let step = 0; step < limit; step++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `reached by Tab within ${limit} presses`).toBeFocused();
}

async function arrive(page: Page, url: RegExp, hydrated: boolean) {
  await expect(page).toHaveURL(url);
  if (hydrated) {
    await waitForHydration(page);
  }
}

test.setTimeout(180_000);

test('a parent signs in, reads the history, checks eligibility and writes to the caseworker by keyboard', async ({ page, hydrated }, info) => {
  await page.goto('/');
  if (hydrated) await waitForHydration(page);
  await tabTo(page, page.getByRole('link', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  await arrive(page, /\/login$/, hydrated);

  await tabTo(page, page.getByLabel('E-mail address'));
  await page.keyboard.type('behind.parent@example.com');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await arrive(page, /\/dashboard$/, hydrated);

  // The case, then its history.
  await tabTo(page, page.getByRole('article', { name: 'CS-2019-002931' }).getByRole('link', { name: 'CS-2019-002931' }));
  await page.keyboard.press('Enter');
  await arrive(page, /\/cases\/CS-2019-002931$/, hydrated);
  await tabTo(page, page.getByRole('link', { name: 'History' }));
  await page.keyboard.press('Enter');
  await arrive(page, /\/history$/, hydrated);
  await expect(page.getByRole('table')).toBeVisible();

  // The eligibility check: typed answers, a box ticked with Space.
  await page.goto('/advice/check');
  if (hydrated) await waitForHydration(page);
  await tabTo(page, page.getByLabel('When the order was set'));
  await page.keyboard.type('3000');
  await tabTo(page, page.getByLabel('Now', { exact: true }));
  await page.keyboard.type('2000');
  await tabTo(page, page.getByLabel("The children's medical insurance costs or covers differently"));
  await page.keyboard.press('Space');
  await expect(page.getByLabel("The children's medical insurance costs or covers differently")).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Check' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('You are likely to qualify for a review.')).toBeVisible();

  // A message to the caseworker: a choice made with the arrow keys.
  await page.goto('/messages');
  if (hydrated) await waitForHydration(page);
  const topic = page.getByLabel('What it is about');
  await tabTo(page, topic);
  await topic.press('ArrowDown');
  await expect(topic).not.toHaveValue('');
  await page.keyboard.press('Tab');
  const words = page.getByLabel('Your message');
  await tabTo(page, words);
  await page.keyboard.type(`Written with the keyboard alone (${info.project.name}).`);
  await tabTo(page, page.getByRole('button', { name: 'Send', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/messages\/\d+$/);
  await expect(page.locator('.message-body').first()).toContainText('Written with the keyboard alone');
});

test('a caseworker finds a case and reaches posting a payment by keyboard', async ({ page, hydrated }) => {
  await page.goto('/login');
  if (hydrated) await waitForHydration(page);
  await tabTo(page, page.getByLabel('E-mail address'));
  await page.keyboard.type('caseworker@example.com');
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await arrive(page, /\/dashboard$/, hydrated);

  await tabTo(page, page.getByRole('link', { name: 'Caseload' }));
  await page.keyboard.press('Enter');
  await arrive(page, /\/caseload$/, hydrated);
  await tabTo(page, page.getByRole('link', { name: 'CS-2020-004172' }).first());
  await page.keyboard.press('Enter');
  await arrive(page, /\/caseload\/CS-2020-004172$/, hydrated);
  await tabTo(page, page.getByRole('link', { name: /Post a payment/ }).first());
  await page.keyboard.press('Enter');
  await arrive(page, /\/post(\?.*)?$/, hydrated);
  await tabTo(page, page.getByLabel('Amount').first());
  await expect(page.getByLabel('Amount').first()).toBeFocused();
});
