import { test, expect, waitForHydration } from '../harness/fixtures';

// A signed-in parent checks whether a review is likely: the order's age is
// filled in from their case; a lost job and lower pay make it likely; the
// answer leads to the change-of-support form with those reasons ticked and
// their documents listed. Nothing is sent (other journeys ask on this case).
const PASSWORD = 'portal-demo-2026';

test('a parent runs the eligibility check and reaches the request form', async ({ page, visit, hydrated }) => {
  await page.goto('/login');
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('E-mail address').fill('paying.parent@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await visit('/advice/change-of-support');
  await page.getByRole('link', { name: 'Ask for a change of support' }).click();
  await expect(page).toHaveURL(/\/advice\/check$/);
  await visit('/advice/check');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Can I ask for a change of support?');
  await expect(page.getByLabel('Months since the order took effect')).not.toHaveValue('');

  // A mistake first: said at its field, no answer.
  await page.getByLabel('When the order was set').fill('a lot');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByLabel('When the order was set')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.outcome')).toHaveCount(0);

  await page.getByLabel('When the order was set').fill('4000');
  await page.getByLabel('Now', { exact: true }).fill('2600');
  await page.getByLabel('I lost my job').check();
  await page.getByLabel('Months out of work so far').fill('2');
  await page.getByRole('button', { name: 'Check' }).click();
  const outcome = page.locator('.outcome');
  await expect(outcome.getByRole('heading', { level: 2 })).toHaveText('You are likely to qualify for a review.');
  await expect(outcome).toContainText('Your income changed by 35%');
  await expect(outcome).toContainText('pay stubs for the last three months');
  await expect(outcome).toContainText('the letter that ended the job');
  await page.screenshot({ path: `test-results/eligibility-${test.info().project.name}.png`, fullPage: true });

  await outcome.getByRole('link', { name: 'Ask for a change of support' }).click();
  // (The order is years old: its age is a reason too.)
  await expect(page).toHaveURL(/\/cases\/CS-2020-004172\/change\?reasons=income_change,job_loss,time_since_review$/);
  if (hydrated) await waitForHydration(page);
  await expect(page.locator('#income_change')).toBeChecked();
  await expect(page.locator('#job_loss')).toBeChecked();
  await expect(page.locator('#time_since_review')).toBeChecked();
  await expect(page.locator('#child_care')).not.toBeChecked();
});
