// The fast path (src/http/fastpath.c) against libmicrohttpd's path: two servers on the same content
// and public URL, one with the fast path (the default) and one with --fast-path off, must send the
// same bytes (Date aside) for pages, codings, HEAD, 304, HTTP/1.0, pipelined requests and
// Connection: close; requests the fast path hands on (POST, the console, misses, Range, odd or
// malformed heads) must get what they always got, on the same keep-alive connection too. Clients
// that trickle their headers hold no thread and are dropped after the head deadline; an overloaded
// server answers 503 with Retry-After. Raw sockets throughout.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, bin } from "../lib/server.mjs";
import { Conn } from "../lib/conn.mjs";

let fast, slow, full, perip;
const TOKEN = "fastpath-metrics-token";
const common = ["--threads", "1", "--per-ip-limit", "0", "--public-url", "http://vrc.example", "--metrics-token", TOKEN];
let tmpl;
before(async () => {
  // Both servers on a copy of one database, so that their pages (dates included) are the same.
  tmpl = mkdtempSync(join(tmpdir(), "vrc-fastpath-"));
  execFileSync(bin, ["init", "--db", join(tmpl, "vrc.db"), "--content", new URL("../../content", import.meta.url).pathname], { stdio: "pipe" });
  const copy = { prepare: (db) => {
    for (const ext of ["", "-wal", "-shm"])
      if (existsSync(join(tmpl, "vrc.db" + ext))) copyFileSync(join(tmpl, "vrc.db" + ext), db + ext);
  } };
  [fast, slow, full, perip] = await Promise.all([
    startServer(common, copy),
    startServer([...common, "--fast-path", "off"], copy),
    startServer(["--threads", "1", "--max-connections", "10", "--per-ip-limit", "0"]),
    startServer(["--threads", "2", "--per-ip-limit", "3"]),
  ]);
});
after(async () => {
  for (const s of [fast, slow, full, perip]) {
    const code = await s.stop();
    assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + s.log.slice(-3000));
  }
  rmSync(tmpl, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PAGES = ["/", "/es/", "/health-wellness", "/resources/calming-stress-after-violence"];
const CODINGS = [undefined, "gzip", "br", "gzip, deflate, br"];

// Send bytes on a fresh connection and read until the server closes it (or ms pass).
function exchange(base, bytes, ms = 5000) {
  const { hostname, port } = new URL(base);
  return new Promise((ok) => {
    const s = net.connect(Number(port), hostname);
    const chunks = [];
    const done = (how) => { clearTimeout(t); s.destroy(); ok({ bytes: Buffer.concat(chunks), how }); };
    const t = setTimeout(() => done("timeout"), ms);
    s.on("data", (c) => chunks.push(c));
    s.on("end", () => done("closed"));
    s.on("error", () => done("error"));
    s.write(bytes);
  });
}

// The bytes with every Date value blanked (the two servers may answer in different seconds).
const undated = (b) => b.toString("latin1").replace(/\r\nDate: [^\r]*\r\n/g, "\r\nDate: -\r\n");

function req(method, path, headers = {}, version = "HTTP/1.1") {
  const h = version === "HTTP/1.1" ? { Host: "x", ...headers } : headers;
  return `${method} ${path} ${version}\r\n` + Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
}

async function same(bytes, what) {
  const [a, b] = await Promise.all([exchange(fast.base, bytes), exchange(slow.base, bytes)]);
  // A server that closes with bytes of the client's still unread (a request after Connection: close,
  // a head it refuses) makes the kernel send a reset rather than a plain end: which of the two the
  // client sees first depends on timing (ASan's most of all), on either path. The bytes are the test.
  const end = (how) => (how === "error" ? "closed" : how);
  assert.equal(end(a.how), end(b.how), `${what}: both servers end the connection the same way`);
  assert.ok(a.bytes.length > 0 || a.how !== "timeout", `${what}: an answer`);
  assert.equal(undated(a.bytes), undated(b.bytes), `${what}: the same bytes`);
  return a.bytes.toString("latin1");
}

// The ETag of a page in a coding, from the fast server.
async function etagOf(path, enc) {
  const r = await exchange(fast.base, req("GET", path, { ...(enc ? { "Accept-Encoding": enc } : {}), Connection: "close" }));
  return /\r\nETag: ([^\r]*)/.exec(r.bytes.toString("latin1"))[1];
}

// Runs first: until now both servers have had the very same requests.
test("the same access-log lines and the same request and cache metrics as libmicrohttpd's path", async () => {
  const tag = await Promise.all([fast, slow].map(async (s) => {
    const r = await exchange(s.base, req("GET", "/es/", { "Accept-Encoding": "gzip", Connection: "close" }));
    return /\r\nETag: ([^\r]*)/.exec(r.bytes.toString("latin1"))[1];
  }));
  assert.equal(tag[0], tag[1]);
  await same(req("GET", "/", { "Accept-Encoding": "br" }) + req("HEAD", "/health-wellness") +
    req("GET", "/es/", { "Accept-Encoding": "gzip", "If-None-Match": tag[0] }) + req("GET", "/no-such-page") +
    req("GET", "/resources/calming-stress-after-violence", { Connection: "close" }), "a batch");
  await same(req("GET", "/", {}, "HTTP/1.0"), "HTTP/1.0");
  const metrics = async (s) => {
    const r = await exchange(s.base, req("GET", "/metrics", { Authorization: `Bearer ${TOKEN}`, Connection: "close" }));
    return r.bytes.toString("latin1").split("\n").filter((l) => /^vrc_(http_requests_total|cache_lookups_total)\{/.test(l));
  };
  await sleep(300); // counted once the answer is out, which the client may see first
  const [mf, ms] = [await metrics(fast), await metrics(slow)];
  assert.ok(mf.some((l) => /result="hit"\} [1-9]/.test(l)), "cache hits are counted:\n" + mf.join("\n"));
  assert.ok(mf.some((l) => /code="304"\} 1$/.test(l)), "the 304 is counted");
  assert.deepEqual(mf, ms, "the same counts with and without the fast path");
  await sleep(1500); // the access log is written at least once a second
  // (the /metrics answers' sizes differ: memory figures)
  const lines = (s) => s.log.split("\n").filter((l) => / access /.test(l) && !/\/metrics/.test(l)).map((l) => l.replace(/^\S+ /, "").replace(/ [\d.]+ms$/, ""));
  assert.equal(lines(fast).length, 7, lines(fast).join("\n"));
  assert.deepEqual(lines(fast), lines(slow), "the same access-log lines");
});

test("the fast path sends libmicrohttpd's bytes: every page and coding, GET, HEAD, 304, HTTP/1.0, Connection: close", async () => {
  for (const p of PAGES) {
    for (const enc of CODINGS) {
      const ae = enc ? { "Accept-Encoding": enc } : {};
      const tag = await etagOf(p, enc);
      const got = await same(req("GET", p, { ...ae, Connection: "close" }), `GET ${p} ${enc}`);
      assert.match(got, /^HTTP\/1\.1 200 OK\r\nConnection: close\r\n/);
      await same(req("HEAD", p, { ...ae, Connection: "close" }), `HEAD ${p} ${enc}`);
      const nm = await same(req("GET", p, { ...ae, "If-None-Match": tag, Connection: "close" }), `304 ${p} ${enc}`);
      assert.match(nm, /^HTTP\/1\.1 304 Not Modified\r\n/);
      await same(req("GET", p, { ...ae, "If-None-Match": `W/"other", ${tag}`, Connection: "close" }), `304 list ${p}`);
      await same(req("GET", p, { ...ae, "If-None-Match": '"no-such-tag"', Connection: "close" }), `no match ${p}`);
      await same(req("GET", p, ae, "HTTP/1.0"), `HTTP/1.0 ${p} ${enc}`);
    }
  }
  // HTTP/1.0 with keep-alive: "Connection: Keep-Alive" in the answer, the connection stays open.
  const ka = req("GET", "/", { Connection: "keep-alive", "Accept-Encoding": "gzip" }, "HTTP/1.0");
  const got = await same(ka + req("GET", "/es/", {}, "HTTP/1.0"), "HTTP/1.0 keep-alive");
  assert.match(got, /^HTTP\/1\.1 200 OK\r\nConnection: Keep-Alive\r\n/);
});

test("pipelined requests are answered in order, byte for byte, and Connection: close ends the batch", async () => {
  const tag = await etagOf("/health-wellness", "br");
  const batch =
    req("GET", "/", { "Accept-Encoding": "gzip" }) +
    req("HEAD", "/es/", { "Accept-Encoding": "br" }) +
    req("GET", "/health-wellness", { "Accept-Encoding": "br", "If-None-Match": tag }) +
    req("GET", "/resources/calming-stress-after-violence") +
    req("GET", "/es/", { "Accept-Encoding": "gzip", Connection: "close" }) +
    req("GET", "/", {}); // after close: never answered
  const got = await same(batch, "pipelined batch");
  assert.equal((got.match(/HTTP\/1\.1 /g) || []).length, 5, "five answers, none after Connection: close");
  // Requests the fast path hands on, in the middle of a pipelined batch of hits.
  const mixed =
    req("GET", "/", { "Accept-Encoding": "gzip" }) +
    req("GET", "/no-such-page") +
    req("GET", "/es/", { Connection: "close" });
  const m = await same(mixed, "a miss in a pipelined batch");
  assert.deepEqual([...m.matchAll(/HTTP\/1\.1 (\d+)/g)].map((x) => x[1]), ["200", "404", "200"]);
});

test("a request pipelined after Connection: close is read and dropped: the client gets the whole answer and a plain end, never a reset", async () => {
  // Closing a socket with unread bytes makes the kernel send a reset, which can destroy the answer
  // still on its way; the fast path shuts down its side and drains instead (a lingering close).
  const tail = req("GET", "/", {}).repeat(200); // 200 requests never answered
  for (const coding of [undefined, "gzip", "br"]) {
    const ask = req("GET", "/resources/calming-stress-after-violence", { Connection: "close", ...(coding ? { "Accept-Encoding": coding } : {}) });
    const want = await exchange(fast.base, ask);
    assert.equal(want.how, "closed");
    const runs = await Promise.all(Array.from({ length: 20 }, () => exchange(fast.base, ask + tail)));
    for (const [i, r] of runs.entries()) {
      assert.equal(r.how, "closed", `${coding || "identity"} run ${i}: a plain end (FIN), not a reset`);
      assert.equal(undated(r.bytes), undated(want.bytes), `${coding || "identity"} run ${i}: the whole answer, and only it`);
    }
  }
});


test("after fast-path hits, a keep-alive connection still takes a POST, the console, a miss and a Range request", async () => {
  const statuses = {};
  const bodies = {};
  for (const [name, srv] of [["fast", fast], ["slow", slow]]) {
    const c = new Conn(srv.base);
    await c.ready;
    const seq = [];
    const keep = [];
    const step = async (bytes, opts) => { const r = await c.send(bytes, opts); seq.push(r.status); keep.push(r.body); return r; };
    await step(req("GET", "/", { "Accept-Encoding": "gzip" }));
    await step(req("HEAD", "/es/"), { head: true });
    await step(req("GET", "/admin/login"));
    await step("POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nemail=a@b");
    await step(req("GET", "/no-such-page"));
    await step(req("GET", "/health-wellness", { Range: "bytes=0-99" }));
    await step(req("GET", "/", { "Accept-Encoding": "br" })); // now on libmicrohttpd's side
    assert.equal(c.isClosed, false, `${name}: the connection stays open`);
    c.end();
    statuses[name] = seq;
    bodies[name] = keep;
  }
  assert.deepEqual(statuses.fast, statuses.slow, "the same statuses with and without the fast path");
  assert.deepEqual(statuses.fast.slice(0, 3), [200, 200, 200]);
  assert.equal(statuses.fast[4], 404);
  assert.equal(statuses.fast[5], 206);
  assert.deepEqual(bodies.fast[5], bodies.slow[5], "the same 100 bytes for the Range request");
  assert.equal(bodies.fast[5].length, 100);
  assert.deepEqual(bodies.fast[6], bodies.slow[6]);
});

test("odd and malformed heads get the answers they always got", async () => {
  const cases = [
    ["garbage", "garbage\r\n\r\n"],
    ["no Host", "GET / HTTP/1.1\r\n\r\n"],
    ["a query string", req("GET", "/?x=1", { Connection: "close" })],
    ["an escaped path", req("GET", "/es%2F", { Connection: "close" })],
    ["a dot-dot path", req("GET", "/static/../", { Connection: "close" })],
    ["lower-case method", "get / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
    ["OPTIONS", req("OPTIONS", "/", { Connection: "close" })],
    ["a body on GET", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"],
    ["HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n"],
    ["a target of 2,049 bytes", req("GET", "/" + "a".repeat(2048), { Connection: "close" })],
    ["9 KB of headers", req("GET", "/", { "X-Big": "b".repeat(9000), Connection: "close" })],
    ["20 KB with no end of head", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "c".repeat(20000)],
    ["bare LF", "GET / HTTP/1.1\nHost: x\nConnection: close\n\n"],
  ];
  for (const [what, bytes] of cases) {
    const got = await same(bytes, what);
    assert.ok(got === "" || /^HTTP\/1\.1 \d{3} /.test(got), `${what}: an HTTP answer or a closed connection`);
  }
  assert.match(await same(cases[9][1], "414"), /^HTTP\/1\.1 414 /);
  assert.match(await same(cases[10][1], "431"), /^HTTP\/1\.1 431 /);
});

// A connection that sends a request head a byte at a time, every ms.
function trickler(base, text, ms) {
  const { hostname, port } = new URL(base);
  const s = net.connect(Number(port), hostname);
  const state = { closed: false, data: "", stop: false };
  s.on("data", (d) => { state.data += d.toString("latin1"); });
  s.on("close", () => { state.closed = true; });
  s.on("error", () => {});
  const ready = new Promise((ok) => s.once("connect", ok));
  (async () => {
    await ready;
    for (let i = 0; !state.stop && !state.closed; i = (i + 1) % text.length) {
      s.write(text[i]);
      await sleep(ms);
    }
  })();
  return { state, ready, end: () => { state.stop = true; s.destroy(); } };
}

test("1,000 clients trickling their headers hold no thread: a normal request is served, and a head not complete in 10 s is dropped", async () => {
  const head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(400);
  const slowClients = [];
  for (let i = 0; i < 1000; i++) slowClients.push(trickler(fast.base, head, 1000));
  await Promise.all(slowClients.map((c) => c.ready));
  const t0 = Date.now();
  let served = 0;
  while (Date.now() - t0 < 3000) {
    const r = await exchange(fast.base, req("GET", PAGES[served % 4], { "Accept-Encoding": "gzip", Connection: "close" }));
    assert.match(r.bytes.toString("latin1"), /^HTTP\/1\.1 200 OK\r\n/, "a normal request is served among 1,000 tricklers");
    served++;
  }
  assert.ok(served > 1);
  assert.ok(slowClients.every((c) => !c.state.closed), "the slow clients are still connected, mid-header");
  // The head deadline: 10 s from a head's first byte, whatever still trickles in.
  await sleep(Math.max(0, t0 + 12500 - Date.now()));
  const dropped = slowClients.filter((c) => c.state.closed).length;
  slowClients.forEach((c) => c.end());
  assert.equal(dropped, 1000, "every trickling client was dropped after the head deadline");
  assert.ok(slowClients.every((c) => c.state.data === ""), "dropped without an answer");
  const after = await exchange(fast.base, req("GET", "/", { Connection: "close" }));
  assert.match(after.bytes.toString("latin1"), /^HTTP\/1\.1 200 OK\r\n/);
});

test("past --max-connections, with the fast path holding the connections, a new client gets 503 and Retry-After at once", async () => {
  const hold = [];
  for (let i = 0; i < 10; i++) hold.push(new Conn(full.base));
  await Promise.all(hold.map((c) => c.ready));
  // Each held connection had a fast-path hit and stays open on the fast path.
  await Promise.all(hold.map((c) => c.send(req("GET", "/", { "Accept-Encoding": "gzip" }))));
  const t0 = Date.now();
  const r = await exchange(full.base, req("GET", "/es/", { "Accept-Encoding": "gzip" }), 3000);
  const text = r.bytes.toString("latin1");
  assert.ok(Date.now() - t0 < 3000, "answered at once");
  assert.match(text, /^HTTP\/1\.1 503 Service Unavailable\r\nConnection: close\r\n/);
  assert.match(text, /\r\nRetry-After: 5\r\n/);
  assert.equal(r.how, "closed");
  assert.ok(hold.every((c) => !c.isClosed), "the connections already served are untouched");
  hold.forEach((c) => c.end());
  let ok = false;
  for (let i = 0; i < 60 && !ok; i++) {
    await sleep(50);
    ok = /^HTTP\/1\.1 200 /.test((await exchange(full.base, req("GET", "/", { Connection: "close" }))).bytes.toString("latin1"));
  }
  assert.ok(ok, "served again once the held connections close");
});

test("--per-ip-limit counts the fast path's connections and libmicrohttpd's together", async () => {
  const held = [new Conn(perip.base), new Conn(perip.base), new Conn(perip.base)];
  await Promise.all(held.map((c) => c.ready));
  assert.equal((await held[0].send(req("GET", "/"))).status, 200); // stays on the fast path
  assert.equal((await held[1].send(req("GET", "/es/"))).status, 200);
  assert.equal((await held[2].send(req("GET", "/healthz"))).status, 200); // handed to libmicrohttpd
  const refused = await exchange(perip.base, req("GET", "/", { Connection: "close" }), 3000);
  assert.equal(refused.bytes.length, 0, "a fourth connection from the address is closed at once");
  assert.notEqual(refused.how, "timeout");
  held[2].end(); // libmicrohttpd's connection closes: the address has room again
  let ok = false;
  for (let i = 0; i < 60 && !ok; i++) {
    await sleep(50);
    ok = /^HTTP\/1\.1 200 /.test((await exchange(perip.base, req("GET", "/", { Connection: "close" }), 3000)).bytes.toString("latin1"));
  }
  assert.ok(ok, "served once one of the three is gone");
  held.forEach((c) => c.end());
});

test("--fast-path takes on or off and nothing else", async () => {
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(bin, ["serve", "--fast-path", "maybe"], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--fast-path wants on or off, not 'maybe'/);
});

test("a port another vrc already listens on is refused, though each loop has its own listening socket (SO_REUSEPORT)", async () => {
  const { spawnSync } = await import("node:child_process");
  const { port } = new URL(perip.base); // --threads 2: two listening sockets in one group
  const r = spawnSync(bin, ["serve", "--db", perip.db, "--listen", `127.0.0.1:${port}`, "--threads", "2"], { encoding: "utf8", timeout: 20000 });
  assert.notEqual(r.status, 0, "the second server does not start");
  assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: Address already in use/);
  // The first still answers every request, none went to the second.
  for (let i = 0; i < 20; i++) assert.equal((await fetch(perip.base + "/")).status, 200);
});
