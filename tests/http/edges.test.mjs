// HTTP edges, black-box: one request-target limit, 304s that match their 200, Range on every body,
// what the library does with request lines that are not HTTP, flag validation, and no leak when the
// library cannot make a response. The real binary on loopback; raw sockets where fetch would hide it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readdirSync, readFileSync, renameSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, raw, bin } from "../lib/server.mjs";

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
});

// One request on its own connection, bytes as sent (no decompression): { status, headers, body }.
function get(path, headers = {}, { base = srv.base, method = "GET" } = {}) {
  return new Promise((ok, fail) => {
    request(base + path, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", fail).end();
  });
}

// Wait until the server's log matches (the access log may be buffered).
async function logMatch(s, re, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (re.test(s.log)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return re.test(s.log);
}

async function assetPath() {
  const html = (await get("/")).body.toString();
  return /href="(\/static\/[0-9a-f]+\/uswds\/css\/uswds\.min\.css)"/.exec(html)[1];
}

/* ---- one limit on the request target ---- */

test("a path over 512 bytes is kept whole, even in the middle of a UTF-8 character", async () => {
  const name = "é".repeat(300); // 600 bytes decoded, 1,800 as sent
  const r = await get("/" + encodeURIComponent(name));
  assert.equal(r.status, 404);
  assert.ok(await logMatch(srv, new RegExp(`"GET /${name}" 404 `)), "the access log names the whole path");
  assert.doesNotMatch(srv.log, /\uFFFD/, "no broken UTF-8 in the log");
});

test("one limit: a request target of 2,048 bytes is served, 2,049 gets 414, query included", async () => {
  assert.equal((await get("/" + "a".repeat(2047))).status, 404);
  const long = await get("/" + "a".repeat(2048));
  assert.equal(long.status, 414);
  assert.match(long.body.toString(), /too long/);
  assert.equal((await get("/?q=" + "a".repeat(2044))).status, 200, "2,048 with the query");
  assert.equal((await get("/?q=" + "a".repeat(2045))).status, 414, "2,049 with the query");
  assert.equal((await get("/" + "%41".repeat(683))).status, 414, "counted as sent, not decoded");
});

test("real request headers fit the connection's memory; past 8 KB of headers is 431", async () => {
  const browser = [
    "User-Agent: Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
    "Accept-Language: es-US,es;q=0.9,en-US;q=0.8,en;q=0.7", "Accept-Encoding: gzip, deflate, br, zstd",
    'sec-ch-ua: "Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"', "sec-ch-ua-mobile: ?1",
    'sec-ch-ua-platform: "Android"', "Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate", "Sec-Fetch-User: ?1",
    "Sec-Fetch-Dest: document", "Upgrade-Insecure-Requests: 1", "Cookie: " + "c=".padEnd(3000, "x"),
  ].join("\r\n");
  const target = "/?q=" + "a".repeat(2044);
  const ok = await raw(srv.base, `GET ${target} HTTP/1.1\r\nHost: x\r\n${browser}\r\nConnection: close\r\n\r\n`);
  assert.match(ok, /^HTTP\/1\.1 200 /, "a 2,048-byte target with 4 KB of browser headers and cookies");
  const big = await raw(srv.base, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(8200)}\r\nConnection: close\r\n\r\n`);
  assert.match(big, /^HTTP\/1\.1 431 /);
  assert.match(big, /Content-Security-Policy/, "just past the limit: our own 431 page");
  const huge = await raw(srv.base, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(40000)}\r\nConnection: close\r\n\r\n`);
  assert.match(huge, /^HTTP\/1\.1 431 /, "far past it: the library's 431");
});

/* ---- 304 carries the 200's ETag and Vary ---- */

test("a 304 carries the same ETag and Vary as the 200 it revalidates, for each coding", async () => {
  const css = await assetPath();
  for (const p of ["/", "/es/grief-trauma", css]) {
    for (const enc of ["identity", "gzip", "br", "gzip, deflate, br"]) {
      const full = await get(p, { "Accept-Encoding": enc });
      assert.equal(full.status, 200, `${p} ${enc}`);
      const etag = full.headers.etag;
      assert.ok(etag, `${p} ${enc} has an ETag`);
      const again = await get(p, { "Accept-Encoding": enc, "If-None-Match": etag });
      assert.equal(again.status, 304, `${p} ${enc}`);
      assert.equal(again.headers.etag, etag, `${p} ${enc}: same ETag`);
      assert.equal(again.headers.vary, full.headers.vary, `${p} ${enc}: same Vary`);
      assert.equal(again.headers["content-encoding"], undefined);
      assert.equal(again.body.length, 0);
    }
  }
});

test("If-None-Match compares whole tags: weak prefix, lists and * match; another coding's tag does not", async () => {
  const gz = await get("/", { "Accept-Encoding": "gzip" });
  const id = await get("/", { "Accept-Encoding": "identity" });
  assert.notEqual(gz.headers.etag, id.headers.etag);
  const cond = (enc, inm) => get("/", { "Accept-Encoding": enc, "If-None-Match": inm });
  assert.equal((await cond("gzip", "W/" + gz.headers.etag)).status, 304);
  assert.equal((await cond("gzip", `"x", ${gz.headers.etag}`)).status, 304);
  assert.equal((await cond("gzip", "*")).status, 304);
  const other = await cond("gzip", id.headers.etag);
  assert.equal(other.status, 200, "the identity tag does not revalidate the gzip body");
  assert.equal(other.headers["content-encoding"], "gzip");
  assert.equal((await cond("identity", gz.headers.etag)).status, 200);
});

/* ---- Range and If-Range on every body ---- */

test("static assets and cached pages honour Range in the coding sent, with Accept-Ranges", async () => {
  const css = await assetPath();
  for (const p of [css, "/", "/es/health-wellness"]) {
    for (const enc of ["identity", "br"]) {
      const full = await get(p, { "Accept-Encoding": enc });
      assert.equal(full.status, 200);
      assert.equal(full.headers["accept-ranges"], "bytes", `${p} ${enc}`);
      const n = full.body.length;
      const part = await get(p, { "Accept-Encoding": enc, Range: "bytes=10-109" });
      assert.equal(part.status, 206, `${p} ${enc}`);
      assert.equal(part.headers["content-range"], `bytes 10-109/${n}`);
      assert.equal(part.headers.etag, full.headers.etag);
      assert.equal(part.headers["content-encoding"], full.headers["content-encoding"]);
      assert.deepEqual(part.body, full.body.subarray(10, 110));
      const tail = await get(p, { "Accept-Encoding": enc, Range: "bytes=-7" });
      assert.deepEqual(tail.body, full.body.subarray(n - 7));
      const bad = await get(p, { "Accept-Encoding": enc, Range: `bytes=${n}-` });
      assert.equal(bad.status, 416, `${p} ${enc}`);
      assert.equal(bad.headers["content-range"], `bytes */${n}`);
    }
  }
});

test("If-Range: the current ETag gives the part, anything else the whole body", async () => {
  const css = await assetPath();
  const full = await get(css, { "Accept-Encoding": "gzip" });
  const etag = full.headers.etag;
  const ir = (v) => get(css, { "Accept-Encoding": "gzip", Range: "bytes=0-4", "If-Range": v });
  assert.equal((await ir(etag)).status, 206);
  for (const v of ['"stale"', "W/" + etag, "Mon, 30 Nov 2026 10:00:00 GMT"]) {
    const r = await ir(v);
    assert.equal(r.status, 200, v);
    assert.equal(r.body.length, full.body.length, v);
  }
});

test("Range is ignored where it cannot apply: several ranges, other units, POST, errors", async () => {
  const full = await get("/", { "Accept-Encoding": "identity" });
  for (const range of ["bytes=0-1,5-6", "items=0-1", "bytes=abc"]) {
    const r = await get("/", { "Accept-Encoding": "identity", Range: range });
    assert.equal(r.status, 200, range);
    assert.equal(r.body.length, full.body.length, range);
  }
  const nf = await get("/no-such-page", { Range: "bytes=0-1" });
  assert.equal(nf.status, 404);
  assert.ok(nf.body.length > 2);
});

/* ---- request lines that are not HTTP ---- */

test("libmicrohttpd 0.9.75 closes silently on some request lines; README says which", async () => {
  // Answered by the library with its own 400 page: a version that is not HTTP/d.d, or none.
  for (const line of ["GET / FOO", "GET /", "HELLO WORLD"])
    assert.match(await raw(srv.base, line + "\r\nHost: x\r\n\r\n"), /^HTTP\/1\.1 400 /, line);
  // Dropped without a byte: no space in the line, an empty method, a space inside the target.
  for (const line of ["GARBAGE", " / HTTP/1.1", "GET /a b HTTP/1.1"])
    assert.equal(await raw(srv.base, line + "\r\nHost: x\r\n\r\n"), "", line);
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  assert.match(readme, /no space/i);
  assert.match(readme, /closes the connection without an answer/);
  assert.equal((await get("/healthz")).status, 200);
});

/* ---- flags ---- */

test("serve validates numeric and URL flags and exits 2 naming the flag", () => {
  const dir = mkdtempSync(join(tmpdir(), "vrc-flags-"));
  const bad = [
    ["--threads", "abc"], ["--threads", "4x"], ["--threads", "-1"], ["--threads", "0"],
    ["--threads", "99999999999999999999"], ["--threads", " 4"],
    ["--per-ip-limit", "lots"], ["--per-ip-limit", "-5"], ["--per-ip-limit", "1e3"],
    ["--exit-url", "www.example.org"], ["--exit-url", "javascript:alert(1)"], ["--exit-url", "ftp://example.org/"],
    ["--exit-url", "https://"], ["--exit-url", "https://exa mple.org/"], ["--exit-url", 'https://example.org/"><b>'],
    ["--exit-url", "//example.org/"],
  ];
  for (const [flag, value] of bad) {
    const r = spawnSync(bin, ["serve", "--db", join(dir, "x.db"), "--listen", "127.0.0.1:0", flag, value],
      { encoding: "utf8", timeout: 10000 });
    assert.equal(r.status, 2, `${flag} ${value}: exit ${r.status} ${r.signal || ""}`);
    assert.ok(r.stderr.includes(flag), `${flag} ${value}: the message names the flag: ${r.stderr}`);
  }
  assert.deepEqual(readdirSync(dir), [], "nothing was created before the flags were checked");
  rmSync(dir, { recursive: true, force: true });
});

test("a path on this site is a good exit URL too", async () => {
  const s = await startServer(["--exit-url", "/healthz"]);
  try {
    const html = (await get("/", {}, { base: s.base })).body.toString();
    assert.match(html, /id="quick-exit"[^>]*href="\/healthz"/);
  } finally {
    assert.equal(await s.stop(), 0, s.log.slice(-2000));
  }
});

test("good flag values are taken: threads, per-IP limit and an http(s) exit URL", async () => {
  const s = await startServer(["--threads", "3", "--per-ip-limit", "0", "--exit-url", "HTTPS://www.example.org:8443/x?y=1#z"]);
  try {
    const html = (await get("/", {}, { base: s.base })).body.toString();
    assert.match(html, /id="quick-exit"[^>]*href="HTTPS:\/\/www\.example\.org:8443\/x\?y=1#z"/);
  } finally {
    assert.equal(await s.stop(), 0, s.log.slice(-2000));
  }
});

/* ---- no leak when the library cannot make a response ---- */

// A shim that makes libmicrohttpd's response constructors fail, as they do when memory runs out.
const shim = `
#include <stddef.h>
#include <stdint.h>
void *MHD_create_response_from_fd_at_offset64(uint64_t s, int fd, uint64_t o)
{ (void)s, (void)fd, (void)o; return NULL; }
void *MHD_create_response_from_buffer_with_free_callback_cls(size_t s, const void *b, void (*f)(void *), void *c)
{ (void)s, (void)b, (void)f, (void)c; return NULL; }
`;

// The server started on this database (tests/lib/server.mjs does not expose the process).
function pidOf(db) {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes(db) && cmd.includes("serve")) return Number(pid);
    } catch { /* gone */ }
  }
  return -1;
}

const fdsOf = (db) => readdirSync(`/proc/${pidOf(db)}/fd`).length;

test("a response the library cannot create leaks neither a file descriptor nor a cache reference", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vrc-shim-"));
  writeFileSync(join(dir, "fail.c"), shim);
  execFileSync("cc", ["-shared", "-fPIC", "-o", join(dir, "fail.so"), join(dir, "fail.c")]);
  const saved = { ...process.env };
  process.env.LD_PRELOAD = join(dir, "fail.so");
  process.env.ASAN_OPTIONS = "verify_asan_link_order=0:" + (process.env.ASAN_OPTIONS || "");
  let s;
  try {
    // libmicrohttpd's responses are what the shim breaks: cached pages go through it too with the
    // fast path off (with it on, a cached page never asks libmicrohttpd for a response).
    s = await startServer(["--fast-path", "off"]);
  } finally {
    process.env = saved;
  }
  try {
    await raw(s.base, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const start = fdsOf(s.db);
    assert.ok(start > 0);
    for (let i = 0; i < 40; i++) {
      const reply = await raw(s.base, "GET /media/how-to-use-this-site.webm HTTP/1.1\r\nHost: x\r\n\r\n");
      assert.equal(reply, "", "the connection is closed without an answer");
      await raw(s.base, "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
    }
    assert.ok(fdsOf(s.db) < start + 5, `file descriptors stay put: ${start} → ${fdsOf(s.db)}`);
    assert.equal((await get("/healthz", {}, { base: s.base })).status, 200);
  } finally {
    const code = await s.stop();
    assert.equal(code, 0, "clean exit, no leak report\n" + s.log.slice(-3000));
    rmSync(dir, { recursive: true, force: true });
  }
});

/* ---- the access log ---- */

async function fileMatch(path, re, ms = 3000) {
  const end = Date.now() + ms;
  const text = () => (existsSync(path) ? readFileSync(path, "utf8") : "");
  while (Date.now() < end && !re.test(text())) await new Promise((r) => setTimeout(r, 50));
  return text();
}

test("--access-log PATH appends there, and SIGHUP after a rename starts a new file (logrotate)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vrc-log-"));
  const path = join(dir, "access.log");
  writeFileSync(path, "an older line\n");
  const s = await startServer(["--access-log", path]);
  try {
    await get("/health-wellness", {}, { base: s.base });
    let text = await fileMatch(path, /"GET \/health-wellness" 200 /);
    assert.match(text, /^an older line\n/, "appended, not truncated");
    assert.match(text, /Z info access 127\.0\.0\.1 "GET \/health-wellness" 200 \d+ \d+\.\dms\n/);
    assert.doesNotMatch(s.log, /"GET \/health-wellness"/, "not on standard error");
    renameSync(path, path + ".1");
    process.kill(pidOf(s.db), "SIGHUP");
    assert.ok(await logMatch(s, /access log reopened/), s.log);
    await get("/es/", {}, { base: s.base });
    text = await fileMatch(path, /"GET \/es\/" 200 /);
    assert.match(text, /"GET \/es\/" 200 /, "the next line goes to the new file");
    assert.doesNotMatch(text, /health-wellness/);
    assert.doesNotMatch(readFileSync(path + ".1", "utf8"), /"GET \/es\/"/);
    assert.ok(s.alive());
  } finally {
    assert.equal(await s.stop(), 0, s.log.slice(-2000));
  }
  assert.match(readFileSync(path, "utf8"), /"GET \/es\/" 200 /);
  rmSync(dir, { recursive: true, force: true });
});

test("--access-log off logs no requests; lines still reach standard error by default", async () => {
  const s = await startServer(["--access-log", "off"]);
  try {
    assert.equal((await get("/healthz", {}, { base: s.base })).status, 200);
    await new Promise((r) => setTimeout(r, 1500));
    assert.doesNotMatch(s.log, /access /);
  } finally {
    assert.equal(await s.stop(), 0, s.log.slice(-2000));
  }
  await get("/grief-trauma?x=1");
  assert.ok(await logMatch(srv, /access 127\.0\.0\.1 "GET \/grief-trauma" 200 /));
});

test("the access log escapes what could forge or break a line, and keeps every line of a burst", async () => {
  await get("/a%22b%0Ac%5C");
  assert.ok(await logMatch(srv, /"GET \/a\\x22b\\x0Ac\\x5C" 404 /), srv.log.slice(-500));
  for (let b = 0; b < 600; b += 100) // under the per-IP connection limit
    await Promise.all(Array.from({ length: 100 }, (_, i) => get(`/burst-${b + i}`)));
  assert.ok(await logMatch(srv, /burst-599"/));
  for (let i = 0; i < 600; i++) assert.match(srv.log, new RegExp(`"GET /burst-${i}" 404 `));
});

test("an unwritable access log path exits 1 before serving", () => {
  const r = spawnSync(bin, ["serve", "--db", join(tmpdir(), "never.db"), "--access-log", "/nonexistent/dir/a.log"],
    { encoding: "utf8", timeout: 10000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot open access log \/nonexistent\/dir\/a\.log/);
  assert.ok(!existsSync(join(tmpdir(), "never.db")));
});
