// Quick exit: the button and Esc-twice leave the site and take the page out of the tab's history.
// The server's --exit-url points at /healthz, a same-origin page that is not a site page, so the
// test never leaves 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite } from "./lib.mjs";

const site = useSite({ serverArgs: ["--exit-url", "/healthz"] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A fresh tab: about:blank, then one site page. location.replace() must swap the site page for the
// exit page, so the history keeps its length and Back goes to about:blank, not to the site.
// (Quick exit can only remove the page it is on; pages visited before it stay in history: that
// is a limit of the web platform, and why the site also advises private browsing.)
async function openOnSitePage(path) {
  const page = await site.newPage();
  await page.goto(site.base + path);
  assert.equal(await page.evaluate(() => history.length), 2, "about:blank + the site page");
  return page;
}

async function assertLeftSite(page, from) {
  await page.waitForURL(site.base + "/healthz", { timeout: 5000 });
  assert.equal((await page.locator("body").innerText()).trim(), "ok", "the exit page is shown");
  assert.equal(await page.evaluate(() => history.length), 2,
    "the exit replaced the site page instead of adding an entry after it");
  await page.goBack();
  assert.equal(page.url(), "about:blank", `Back does not return to ${from}`);
  await page.goForward();
  assert.equal(page.url(), site.base + "/healthz", "Forward goes to the exit page, not the site page");
}

test("the quick exit button is on every page and points at the exit URL", async () => {
  const page = await site.newPage({ width: 375, height: 740 });
  try {
    for (const p of ["/", "/es/", "/grief-trauma", "/resources/how-to-use-this-site", "/nope"]) {
      await page.goto(site.base + p);
      const exit = page.locator("#quick-exit");
      assert.ok(await exit.isVisible(), `${p}: quick exit visible`);
      assert.equal(await exit.getAttribute("href"), "/healthz", p);
      const box = await exit.boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= 740 && box.x + box.width <= 375, `${p}: in the viewport`);
      assert.ok(box.height >= 44 && box.width >= 44, `${p}: big enough to hit in a hurry (${box.width}x${box.height})`);
      // Fixed: still on screen after scrolling to the bottom.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const after = await exit.boundingBox();
      assert.ok(after.y >= 0 && after.y < 100, `${p}: stays in reach after scrolling`);
    }
  } finally {
    await page.close();
  }
});

test("clicking Quick exit leaves and Back does not return to the site", async () => {
  for (const from of ["/resources/sleep-after-trauma", "/es/grief-trauma"]) {
    const page = await openOnSitePage(from);
    try {
      await page.locator("#quick-exit").click();
      await assertLeftSite(page, from);
    } finally {
      await page.close();
    }
  }
});

test("pressing Esc twice leaves the site and Back does not return", async () => {
  const from = "/resources/grief-and-prolonged-grief";
  const page = await openOnSitePage(from);
  try {
    await page.keyboard.press("Escape");
    await sleep(200);
    await page.keyboard.press("Escape");
    await assertLeftSite(page, from);
  } finally {
    await page.close();
  }
});

test("Esc once, or twice far apart, stays on the page", async () => {
  const from = "/health-wellness";
  const page = await openOnSitePage(from);
  try {
    await page.keyboard.press("Escape");
    await sleep(2000);
    assert.equal(page.url(), site.base + from, "one Esc does not leave");
    await page.keyboard.press("Escape"); // 2 s after the first: not a double press
    await sleep(700);
    assert.equal(page.url(), site.base + from, "two Esc 2 s apart do not leave");
    assert.equal(await page.evaluate(() => history.length), 2);
  } finally {
    await page.close();
  }
});
