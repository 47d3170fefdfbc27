import { test, expect } from '../harness/fixtures';
import { LOCKABLE, JOURNEY_PASSWORD } from '../harness/global-setup';

// The demo's accounts and PINs (README). Both projects run at the same time
// against one server: each uses its own people, since a PIN works once and
// a lockout is for everyone.
const PASSWORD = 'portal-demo-2026';
const perProject = {
  hydrated: { pin: 'W4TR-B9KD-7741', newEmail: 'chris.young@example.com', lockMe: LOCKABLE[0][0] },
  'no-js': { pin: 'H3NX-Q8VM-7741', newEmail: 'taylor.brooks@example.com', lockMe: LOCKABLE[1][0] },
};
type Project = keyof typeof perProject;

test('a parent activates with the PIN from the caseworker, signs out and signs in again', async ({ page, visit }, info) => {
  const me = perProject[info.project.name as Project];
  const newPassword = 'lanterns over the quiet harbor';
  await visit('/activate');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create your account');
  await page.getByLabel('Case number').fill('CS-2025-007741');
  await page.getByLabel('PIN').fill(me.pin.toLowerCase());
  await page.getByLabel('E-mail address').fill(me.newEmail);
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByLabel('Password again').fill(newPassword);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My cases');
  await expect(page.getByRole('link', { name: 'CS-2025-007741' })).toBeVisible();
  await page.screenshot({ path: `test-results/dashboard-${info.project.name}.png`, fullPage: true });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  // The session is gone on the server: the dashboard sends us to sign in.
  await visit('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await page.getByLabel('E-mail address').fill(me.newEmail);
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('link', { name: 'CS-2025-007741' })).toBeVisible();
});

test('mistakes on the activation form are shown at their fields', async ({ page, visit }) => {
  await visit('/activate');
  await page.getByLabel('Case number').fill('CS-2025-007741');
  await page.getByLabel('PIN').fill('AAAA-BBBB-CCCC');
  await page.getByLabel('E-mail address').fill('not an e-mail');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Password again').fill('shorter');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter an e-mail address like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByText('The two passwords are not the same.')).toBeVisible();
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `test-results/activation-errors.png`, fullPage: true });
});

test('five wrong passwords lock the account, with the same message as a wrong password', async ({ page, visit }, info) => {
  const me = perProject[info.project.name as Project];
  const refused = page.getByRole('alert').filter({ hasText: 'do not match an account' });
  for (let attempt = 1; attempt <= 5; attempt++) {
    await visit('/login');
    await page.getByLabel('E-mail address').fill(me.lockMe);
    await page.getByLabel('Password').fill(`wrong password ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(refused).toBeVisible();
  }
  await visit('/login');
  await page.getByLabel('E-mail address').fill(me.lockMe);
  await page.getByLabel('Password').fill(JOURNEY_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(refused).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('a parent cannot open another case, by address or by calling its server function', async ({ page, visit }) => {
  await visit('/login');
  await page.getByLabel('E-mail address').fill('paying.parent@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const own = await visit('/cases/CS-2020-004172');
  expect(own?.status()).toBe(200);
  await expect(page.getByText('the paying parent')).toBeVisible();

  const other = await visit('/cases/CS-2019-002931');
  expect(other?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not your case');

  // The server function itself refuses, with this parent's own session.
  const call = await page.request.post('/api/case_overview', { form: { case_number: 'CS-2019-002931' } });
  expect(call.ok()).toBe(false);
  expect(await call.text()).toContain('Forbidden');
  const mine = await page.request.post('/api/case_overview', { form: { case_number: 'CS-2020-004172' } });
  expect(mine.ok()).toBe(true);
});
