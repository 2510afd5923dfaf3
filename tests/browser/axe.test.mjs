// axe-core, WCAG 2.0/2.1 A and AA rules, on every page type in both languages, at a phone width
// and a desktop width. The page keeps its real CSP: see axeViolations() in lib.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, PAGES, AXE_TAGS, axeViolations, formatViolations } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz"] });
const pages = {};

for (const width of [375, 1280]) {
  for (const [type, [en, es]] of Object.entries(PAGES)) {
    for (const path of [en, es]) {
      test(`axe ${AXE_TAGS.join("+")}: ${type} ${path} at ${width}px has no violations and no sideways scroll`, async () => {
        pages[width] ||= await site.newPage({ width, height: 900 });
        const page = pages[width];
        const res = await page.goto(site.base + path, { waitUntil: "load" });
        assert.equal(res.status(), type === "notFound" ? 404 : 200);
        assert.equal(await page.getAttribute("html", "lang"), path.startsWith("/es/") ? "es" : "en");
        await page.evaluate(() => document.fonts.ready);
        // Reflow (WCAG 1.4.10): nothing pushes the page sideways at phone width.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        assert.ok(overflow <= 0, `${path} at ${width}px scrolls sideways by ${overflow}px`);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0,
          `${violations.length} axe violation(s) on ${path} at ${width}px:\n${formatViolations(violations)}`);
      });
    }
  }
}

test("axe can fail: a page with a known violation is reported", async () => {
  // Guard against a silently broken harness (axe not loaded, wrong tags): break the page on
  // purpose and expect axe to say so.
  const page = await site.newPage({ width: 1280, height: 900 });
  try {
    await page.goto(site.base + PAGES.article[0]);
    await page.evaluate(() => {
      document.documentElement.removeAttribute("lang");
      document.querySelector(".vrc-header__lang").textContent = "";
      document.querySelector(".vrc-header__lang").removeAttribute("aria-label");
    });
    const ids = (await axeViolations(page)).map((v) => v.id).sort();
    assert.deepEqual(ids, ["html-has-lang", "link-name"]);
  } finally {
    await page.close();
  }
});
