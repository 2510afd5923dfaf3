// The uploads page in a real Chromium: axe-core (WCAG 2.x A/AA) on the empty page, after an upload
// (the notice with the address and Markdown, the list) and with a refusal next to the file field, in
// English and Spanish, at phone and desktop widths without sideways scroll; the browser's own
// multipart form post; and the uploaded image as the browser receives it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useSite, AXE_TAGS, axeViolations, formatViolations } from "./lib.mjs";
import { addUser } from "../lib/admin.mjs";

const dir = mkdtempSync(join(tmpdir(), "vrc-uploads-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const site = useSite({ serverArgs: ["--uploads", dir] });
const PW = "correct horse battery staple";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

let accounts = false;
function setup() {
  if (accounts) return;
  addUser(site.srv.db, "editor@example.org", "editor", PW);
  accounts = true;
}

async function checkPage(page, label, width) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `${label} at ${width}px scrolls sideways by ${overflow}px`);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${violations.length} axe violation(s) on ${label} at ${width}px:\n${formatViolations(violations)}`);
}

async function signIn(page) {
  await site.context.clearCookies();
  await page.goto(site.base + "/admin/login");
  await page.fill("#email", "editor@example.org");
  await page.fill("#password", PW);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.click("button[type=submit]")]);
}

for (const width of [375, 1280]) {
  test(`axe ${AXE_TAGS.join("+")}: the uploads page empty, after an upload and with a refusal, English and Spanish, at ${width}px`, async () => {
    setup();
    const page = await site.newPage({ width, height: 900 });
    try {
      await signIn(page);
      for (const lang of ["", "?lang=es"]) {
        const res = await page.goto(site.base + "/admin/uploads" + lang);
        assert.equal(res.status(), 200);
        await checkPage(page, "/admin/uploads" + lang, width);
        // The browser's own multipart post, with a file whose name says PDF.
        await page.setInputFiles("#file", { name: `photo-${width}${lang ? "-es" : ""}.pdf`, mimeType: "application/pdf",
          buffer: Buffer.concat([PNG, Buffer.from(`${width}${lang}`)]) });
        await page.fill("#alt", "Un punto azul");
        await Promise.all([page.waitForURL(/added=[0-9a-f]{64}&was=pdf/), page.click("form.usa-form button[type=submit]")]);
        const notice = await page.textContent(".usa-alert--success");
        assert.match(notice, lang ? /se guarda como PNG/ : /stored as PNG/);
        assert.match(notice, /!\[Un punto azul\]\(\/media\/u\/[0-9a-f]{64}\.png\)/);
        await checkPage(page, "/admin/uploads after an upload" + lang, width);
        // A web page named .png is refused next to the field.
        await page.setInputFiles("#file", { name: "page.png", mimeType: "image/png", buffer: Buffer.from("<!doctype html><p>hi") });
        await page.fill("#alt", "Un punto azul");
        await Promise.all([page.waitForNavigation(), page.click("form.usa-form button[type=submit]")]);
        assert.equal(await page.getAttribute("#file", "aria-invalid"), "true");
        assert.match(await page.textContent("#file-error"), lang ? /No se aceptan páginas web/ : /Web pages \(HTML\) are not accepted/);
        assert.equal(await page.inputValue("#alt"), "Un punto azul", "the description is kept");
        await checkPage(page, "/admin/uploads with a refusal" + lang, width);
      }
    } finally {
      await page.close();
    }
  });
}

test("the uploaded image reaches the browser as image/png with nosniff", async () => {
  setup();
  const page = await site.newPage({ width: 1280, height: 900 });
  try {
    await signIn(page);
    await page.goto(site.base + "/admin/uploads");
    const href = await page.getAttribute("table.vrc-uploads tbody tr th a", "href");
    assert.match(href, /^\/media\/u\/[0-9a-f]{64}\.png$/);
    const res = await page.goto(site.base + href);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()["content-type"], "image/png");
    assert.equal(res.headers()["x-content-type-options"], "nosniff");
    const size = await page.evaluate(() => { const img = document.querySelector("img"); return img && [img.naturalWidth, img.naturalHeight]; });
    assert.deepEqual(size, [1, 1], "Chromium shows it as an image");
  } finally {
    await page.close();
  }
});
