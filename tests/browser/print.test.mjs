// Worksheets are meant to be printed: the print button, print styles, and a PDF of one or two
// Letter pages for each worksheet in both languages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, WORKSHEETS } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz"] });

// Page count of a PDF: the page objects (/Type /Page, not /Pages), checked against the page
// tree's /Count. Chromium's PDFs keep these dictionaries uncompressed.
function pdfPages(buf) {
  const text = buf.toString("latin1");
  assert.ok(text.startsWith("%PDF-"), "a PDF");
  const objects = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)]
    .map((m) => Number(m[1] || m[2]));
  assert.ok(counts.length >= 1, "the PDF has a page tree with a /Count");
  assert.equal(Math.max(...counts), objects, "page objects agree with the page tree's /Count");
  return objects;
}

const HIDDEN_IN_PRINT = { "crisis bar": ".vrc-crisis-bar", "quick exit": "#quick-exit", "section navigation": ".vrc-nav",
  "language switch": ".vrc-header__lang", "print button": "[data-print]", "breadcrumb": ".usa-breadcrumb",
  "related resources": ".vrc-related" };

for (const pair of WORKSHEETS) {
  for (const path of pair) {
    test(`worksheet ${path}: print button, print styles, and a 1–2 page Letter PDF`, async () => {
      const page = await site.newPage({ width: 1280, height: 900 });
      try {
        await page.goto(site.base + path);
        assert.equal(await page.locator("main article").getAttribute("class"), "vrc-resource vrc-resource--worksheet");

        // On screen: the print button and the page furniture are there.
        const button = page.locator("[data-print]");
        assert.ok(await button.isVisible(), "a print button on screen");
        for (const [what, sel] of Object.entries(HIDDEN_IN_PRINT))
          if (what !== "related resources") assert.ok(await page.locator(sel).first().isVisible(), `${what} shown on screen`);

        // The button opens the print dialog (window.print is stubbed: headless has no dialog).
        await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
        await button.click();
        assert.equal(await page.evaluate(() => window.__printed), 1, "the print button calls print()");

        await page.emulateMedia({ media: "print" });
        for (const [what, sel] of Object.entries(HIDDEN_IN_PRINT))
          for (const el of await page.locator(sel).all())
            assert.equal(await el.isVisible(), false, `${what} hidden in print`);
        for (const sel of ["main h1", ".vrc-body", ".vrc-checked", "ol.vrc-sources"])
          assert.ok(await page.locator(sel).isVisible(), `${sel} printed`);
        assert.equal(await page.locator(".vrc-body").evaluate((b) => getComputedStyle(b).color), "rgb(0, 0, 0)",
          "body text prints black");

        const pdf = await page.pdf({ format: "Letter", printBackground: false });
        const n = pdfPages(pdf);
        assert.ok(n >= 1 && n <= 2, `${path} prints on 1 or 2 Letter pages, got ${n}`);
      } finally {
        await page.close();
      }
    });
  }
}
