import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './harness/chromium';

// Lighthouse and the client size on the release build (make bench): the
// same throw-away server as the browser tests, audited by Lighthouse in
// Debian's Chromium.
export default defineConfig({
  testDir: './lighthouse',
  // Its own folder: the browser tests' screenshots in test-results/ stay.
  outputDir: './test-results/lighthouse-run',
  globalSetup: './harness/global-setup.ts',
  workers: 1,
  retries: 0,
  timeout: 300_000,
  reporter: [['list']],
  // The client size is measured by loading pages in it.
  use: { launchOptions: chromiumLaunchOptions },
});
