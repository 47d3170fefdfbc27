import { test, expect, chooseLanguage, signIn } from '../harness/fixtures';
import { LANGUAGES, expectUsableOnPhone } from '../harness/usable';

// Every page in English and Spanish, for a visitor, a parent, a caseworker
// and a supervisor, with and without JavaScript, on a 360 px wide phone: axe
// finds nothing, nothing scrolls sideways, every control is a 44 px target,
// and the page speaks the language chosen. (The journeys check what each
// page does; this checks that all of them are usable. A conversation and a
// request exist only once a journey has made one: those journeys check
// them the same way, with `expectUsableInEveryLanguage`.)

const CASE = 'CS-2020-004172';

const readers: { who: string; email?: string; pages: string[] }[] = [
  {
    who: 'a visitor',
    pages: [
      '/',
      '/login',
      '/activate',
      '/forgot-password',
      '/advice',
      '/advice/glossary',
      '/advice/change-of-support',
      '/advice/check',
      '/advice/check?checked=true&form[income_then]=3000&form[income_now]=2000&form[months_since_order]=40',
      '/offline',
      '/no/such/page',
    ],
  },
  {
    who: 'a parent',
    email: 'receiving.parent@example.com',
    pages: [
      '/dashboard',
      `/cases/${CASE}`,
      `/cases/${CASE}/history`,
      `/cases/${CASE}/months`,
      `/cases/${CASE}/statement`,
      `/cases/${CASE}/plan`,
      `/cases/${CASE}/change`,
      '/messages',
      '/notifications',
      '/account/security',
      '/logout',
    ],
  },
  {
    who: 'a caseworker',
    email: 'caseworker@example.com',
    pages: [
      '/work',
      '/caseload',
      `/caseload/${CASE}`,
      `/caseload/${CASE}/post`,
      `/caseload/${CASE}/order`,
      '/notifications',
    ],
  },
  {
    who: 'a supervisor',
    email: 'supervisor@example.com',
    pages: ['/staff', '/staff/advice', '/staff/advice/es/change-of-support', '/caseload', '/work'],
  },
];

for (const reader of readers) {
  for (const language of LANGUAGES) {
    test(`every page for ${reader.who} in ${language}: no axe findings, no sideways scroll at 360px, 44px targets`, async ({ page, browser, hydrated }) => {
      test.setTimeout(180_000);
      await page.setViewportSize({ width: 360, height: 740 });
      await chooseLanguage(page, language);
      if (reader.email) await signIn(page, hydrated, reader.email);
      for (const path of reader.pages) {
        await page.goto(path);
        await expectUsableOnPhone(page, browser, hydrated, language);
      }
    });
  }
}
