import { execSync } from 'node:child_process';

/** Debian's Chromium: Playwright's own browser download cannot work here. */
export const chromiumPath =
  process.env.CHROMIUM_PATH ?? execSync('command -v chromium', { encoding: 'utf8' }).trim();

/** How the tests start it: in this container, without anything that phones home. */
export const chromiumLaunchOptions = {
  executablePath: chromiumPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
