// The static export, black-box: `vrc export` of a site with a community page and an archived resource
// writes, for every page, the bytes `vrc serve` sends (identity, gzip and brotli, from one render
// path: the server's warm cache against the export's fresh render), and nginx with deploy/nginx.conf
// over the export answers the same URLs with the same status, bodies, Content-Type, Cache-Control
// and security headers, redirects, 404 pages per language and 410 pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, readdirSync, statSync, writeFileSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import http from "node:http";
import { startServer, bin } from "../lib/server.mjs";

const root = resolve(new URL("../..", import.meta.url).pathname);
const PUBLIC = "https://vrc.example.org";
const GONE = "the-criminal-justice-process-and-going-to-court";
let srv, out, ngx, ngxBase, exportRun;

// One GET with raw bytes (no decoding): {status, headers, body: Buffer}.
function fetchRaw(base, path, encoding) {
  return new Promise((ok, fail) => {
    const req = http.get(base + path, { headers: encoding ? { "Accept-Encoding": encoding } : {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
  });
}

// Every exported file that is a page, feed or asset, as its URL (the mapping of src/app/export.c).
function exportedUrls(dir, sub = "") {
  const urls = [];
  for (const name of readdirSync(join(dir, sub))) {
    const rel = sub ? `${sub}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) {
      if (rel !== "_gone") urls.push(...exportedUrls(dir, rel));
      continue;
    }
    if (name.startsWith(".") || /\.(gz|br|map)$/.test(name) || /^(es\/)?(404|500)\.html$/.test(rel)) continue;
    if (name === "index.html") urls.push("/" + rel.slice(0, -"index.html".length));
    else if (rel.startsWith("static/") || !name.endsWith(".html")) urls.push("/" + rel);
    else urls.push("/" + rel.slice(0, -5));
  }
  return urls;
}

// Every file under dir, as [path relative to dir, its stat].
function filesUnder(dir, sub = "") {
  const files = [];
  for (const name of readdirSync(join(dir, sub))) {
    const rel = sub ? `${sub}/${name}` : name, st = statSync(join(dir, rel));
    if (st.isDirectory()) files.push(...filesUnder(dir, rel));
    else files.push([rel, st]);
  }
  return files;
}

const fileOf = (url) =>
  url.endsWith("/") ? `${url.slice(1)}index.html` : /\.[a-z0-9]+$/.test(url.split("/").pop()) ? url.slice(1) : `${url.slice(1)}.html`;

before(async () => {
  srv = await startServer(["--public-url", PUBLIC], {
    prepare(db) {
      const c = spawnSync(bin, ["community", "create", "--db", db, "--slug", "springfield", "--name", "Springfield Strong",
        "--place", "Springfield, IL", "--date", "2026-11-20", "--lang", "en,es", "--tz", "America/Chicago"], { encoding: "utf8" });
      assert.equal(c.status, 0, c.stderr);
      spawnSync("sqlite3", [db, `UPDATE resource SET status = 'archived' WHERE slug = '${GONE}'`]);
    },
  });
  out = mkdtempSync(join(tmpdir(), "vrc-export-"));
  chmodSync(out, 0o755); /* nginx's workers (www-data) read the export */
  exportRun = spawnSync(bin, ["export", "--db", srv.db, "--out", join(out, "site"), "--public-url", PUBLIC], { encoding: "utf8" });
});

after(async () => {
  if (ngx) spawnSync("nginx", ["-c", join(out, "main.conf"), "-p", out, "-s", "stop"]);
  assert.equal(await srv.stop(), 0, "server exits cleanly\n" + srv.log.slice(-2000));
  rmSync(out, { recursive: true, force: true });
});

test("vrc export writes every page with .gz and .br siblings and says what it did", () => {
  assert.equal(exportRun.status, 0, exportRun.stderr);
  assert.match(exportRun.stdout, /^vrc export: \d+ pages \(1 gone, 0 failed\), \d+ files, [\d.]+ MB in [\d.]+ s into /m);
  assert.doesNotMatch(exportRun.stderr, /\r\[/, "no progress bar when standard error is not a terminal");
  const site = join(out, "site");
  for (const f of ["index.html", "index.html.gz", "index.html.br", "es/index.html", "health-wellness.html",
    "resources/calming-stress-after-violence.html", "es/resources/calmar-cuerpo-y-mente.html.br", "c/springfield.html",
    "es/c/springfield.html", "c/springfield/flyer.html", "c/springfield/updates.atom", "es/c/springfield/events.ics",
    "404.html", "es/404.html", "500.html", `_gone/resources/${GONE}.html`, "redirects.map", "gone.map"])
    assert.ok(existsSync(join(site, f)), f);
  assert.match(readFileSync(join(site, "gone.map"), "utf8"), new RegExp(`^/resources/${GONE} 1;$`, "m"));
  assert.match(readFileSync(join(site, "redirects.map"), "utf8"), /^\/es\/resources\/calming-stress-after-violence \/resources\/calming-stress-after-violence;$/m);
  assert.ok(!existsSync(join(site, `resources/${GONE}.html`)), "an archived resource is no page");
});

test("the export is byte for byte what vrc serve sends: identity, gzip and brotli", async () => {
  const site = join(out, "site");
  const urls = exportedUrls(site);
  assert.ok(urls.length > 150, `${urls.length} URLs`);
  assert.ok(urls.some((u) => u.startsWith("/static/")) && urls.includes("/es/c/springfield/updates.atom"));
  let compared = 0;
  for (const url of urls) {
    const file = join(site, fileOf(url));
    for (const [enc, suffix] of [["identity", ""], ["gzip", ".gz"], ["br", ".br"]]) {
      if (suffix && !existsSync(file + suffix)) continue;
      const r = await fetchRaw(srv.base, url, enc);
      assert.equal(r.status, 200, `${url} ${enc}`);
      assert.equal(r.headers["content-encoding"] || "identity", enc, `${url} ${enc}`);
      assert.ok(r.body.equals(readFileSync(file + suffix)), `${url} (${enc}) differs from ${fileOf(url)}${suffix}`);
      compared++;
    }
  }
  assert.ok(compared > 400, `${compared} bodies compared`);
  // The 410 page of an archived resource.
  const gone = await fetchRaw(srv.base, `/resources/${GONE}`, "identity");
  assert.equal(gone.status, 410);
  assert.ok(gone.body.equals(readFileSync(join(site, `_gone/resources/${GONE}.html`))));
});

test("nginx with deploy/nginx.conf serves the export with vrc's URLs, status codes and headers", async (t) => {
  if (spawnSync("nginx", ["-v"]).status !== 0) return t.skip("nginx is not installed (scripts/deps)");
  const port = 20000 + Math.floor(Math.random() * 20000);
  const site = join(out, "site");
  const conf = readFileSync(join(root, "deploy/nginx.conf"), "utf8")
    .replaceAll("/srv/vrc/export", site).replace("listen 127.0.0.1:8081 ", `listen 127.0.0.1:${port} `);
  writeFileSync(join(out, "site.conf"), conf);
  writeFileSync(join(out, "main.conf"), `pid ${out}/nginx.pid;\nerror_log ${out}/nginx.err;\nevents { worker_connections 64; }\n` +
    `http { access_log off; include ${out}/site.conf; }\n`);
  const started = spawnSync("nginx", ["-c", join(out, "main.conf"), "-p", out], { encoding: "utf8" });
  assert.equal(started.status, 0, started.stderr);
  ngx = true;
  ngxBase = `http://127.0.0.1:${port}`;
  const headers = ["content-type", "cache-control", "content-security-policy", "x-content-type-options",
    "referrer-policy", "x-frame-options", "permissions-policy", "cross-origin-opener-policy", "location"];
  const urls = [...exportedUrls(site).filter((_, i) => i % 3 === 0), "/", "/es/", "/es", "/health-wellness/",
    "/es/resources/calming-stress-after-violence", "/resources/calmar-cuerpo-y-mente", "/nope", "/es/nope",
    `/resources/${GONE}`, "/c/springfield/", "/robots.txt", "/sitemap.xml", "/sitemap-library-1.xml",
    "/sitemap-communities-1.xml", "/.vrc-export", "/gone.map", "/index.html.vrc-tmp"];
  for (const url of urls) {
    for (const enc of ["identity", "gzip"]) {
      const [a, b] = await Promise.all([fetchRaw(srv.base, url, enc), fetchRaw(ngxBase, url, enc)]);
      assert.equal(b.status, a.status, `${url} ${enc}: status`);
      for (const h of headers) /* a redirect's body (and its type) is nginx's own */
        if (a.status !== 301 || h !== "content-type") assert.equal(b.headers[h], a.headers[h], `${url} ${enc}: ${h}`);
      assert.equal(b.headers["content-encoding"], a.headers["content-encoding"], `${url} ${enc}: content-encoding`);
      if (a.status !== 301) assert.ok(b.body.equals(a.body), `${url} ${enc}: body`);
    }
  }
});

test("exporting again into the same folder is an update: unchanged files untouched, changed ones replaced whole, unpublished pages removed, other files left alone", async () => {
  // On a copy of the database, so the server above keeps its pages.
  const db = join(out, "again.db"), dir = join(out, "again");
  spawnSync("sqlite3", [srv.db, `.backup ${db}`]);
  const run = () => spawnSync(bin, ["export", "--db", db, "--out", dir, "--public-url", PUBLIC], { encoding: "utf8" });
  const snapshot = () => new Map(filesUnder(dir).map(([rel, st]) => [rel, `${st.ino}:${st.mtimeMs}`]));
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(readFileSync(join(dir, ".vrc-export"), "utf8"), /^vrc-export 1; gzip \d+, brotli \d+ \(libdeflate [\d.]+, brotli [\d.]+\)\n/);
  writeFileSync(join(dir, "own.txt"), "the operator's own file\n");
  writeFileSync(join(dir, "resources", "own.html"), "not vrc's\n");
  const before = snapshot();
  await new Promise((r) => setTimeout(r, 20)); // a rewrite would have a later time

  // Nothing changed: nothing is written, every file is the very same file.
  const same = run();
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stdout, /an update of the last export: 0 pages rendered anew, \d+ unchanged; 0 files written, 0 removed/);
  assert.doesNotMatch(same.stdout, /reload/);
  const after1 = snapshot();
  for (const [rel, id] of before) if (rel !== ".vrc-export") assert.equal(after1.get(rel), id, `${rel} untouched`);

  // A resource retitled, another unpublished: their files change or go, the rest stay.
  const RETITLED = "calming-stress-after-violence", DRAFT = "crime-victim-compensation", ARCHIVED = "sleep-after-trauma";
  spawnSync("sqlite3", [db, `UPDATE resource SET title = 'Calm after violence: retitled' WHERE slug = '${RETITLED}'; UPDATE resource SET status = 'draft' WHERE slug = '${DRAFT}'; UPDATE resource SET status = 'archived' WHERE slug = '${ARCHIVED}'`]);
  const upd = run();
  assert.equal(upd.status, 0, upd.stderr);
  const m = /(\d+) pages rendered anew, (\d+) unchanged; (\d+) files written, (\d+) removed/.exec(upd.stdout);
  assert.ok(m, upd.stdout);
  const [rendered, unchanged, , removed] = m.slice(1).map(Number);
  // The retitled page, and the pages that list or link either (their sections, related cards).
  assert.ok(rendered >= 3 && rendered < unchanged / 2, `${rendered} pages rendered anew, ${unchanged} unchanged`);
  assert.equal(removed, 6, "the unpublished and the archived pages, each with its .gz and .br");
  assert.ok(!existsSync(join(dir, `resources/${ARCHIVED}.html`)) && existsSync(join(dir, `_gone/resources/${ARCHIVED}.html`)), "an archived resource: its 410 page instead");
  assert.match(readFileSync(join(dir, "gone.map"), "utf8"), new RegExp(`^/resources/${ARCHIVED} 1;$`, "m"));
  assert.match(upd.stdout, /redirects\.map or gone\.map changed: reload the web server/, "its redirect went from the map, and nginx reads maps at load");
  assert.doesNotMatch(readFileSync(join(dir, "redirects.map"), "utf8"), new RegExp(DRAFT));
  for (const f of [`resources/${DRAFT}.html`, `resources/${DRAFT}.html.gz`, `resources/${DRAFT}.html.br`])
    assert.ok(!existsSync(join(dir, f)), `${f} removed`);
  const page = readFileSync(join(dir, `resources/${RETITLED}.html`));
  assert.match(page.toString(), /Calm after violence: retitled/);
  const zlib = await import("node:zlib");
  assert.ok(zlib.gunzipSync(readFileSync(join(dir, `resources/${RETITLED}.html.gz`))).equals(page), ".gz is the new page");
  assert.ok(zlib.brotliDecompressSync(readFileSync(join(dir, `resources/${RETITLED}.html.br`))).equals(page), ".br is the new page");
  const after2 = snapshot();
  assert.notEqual(after2.get(`resources/${RETITLED}.html`), before.get(`resources/${RETITLED}.html`));
  assert.equal(after2.get("es/index.html"), before.get("es/index.html"), "a page neither change shows stays untouched");
  assert.equal(after2.get("own.txt"), before.get("own.txt"), "a file vrc did not write stays");
  assert.equal(after2.get("resources/own.html"), before.get("resources/own.html"), "a file vrc did not write stays");
  assert.ok(![...after2.keys()].some((k) => k.endsWith(".vrc-tmp")), "no half-written files left");

  // A manifest naming files outside the folder (edited by hand, or hostile) never removes them.
  const manifest = join(dir, ".vrc-export");
  const outside = join(out, "outside.txt");
  writeFileSync(outside, "not in the export folder\n");
  writeFileSync(manifest, readFileSync(manifest, "utf8") + `../outside.txt\n${outside}\nresources/../../outside.txt\n`);
  const hostile = run();
  assert.equal(hostile.status, 0, hostile.stderr);
  assert.ok(existsSync(outside), "a file outside the export folder is never removed");
  assert.doesNotMatch(readFileSync(manifest, "utf8"), /outside/, "and the next manifest does not name it");

  // Another coder stamp (another vrc, other levels): every page is written again.
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/^vrc-export 1; [^\n]*/, "vrc-export 1; gzip 9, brotli 11 (older)"));
  const redo = run();
  assert.equal(redo.status, 0, redo.stderr);
  assert.match(redo.stdout, /an update of the last export: (\d+) pages rendered anew, 0 unchanged/);
});

test("--precompress off writes the pages alone, the same bytes; switching either way rewrites and removes the siblings", () => {
  const db = join(out, "plain.db"), dir = join(out, "plain");
  spawnSync("sqlite3", [srv.db, `.backup ${db}`]);
  const run = (...more) => spawnSync(bin, ["export", "--db", db, "--out", dir, "--public-url", PUBLIC, ...more], { encoding: "utf8" });
  const siblings = () => filesUnder(dir).filter(([rel]) => /\.(gz|br)$/.test(rel)).length;
  const site = join(out, "site");
  const full = run();
  assert.equal(full.status, 0, full.stderr);
  const had = siblings();
  assert.ok(had > 100, `the first export has its .gz and .br files (${had})`);

  const plain = run("--precompress", "off");
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /an update of the last export: (\d+) pages rendered anew, 0 unchanged; \d+ files written, (\d+) removed/);
  const removed = Number(/(\d+) removed/.exec(plain.stdout)[1]);
  assert.equal(siblings(), 0, "no .gz or .br left");
  assert.equal(removed, had, "every sibling removed, each named in the summary");
  assert.match(readFileSync(join(dir, ".vrc-export"), "utf8"), /^vrc-export 1; not precompressed\n/);
  for (const f of ["index.html", "es/c/springfield.html", "resources/calming-stress-after-violence.html", "c/springfield/updates.atom",
    `_gone/resources/${GONE}.html`, "404.html"])
    assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(site, f))), `${f}: the same bytes as the precompressed export (and so as vrc serve)`);
  assert.ok(readdirSync(join(dir, "static")).length > 0, "the assets too");

  const again = run("--precompress", "off");
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /an update of the last export: 0 pages rendered anew, \d+ unchanged; 0 files written, 0 removed/);

  const back = run("--precompress", "on");
  assert.equal(back.status, 0, back.stderr);
  assert.ok(existsSync(join(dir, "index.html.br")) && existsSync(join(dir, "es/c/springfield.html.gz")), "the siblings are back");

  const bad = run("--precompress", "maybe");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--precompress/);
});
