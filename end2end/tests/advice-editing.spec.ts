import { test, expect, waitForHydration } from '../harness/fixtures';

// A supervisor edits an article: a mistake first (a publish without a
// title is refused at the field, readers see nothing new), then a draft
// shown in the preview, then the new version published, which readers see
// at once and search finds. Each project edits its own language of the
// "moving" article, so the two never meet.
const PASSWORD = 'portal-demo-2026';
const mine = {
  hydrated: {
    language: 'English',
    row: 'Moving to another area or state',
    title: 'Moving? Tell us first',
    sentence: 'Tell your caseworker your new address before the removal van comes.',
    word: 'removal',
    reader: '/advice/moving',
  },
  'no-js': {
    language: 'Spanish',
    row: 'Si se muda a otra zona o a otro estado',
    title: '¿Se muda? Avísenos antes',
    sentence: 'Dele su nueva dirección a su trabajador social antes de que llegue el camión de mudanza.',
    word: 'camión',
    reader: '/advice/moving',
  },
};

test('a supervisor edits and publishes an article and the change shows', async ({ page, visit, hydrated, browser }, info) => {
  test.setTimeout(60_000);
  const me = mine[info.project.name as keyof typeof mine];
  await page.goto('/login');
  if (hydrated) await waitForHydration(page);
  await page.getByLabel('E-mail address').fill('supervisor@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // From the desk to the list of articles, to this one.
  await visit('/staff');
  await page.getByRole('link', { name: 'Advice articles' }).click();
  await expect(page).toHaveURL(/\/staff\/advice$/);
  await visit('/staff/advice');
  const row = page.getByRole('row', { name: new RegExp(me.row) });
  await expect(row).toContainText(me.language);
  await row.getByRole('link', { name: me.row }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(me.row);
  if (hydrated) await waitForHydration(page);

  // No title: refused at the field, nothing published.
  const title = page.getByLabel('Title', { exact: true });
  await title.fill('');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#fields\\[title\\]-error')).toHaveText('This is required.');
  await expect(page.locator('[data-figure="published-version"]')).toContainText('Readers see version 1');

  // A draft, previewed with the agency's phone number filled in.
  await page.getByLabel('Title', { exact: true }).fill(me.title);
  const body = page.getByLabel('Text (Markdown)');
  await body.fill(`${await body.inputValue()}\n\n${me.sentence} {{agency_phone}}`);
  await page.getByRole('button', { name: 'Save draft and preview' }).click();
  const preview = page.getByRole('region', { name: /Preview/ });
  await expect(preview).toContainText(me.sentence);
  await expect(preview).not.toContainText('{{agency_phone}}');
  await expect(preview).toContainText(/1-800-555-\d{4}/);
  await expect(page.getByRole('status').filter({ hasText: 'Not published yet' })).toContainText('Morgan Reyes');
  await page.screenshot({ path: `test-results/advice-editor-${info.project.name}.png`, fullPage: true });

  // Publish: version 2, by the supervisor, and the draft is gone.
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.locator('[data-figure="published-version"]')).toContainText('Readers see version 2');
  await expect(page.getByRole('status').filter({ hasText: 'Not published yet' })).toHaveCount(0);
  const versions = page.getByRole('table', { name: 'Published versions' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions.getByRole('row').nth(1)).toContainText('Morgan Reyes');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `test-results/advice-editor-phone-${info.project.name}.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Readers (signed out: a supervisor's language choice would stay on their
  // account) see it at once, in its language, and search finds the new word.
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  const reader = await context.newPage();
  await reader.goto('/');
  if (hydrated) await waitForHydration(reader);
  if (me.language === 'Spanish') {
    await reader.getByRole('link', { name: 'Español' }).click();
    await expect(reader.locator('html')).toHaveAttribute('lang', 'es');
  }
  await reader.goto(me.reader);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(me.title);
  await expect(reader.locator('.advice-body')).toContainText(me.sentence);
  await reader.goto(`/advice?q=${encodeURIComponent(me.word)}`);
  await expect(reader.locator('.hits').getByRole('link', { name: me.title })).toBeVisible();
  await context.close();
});
