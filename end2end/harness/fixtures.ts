import { test as base, expect, type Page, type Response } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

type Portal = {
  /** Fails the test on any error the page logs or throws (e.g. a broken hydration). */
  browserErrors: void;
  /** Opens a path, waits for hydration when JavaScript is on, and runs axe. */
  visit: (path: string) => Promise<Response | null>;
  /** True in the project with JavaScript enabled. */
  hydrated: boolean;
};

export const test = base.extend<Portal>({
  baseURL: async ({}, use) => {
    const url = process.env.PORTAL_BASE_URL;
    if (!url) throw new Error('PORTAL_BASE_URL is not set: global setup did not run');
    await use(url);
  },
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        // A page served with an error status (the 404 page) is logged by
        // Chromium as a failed resource; a failed asset is still an error.
        const aboutThePageItself = message.location().url === page.url();
        if (aboutThePageItself && message.text().startsWith('Failed to load resource')) return;
        // A server function that says no (401, 403, 404, 422) is answered on
        // the page; only its failures (5xx) are errors.
        const refusal = /status of 4\d\d/.test(message.text()) && message.location().url.includes('/api/');
        if (refusal) return;
        errors.push(`console: ${message.text()} (${message.location().url})`);
      });
      await use();
      expect(errors, 'errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
  hydrated: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },
  visit: async ({ page, hydrated, browser }, use) => {
    await use(async (path: string) => {
      const response = await page.goto(path);
      if (hydrated) {
        await waitForHydration(page);
        await expectNoAxeViolations(page);
      } else {
        await expectNoAxeViolationsWithoutJs(page, browser);
      }
      return response;
    });
  },
});

export { expect };

/** An island ignores input until hydrated: wait for the marker the last one sets. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached', timeout: 15_000 });
}

export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map(describe), `axe on ${page.url()}`).toEqual([]);
}

/**
 * axe runs as a script, which a page with JavaScript disabled cannot do. So
 * the HTML the no-JS page received is checked in a scratch page that has
 * scripts on but never loads the portal's own bundle.
 */
export async function expectNoAxeViolationsWithoutJs(page: Page, browser: import('@playwright/test').Browser) {
  const html = await page.content();
  const context = await browser.newContext({ javaScriptEnabled: true, baseURL: page.url() });
  try {
    const scratch = await context.newPage();
    await scratch.route('**/pkg/*.{js,wasm}', (route) => route.abort());
    await scratch.route(page.url(), (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: html }),
    );
    await scratch.goto(page.url());
    const results = await new AxeBuilder({ page: scratch }).analyze();
    expect(results.violations.map(describe), `axe on ${page.url()} (no JS)`).toEqual([]);
  } finally {
    await context.close();
  }
}

function describe(violation: { id: string; help: string; nodes: { target: unknown }[] }) {
  return `${violation.id}: ${violation.help} (${violation.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`;
}

/** The demo accounts' password (README). */
export const DEMO_PASSWORD = 'portal-demo-2026';

/** Signs in a demo account from the sign-in page and waits for its overview. */
export async function signIn(page: Page, hydrated: boolean, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  if (hydrated) await waitForHydration(page);
  // By the fields' names: the page may speak either language.
  await page.locator('main input[name="email"]').fill(email);
  await page.locator('main input[name="password"]').fill(password);
  await page.locator('main button[type="submit"]').first().click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/**
 * Chooses the language for this browser only (its cookie, before anything
 * is loaded): a choice made signed in would stay on a demo account other
 * journeys use.
 */
export async function chooseLanguage(page: Page, language: 'en' | 'es') {
  const url = new URL(process.env.PORTAL_BASE_URL!);
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: language, domain: url.hostname, path: '/' }]);
}
