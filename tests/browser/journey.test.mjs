// A reader's path through the site by clicking, and the language switch, in a real browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz"] });

const journeys = [
  { lang: "en", home: "/", section: "Health & Wellness", sectionPath: "/health-wellness",
    checked: /^Checked against its sources: [A-Z][a-z]+ \d{1,2}, \d{4}\. Not yet reviewed by a clinician\.$/,
    sources: "Sources" },
  { lang: "es", home: "/es/", section: "Salud y Bienestar", sectionPath: "/es/health-wellness",
    checked: /^Comprobado con sus fuentes: \d{1,2} de [a-z]+ de \d{4}\. Todavía no lo ha revisado un profesional clínico\.$/,
    sources: "Fuentes" },
];

for (const j of journeys) {
  test(`journey (${j.lang}): home → section card → resource shows title, review date and sources`, async () => {
    const page = await site.newPage();
    try {
      await page.goto(site.base + j.home);
      assert.equal(await page.getAttribute("html", "lang"), j.lang);

      // The section card on the home page (not the same-named link in the top navigation).
      const card = page.locator(".vrc-section-card").getByRole("link", { name: j.section, exact: true });
      await card.click();
      await page.waitForURL(site.base + j.sectionPath);
      assert.equal(await page.locator("main h1").innerText(), j.section);

      // The first resource listed in the section.
      const first = page.locator("main .vrc-card__title a").first();
      const title = (await first.innerText()).trim();
      assert.ok(title.length > 0, "the section lists resources");
      await first.click();
      await page.waitForURL(/\/resources\/[a-z0-9-]+$/);
      assert.match(new URL(page.url()).pathname, j.lang === "es" ? /^\/es\/resources\// : /^\/resources\//);

      const h1 = page.locator("main h1");
      assert.equal(await h1.count(), 1, "one h1");
      assert.ok(await h1.isVisible());
      assert.equal((await h1.innerText()).trim(), title, "the page is the resource that was clicked");
      assert.equal(await page.title(), `${title} | ${await page.locator(".vrc-header__name a").innerText()}`);

      // No clinical review has happened: the page says what was done, and never claims a review.
      assert.equal(await page.locator(".vrc-reviewed").count(), 0, "no review is claimed");
      const checked = page.locator(".vrc-checked");
      assert.ok(await checked.isVisible(), "the checked date is shown");
      assert.match((await checked.innerText()).trim(), j.checked);
      const iso = await checked.locator("time").getAttribute("datetime");
      assert.match(iso, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(!Number.isNaN(Date.parse(iso)), `valid checked date ${iso}`);

      const heading = page.getByRole("heading", { name: j.sources, exact: true });
      assert.ok(await heading.isVisible(), "a Sources heading is shown");
      const items = page.locator("ol.vrc-sources > li");
      assert.ok(await items.count() >= 1, "at least one source");
      for (const item of await items.all()) {
        assert.ok(await item.isVisible());
        assert.match(await item.locator("a").getAttribute("href"), /^https:\/\//, "each source links to https");
      }
    } finally {
      await page.close();
    }
  });
}

test("language switch: Español goes to the Spanish translation and English comes back", async () => {
  const page = await site.newPage();
  try {
    const en = "/resources/sleep-after-trauma";
    await page.goto(site.base + en);
    assert.equal(await page.getAttribute("html", "lang"), "en");
    const enTitle = await page.locator("main h1").innerText();

    await page.locator("header").getByText("Español", { exact: true }).click();
    await page.waitForURL(/\/es\/resources\//);
    assert.equal(new URL(page.url()).pathname, "/es/resources/dormir-despues-del-trauma");
    assert.equal(await page.getAttribute("html", "lang"), "es");
    const esTitle = await page.locator("main h1").innerText();
    assert.ok(esTitle.length > 0);
    assert.notEqual(esTitle, enTitle, "the Spanish page has its own title");
    assert.ok(await page.getByText("Salida rápida", { exact: true }).isVisible(), "the page's own UI is in Spanish");

    await page.locator("header").getByText("English", { exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/es/"));
    assert.equal(new URL(page.url()).pathname, en, "back to the same English page");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await page.locator("main h1").innerText(), enTitle);
  } finally {
    await page.close();
  }
});

test("language switch on the home and section pages goes to their twins", async () => {
  const page = await site.newPage();
  try {
    for (const [from, to] of [["/", "/es/"], ["/es/", "/"], ["/grief-trauma", "/es/grief-trauma"], ["/es/social-connection", "/social-connection"]]) {
      await page.goto(site.base + from);
      await page.locator(".vrc-header__lang").click();
      await page.waitForURL(site.base + to);
      assert.equal(await page.getAttribute("html", "lang"), to.startsWith("/es/") ? "es" : "en", `${from} → ${to}`);
    }
  } finally {
    await page.close();
  }
});
