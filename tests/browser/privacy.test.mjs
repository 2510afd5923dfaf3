// Privacy as the browser sees it: loading any page sends no request beyond 127.0.0.1, and nothing
// is stored (no cookies, no web storage). The server runs with its DEFAULT exit URL (an outside
// address) on purpose: merely loading a page must not contact it (no prefetch, no preconnect).
// Quick exit itself navigates away by design and is tested in quick-exit.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, PAGES } from "./lib.mjs";

const site = useSite();

// Every page the site links to from its home pages and section pages, plus the 404 pages.
async function allPages(page) {
  const found = new Set([...Object.values(PAGES).flat()]);
  for (const start of ["/", "/es/"]) {
    await page.goto(site.base + start);
    const sections = await page.$$eval(".vrc-nav a", (as) => as.map((a) => a.getAttribute("href")));
    for (const s of sections) {
      found.add(s);
      await page.goto(site.base + s);
      for (const href of await page.$$eval("main a[href^='/']", (as) => as.map((a) => a.getAttribute("href"))))
        found.add(href.split("#")[0]);
    }
  }
  return [...found].sort();
}

test("no request leaves 127.0.0.1 and nothing is stored, on every page", async () => {
  const page = await site.newPage({ width: 375, height: 800 });
  const offsite = [];
  const failed = [];
  const onRequest = (req) => {
    const u = new URL(req.url());
    if (u.protocol === "data:" || u.protocol === "blob:" || u.protocol === "about:") return;
    if (u.hostname !== "127.0.0.1") offsite.push(`${req.method()} ${req.url()} (from ${req.frame().url()})`);
  };
  site.context.on("request", onRequest);
  let inflight = 0;
  page.on("request", () => inflight++);
  page.on("requestfinished", () => inflight--);
  page.on("requestfailed", () => inflight--);
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest()) failed.push(`${r.status()} ${r.url()}`);
  });
  // Like "networkidle" but without its fixed 500 ms wait per page: the load event, then no request
  // in flight for 100 ms.
  const settle = async () => {
    for (let quiet = 0; quiet < 4;) {
      await new Promise((r) => setTimeout(r, 25));
      quiet = inflight === 0 ? quiet + 1 : 0;
    }
  };
  try {
    const paths = await allPages(page);
    assert.ok(paths.length >= 70, `the crawl found the site's pages (${paths.length})`);
    for (const p of paths) {
      const res = await page.goto(site.base + p, { waitUntil: "load" });
      await settle();
      assert.ok(res.status() === 200 || /no-such|no-existe/.test(p), `${p}: ${res.status()}`);
      const stored = await page.evaluate(() => ({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length }));
      assert.deepEqual(stored, { cookie: "", local: 0, session: 0 }, `${p} stores nothing`);
    }
    // The video page also loads its media: play it a moment so those requests are included.
    await page.goto(site.base + PAGES.video[0]);
    await page.evaluate(async () => {
      const v = document.querySelector("video");
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 500));
      v.pause();
    });
    assert.deepEqual(offsite, [], "requests that left 127.0.0.1");
    assert.deepEqual(failed, [], "every sub-resource loads (no broken CSS, JS, font, image or media URL)");
    assert.deepEqual(await site.context.cookies(), [], "no cookies in the browser");
  } finally {
    site.context.off("request", onRequest);
    await page.close();
  }
});
