// The portal's service worker. It keeps three things on the device:
//   - the app shell of this build (bundle, styles, icons, the offline page),
//     replaced as a whole when a new build is deployed;
//   - advice pages a visitor opened while signed out;
//   - the signed-in parent's own pages (overview, case, history) and the
//     advice they read, so the installed app opens without a network. These
//     belong to one account: they are dropped when anyone signs in or out,
//     whenever the server says the reader is someone else, and once the
//     session's idle time has passed since the last page came from the
//     server (the session is over by then). Staff pages are never kept.
// The server serves this file at /sw.js with the build's fingerprint and the
// shell's files filled in (server/src/pwa.rs).
'use strict';

const BUILD = '__BUILD__';
const SHELL_FILES = __SHELL_FILES__;
const QUICK_EXIT_URL = '__QUICK_EXIT_URL__';
const IDLE_MINUTES = '__IDLE_MINUTES__';

const SHELL = `shell-${BUILD}`;
const PUBLIC = 'public-pages';
const PERSONAL = 'personal-pages';
// A made-up address in PERSONAL whose body says whose pages these are.
const OWNER = '/__portal/owner';
// Another, whose body is when a page of theirs last came from the server.
const SEEN = '/__portal/seen';
const OFFLINE_PAGE = '/offline';

// Pages worth having offline. Forms are not: they cannot be sent offline.
const PERSONAL_PAGES = [/^\/dashboard$/, /^\/cases\/[^/]+(\/(history|months|statement))?$/];
const ADVICE_PAGES = [/^\/advice$/, /^\/advice\/glossary$/, /^\/advice\/(?!check$)[a-z0-9-]+$/];
// Requests that change who is signed in.
const SESSION_CHANGES = ['/api/sign_in', '/api/second_step', '/api/sign_out', '/api/activate', '/leave'];
// The server says in this header who the reader of a page is: an opaque key
// of a parent's account, `staff` (whose pages stay on no device), or `none`.
const VIEWER = 'x-portal-viewer';

// Bumped whenever the personal pages are forgotten: a page whose request
// started before that (a sign-out racing a fetch) is not kept.
let generation = 0;

self.addEventListener('install', (event) => {
  // Without cookies: the offline page is kept as a visitor sees it, with
  // nothing of the reader's on it.
  const requests = SHELL_FILES.map((path) => new Request(path, { cache: 'reload', credentials: 'omit' }));
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(requests)));
  // No skipWaiting here: an update waits until the reader chooses to reload
  // (the page sends 'skip-waiting'), so a page never runs on a mixed build.
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('shell-') && name !== SHELL) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const message = event.data || {};
  if (message.type === 'skip-waiting') {
    self.skipWaiting();
  } else if (message.type === 'keep' && typeof message.url === 'string') {
    // The first page, which loaded before this worker was in control.
    event.waitUntil(keep(message.url));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SESSION_CHANGES.includes(url.pathname)) {
    event.respondWith(forgetPersonal().then(() => sessionChange(request, url, generation)));
  } else if (request.method !== 'GET') {
    return;
  } else if (request.mode === 'navigate' || request.headers.get('islands-router') === 'true') {
    // The islands router fetches the next page instead of navigating: the
    // same page, kept and answered offline the same way.
    event.respondWith(navigate(request, url));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
  }
});

async function sessionChange(request, url, started) {
  try {
    const response = await fetch(request);
    // The islands router's fetch follows the redirect here: the page it
    // lands on (the overview after signing in) is kept as if navigated to.
    if (response.redirected) await remember(url, response.clone(), started);
    return response;
  } catch (offline) {
    // Leaving quickly works offline too: straight to the neutral site.
    if (url.pathname === '/leave') return Response.redirect(QUICK_EXIT_URL, 303);
    throw offline;
  }
}

async function navigate(request, url) {
  const started = generation;
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    return (await saved(url)) || offlineFallback(url);
  }
  await remember(url, response.clone(), started);
  return response;
}

async function keep(address) {
  const url = new URL(address, self.location.origin);
  if (url.origin !== self.location.origin || !worthKeeping(url)) return;
  const started = generation;
  try {
    const response = await fetch(url.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    await remember(url, response, started);
  } catch (offline) {
    // Nothing to keep without a network.
  }
}

function worthKeeping(url) {
  return isPersonalPage(url) || ADVICE_PAGES.some((page) => page.test(url.pathname));
}

function isPersonalPage(url) {
  return PERSONAL_PAGES.some((page) => page.test(url.pathname));
}

async function remember(requested, response, started) {
  // A redirect followed (the islands router's fetches follow them) lands
  // on another page: that one is what the response holds.
  const url = response.redirected ? new URL(response.url) : requested;
  const viewer = response.headers.get(VIEWER);
  if (viewer === null || started !== generation) return;
  await followViewer(viewer);
  if (viewer === 'staff') return;
  if (viewer !== 'none') await (await caches.open(PERSONAL)).put(SEEN, new Response(String(Date.now())));
  const html = (response.headers.get('content-type') || '').startsWith('text/html');
  if (!response.ok || !html || !worthKeeping(url)) return;
  const signedIn = viewer !== 'none';
  if (isPersonalPage(url) && !signedIn) return;
  // What a signed-in reader saw is theirs, advice included (the page shows
  // their navigation and notifications).
  const cache = await caches.open(signedIn ? PERSONAL : PUBLIC);
  await cache.put(url.href, response);
}

// The pages on the device belong to one reader: someone else, or nobody,
// means they go.
async function followViewer(viewer) {
  const personal = await caches.open(PERSONAL);
  const owner = await personal.match(OWNER);
  if (owner && (await owner.text()) === viewer) return;
  await forgetPersonal();
  if (viewer !== 'none' && viewer !== 'staff') {
    await (await caches.open(PERSONAL)).put(OWNER, new Response(viewer));
  }
}

// A parent's pages outlive their session by nothing: past the idle time
// since the server last sent one, they go.
// (Pages kept before the worker counted the time count as idle.)
async function forgetIfIdle() {
  const personal = await caches.open(PERSONAL);
  if (!(await personal.match(OWNER))) return;
  const seen = await personal.match(SEEN);
  const idle = seen ? Date.now() - Number(await seen.text()) : Infinity;
  if (!(idle <= IDLE_MINUTES * 60 * 1000)) await forgetPersonal();
}

function forgetPersonal() {
  generation += 1;
  return caches.delete(PERSONAL);
}

async function saved(url) {
  await forgetIfIdle();
  for (const name of [PERSONAL, PUBLIC, SHELL]) {
    const cache = await caches.open(name);
    const hit = await cache.match(url.href);
    if (hit) return markedOffline(hit);
  }
  return null;
}

// The page says where it came from, so it shows the offline banner even when
// the browser believes it is online (a server that cannot be reached).
async function markedOffline(response) {
  const html = await response.text();
  return new Response(html.replace('<body', '<body data-offline'), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function offlineFallback(url) {
  if (url.pathname !== OFFLINE_PAGE) return Response.redirect(OFFLINE_PAGE, 303);
  return new Response('Offline', { status: 503, headers: { 'content-type': 'text/plain' } });
}
