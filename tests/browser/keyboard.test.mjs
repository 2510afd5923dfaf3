// Keyboard only: the skip link, the Tab order of the page's top, and a visible focus indicator on
// every element Tab reaches, at phone and desktop widths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz"] });
const WIDTHS = [375, 1280];

// Wait until the element's box is fully inside the viewport (the skip link slides in).
async function waitInViewport(page, selector) {
  await page.waitForFunction((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 &&
      r.bottom <= innerHeight && r.right <= innerWidth;
  }, selector, { timeout: 3000 });
}

for (const width of WIDTHS) {
  test(`skip link is the first Tab stop, shows when focused, and Enter moves focus to the main content (${width}px)`, async () => {
    const page = await site.newPage({ width, height: 800 });
    try {
      for (const path of ["/resources/sleep-after-trauma", "/es/"]) {
        await page.goto(site.base + path);
        const skip = page.locator(".usa-skipnav");
        const before = await skip.boundingBox();
        assert.ok(before === null || before.y + before.height <= 0, `${path}: skip link is off-screen until focused`);

        await page.keyboard.press("Tab");
        assert.ok(await page.evaluate(() => document.activeElement.classList.contains("usa-skipnav")),
          `${path}: the first Tab stop is the skip link`);
        await waitInViewport(page, ".usa-skipnav");
        assert.ok(await skip.isVisible(), `${path}: skip link is visible when focused`);
        assert.match(await skip.innerText(), path.startsWith("/es/") ? /Saltar al contenido/ : /Skip to main content/);

        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.activeElement && document.activeElement.id === "main-content");
        assert.equal(new URL(page.url()).hash, "#main-content");
        // The next Tab continues from inside <main>, not from the top of the page.
        await page.keyboard.press("Tab");
        assert.ok(await page.evaluate(() => !!document.activeElement.closest("main")),
          `${path}: Tab after the skip link lands inside main`);
      }
    } finally {
      await page.close();
    }
  });
}

// Tab from page load through the whole page. For each stop, record what is focused, whether it is
// inside the viewport, and its focus style; then compare with the same element unfocused.
async function tabWalk(page, max = 200) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(async (i) => {
      // Let focus transitions (the skip link slides in) finish before measuring.
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {})));
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const seen = el.hasAttribute("data-tab-stop");
      if (!seen) el.setAttribute("data-tab-stop", String(i));
      return {
        index: seen ? Number(el.getAttribute("data-tab-stop")) : i, repeat: seen,
        tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.innerText || "").trim().slice(0, 60),
        href: el.getAttribute("href"),
        inViewport: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
        outline: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0 ? `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}` : "",
        shadow: cs.boxShadow,
      };
    }, i);
    if (stop === null) break; // focus left the document's last element
    if (stop.repeat) {
      // A <video>'s own controls take several Tab stops inside the element; the element's first
      // stop was checked. Anything else focused twice means Tab wrapped around.
      if (stop.tag === "video") continue;
      break;
    }
    stops.push(stop);
  }
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const unfocused = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("[data-tab-stop]")]
    .map((el) => [el.getAttribute("data-tab-stop"), getComputedStyle(el).boxShadow])));
  for (const s of stops) s.shadowChanged = s.shadow !== "none" && s.shadow !== unfocused[String(s.index)];
  return stops;
}

const label = (s) => `${s.tag}${s.id ? "#" + s.id : ""} "${s.text}"`;

const walks = [
  { path: "/resources/how-to-use-this-site", lang: "en", sections: ["Victim & Social Services",
    "Social Connection & Empowerment", "Health & Wellness", "Managing Grief & Trauma"], langSwitch: "Español" },
  { path: "/es/grief-trauma", lang: "es", sections: ["Servicios para Víctimas y Servicios Sociales",
    "Conexión Social y Empoderamiento", "Salud y Bienestar", "Manejo del Duelo y el Trauma"], langSwitch: "English" },
  { path: "/", lang: "en" },
  { path: "/es/resources/mi-plan-personal-para-afrontar", lang: "es" },
];

for (const width of WIDTHS) {
  test(`Tab order reaches quick exit, language switch and section links; every stop shows focus (${width}px)`, async () => {
    const page = await site.newPage({ width, height: 800 });
    try {
      for (const w of walks) {
        await page.goto(site.base + w.path);
        const stops = await tabWalk(page);
        const where = `${w.path} at ${width}px`;
        assert.ok(stops.length >= 15, `${where}: Tab reaches the page's links (${stops.length} stops)`);

        assert.match(stops[0].cls, /usa-skipnav/, `${where}: first stop is the skip link`);
        assert.equal(stops[1].id, "quick-exit", `${where}: second stop is Quick exit, got ${label(stops[1])}`);

        const langIdx = stops.findIndex((s) => /vrc-header__lang/.test(s.cls));
        assert.ok(langIdx > 1, `${where}: Tab reaches the language switch`);
        if (w.langSwitch) assert.equal(stops[langIdx].text, w.langSwitch);
        // The site search (box, then button) follows the language switch; then the section
        // navigation, in the nav's order.
        assert.equal(stops[langIdx + 1].id, "site-search-q", `${where}: the search box follows the language switch`);
        assert.equal(stops[langIdx + 2].tag, "button", `${where}: then the search button`);
        const nav = stops.slice(langIdx + 3, langIdx + 7);
        const prefix = w.lang === "es" ? "/es" : "";
        assert.deepEqual(nav.map((s) => s.href), ["victim-social-services", "social-connection", "health-wellness",
          "grief-trauma"].map((slug) => `${prefix}/${slug}`), `${where}: the four section links follow the language switch and the search`);
        if (w.sections) assert.deepEqual(nav.map((s) => s.text), w.sections, `${where}: section link names`);

        const hidden = stops.filter((s) => !s.inViewport);
        assert.deepEqual(hidden.map(label), [], `${where}: focused elements scrolled into view, none off-screen`);
        const noIndicator = stops.filter((s) => !s.outline && !s.shadowChanged);
        assert.deepEqual(noIndicator.map(label), [], `${where}: every focused element has a visible focus indicator`);
      }
    } finally {
      await page.close();
    }
  });
}
