// A large site starts serving before its cache is warm: bench/gen makes 2,000 resources and 100
// community pages; the server answers pages (rendered on their first request, as the warm cache
// will hold them) while /healthz still says it is warming, then reports the warm and its memory.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer, bin } from "../lib/server.mjs";

const root = resolve(new URL("../..", import.meta.url).pathname);
let srv, gen;

before(async () => {
  gen = mkdtempSync(join(tmpdir(), "vrc-gen-"));
  const g = spawnSync(join(root, "bench/gen"), [join(gen, "site"), "--resources", "2000", "--communities", "100", "--vrc", bin],
    { encoding: "utf8" });
  assert.equal(g.status, 0, g.stderr);
  srv = await startServer([], {
    warm: false,
    prepare(db) {
      for (const ext of ["-wal", "-shm"]) rmSync(db + ext, { force: true });
      copyFileSync(join(gen, "site/vrc.db"), db);
    },
  });
});

after(async () => {
  assert.equal(await srv.stop(), 0, "server exits cleanly\n" + srv.log.slice(-2000));
  rmSync(gen, { recursive: true, force: true });
});

// The raw answer to GET path with the given Accept-Encoding (fetch would decode it).
function raw(path, acceptEncoding) {
  return new Promise((done, fail) => {
    get(srv.base + path, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const parts = [];
      res.on("data", (d) => parts.push(d));
      res.on("end", () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    }).on("error", fail);
  });
}

test("pages answer while the cache is still warming, and the warm is reported", async () => {
  // Library pages are warmed last: the last one answers now, rendered by this request.
  const [slug, title] = spawnSync("sqlite3", ["-separator", "\t", srv.db,
    "SELECT slug, title FROM resource WHERE lang = 'en' ORDER BY slug DESC LIMIT 1"], { encoding: "utf8" }).stdout.trim().split("\t");
  const page = await fetch(srv.base + "/resources/" + slug);
  const health = await (await fetch(srv.base + "/healthz")).text();
  assert.equal(page.status, 200, slug);
  assert.ok((await page.text()).includes(`<h1>${title.replaceAll("'", "&#39;")}</h1>`), title);
  const m = /^ok \(warming (\d+)\/(\d+)\)\n$/.exec(health);
  assert.ok(m, "still warming after the page answered: " + JSON.stringify(health));
  assert.ok(Number(m[2]) > 3000 && Number(m[1]) < Number(m[2]), health);
  // A page rendered for a waiting visitor is compressed in the coding that visitor takes; the
  // others, asked for next, are the same page, each with its own ETag and Vary.
  const next = spawnSync("sqlite3", [srv.db, "SELECT slug FROM resource WHERE lang = 'en' ORDER BY slug DESC LIMIT 1 OFFSET 1"],
    { encoding: "utf8" }).stdout.trim();
  const id = await raw("/resources/" + next, "identity");
  const gz = await raw("/resources/" + next, "gzip");
  const br = await raw("/resources/" + next, "gzip, br");
  const gz2 = await raw("/resources/" + next, "gzip");
  for (const r of [gz, br, id]) {
    assert.equal(r.status, 200);
    assert.equal(r.headers.vary, "Accept-Encoding", "every coding varies");
  }
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.equal(br.headers["content-encoding"], "br");
  assert.equal(id.headers["content-encoding"], undefined);
  assert.ok(id.body.toString().includes("</html>"), "the whole page");
  assert.ok(gunzipSync(gz.body).equals(id.body), "gzip decodes to the page");
  assert.ok(brotliDecompressSync(br.body).equals(id.body), "brotli decodes to the page");
  assert.ok(gz2.body.equals(gz.body), "the gzip made for the first visitor is kept");
  assert.equal(gz.headers.etag, id.headers.etag.replace(/"$/, '-gz"'));
  assert.equal(br.headers.etag, id.headers.etag.replace(/"$/, '-br"'));
  // The sitemap (built by the worker, or by the first request for it) answers while warming, whole.
  const map = await fetch(srv.base + "/sitemap.xml");
  assert.equal(map.status, 200);
  const index = await map.text();
  assert.ok(index.trimEnd().endsWith("</sitemapindex>"), "the sitemap index answers whole");
  let xml = "";
  for (const [, loc] of index.matchAll(/<loc>[a-z]+:\/\/[^/]+(\/sitemap-library-\d+\.xml)<\/loc>/g))
    xml += await (await fetch(srv.base + loc)).text();
  assert.ok(xml.includes(`/resources/${slug}</loc>`) && xml.trimEnd().endsWith("</urlset>"), "the sitemap lists the library");
  // A trailing slash redirects to the page as it does once warm, for a page not rendered yet too.
  const slugs = spawnSync("sqlite3", [srv.db, "SELECT slug FROM resource WHERE lang = 'es' ORDER BY slug DESC LIMIT 1"],
    { encoding: "utf8" }).stdout.trim();
  for (const path of [`/es/resources/${slugs}`, "/health-wellness", "/c/c-99"]) {
    const r = await fetch(srv.base + path + "/", { redirect: "manual" });
    assert.equal(r.status, 301, path + "/");
    assert.equal(r.headers.get("location"), path);
  }
  assert.match(await (await fetch(srv.base + "/healthz")).text(), /warming/, "the redirects were asked for while warming");
  // Community pages (warmed before the library) and a page asked for twice at once.
  const [a, b] = await Promise.all([fetch(srv.base + "/c/c-100"), fetch(srv.base + "/c/c-100")]);
  assert.equal(a.status, 200);
  assert.equal(await a.text(), await b.text());
  assert.equal((await fetch(srv.base + "/resources/no-such-page")).status, 404);
  // The warm finishes and says what the cache holds.
  for (let i = 0; i < 600 && !/info warm: /.test(srv.log); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(srv.log, /info warm: \d+ pages in [\d.]+ s \(0 gone, 0 failed\); cache: \d+ entries, [\d.]+ MB \(brotli [\d.]+, gzip and identity [\d.]+ of 48 MB\)/);
  assert.equal(await (await fetch(srv.base + "/healthz")).text(), "ok\n");
  assert.equal((await fetch(srv.base + "/resources/no-such-page")).status, 404);
  assert.equal((await fetch(srv.base + "/resources/no-such-page/", { redirect: "manual" })).status, 404);
});
