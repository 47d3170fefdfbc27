import type { Browser, Page } from '@playwright/test';
import {
  expect,
  chooseLanguage,
  waitForHydration,
  expectNoAxeViolations,
  expectNoAxeViolationsWithoutJs,
} from './fixtures';

// Whether a page is usable on a phone by anyone: axe finds nothing, nothing
// scrolls sideways at 360 px, every control is a 44 px target, and the page
// speaks the language chosen. Sideways scroll and small targets are soft
// findings (one run lists every page's); a wrong language or an axe finding
// stops the test.

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Checks the page open in `page` (already sized to a phone). */
export async function expectUsableOnPhone(page: Page, browser: Browser, hydrated: boolean, language: Language) {
  if (hydrated) await waitForHydration(page);
  const path = new URL(page.url()).pathname;
  await expect(page.locator('html'), path).toHaveAttribute('lang', language);

  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect.soft(sideways, `${path} scrolls sideways by ${sideways}px at 360px`).toBeLessThanOrEqual(0);

  const small = await page.evaluate(smallTargets);
  expect.soft(small, `${path}: targets smaller than 44px`).toEqual([]);

  if (hydrated) {
    await expectNoAxeViolations(page);
  } else {
    await expectNoAxeViolationsWithoutJs(page, browser);
  }
}

/**
 * Checks the page open in `page` in every language, on a 360 px phone,
 * then leaves it as it was: English, its own size.
 */
export async function expectUsableInEveryLanguage(page: Page, browser: Browser, hydrated: boolean) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  for (const language of LANGUAGES) {
    await chooseLanguage(page, language);
    await page.reload();
    await expectUsableOnPhone(page, browser, hydrated, language);
  }
  await chooseLanguage(page, 'en');
  await page.reload();
  if (hydrated) await waitForHydration(page);
  if (size) await page.setViewportSize(size);
}

/**
 * Controls smaller than 44 × 44 CSS px. A link inside a sentence is exempt
 * (WCAG 2.5.5: its size is the text's); a checkbox or radio counts with its
 * label, which takes its clicks.
 */
function smallTargets(): string[] {
  const visible = (element: Element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
  };
  const inSentence = (link: Element) => {
    const parent = link.parentElement;
    if (!parent) return false;
    const text = [...parent.childNodes]
      .filter((node) => node !== link && node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    const inline = getComputedStyle(link).display.startsWith('inline');
    return inline && text.replace(/[·—()|,.:;]/g, '').trim().length > 0;
  };
  const found: string[] = [];
  const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (const control of controls) {
    if (!visible(control)) continue;
    if (control.closest('.skip-link')) continue;
    let box = control.getBoundingClientRect();
    if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
      const label = control.closest('label') ?? (control.id ? document.querySelector(`label[for="${control.id}"]`) : null);
      if (label) box = label.getBoundingClientRect();
    } else if (control.tagName === 'A' && inSentence(control)) {
      continue;
    }
    if (box.height < 44 || box.width < 44) {
      const name = (control.textContent ?? '').trim().slice(0, 40) || control.getAttribute('name') || control.tagName;
      found.push(`${control.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return found;
}
