// Community pages in a real Chromium: the whole flow a new editor goes through, timed and printed
// (sign in, create a page from the one form, add an update and an event, publish, see it on the
// public page); axe-core (WCAG 2.x A/AA) with zero violations on the community page, its flyer and
// the console's community pages at 375 and 1280 px, without sideways scroll; and the flyer printing
// on one Letter and one A4 page in each language.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, AXE_TAGS, axeViolations, formatViolations } from "./lib.mjs";
import { addUser } from "../lib/admin.mjs";

const site = useSite();
const PW = "correct horse battery staple";
const SLUG = "lakeside";
let accounts = false;
function setup() {
  if (accounts) return;
  addUser(site.srv.db, "new.editor@example.org", "editor", PW);
  accounts = true;
}

async function checkPage(page, label, width) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `${label} at ${width}px scrolls sideways by ${overflow}px`);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${violations.length} axe violation(s) on ${label} at ${width}px:\n${formatViolations(violations)}`);
}

function pdfPages(buf) {
  const text = buf.toString("latin1");
  assert.ok(text.startsWith("%PDF-"), "a PDF");
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

// Sign in, unless the browser's session still holds (the context keeps its cookie between tests).
async function signIn(page) {
  await page.goto(site.base + "/admin/");
  if (!page.url().includes("/admin/login")) return;
  await page.fill("#email", "new.editor@example.org");
  await page.fill("#password", PW);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.click("button[type=submit]")]);
}

test("a new editor stands up a community page, adds an update and an event, publishes: timed", async () => {
  setup();
  const page = await site.newPage({ width: 1280, height: 900 });
  try {
    const t0 = Date.now();
    await signIn(page);
    await page.click("text=Community pages");
    await page.click("text=Create a community page");
    await page.fill("#f-name", "Lakeside");
    await page.fill("#f-place", "Lakeside, OH");
    await page.fill("#f-date", "2026-11-30");
    await page.selectOption("#f-timezone", "America/New_York");
    await page.fill("#f-key_message", "The Family Assistance Center at Lakeside High School is open now.");
    await page.fill("#f-street", "100 School Rd");
    await page.fill("#f-city", "Lakeside");
    await page.fill("#f-state", "OH");
    await page.fill("#f-postal", "43440");
    await page.fill("#f-hours", "Mon-Sun 08:00-20:00");
    await page.fill("#f-phone", "(419) 555-0142");
    await Promise.all([page.waitForURL(/\/admin\/communities\/lakeside\?created=1/), page.click("text=Create and publish the page")]);
    const tCreated = Date.now();

    await page.click('#block-updates a[lang="en"]');
    await page.fill("#f-date", "2026-12-01");
    await page.fill("#f-title", "Counselors available all week");
    await page.fill("#f-body", "Walk in at the center, no appointment needed.");
    await Promise.all([page.waitForURL(/saved=1/), page.click("text=Save (not public until published)")]);

    await page.click("text=Lakeside");
    await page.click('#block-events a[lang="en"]');
    await page.selectOption("#f-kind", "vigil");
    await page.fill("#f-title", "Community vigil");
    await page.fill("#f-start", "2026-12-03T19:00");
    await page.fill("#f-end", "2026-12-03T20:00");
    await page.selectOption("#f-timezone", "America/New_York");
    await page.fill("#f-place", "Lakeside Park bandstand");
    await Promise.all([page.waitForURL(/saved=1/), page.click("text=Save (not public until published)")]);

    await page.click("text=Lakeside");
    await Promise.all([page.waitForURL(/published=1/), page.click("text=Publish all changes")]);
    await page.goto(site.base + "/c/" + SLUG);
    assert.ok(await page.locator("h3:has-text('Counselors available all week')").isVisible());
    assert.ok(await page.locator("h3:has-text('Community vigil')").isVisible());
    assert.ok(await page.locator("text=The Family Assistance Center at Lakeside High School is open now.").isVisible());
    const total = (Date.now() - t0) / 1000;
    console.log(`# community flow: signed in and page live in ${((tCreated - t0) / 1000).toFixed(2)} s; ` +
      `with an update and an event published and seen on the public page in ${total.toFixed(2)} s`);
    assert.ok(total < 60, `the whole flow takes minutes at most (${total}s)`);
  } finally {
    await page.close();
  }
});

for (const width of [375, 1280]) {
  test(`axe ${AXE_TAGS.join("+")}: community page, flyer and console pages at ${width}px`, async () => {
    setup();
    const page = await site.newPage({ width, height: 900 });
    try {
      for (const path of [`/c/${SLUG}`, `/es/c/${SLUG}`, `/c/${SLUG}/flyer`, `/es/c/${SLUG}/flyer`, "/"]) {
        const r = await page.goto(site.base + path);
        assert.equal(r.status(), 200, path);
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
        await checkPage(page, path, width);
      }
      await signIn(page);
      for (const path of ["/admin/communities", "/admin/communities/new", `/admin/communities/${SLUG}`,
        `/admin/communities/${SLUG}/updates/en`, `/admin/communities/${SLUG}/events/es`,
        `/admin/communities/${SLUG}/locations/en`, `/admin/communities/${SLUG}/funds/es`,
        `/admin/communities/${SLUG}?lang=es`]) {
        const r = await page.goto(site.base + path);
        assert.equal(r.status(), 200, path);
        await checkPage(page, path, width);
      }
      // A form with errors: messages next to the fields.
      await page.goto(site.base + "/admin/communities/new");
      await page.fill("#f-name", "Lakeside");
      await page.fill("#f-phone", "call me");
      await page.fill("#f-hours", "Mon-Fri 17:00-09:00");
      await page.click("text=Create and publish the page");
      await page.waitForSelector(".usa-error-message");
      await checkPage(page, "the create form with errors", width);
    } finally {
      await page.close();
    }
  });
}

test("the flyer prints on one Letter and one A4 page, in each language", async () => {
  setup();
  const page = await site.newPage({ width: 1280, height: 900 });
  try {
    for (const path of [`/c/${SLUG}/flyer`, `/es/c/${SLUG}/flyer`]) {
      await page.goto(site.base + path);
      await page.emulateMedia({ media: "print" });
      assert.ok(await page.locator(".vrc-flyer__qr svg").isVisible(), "the QR code prints");
      assert.ok(await page.locator(".vrc-flyer__main h2").first().isVisible(), "the center prints");
      for (const sel of [".vrc-crisis-bar", "#quick-exit", ".vrc-nav", "[data-print]"])
        assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} hidden in print`);
      for (const format of ["Letter", "A4"]) {
        const n = pdfPages(await page.pdf({ format, printBackground: false }));
        assert.equal(n, 1, `${path} prints on one ${format} page, got ${n}`);
      }
      await page.emulateMedia({ media: "screen" });
    }
  } finally {
    await page.close();
  }
});
