// The islands router: links and forms fetch the next page and patch it in.
//
// Patched for the Child Support Portal (patches/README.md says what and why):
// a form sends its pressed button and, when multipart, its files; a link to a
// place on the same page, a download, or an answer that is not a page is left
// to the browser (or, offline or refused, done by it); the page's islands are
// kept when the server sent them as before and rebuilt when not; the body is
// replaced rather than walked node by node (a list that grew or shrank left
// stale rows); after a navigation the page scrolls, focuses its heading and
// says its title to a screen reader, and Back and Forward restore the place.

let NAVIGATION = 0;
// The page the document shows now, without its fragment.
let SHOWN = withoutHash(window.location.href);

history.scrollRestoration = "manual";

window.addEventListener("click", async (ev) => {
	const req = clickToReq(ev);
	if(!req) {
		return;
	}

	ev.preventDefault();
	const url = req.url;
	// The page shown, again: its entry is renewed, as the browser does.
	const again = withoutHash(url) === SHOWN;
	await navigateToPage(req, true, again, () => window.location.assign(url));
});

window.addEventListener("popstate", async (ev) => {
	// Back or Forward within one page (a fragment) is the browser's.
	if (withoutHash(window.location.href) === SHOWN) {
		return;
	}
	const req = pageRequest(window.location.href);
	const scroll = ev.state && ev.state.scroll;
	await navigateToPage(req, false, true, () => window.location.reload(), scroll);
});

window.addEventListener("submit", async (ev) => {
	if (ev.defaultPrevented) {
		return;
	}
	const form = ev.target;
	if (!(form instanceof HTMLFormElement) || form.$$native) {
		return;
	}
	const submitter = ev.submitter || null;
	const req = submitToReq(form, submitter);
	if(!req) {
		return;
	}

	ev.preventDefault();
	await navigateToPage(req, true, false, () => {
		// Sent as the browser sends it, as without JavaScript.
		form.$$native = true;
		form.requestSubmit(submitter);
	});
});

function withoutHash(href) {
	const url = new URL(href, document.baseURI);
	url.hash = "";
	return url.href;
}

function pageRequest(url, init) {
	const request = new Request(url, init);
	request.headers.set("Accept", "text/html");
	return request;
}

async function navigateToPage(
	/** @type Request */
	req,
	/** @type bool */
	useViewTransition,
	/** @type bool */
	replace,
	/** What the browser does instead, when this cannot. */
	fallback,
	/** Where to scroll to (Back and Forward), else the top or the fragment. */
	scroll
) {
	NAVIGATION += 1;
	const currentNav = NAVIGATION;

	// add a custom header to indicate that we're on a subsequent navigation
	req.headers.append("Islands-Router", "true");

	let resp;
	let htmlString;
	try {
		resp = await fetch(req);
		const type = resp.headers.get("content-type") || "";
		if (!type.startsWith("text/html")) {
			// A file, not a page: the browser downloads or shows it.
			if (NAVIGATION === currentNav) fallback();
			return;
		}
		htmlString = await resp.text();
	} catch (e) {
		// No answer (offline, or a redirect to another site): the browser
		// navigates itself, and the service worker answers as it does.
		if (NAVIGATION === currentNav) fallback();
		return;
	}
	if (NAVIGATION !== currentNav) {
		return;
	}

	const url = resp.redirected ? resp.url : req.url;
	if (replace) {
		window.history.replaceState(window.history.state, "", url);
	} else {
		const here = { ...(window.history.state || {}), scroll: [window.scrollX, window.scrollY] };
		window.history.replaceState(here, "");
		window.history.pushState({ scroll: null }, "", url);
	}
	SHOWN = withoutHash(url);

	const transition = () => {
		try {
			diffPages(htmlString);
			hydrateNewIslands();
			settle(url, scroll);
		} catch(e) {
			console.error(e);
		}
	};
	// Not all browsers support startViewTransition; see https://caniuse.com/?search=startViewTransition
	if (useViewTransition && document.startViewTransition
		&& !window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
		await document.startViewTransition(transition).updateCallbackDone;
	} else {
		transition();
	}
}

function clickToReq(ev) {
	// confirm that this is an <a> that meets our requirements
	if (
		ev.defaultPrevented ||
		ev.button !== 0 ||
		ev.metaKey ||
		ev.altKey ||
		ev.ctrlKey ||
		ev.shiftKey
	)
		return;

	/** @type HTMLAnchorElement | undefined;*/
	const a = ev
		.composedPath()
		.find(el => el instanceof Node && el.nodeName.toUpperCase() === "A");

	if (!a) return;

	const svg = a.namespaceURI === "http://www.w3.org/2000/svg";
	const href = svg ? a.href.baseVal : a.href;
	const target = svg ? a.target.baseVal : a.target;
	if (target || !href) return;

	const rel = (a.getAttribute("rel") || "").split(/\s+/);
	if (a.hasAttribute("download") || rel.includes("external")) return;

	const url = new URL(href, document.baseURI);
	if (url.origin !== window.location.origin) return;
	// A place on the page shown: the browser scrolls to it.
	if (url.hash && withoutHash(url.href) === SHOWN) return;

	return pageRequest(url);
}

function submitToReq(form, submitter) {
	const attr = (name, formName) =>
		(submitter && submitter.getAttribute(formName)) || form.getAttribute(name);

	const method = (attr("method", "formmethod") || "get").toUpperCase();
	if(method !== "GET" && method !== "POST") {
		return;
	}
	if (attr("target", "formtarget")) {
		return;
	}
	const url = new URL(attr("action", "formaction") || window.location.href, document.baseURI);
	if (url.origin !== window.location.origin) {
		return;
	}
	url.hash = "";
	// The pressed button's name and value are part of what is sent.
	const data = new FormData(form, submitter);

	if(method === "GET") {
		url.search = new URLSearchParams(data).toString();
		return pageRequest(url);
	}
	const multipart = (attr("enctype", "formenctype") || "").toLowerCase() === "multipart/form-data";
	return pageRequest(url, {
		method: "POST",
		body: multipart ? data : new URLSearchParams(data),
	});
}

function diffPages(htmlString) {
	// Use DOMParser to parse the HTML string
	const parser = new DOMParser();
	const doc = parser.parseFromString(htmlString, 'text/html');

	document.title = doc.title;
	// The page's language (after a switch) and the like.
	for (const attr of doc.documentElement.attributes) {
		document.documentElement.setAttribute(attr.name, attr.value);
	}
	diffHead(doc.head);
	diffBody(document.adoptNode(doc.body));
}

// The head's elements the new page has and this one lacks are added, those
// it lacks are taken away; the same ones (the stylesheet) stay as they are.
// Scripts stay: they ran once and would not run again.
function diffHead(newHead) {
	const same = (el) => el.outerHTML;
	const changes = (el) => el.tagName !== "SCRIPT" && el.tagName !== "TITLE";
	const shown = [...document.head.children].filter(changes);
	const wanted = [...newHead.children].filter(changes);
	const shownHtml = new Set(shown.map(same));
	const wantedHtml = new Set(wanted.map(same));
	for (const el of shown) {
		if (!wantedHtml.has(same(el))) el.remove();
	}
	for (const el of wanted) {
		if (!shownHtml.has(same(el))) document.head.appendChild(document.importNode(el, true));
	}
}

// The new body replaces the old. An island the server sent exactly as before
// (same component, props and content) is kept, with its state; any other is
// the new page's and is hydrated.
function diffBody(newBody) {
	const body = document.body;
	for (const name of body.$$served || []) {
		if (!newBody.hasAttribute(name)) body.removeAttribute(name);
	}
	for (const attr of newBody.attributes) {
		body.setAttribute(attr.name, attr.value);
	}
	body.$$served = [...newBody.attributes].map((attr) => attr.name);

	const kept = new Map();
	for (const island of body.querySelectorAll("leptos-island")) {
		if (!island.$$source) continue;
		const same = kept.get(island.$$source) || [];
		same.push(island);
		kept.set(island.$$source, same);
	}
	for (const island of [...newBody.querySelectorAll("leptos-island")]) {
		// Inside an island kept whole, or replaced with its outer island.
		if (!newBody.contains(island)) continue;
		const source = island.outerHTML;
		const old = (kept.get(source) || []).shift();
		if (old) {
			island.replaceWith(old);
		} else {
			island.$$source = source;
			island.$$hydrated = false;
		}
	}
	const announcer = pageAnnouncer();
	body.replaceChildren(...newBody.childNodes, announcer);
}

function hydrateNewIslands() {
	// Before the wasm has loaded, its first pass hydrates the body as it is.
	if (typeof window.__hydrateIsland !== "function") return;
	for(const island of document.querySelectorAll("leptos-island")) {
		if(!island.$$hydrated) {
			island.$$hydrated = true;
			window.__hydrateIsland(island, island.dataset.component);
		}
	}
}

// After a navigation: the place (restored, a fragment, or the top), focus on
// the page's heading, and its title said to a screen reader.
function settle(url, scroll) {
	const hash = new URL(url).hash;
	const anchor = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
	if (scroll) {
		window.scrollTo(scroll[0], scroll[1]);
	} else if (anchor) {
		anchor.scrollIntoView();
	} else {
		window.scrollTo(0, 0);
	}
	const heading = document.querySelector("main h1") || document.querySelector("h1");
	if (heading) {
		if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
		heading.focus({ preventScroll: true });
	}
	const announcer = pageAnnouncer();
	announcer.textContent = "";
	// A change after the region is in place is what is announced.
	window.setTimeout(() => { announcer.textContent = document.title; }, 50);
}

// A live region outside the pages' content, kept across navigations.
function pageAnnouncer() {
	let announcer = document.getElementById("leptos-route-announcer");
	if (!announcer) {
		announcer = document.createElement("div");
		announcer.id = "leptos-route-announcer";
		announcer.setAttribute("aria-live", "assertive");
		announcer.setAttribute("aria-atomic", "true");
		// Seen by no one (set through the CSSOM: a policy may refuse inline styles).
		Object.assign(announcer.style, {
			position: "absolute", width: "1px", height: "1px", padding: "0", margin: "-1px",
			overflow: "hidden", clip: "rect(0, 0, 0, 0)", whiteSpace: "nowrap", border: "0",
		});
		document.body.appendChild(announcer);
	}
	return announcer;
}

// The page as served: its islands' source, to tell kept ones from changed
// ones, and the body's own attributes (not those set since, in the browser).
for(const island of document.querySelectorAll("leptos-island")) {
	island.$$source = island.outerHTML;
	island.$$hydrated = true;
}
document.body.$$served = [...document.body.attributes].map((attr) => attr.name);
