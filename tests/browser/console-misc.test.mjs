// The console's hotline, topic, audit, settings and dashboard pages in a real Chromium: axe-core (WCAG 2.x
// A/AA) with zero violations on each page and its error states, in English and Spanish, at a phone width
// and a desktop width, without sideways scroll; and a hotline edited by keyboard alone, seen by a visitor
// at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, AXE_TAGS, axeViolations, formatViolations } from "./lib.mjs";
import { addUser, base32, totp } from "../lib/admin.mjs";

const site = useSite();
const PW = "correct horse battery staple";

// An admin, signed in once for the whole file (a TOTP code is accepted once per time step).
let signedIn = false;
async function signIn() {
  if (signedIn) return;
  addUser(site.srv.db, "admin@example.org", "admin", PW);
  const page = await site.newPage({ width: 1280, height: 900 });
  try {
    await page.goto(site.base + "/admin/login");
    await page.fill("#email", "admin@example.org");
    await page.fill("#password", PW);
    await Promise.all([page.waitForURL(/\/admin\/totp$/), page.click("button[type=submit]")]);
    const secret = (await page.textContent("#totp-secret code")).replace(/\s/g, "");
    await page.fill("#code", totp(base32(secret)));
    await Promise.all([page.waitForLoadState("load"), page.click("form button[type=submit]")]);
    assert.match(await page.textContent("main"), /recovery/i);
    signedIn = true;
  } finally {
    await page.close();
  }
}

async function checkPage(page, label, width) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `${label} at ${width}px scrolls sideways by ${overflow}px`);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${violations.length} axe violation(s) on ${label} at ${width}px:\n${formatViolations(violations)}`);
}

const PAGES = ["/admin/", "/admin/hotlines", "/admin/hotlines/988", "/admin/hotlines/new", "/admin/topics",
  "/admin/topics/trauma-reactions", "/admin/topics/new", "/admin/audit", "/admin/settings"];

for (const width of [375, 1280]) {
  test(`axe ${AXE_TAGS.join("+")}: every console-misc page in English and Spanish at ${width}px`, async () => {
    await signIn();
    const page = await site.newPage({ width, height: 900 });
    try {
      for (const path of PAGES) {
        for (const q of ["", "?lang=es"]) {
          const res = await page.goto(site.base + path + q);
          assert.equal(res.status(), 200, path + q);
          assert.equal(await page.getAttribute("html", "lang"), q ? "es" : "en");
          // Open every <details> so axe sees what is folded too.
          await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
          await checkPage(page, path + q, width);
        }
      }
    } finally {
      await page.close();
    }
  });

  test(`axe: the error states (field errors, a refused retirement, bad filters) at ${width}px`, async () => {
    await signIn();
    const page = await site.newPage({ width, height: 900 });
    try {
      for (const q of ["", "?lang=es"]) {
        // A hotline with a missing name, a bad chat address and a bad date.
        await page.goto(site.base + "/admin/hotlines/211" + q);
        await page.fill("#name_es", "");
        await page.selectOption("#kind_1", "chat");
        await page.fill("#value_1", "http://insecure.example");
        await page.fill("#verified", "2026-02-30");
        await Promise.all([page.waitForLoadState("load"), page.click("form.vrc-edit-form button[type=submit]")]);
        await page.waitForSelector("#name_es-error");
        assert.equal(await page.getAttribute("#name_es", "aria-invalid"), "true");
        assert.equal(await page.inputValue("#value_1"), "http://insecure.example", "what was typed is kept");
        await checkPage(page, "/admin/hotlines/211 with errors" + q, width);
        // A new hotline with nothing filled in.
        await page.goto(site.base + "/admin/hotlines/new" + q);
        await Promise.all([page.waitForLoadState("load"), page.click("form.vrc-edit-form button[type=submit]")]);
        await page.waitForSelector("#slug-error");
        await checkPage(page, "/admin/hotlines/new with errors" + q, width);
        // A line named by resources: its retirement is refused with the list.
        await page.goto(site.base + "/admin/hotlines/victimconnect" + q);
        await Promise.all([page.waitForLoadState("load"), page.click(".vrc-retire button[type=submit]")]);
        await page.waitForSelector(".vrc-used-by li");
        await checkPage(page, "refused retirement" + q, width);
        // A topic with no title and a bad position.
        await page.goto(site.base + "/admin/topics/trauma-reactions" + q);
        await page.fill("#title_en", "");
        await page.fill("#position", "first");
        await Promise.all([page.waitForLoadState("load"), page.click("form.vrc-edit-form button[type=submit]")]);
        await page.waitForSelector("#position-error");
        await checkPage(page, "/admin/topics/trauma-reactions with errors" + q, width);
        // Settings out of range.
        await page.goto(site.base + "/admin/settings" + q);
        await page.fill("#review_months", "0");
        await Promise.all([page.waitForLoadState("load"), page.click("main form button[type=submit]")]);
        await page.waitForSelector("#review_months-error");
        await checkPage(page, "/admin/settings with errors" + q, width);
        // Audit filters that are not dates.
        const res = await page.goto(site.base + "/admin/audit?from=2026-13-01&to=soon" + (q ? "&lang=es" : ""));
        assert.equal(res.status(), 400);
        await checkPage(page, "/admin/audit with errors" + q, width);
      }
    } finally {
      await page.close();
    }
  });
}

test("a hotline edited by keyboard alone; a visitor sees it on the home page at once", async () => {
  await signIn();
  const page = await site.newPage({ width: 1280, height: 900 });
  const visitor = await site.newPage({ width: 375, height: 900 });
  try {
    await page.goto(site.base + "/admin/hotlines");
    await page.focus('a[href="/admin/hotlines/988"]');
    await Promise.all([page.waitForURL(/\/admin\/hotlines\/988$/), page.keyboard.press("Enter")]);
    await page.focus("#hours_en");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Every hour of every day");
    await Promise.all([page.waitForURL(/\/admin\/hotlines\?saved=988$/), page.keyboard.press("Enter")]);
    assert.match(await page.textContent(".usa-alert"), /saved/);
    await visitor.goto(site.base + "/");
    assert.match(await visitor.textContent("body"), /Every hour of every day/);
  } finally {
    await page.close();
    await visitor.close();
  }
});
