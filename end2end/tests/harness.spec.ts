import { test, expect, expectNoAxeViolations } from '../harness/fixtures';

// The accessibility gate must be able to fail: a page with a known violation
// (an image without alternative text, a button without a name) is refused.
test('the axe check refuses an inaccessible page', async ({ page, hydrated }) => {
  test.skip(!hydrated, 'axe needs scripts; the no-JS path reuses the same check');
  await page.setContent(
    '<html lang="en"><head><title>bad</title></head><body><main><img src="x.png"><button></button></main></body></html>',
  );
  const failure = await expectNoAxeViolations(page).then(
    () => null,
    (error: Error) => error.message,
  );
  expect(failure).toContain('image-alt');
  expect(failure).toContain('button-name');
});
