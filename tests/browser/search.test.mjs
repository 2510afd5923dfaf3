// The search page in a real browser: found from the header form with the keyboard alone (no
// JavaScript needed: the form is a plain GET), and axe-clean with results, with no results and with
// the crisis lines first, in both languages, at a phone width and a desktop width, without sideways
// scrolling.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, AXE_TAGS, axeViolations, formatViolations } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz", "--search-limit", "0"] });

const CASES = {
  results: ["/search?q=grieving", "/es/search?q=tramites"],
  none: ["/search?q=xyzzyqqq", "/es/search?q=xyzzyqqq"],
  crisis: ["/search?q=I%20want%20to%20die", "/es/search?q=quiero%20morir"],
  empty: ["/search", "/es/search"],
};

for (const width of [375, 1280]) {
  for (const [kind, paths] of Object.entries(CASES)) {
    for (const path of paths) {
      test(`axe ${AXE_TAGS.join("+")}: search ${kind} ${path} at ${width}px`, async () => {
        const page = await site.newPage({ width, height: 900 });
        try {
          const res = await page.goto(site.base + path, { waitUntil: "load" });
          assert.equal(res.status(), 200);
          await page.evaluate(() => document.fonts.ready);
          if (kind === "crisis") {
            // The crisis box is the first thing after the form, and it is on screen at once.
            const box = page.locator(".vrc-search__crisis");
            assert.ok(await box.isVisible());
            assert.ok(await box.locator('a[href="tel:988"]').count() >= 1);
          }
          if (kind === "results") assert.ok(await page.locator(".vrc-search__result mark").count() > 0);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
          assert.ok(overflow <= 0, `${path} at ${width}px scrolls sideways by ${overflow}px`);
          const violations = await axeViolations(page);
          assert.equal(violations.length, 0,
            `${violations.length} axe violation(s) on ${path} at ${width}px:\n${formatViolations(violations)}`);
        } finally {
          await page.close();
        }
      });
    }
  }
}

for (const width of [375, 1280]) {
  test(`keyboard only, without the site's script: Tab to the header search, type, Enter, then a result (${width}px)`, async () => {
    const page = await site.newPage({ width, height: 900 });
    try {
      // The form is plain HTML: with vrc.js blocked it works just the same.
      let blocked = 0;
      await page.route("**/*.js", (route) => { blocked++; return route.abort(); });
      await page.goto(site.base + "/es/", { waitUntil: "load" });
      let focused = "";
      for (let i = 0; i < 40 && focused !== "site-search-q"; i++) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate(() => document.activeElement?.id || "");
      }
      assert.equal(focused, "site-search-q", "Tab reaches the header search box");
      const box = page.locator("#site-search-q");
      assert.equal(await box.getAttribute("type"), "search");
      // Its label is the accessible name.
      assert.equal(await page.evaluate(() => document.activeElement.labels[0].textContent), "Buscar en este sitio");
      await page.keyboard.type("duelos");
      await Promise.all([page.waitForURL(/\/es\/search\?q=duelos$/), page.keyboard.press("Enter")]);
      assert.equal(await page.locator("h1").innerText(), "Buscar");
      assert.equal(await page.inputValue("#search-q"), "duelos");
      const first = page.locator(".vrc-search__result a").first();
      assert.match(await first.innerText(), /duelo/i);
      const href = await first.getAttribute("href");
      await first.focus();
      await Promise.all([page.waitForURL((u) => u.pathname + u.hash === href), page.keyboard.press("Enter")]);
      assert.ok(blocked > 0, "the site's script was blocked");
    } finally {
      await page.close();
    }
  });
}
