import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './harness/chromium';

export default defineConfig({
  testDir: './tests',
  // Starts the release server on a free port with a throw-away database.
  globalSetup: './harness/global-setup.ts',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Each visit runs axe (without JavaScript: in a second context); two
  // workers share two cores with the server.
  timeout: 60_000,
  reporter: [['list']],
  use: {
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: chromiumLaunchOptions,
  },
  // Every journey runs twice: hydrated by the wasm bundle, and as pure SSR.
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
});
