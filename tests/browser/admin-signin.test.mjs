// The staff console in a real Chromium: axe-core (WCAG 2.x A/AA) on the sign-in page, its error state,
// the second-factor enrolment page (inline SVG QR code) and the password page, at phone and desktop
// widths without sideways scroll; and signing in and out by keyboard alone, with the __Host- cookie
// as the browser keeps it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, AXE_TAGS, axeViolations, formatViolations } from "./lib.mjs";
import { addUser } from "../lib/admin.mjs";

const site = useSite();
const PW = "correct horse battery staple";
// The accounts, made once the server is up (top-level hooks do not wait for useSite's).
let accounts = false;
function setup() {
  if (accounts) return;
  addUser(site.srv.db, "editor@example.org", "editor", PW);
  addUser(site.srv.db, "reviewer@example.org", "reviewer", PW);
  accounts = true;
}

async function checkPage(page, label, width) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `${label} at ${width}px scrolls sideways by ${overflow}px`);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${violations.length} axe violation(s) on ${label} at ${width}px:\n${formatViolations(violations)}`);
}

for (const width of [375, 1280]) {
  test(`axe ${AXE_TAGS.join("+")}: the sign-in page and its errors, in English and Spanish, at ${width}px`, async () => {
    setup();
    const page = await site.newPage({ width, height: 900 });
    try {
      for (const path of ["/admin/login", "/admin/login?lang=es"]) {
        const res = await page.goto(site.base + path);
        assert.equal(res.status(), 200);
        await checkPage(page, path, width);
        await page.click("button[type=submit]");
        await page.waitForSelector(".usa-error-message");
        assert.equal(await page.getAttribute("#email", "aria-invalid"), "true");
        await checkPage(page, path + " with errors", width);
        await page.fill("#email", "editor@example.org");
        await page.fill("#password", "not the password");
        await page.click("button[type=submit]");
        await page.waitForSelector(".usa-alert--error");
        await checkPage(page, path + " after a failed sign-in", width);
      }
    } finally {
      await page.close();
    }
  });
}

test("sign in and out by keyboard alone; the browser keeps the __Host- cookie, HttpOnly", async () => {
  setup();
  const page = await site.newPage({ width: 1280, height: 900 });
  try {
    await page.goto(site.base + "/admin/login");
    await page.keyboard.press("Tab"); // skip link
    await page.keyboard.press("Tab"); // site name
    await page.keyboard.press("Tab"); // language switch
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "email");
    await page.keyboard.type("editor@example.org");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "password");
    await page.keyboard.insertText(PW); // as a password manager or a paste would
    await Promise.all([page.waitForURL(/\/admin\/$/), page.keyboard.press("Enter")]);
    assert.match(await page.textContent("main"), /editor@example\.org/);
    const cookies = await site.context.cookies();
    const c = cookies.find((x) => x.name === "__Host-vrc");
    assert.ok(c, "the browser stored the session cookie");
    assert.equal(c.httpOnly, true);
    assert.equal(c.secure, true);
    assert.equal(c.sameSite, "Lax");
    assert.equal(c.path, "/");
    assert.equal(await page.evaluate(() => document.cookie), "", "scripts cannot read it");
    await checkPage(page, "/admin/", 1280);
    // Sign out: focus the button and press Enter.
    await page.focus("footer button[type=submit]");
    await Promise.all([page.waitForURL(/\/admin\/login$/), page.keyboard.press("Enter")]);
    assert.equal((await site.context.cookies()).filter((x) => x.name === "__Host-vrc").length, 0);
  } finally {
    await page.close();
  }
});

for (const width of [375, 1280]) {
  test(`axe: second-factor enrolment with its QR code, and the password page, at ${width}px`, async () => {
    setup();
    const page = await site.newPage({ width, height: 900 });
    try {
      await site.context.clearCookies();
      await page.goto(site.base + "/admin/login");
      await page.fill("#email", "reviewer@example.org");
      await page.fill("#password", PW);
      await Promise.all([page.waitForURL(/\/admin\/totp$/), page.click("button[type=submit]")]);
      const qr = page.locator("svg.vrc-qr");
      assert.equal(await qr.getAttribute("role"), "img");
      const box = await qr.boundingBox();
      assert.ok(box.width >= 150 && box.width <= width, `QR code is ${box.width}px wide`);
      await checkPage(page, "/admin/totp", width);
      await page.goto(site.base + "/admin/password");
      await checkPage(page, "/admin/password", width);
    } finally {
      await page.close();
    }
  });
}
