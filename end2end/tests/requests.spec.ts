import { test, expect, signIn, waitForHydration } from '../harness/fixtures';
import { expectUsableInEveryLanguage } from '../harness/usable';
import type { Browser, Page } from '@playwright/test';

// A paying parent proposes a payment plan from the payoff planner and asks
// for a change of support; the agency approves the plan with new order
// terms, reviews the change, sets a hearing, and decides it (hydrated) or
// denies it with a reason (no-JS). Each project has its own paying parent;
// the supervisor answers. The plan starts at the next due date and the
// decision keeps today's terms, so the balances other journeys read stay.
const parents = {
  hydrated: { email: 'behind.parent@example.com', case: 'CS-2019-002931', extra: '40', planner: true },
  'no-js': { email: 'two.cases@example.com', case: 'CS-2021-005560', extra: '35', planner: false },
};

async function supervisor(browser: Browser, hydrated: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: hydrated, baseURL: process.env.PORTAL_BASE_URL });
  const page = await context.newPage();
  await signIn(page, hydrated, 'supervisor@example.com');
  return page;
}

function requestId(page: Page): string {
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

test('a parent proposes a plan and asks for a change; the agency answers both', async ({ page, visit, hydrated, browser }, info) => {
  test.setTimeout(210_000); // two people, a dozen pages (two checked on a phone in both languages), beside the page sweep
  const me = parents[info.project.name as keyof typeof parents];
  await signIn(page, hydrated, me.email);

  // From the planner, the plan as typed goes to the request form. (Only
  // Ray is behind, so only one project can start there; Jordan, on time,
  // opens the form from the case page.)
  if (me.planner) {
    await visit(`/cases/${me.case}`);
    const planner = page.getByRole('region', { name: 'Your way out: a payoff plan' });
    await planner.getByLabel('Extra amount each time').fill(me.extra);
    if (!hydrated) await planner.getByRole('button', { name: 'Show the plan' }).click();
    await planner.getByRole('link', { name: 'Ask for this plan' }).click();
    await expect(page).toHaveURL(new RegExp(`/cases/${me.case}/plan\\?extra=${me.extra}$`));
    if (hydrated) await waitForHydration(page);
  } else {
    await visit(`/cases/${me.case}`);
    await page.getByRole('region', { name: 'Requests' }).getByRole('link', { name: 'Propose a payment plan' }).click();
    await expect(page).toHaveURL(new RegExp(`/cases/${me.case}/plan$`));
    await page.getByLabel('Extra each time support is due').fill(me.extra);
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Propose a payment plan');
  await expect(page.getByLabel('Extra each time support is due')).toHaveValue(me.extra);

  // A start in the past is named at its field; nothing is sent.
  const startsOn = page.getByLabel('Starting on');
  const nextDue = await startsOn.inputValue();
  await startsOn.fill('2020-01-01');
  await page.getByRole('button', { name: 'Send the plan to my caseworker' }).click();
  await expect(page.getByText('This day has already passed.')).toBeVisible();
  await expect(page.getByLabel('Starting on')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `test-results/plan-errors-${info.project.name}.png`, fullPage: true });

  await page.getByLabel('Extra each time support is due').fill(me.extra);
  await page.getByLabel('Starting on').fill(nextDue);
  await page.getByRole('button', { name: 'Send the plan to my caseworker' }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const plan = requestId(page);
  await visit(`/requests/${plan}`);
  await expect(page.locator('.request-status')).toContainText('Received');
  await expect(page.locator('[data-figure="plan-extra"]')).toHaveText(`$${me.extra}.00`);

  // A change of support: the reasons and what changed are required.
  await visit(`/cases/${me.case}/change`);
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByRole('group', { name: 'What changed? Choose all that apply.' })).toContainText(
    'This is required.',
  );
  await expect(page.getByLabel('What changed, in your words')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('I lost my job or can no longer work').check();
  await page.getByLabel('What changed, in your words').fill('Laid off at the end of October; on unemployment now.');
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const change = requestId(page);
  await visit(`/requests/${change}`);
  const checklist = page.locator('ul.checklist');
  await expect(checklist).toContainText('the letter that ended the job');
  await expect(checklist).toContainText('unemployment or disability benefit statements');
  await page.screenshot({ path: `test-results/change-request-${info.project.name}.png`, fullPage: true });

  // The agency: both on the work list; the plan approved as new terms.
  const agency = await supervisor(browser, hydrated);
  await agency.goto('/work');
  await expect(agency.locator(`a[href="/requests/${plan}"]`)).toBeVisible();
  await expect(agency.locator(`a[href="/requests/${change}"]`)).toBeVisible();
  await agency.goto(`/requests/${plan}`);
  if (hydrated) await waitForHydration(agency);
  await agency.getByRole('link', { name: 'Approve: enter the new order terms' }).click();
  await expect(agency).toHaveURL(new RegExp(`/caseload/${me.case}/order\\?`));
  if (hydrated) await waitForHydration(agency);
  await expect(agency.locator('#request-notice')).toContainText(`request ${plan}`);
  await expect(agency.getByLabel('Toward past-due support per period')).toHaveValue(`${me.extra}.00`);
  await agency.getByRole('button', { name: 'Review' }).click();
  await expect(agency.getByText(`Confirming approves request ${plan}`)).toBeVisible();
  await agency.getByRole('button', { name: 'Confirm the new terms' }).click();
  await expect(agency).toHaveURL(new RegExp(`/requests/${plan}$`));
  await expect(agency.locator('.request-status')).toContainText('Approved');

  // The change: reviewed, a hearing set (a missing place is named first).
  await agency.goto(`/requests/${change}`);
  if (hydrated) await waitForHydration(agency);
  await agency.getByRole('button', { name: 'Start the review' }).click();
  await expect(agency.locator('.request-status')).toContainText('Under review');
  if (hydrated) await waitForHydration(agency);
  const hearingDay = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
  await agency.getByLabel('Date and time of the hearing').fill(`${hearingDay}T09:30`);
  await agency.getByRole('button', { name: 'Set the hearing' }).click();
  await expect(agency.getByLabel('Where')).toHaveAttribute('aria-invalid', 'true');
  await agency.getByLabel('Date and time of the hearing').fill(`${hearingDay}T09:30`);
  await agency.getByLabel('Where').fill('Family Court, Room 3B');
  await agency.getByRole('button', { name: 'Set the hearing' }).click();
  await expect(agency.locator('.request-status')).toContainText('Hearing scheduled');
  await expect(agency.locator('[data-figure="hearing"]')).toContainText(`${hearingDay} 09:30`);
  await expectUsableInEveryLanguage(agency, browser, hydrated);
  if (hydrated) {
    await waitForHydration(agency);
    await agency.getByRole('link', { name: 'Decide: enter the new order terms' }).click();
    await expect(agency).toHaveURL(new RegExp(`/caseload/${me.case}/order\\?`));
    await waitForHydration(agency);
    await agency.getByRole('button', { name: 'Review' }).click();
    await expect(agency.getByText(`Confirming decides request ${change}`)).toBeVisible();
    await agency.getByRole('button', { name: 'Confirm the new terms' }).click();
    await expect(agency).toHaveURL(new RegExp(`/requests/${change}$`));
    await expect(agency.locator('.request-status')).toContainText('Decided');
  } else {
    await agency.getByRole('button', { name: 'Deny' }).click();
    await expect(agency.getByLabel('Why (the parent reads this)').last()).toHaveAttribute('aria-invalid', 'true');
    await agency.getByLabel('Why (the parent reads this)').last().fill('Unemployment pays close to your old wage; send the benefit letter if it ends.');
    await agency.getByRole('button', { name: 'Deny' }).click();
    await expect(agency.locator('.request-status')).toContainText('Denied');
  }
  await agency.screenshot({ path: `test-results/request-agency-${info.project.name}.png`, fullPage: true });
  await agency.context().close();

  // The parent sees where both stand, with the hearing and the history.
  await visit(`/requests/${change}`);
  await expect(page.locator('.request-status')).toContainText(hydrated ? 'Decided' : 'Denied');
  await expect(page.locator('ol.request-history li')).toHaveCount(4);
  await expect(page.locator('ol.request-history')).toContainText('Family Court, Room 3B');
  await expectUsableInEveryLanguage(page, browser, hydrated);
  await visit(`/cases/${me.case}`);
  const requests = page.getByRole('region', { name: 'Requests' });
  await expect(requests.locator(`[data-request="${plan}"]`)).toContainText('Approved');
  await expect(requests.locator(`[data-request="${change}"]`)).toContainText(hydrated ? 'Decided' : 'Denied');
  await page.screenshot({ path: `test-results/case-requests-${info.project.name}.png`, fullPage: true });
});
