// What the database holds is what the site shows: the two reproductions from the lifecycle issue, run
// against the real binary. (1) A resource pair and a hotline deleted from content/, then `vrc init`:
// the pages answer 410 with crisis lines and a way on, the hotline is gone, and init said so.
// (2) One byte that is not UTF-8 in a title in the database: that page answers a 500 page that still
// has the crisis lines and Quick exit, the log names it, /healthz says degraded, the rest serves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, readFileSync, writeFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer, bin } from "../lib/server.mjs";

const root = resolve(new URL("../..", import.meta.url).pathname);
let srv, initOutput = "", content;

before(async () => {
  content = join(mkdtempSync(join(tmpdir(), "vrc-content-")), "content");
  cpSync(join(root, "content"), content, { recursive: true });
  srv = await startServer([], {
    content,
    prepare(db) {
      rmSync(join(content, "en/victim-social-services/crime-victim-compensation.md"));
      rmSync(join(content, "es/victim-social-services/compensacion-para-victimas-de-delitos.md"));
      const hotlines = JSON.parse(readFileSync(join(content, "hotlines.json"), "utf8"));
      writeFileSync(join(content, "hotlines.json"), JSON.stringify(hotlines.filter((h) => h.slug !== "211")));
      // As an operator would: the pages that named the line stop naming it (lint refuses a dangling name).
      for (const lang of ["en", "es"])
        for (const dir of readdirSync(join(content, lang))) {
          for (const f of readdirSync(join(content, lang, dir))) {
            const file = join(content, lang, dir, f);
            const text = readFileSync(file, "utf8");
            const fixed = text.replace(/^hotlines: (.*)$/m, (_, list) => {
              const rest = list.split(",").map((s) => s.trim()).filter((s) => s !== "211");
              return rest.length ? `hotlines: ${rest.join(", ")}` : "";
            });
            if (fixed !== text) writeFileSync(file, fixed);
          }
        }
      initOutput = execFileSync(bin, ["init", "--db", db, "--content", content], { encoding: "utf8" });
      execFileSync("sqlite3", [db, "UPDATE resource SET title = CAST(X'4869FF' AS TEXT) " +
        "WHERE slug = 'grief-and-prolonged-grief'"]);
    },
  });
});
after(async () => {
  const code = await srv.stop();
  rmSync(resolve(content, ".."), { recursive: true, force: true });
  assert.equal(code, 0, "server exits cleanly on SIGTERM\n" + srv.log.slice(-3000));
});

const get = (path) => fetch(srv.base + path, { redirect: "manual" });

function assertLifelines(html, lang) {
  assert.match(html, new RegExp(`<html lang="${lang}">`));
  assert.match(html, /class="vrc-crisis-bar"/);
  assert.match(html, /href="tel:988"/);
  assert.match(html, /id="crisis-lines"/);
  assert.match(html, /id="quick-exit"[^>]*href="https:\/\/www\.google\.com\/"/);
  assert.match(html, /\/css\/vrc\.css/);
}

test("vrc init names what it archived and retired", () => {
  assert.match(initOutput, /archived en\/crime-victim-compensation \(.*\): its file is gone/);
  assert.match(initOutput, /archived es\/compensacion-para-victimas-de-delitos/);
  assert.match(initOutput, /retired hotline 211 \(gone from hotlines\.json\)/);
  assert.match(initOutput, /\d+ resources \(\d+ new or changed, 2 archived\), \d+ topics, \d+ hotlines \(1 retired\)/);
});

test("a deleted resource answers 410 Gone with crisis lines and a link to its section", async () => {
  for (const [path, lang, section] of [
    ["/resources/crime-victim-compensation", "en", "/victim-social-services"],
    ["/es/resources/compensacion-para-victimas-de-delitos", "es", "/es/victim-social-services"],
  ]) {
    const r = await get(path);
    assert.equal(r.status, 410, path);
    const html = await r.text();
    assertLifelines(html, lang);
    assert.ok(html.includes(`<a href="${section}">`), "links to its section");
  }
  const sec = await (await get("/victim-social-services")).text();
  assert.ok(!sec.includes("/resources/crime-victim-compensation"), "the section no longer lists it");
});

test("a deleted hotline is gone from every page", async () => {
  for (const path of ["/", "/es/", "/health-wellness", "/resources/sleep-after-trauma"]) {
    const html = await (await get(path)).text();
    assert.ok(!html.includes('href="tel:211"'), path);
    assert.ok(html.includes('href="tel:988"'), path);
  }
});

test("a title that is not UTF-8 gives a 500 page with the crisis lines, a log line and a degraded health", async () => {
  const r = await get("/resources/grief-and-prolonged-grief");
  assert.equal(r.status, 500);
  assert.equal(r.headers.get("cache-control"), "no-store");
  const html = await r.text();
  assertLifelines(html, "en");
  assert.match(html, /Something went wrong on our side/);
  assert.match(srv.log, /error site: \/resources\/grief-and-prolonged-grief cannot be rendered: resource en\/grief-and-prolonged-grief: its title is not valid UTF-8/);
  const health = await get("/healthz");
  assert.equal(health.status, 200);
  assert.equal(await health.text(), "degraded: 1 page failed to render (see the log)\n");
  // Everything else keeps serving: the section (without the broken card) and the other pages.
  const sec = await get("/grief-trauma");
  assert.equal(sec.status, 200);
  assert.ok(!(await sec.text()).includes("/resources/grief-and-prolonged-grief"));
  assert.equal((await get("/es/resources/el-duelo-y-el-duelo-prolongado")).status, 200);
  assert.equal((await get("/")).status, 200);
});
