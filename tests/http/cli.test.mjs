// The command line as an operator meets it: usage, exit codes, init and lint on good and bad content.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, cpSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin } from "../lib/server.mjs";

const root = new URL("../..", import.meta.url).pathname;
const vrc = (...args) => spawnSync(bin, args, { encoding: "utf8" });

test("--help and --version", () => {
  const h = vrc("--help");
  assert.equal(h.status, 0);
  assert.match(h.stdout, /usage: vrc COMMAND/);
  assert.match(h.stdout, /serve/);
  const v = vrc("--version");
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^vrc \d+\.\d+\.\d+/);
});

test("unknown commands and bad flags print usage and exit 2", () => {
  for (const args of [[], ["frobnicate"], ["serve", "--nope"], ["init", "--db"], ["serve", "--listen="]]) {
    const r = vrc(...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, /usage: vrc/, args.join(" "));
  }
});

test("serve refuses an unusable listen address", () => {
  const dir = mkdtempSync(join(tmpdir(), "vrc-cli-"));
  const r = vrc("serve", "--db", join(dir, "x.db"), "--listen", "nonsense");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot use listen address/);
  rmSync(dir, { recursive: true, force: true });
});

function contentCopy() {
  const dir = mkdtempSync(join(tmpdir(), "vrc-content-"));
  cpSync(join(root, "content"), join(dir, "content"), { recursive: true });
  return dir;
}

test("init creates the database, and running it twice is safe", () => {
  const dir = mkdtempSync(join(tmpdir(), "vrc-cli-"));
  const db = join(dir, "sub", "vrc.db");
  let r = vrc("init", "--db", db, "--content", join(root, "content"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ready \(schema \d+\): (\d+) resources \(\1 new or changed, 0 archived\), \d+ topics, \d+ hotlines \(0 retired\)/);
  r = vrc("init", "--db", db, "--content", join(root, "content"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\d+ resources \(0 new or changed, 0 archived\)/, "unchanged files are not reloaded");
  rmSync(dir, { recursive: true, force: true });
});

test("init rejects a malformed file with its path, line and reason, and loads nothing", () => {
  const dir = contentCopy();
  const file = join(dir, "content/en/health-wellness/sleep-after-trauma.md");
  writeFileSync(file, readFileSync(file, "utf8").replace(/^stage: .*$/m, "stage: someday"));
  const r = vrc("init", "--db", join(dir, "vrc.db"), "--content", join(dir, "content"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /sleep-after-trauma\.md:\d+: stage must be first-days, weeks-months, long-term or any/);
  assert.match(r.stderr, /nothing was loaded/);
  rmSync(dir, { recursive: true, force: true });
});

test("lint passes on the shipped library and prints a readability table", () => {
  const r = vrc("lint", "--content", join(root, "content"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /content\/en\/health-wellness\/sleep-after-trauma\.md +en article +\d+ +\d+\.\d/);
  assert.match(r.stdout, /\d+ passed, 0 failed/);
});

test("lint catches a javascript: link, hard prose and a missing translation", () => {
  const dir = contentCopy();
  const en = join(dir, "content/en/health-wellness/sleep-after-trauma.md");
  writeFileSync(en, readFileSync(en, "utf8") + "\n[click](javascript:alert(1))\n\n" +
    "Notwithstanding considerable epidemiological heterogeneity, posttraumatic psychopathology " +
    "demonstrates substantial comorbidity with neurobiological dysregulation, necessitating " +
    "comprehensive multidisciplinary interventions incorporating psychopharmacological considerations. ".repeat(30));
  rmSync(join(dir, "content/es/grief-trauma/noticias-y-redes-sociales.md"));
  const r = vrc("lint", "--content", join(dir, "content"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /sleep-after-trauma\.md:1: link 'javascript:alert\(1\)' uses a scheme that is not allowed/);
  assert.match(r.stderr, /sleep-after-trauma\.md:1: reading grade [\d.]+ is above the ceiling 8\.0/);
  assert.match(r.stderr, /coping-with-news-and-social-media\.md:1: translation 'noticias-y-redes-sociales' does not exist/);
  assert.match(r.stdout, /TOO HARD/);
  rmSync(dir, { recursive: true, force: true });
});

test("a page made from the command line while the server runs reaches its home page and sitemap", async () => {
  const { startServer } = await import("../lib/server.mjs");
  const srv = await startServer(["--schedule-every", "1", "--public-url", "https://help.example.org"]);
  try {
    const home = async () => (await (await fetch(srv.base + "/")).text());
    assert.doesNotMatch(await home(), /Riverton/, "not there before");
    const r = vrc("community", "create", "--db", srv.db, "--slug", "riverton", "--name", "Riverton",
      "--place", "Riverton, WY", "--lang", "en,es");
    assert.equal(r.status, 0, r.stderr);
    let html = "", map = "";
    for (let i = 0; i < 100 && !(/Riverton/.test(html) && /\/c\/riverton/.test(map)); i++) {
      await new Promise((ok) => setTimeout(ok, 200));
      html = await home();
      map = await (await fetch(srv.base + "/sitemap-communities-1.xml")).text();
    }
    assert.match(html, /href="\/c\/riverton"[^>]*>[^<]*Riverton|Riverton/, "the home page lists the new page");
    assert.match(map, /<loc>https:\/\/help\.example\.org\/c\/riverton<\/loc>/, "the sitemap names it");
    assert.match(srv.log, /another process changed [^\n]*refreshing/, "the log says why the pages changed");
  } finally {
    await srv.stop();
  }
});
