// /metrics: never public. On the public address it answers 404 unless the request carries the
// --metrics-token as a bearer token; --metrics-listen serves it on an address of its own. The text is
// the Prometheus format (HELP and TYPE for each family, no series twice) and counts what happened.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";

const TOKEN = "metrics-secret-0123456789";

async function stop(srv) {
  assert.equal(await srv.stop(), 0, srv.log.slice(-2000));
}

// Every sample as { name, labels, value }; asserts the format on the way.
function parse(text) {
  const help = new Set(), type = new Map(), series = new Set(), samples = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    let m;
    if ((m = /^# HELP ([a-z_:][a-z0-9_:]*) .+$/.exec(line))) { help.add(m[1]); continue; }
    if ((m = /^# TYPE ([a-z_:][a-z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) { type.set(m[1], m[2]); continue; }
    m = /^([a-z_:][a-z0-9_:]*)(\{([a-z_]+="[^"\\\n]*"(,[a-z_]+="[^"\\\n]*")*)?\})? (-?[0-9.e+]+|\+Inf|NaN)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    assert.ok(!series.has(m[1] + (m[2] || "")), `no series twice: ${line}`);
    series.add(m[1] + (m[2] || ""));
    const labels = Object.fromEntries([...(m[3] || "").matchAll(/([a-z_]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    const family = m[1].replace(/_(bucket|sum|count)$/, "");
    assert.ok(type.has(m[1]) || type.get(family) === "histogram", `TYPE before ${m[1]}`);
    assert.ok(help.has(m[1]) || help.has(family), `HELP for ${m[1]}`);
    samples.push({ name: m[1], labels, value: Number(m[5]) });
  }
  return samples;
}
const value = (samples, name, labels = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);

describe("with a token on the public address", () => {
  let srv;
  before(async () => { srv = await startServer(["--metrics-token", TOKEN]); });
  after(() => stop(srv));

  test("the public address answers 404 for /metrics without the token, or with a wrong one", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` }]) {
      const r = await fetch(srv.base + "/metrics", { headers });
      assert.equal(r.status, 404, JSON.stringify(headers));
      assert.match(r.headers.get("content-type"), /text\/html/, "the site's own 404 page");
      assert.doesNotMatch(await r.text(), /vrc_http_requests_total/);
    }
    assert.equal((await fetch(srv.base + "/metrics?token=" + TOKEN)).status, 404, "never in the address");
    assert.ok(!srv.log.includes(TOKEN), "the token is never logged");
  });

  test("with the token: the Prometheus text format, counting requests, cache, renders and memory", async () => {
    for (const p of ["/", "/", "/es/", "/resources/crime-victim-compensation", "/nope", "/api/v1/sections", "/healthz"])
      await (await fetch(srv.base + p)).arrayBuffer();
    const r = await fetch(srv.base + "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.equal(r.headers.get("cache-control"), "no-store");
    const s = parse(await r.text());
    assert.ok(value(s, "vrc_http_requests_total", { kind: "page", code: "200" }) >= 4);
    assert.ok(value(s, "vrc_http_requests_total", { kind: "page", code: "404" }) >= 1);
    assert.ok(value(s, "vrc_http_requests_total", { kind: "api", code: "200" }) >= 1);
    assert.ok(value(s, "vrc_http_requests_total", { kind: "health", code: "200" }) >= 1);
    assert.ok(value(s, "vrc_cache_lookups_total", { kind: "page", result: "hit" }) >= 4);
    assert.ok(value(s, "vrc_cache_lookups_total", { kind: "page", result: "miss" }) >= 1);
    const count = value(s, "vrc_http_request_duration_seconds_count", { kind: "page" });
    assert.equal(value(s, "vrc_http_request_duration_seconds_bucket", { kind: "page", le: "+Inf" }), count);
    assert.ok(value(s, "vrc_page_renders_total", { code: "200" }) >= 100, "every page rendered at warm-up");
    assert.ok(value(s, "vrc_page_render_duration_seconds_sum") > 0);
    assert.equal(value(s, "vrc_pages_failed"), 0);
    assert.ok(value(s, "vrc_cache_entries") > 100);
    // What the cache holds, by coding: every page keeps its brotli bytes.
    assert.ok(value(s, "vrc_cache_bytes", { coding: "br" }) > 100000);
    assert.ok(value(s, "vrc_cache_bytes", { coding: "gzip" }) > 0);
    assert.ok(value(s, "process_resident_memory_bytes") > 1e6);
    assert.ok(value(s, "process_start_time_seconds") > 1.7e9);
    // Buckets are cumulative.
    const buckets = s.filter((x) => x.name === "vrc_page_render_duration_seconds_bucket").map((x) => x.value);
    assert.deepEqual(buckets, [...buckets].sort((a, b) => a - b));
  });
});

describe("search", () => {
  let srv;
  before(async () => { srv = await startServer(["--metrics-token", TOKEN, "--search-limit", "2"]); });
  after(() => stop(srv));

  test("counts searches (cached, no results, crisis, refused) and their time, never their words", async () => {
    const s0 = parse(await (await fetch(srv.base + "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text());
    assert.equal(value(s0, "vrc_searches_total"), 0);
    assert.equal(value(s0, "vrc_search_duration_seconds_count"), 0);
    const statuses = [];
    for (const p of ["/search?q=grief", "/search?q=grief", "/search?q=xyzzyplugh", "/es/search?q=quiero%20morir", "/search"])
      statuses.push((await fetch(srv.base + p)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 200], "the limit of 2 refuses the third search that reaches the index");
    const text = await (await fetch(srv.base + "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const s = parse(text);
    assert.equal(value(s, "vrc_searches_total"), 4, "the empty search page is not a search");
    assert.equal(value(s, "vrc_search_cached_total"), 1);
    assert.equal(value(s, "vrc_search_no_results_total"), 1);
    assert.equal(value(s, "vrc_search_crisis_total"), 1);
    assert.equal(value(s, "vrc_search_rate_limited_total"), 1);
    assert.equal(value(s, "vrc_search_failed_total"), 0);
    assert.equal(value(s, "vrc_search_duration_seconds_count", { cache: "miss" }), 2);
    assert.equal(value(s, "vrc_search_duration_seconds_count", { cache: "hit" }), 1);
    assert.equal(value(s, "vrc_search_duration_seconds_bucket", { cache: "miss", le: "+Inf" }), 2);
    assert.ok(value(s, "vrc_search_duration_seconds_sum", { cache: "miss" }) > 0);
    const buckets = s.filter((x) => x.name === "vrc_search_duration_seconds_bucket" && x.labels.cache === "miss").map((x) => x.value);
    assert.deepEqual(buckets, [...buckets].sort((a, b) => a - b), "cumulative");
    assert.doesNotMatch(text, /grief|xyzzyplugh|morir/, "no query text");
  });
});

describe("on its own address", () => {
  let srv, metrics;
  before(async () => {
    srv = await startServer(["--metrics-listen", "127.0.0.1:0"]);
    const deadline = Date.now() + 5000;
    while (!metrics && Date.now() < deadline) {
      const m = /metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(srv.log);
      if (m) metrics = m[1];
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(metrics, "the metrics address is logged");
  });
  after(() => stop(srv));

  test("--metrics-listen serves /metrics there, nothing else; the public address still says 404", async () => {
    const r = await fetch(metrics + "/metrics");
    assert.equal(r.status, 200);
    parse(await r.text());
    assert.equal((await fetch(metrics + "/")).status, 404);
    assert.equal((await fetch(metrics + "/resources/crime-victim-compensation")).status, 404, "no pages there");
    assert.equal((await fetch(srv.base + "/metrics")).status, 404, "not on the public address");
    assert.equal((await fetch(srv.base + "/metrics", { headers: { authorization: "Bearer " } })).status, 404);
  });
});

test("a bad --metrics-listen address stops start-up with a message", async () => {
  await assert.rejects(startServer(["--metrics-listen", "nonsense"]), /cannot use listen address 'nonsense'/);
});
