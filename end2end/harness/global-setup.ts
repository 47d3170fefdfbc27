import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');

/** Made for the lockout journey only (one per project). */
export const LOCKABLE = [
  ['lock.me.one@example.com', 'Lockout Journey One'],
  ['lock.me.two@example.com', 'Lockout Journey Two'],
] as const;
/** Made for the second-step journey only (one per project). */
export const TWO_STEP = [
  ['two.step.one@agency.example', 'Second Step Journey One'],
  ['two.step.two@agency.example', 'Second Step Journey Two'],
] as const;
/** Generated for the money journey only (one per project): case, payer. */
export const MONEY_CASES = [
  ['GEN-9-0000001', 'payer-9-1@generated.example'],
  ['GEN-9-0000002', 'payer-9-2@generated.example'],
] as const;
/**
 * Generated for the abuse journeys only (one per project): a case whose
 * paying parent has an account and a second step, and a case whose audit
 * log grows past a page.
 */
export const GUARDED_CASES = [
  { reset: ['GEN-10-0000001', 'payer-10-1@generated.example'], audited: 'GEN-10-0000003' },
  { reset: ['GEN-10-0000002', 'payer-10-2@generated.example'], audited: 'GEN-10-0000004' },
] as const;
/** The password of the accounts made for one journey. */
export const JOURNEY_PASSWORD = 'a quiet lighthouse keeper';

/**
 * The server prefers `x.br` and `x.gz` to `x`: a copy older than its file
 * (left by a build without --precompress) would send the browser an old
 * bundle beside new pages.
 */
function refuseStaleCompressedCopies(siteRoot: string) {
  const pkg = path.join(siteRoot, 'pkg');
  if (!existsSync(pkg)) return;
  for (const copy of readdirSync(pkg).filter((file) => /\.(br|gz)$/.test(file))) {
    const original = path.join(pkg, copy.replace(/\.(br|gz)$/, ''));
    if (existsSync(original) && statSync(path.join(pkg, copy)).mtimeMs < statSync(original).mtimeMs) {
      throw new Error(`${copy} is older than ${path.basename(original)}: build with --precompress (make build)`);
    }
  }
}

/** Seeds the demo into a fresh SQLite file and starts `server serve` on port 0; returns the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
  const binary = process.env.PORTAL_SERVER_BIN ?? path.join(targetDir, 'release', 'server');
  const scratch = mkdtempSync(path.join(tmpdir(), 'portal-e2e-'));

  const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(repo, 'target', 'site');
  refuseStaleCompressedCopies(siteRoot);
  const env = {
    ...process.env,
    LEPTOS_SITE_ADDR: '127.0.0.1:0',
    LEPTOS_SITE_ROOT: siteRoot,
    DATABASE_URL: `sqlite://${path.join(scratch, 'portal.db')}?mode=rwc`,
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
    // Every browser of the run signs in from 127.0.0.1, and the lockout and
    // second-factor journeys fail on purpose: with the agency's 20 the
    // address would be blocked for everyone late in a run. (Real parents
    // have addresses of their own; the throttle has its server tests.)
    PORTAL_FAILURES_PER_ADDRESS: '1000',
  };
  // The demo cases and accounts (README): the journeys sign in as them.
  execFileSync(binary, ['seed', '--demo'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'inherit'] });
  // Two generated cases no other journey reads, with their paying parents'
  // accounts: the money journey changes their orders (one per project).
  execFileSync(binary, ['seed', '--cases', String(MONEY_CASES.length), '--seed', '9', '--accounts', String(MONEY_CASES.length)], {
    cwd: repo,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync(binary, ['seed', '--cases', '4', '--seed', '10', '--accounts', String(GUARDED_CASES.length)], {
    cwd: repo,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Accounts the lockout journey may lock and the second-step journey asks
  // a code of, so that no demo account changes while the other journeys
  // sign in as it.
  for (const [email, name] of [...LOCKABLE, ...TWO_STEP]) {
    execFileSync(binary, ['caseworker', 'add', '--email', email, '--name', name, '--password-stdin'], {
      cwd: repo,
      env,
      input: JOURNEY_PASSWORD,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  }

  const server = spawn(binary, ['serve'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'inherit'] });

  const baseURL = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
    let seen = '';
    server.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(/running at (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready (${binary})`));
    });
  });
  // Workers inherit the environment of the main process.
  process.env.PORTAL_BASE_URL = baseURL;

  return async () => {
    const stopped = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await stopped;
    rmSync(scratch, { recursive: true, force: true });
  };
}
