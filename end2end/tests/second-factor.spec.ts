import { test, expect } from '../harness/fixtures';
import { TWO_STEP, JOURNEY_PASSWORD as PASSWORD } from '../harness/global-setup';
import { totpCode } from '../harness/totp';

// Staff accounts made for this journey (one per project): no other journey
// is asked for a code when it signs in.
const account = { hydrated: TWO_STEP[0][0], 'no-js': TWO_STEP[1][0] };

test('a caseworker turns on the second step and then signs in with a code from the app', async ({ page, visit }, info) => {
  const email = account[info.project.name as keyof typeof account];
  await visit('/login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.getByRole('link', { name: 'Sign-in security' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign-in security');
  await page.getByRole('button', { name: 'Set up a second step' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const key = (await page.locator('code.key').textContent()) ?? '';
  expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel('Six-digit code from the app').fill('000000');
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText('That is not the code your app shows now')).toBeVisible();
  // Turning it on takes the password too.
  await page.getByLabel('Six-digit code from the app').fill(totpCode(key));
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  await expect(page.getByText('A second step is on')).toBeVisible();
  await page.screenshot({ path: `test-results/recovery-codes-${info.project.name}.png`, fullPage: true });

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await visit('/login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\/second-step/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('One more step');
  // The next period's code: the current one was spent turning the step on.
  await page.getByLabel('Code').fill(totpCode(key, 30));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My cases');

  // A lost laptop: sign out everywhere from the security page.
  await visit('/account/security');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/$/);
  await visit('/dashboard');
  await expect(page).toHaveURL(/\/login/);
});
