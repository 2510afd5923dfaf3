// Shared set-up for the browser suites: one vrc server and one headless Chromium per test file.
// Chromium is Debian's (/usr/bin/chromium) driven by playwright-core; each run gets a fresh
// temporary profile, removed afterwards.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../lib/server.mjs";

export const root = resolve(new URL("../..", import.meta.url).pathname);
export const chromiumPath = process.env.VRC_CHROMIUM || "/usr/bin/chromium";
const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run", "--disable-sync"];

// Pages by type, English and Spanish twins side by side.
export const PAGES = {
  home: ["/", "/es/"],
  section: ["/grief-trauma", "/es/grief-trauma"],
  article: ["/resources/sleep-after-trauma", "/es/resources/dormir-despues-del-trauma"],
  video: ["/resources/how-to-use-this-site", "/es/resources/como-usar-este-sitio"],
  worksheet: ["/resources/my-coping-plan-worksheet", "/es/resources/mi-plan-personal-para-afrontar"],
  worksheetGrid: ["/resources/sleep-diary-worksheet", "/es/resources/diario-de-sueno-semanal"],
  link: ["/resources/ovc-directory-of-crime-victim-services", "/es/resources/directorio-de-servicios-para-victimas-ovc"],
  notFound: ["/no-such-page", "/es/resources/no-existe"],
};
export const WORKSHEETS = [
  ["/resources/my-coping-plan-worksheet", "/es/resources/mi-plan-personal-para-afrontar"],
  ["/resources/sleep-diary-worksheet", "/es/resources/diario-de-sueno-semanal"],
  ["/resources/managing-trauma-reactions-worksheet", "/es/resources/hoja-manejo-de-reacciones-al-trauma"],
];

// Register before/after hooks for this file: a server (serverArgs are passed to `vrc serve`) and a
// persistent Chromium context on a fresh profile. Returns an object whose fields are filled in
// once `before` has run: { srv, base, context, newPage(viewport?) }.
export function useSite({ serverArgs = [], contextOptions = {} } = {}) {
  const site = {};
  let profile;
  before(async () => {
    site.srv = await startServer(serverArgs);
    site.base = site.srv.base;
    profile = mkdtempSync(join(tmpdir(), "vrc-chromium-"));
    site.context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, headless: true, args: chromiumArgs,
      viewport: { width: 1280, height: 900 }, ...contextOptions,
    });
    site.context.setDefaultTimeout(30000);
    site.newPage = async (viewport) => {
      const page = await site.context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    };
  });
  after(async () => {
    if (site.context) await site.context.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (site.srv) {
      const code = await site.srv.stop();
      assert.equal(code, 0, "server exits cleanly on SIGTERM\n" + site.srv.log.slice(-3000));
    }
  });
  return site;
}

// axe-core under the site's CSP: page.addScriptTag() inserts an inline <script> (even with
// {path}, Playwright reads the file and inlines it), which `default-src 'self'` blocks, as it
// should. page.evaluate() runs through the DevTools protocol, which CSP does not govern, so we
// evaluate axe's source there: the page keeps its real CSP and no bypassCSP context is needed.
const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export async function axeViolations(page, tags = AXE_TAGS) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const result = await page.evaluate((values) =>
    window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }), tags);
  return result.violations;
}

export function formatViolations(violations) {
  return violations.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    at ${n.target.join(" ")}${n.failureSummary ? "\n      " +
      n.failureSummary.replace(/\n/g, "\n      ") : ""}`).join("\n")).join("\n");
}
