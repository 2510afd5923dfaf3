// Serving under load, black-box (the figures belong to bench/run, not here): keep-alive, many idle
// connections, clients that trickle their headers, Connection: close, and a full server answering
// 503 with Retry-After instead of stalling. Also: the prepared responses the cache-hit path reuses
// send exactly what the ordinary path sends. The real binary with one worker thread, raw sockets.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { Conn } from "../lib/conn.mjs";
import { connect } from "node:net";

let srv, full;
const LIMIT = 10;
before(async () => {
  // One worker thread: a client that held it would stall every other request.
  srv = await startServer(["--threads", "1", "--per-ip-limit", "0"]);
  full = await startServer(["--threads", "1", "--max-connections", String(LIMIT)]);
});
after(async () => {
  for (const s of [srv, full]) {
    const code = await s.stop();
    assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + s.log.slice(-3000));
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


async function once(base, path, headers = {}) {
  const c = new Conn(base);
  await c.ready;
  try { return await c.get(path, { ...headers, Connection: "close" }); } finally { c.end(); }
}

// A request on a fresh connection, with how long it took.
async function timed(base, path) {
  const t0 = Date.now();
  const r = await once(base, path, { "Accept-Encoding": "gzip" });
  return { status: r.status, ms: Date.now() - t0 };
}

const PAGES = ["/", "/es/", "/health-wellness", "/resources/calming-stress-after-violence"];
const CODINGS = [undefined, "gzip", "br", "gzip, deflate, br"];

/* ---- the prepared (reused) responses are the ordinary ones ---- */

test("a cache hit sent from a prepared response has the ordinary path's status, headers and bytes", async () => {
  const c = new Conn(srv.base);
  await c.ready;
  for (const p of PAGES) {
    for (const enc of CODINGS) {
      const h = enc ? { "Accept-Encoding": enc } : {};
      const fast = await c.get(p, h);
      // An If-None-Match that matches nothing takes the ordinary path and must answer the same.
      const slow = await c.get(p, { ...h, "If-None-Match": '"no-such-tag"' });
      assert.equal(fast.status, 200, p);
      assert.deepEqual(fast.body, slow.body, `${p} ${enc}: same bytes`);
      const strip = (x) => x.head.split("\n").filter((l) => !/^date:/i.test(l)).join("\n");
      assert.equal(strip(fast), strip(slow), `${p} ${enc}: same head`);
      assert.equal(fast.headers.vary, "Accept-Encoding");
      assert.equal(Number(fast.headers["content-length"]), fast.body.length);
      // And a conditional request for it is a 304 with the same ETag.
      const again = await c.get(p, { ...h, "If-None-Match": fast.headers.etag });
      assert.equal(again.status, 304, `${p} ${enc}: 304`);
      assert.equal(again.headers.etag, fast.headers.etag);
      const head = await c.get(p, h, "HEAD");
      assert.equal(head.status, 200);
      assert.equal(head.headers["content-length"], fast.headers["content-length"], `${p} ${enc}: HEAD`);
    }
  }
  c.end();
});

test("every response has a current Date, and a reused response's Date moves on", async () => {
  const c = new Conn(srv.base);
  await c.ready;
  const first = await c.get("/", { "Accept-Encoding": "gzip" });
  const t = Date.parse(first.headers.date);
  assert.match(first.headers.date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/);
  assert.ok(Math.abs(t - Date.now()) < 5000, "Date is now: " + first.headers.date);
  await sleep(1200);
  const second = await c.get("/", { "Accept-Encoding": "gzip" });
  assert.ok(Date.parse(second.headers.date) > t, `Date moved on: ${first.headers.date} then ${second.headers.date}`);
  assert.deepEqual(second.body, first.body);
  for (const p of ["/healthz", "/no-such-page", "/static/x/none.css"]) {
    const r = await c.get(p);
    assert.match(r.headers.date || "", / GMT$/, `${p} has a Date`);
  }
  c.end();
});

/* ---- keep-alive and idle connections ---- */

test("keep-alive: 200 requests on one connection, every page and coding, and it stays open", async () => {
  const c = new Conn(srv.base);
  await c.ready;
  for (let i = 0; i < 200; i++) {
    const p = PAGES[i % PAGES.length];
    const enc = CODINGS[i % CODINGS.length];
    const r = await c.get(p, enc ? { "Accept-Encoding": enc } : {});
    assert.equal(r.status, 200, `request ${i}`);
    assert.equal(r.body.length, Number(r.headers["content-length"]));
  }
  assert.equal(c.isClosed, false, "the server kept the connection open");
  c.end();
});

test("300 idle keep-alive connections do not slow a new client, and stay usable", async () => {
  const idle = [];
  for (let i = 0; i < 300; i++) idle.push(new Conn(srv.base));
  await Promise.all(idle.map((c) => c.ready));
  const first = await Promise.all(idle.map((c) => c.get("/", { "Accept-Encoding": "br" })));
  assert.ok(first.every((r) => r.status === 200));
  for (let i = 0; i < 20; i++) {
    const r = await timed(srv.base, PAGES[i % PAGES.length]);
    assert.equal(r.status, 200);
    assert.ok(r.ms < 3000, `a new client answered in ${r.ms} ms with 300 idle connections open`);
  }
  assert.equal(idle.filter((c) => c.isClosed).length, 0, "no idle connection was dropped");
  const second = await Promise.all(idle.slice(0, 50).map((c) => c.get("/es/")));
  assert.ok(second.every((r) => r.status === 200), "idle connections still answer");
  idle.forEach((c) => c.end());
});

/* ---- clients that trickle their headers ---- */

test("200 clients trickling their headers hold no worker: others are answered meanwhile, then they are too", async () => {
  const slow = [];
  for (let i = 0; i < 200; i++) slow.push(new Conn(srv.base));
  await Promise.all(slow.map((c) => c.ready));
  const replies = slow.map((c) => c.send("GET /es/ HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  let trickling = true;
  const trickle = (async () => {
    while (trickling) {
      for (const c of slow) c.sock.write("a");
      await sleep(100);
    }
  })();
  // The one worker thread answers normal requests while every slow client is mid-header, for a
  // second and more of trickling.
  const until = Date.now() + 1500;
  let n = 0;
  while (Date.now() < until || n < 20) {
    const r = await timed(srv.base, PAGES[n++ % PAGES.length]);
    assert.equal(r.status, 200);
    assert.ok(r.ms < 3000, `answered in ${r.ms} ms while 200 clients trickle`);
    await sleep(20);
  }
  assert.ok(slow.every((c) => !c.isClosed), "the slow clients are still connected, mid-header");
  trickling = false;
  await trickle;
  for (const c of slow) c.sock.write("\r\n\r\n");
  const done = await Promise.all(replies);
  assert.ok(done.every((r) => r.status === 200), "the slow clients are served once their headers are in");
  slow.forEach((c) => c.end());
});

/* ---- Connection: close ---- */

test("Connection: close is honoured: the response says so and the server closes the connection", async () => {
  for (let i = 0; i < 50; i++) {
    const c = new Conn(srv.base);
    await c.ready;
    const r = await c.get(PAGES[i % PAGES.length], { "Accept-Encoding": "gzip", Connection: "close" });
    assert.equal(r.status, 200);
    assert.equal(r.headers.connection, "close");
    await Promise.race([c.closed, sleep(3000).then(() => assert.fail("the server kept the connection"))]);
    c.end();
  }
});

/* ---- overload ---- */

test("connections that never send a byte hold no slot: past --max-connections of them, clients are served", async () => {
  const port = Number(new URL(full.base).port);
  const silent = [];
  for (let i = 0; i < 3 * LIMIT; i++) {
    const s = connect(port, "127.0.0.1");
    s.on("error", () => {});
    silent.push(new Promise((ok) => s.once("connect", () => ok(s))));
  }
  const socks = await Promise.all(silent);
  await sleep(300);
  const r = await once(full.base, "/", { "Accept-Encoding": "gzip" });
  assert.equal(r.status, 200, "served with 30 silent connections open against a limit of 10");
  assert.doesNotMatch(full.log, /past the limit/);
  // They are still connections: one that then sends its request is answered.
  socks[0].write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const answer = await new Promise((ok) => {
    let got = "";
    socks[0].on("data", (d) => (got += d));
    socks[0].on("end", () => ok(got));
  });
  assert.match(answer, /^HTTP\/1\.1 200/);
  socks.forEach((s) => s.destroy());
});

test("past --max-connections a new client gets a 503 with Retry-After at once, not a stall", async () => {
  const hold = [];
  for (let i = 0; i < LIMIT; i++) hold.push(new Conn(full.base));
  await Promise.all(hold.map((c) => c.ready));
  // Each held connection has been seen by the server once it has answered a request on it.
  await Promise.all(hold.map((c) => c.get("/healthz")));
  const t0 = Date.now();
  const r = await once(full.base, "/es/", { "Accept-Encoding": "gzip" });
  assert.ok(Date.now() - t0 < 3000, "answered at once");
  assert.equal(r.status, 503);
  assert.equal(r.headers["retry-after"], "5");
  assert.equal(r.headers.connection, "close");
  assert.equal(r.headers["cache-control"], "no-store");
  assert.match(r.headers["content-type"], /^text\/html/);
  assert.match(r.headers["content-security-policy"] || "", /default-src/);
  const html = (await once(full.base, "/es/")).body.toString();
  assert.match(html, /Este sitio está muy ocupado ahora/, "the busy page, in the page's language");
  assert.match(html, /crisis-lines/, "with the crisis lines");
  assert.match(full.log, /past the limit of 10: answering 503/);
  assert.ok(hold.every((c) => !c.isClosed), "the connections already served are untouched");
  // Room again once they go.
  hold.forEach((c) => c.end());
  let status = 0;
  for (let i = 0; i < 60 && status !== 200; i++) {
    await sleep(50);
    status = (await once(full.base, "/")).status;
  }
  assert.equal(status, 200, "served again once connections close");
});

test("--max-connections is checked", async () => {
  const { spawnSync } = await import("node:child_process");
  const { bin } = await import("../lib/server.mjs");
  const r = spawnSync(bin, ["serve", "--max-connections", "0"], { encoding: "utf8" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--max-connections wants a whole number from 1 to 1000000, not '0'/);
});
