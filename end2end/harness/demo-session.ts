/** The demo parent whose overview the benchmarks load. */
export const DEMO_PARENT = { email: 'paying.parent@example.com', password: 'portal-demo-2026' };

/** The demo parent's session cookie (`name=value`), from the sign-in server function. */
export async function demoSessionCookie(base: string): Promise<string> {
  const response = await fetch(`${base}/api/sign_in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(DEMO_PARENT).toString(),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('portal_session='));
  if (!session) throw new Error(`sign-in failed: ${response.status}`);
  return session.split(';')[0];
}
