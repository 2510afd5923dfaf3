// The JSON API against the real binary: every endpoint, filters and paging, ETag/304, CORS, JSON
// errors with the field, bearer tokens (made, listed and revoked with `vrc token`) scoped by role,
// drafts and review and publishing through the console's rules, the audit log, and a token that never
// reaches a log. Every answer is checked against the OpenAPI document the server publishes, and the
// document itself with @seriousme/openapi-schema-validator (tests/lib/openapi.mjs).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, startServer } from "../lib/server.mjs";
import { addUser, auditRows, vrcUser } from "../lib/admin.mjs";
import { loadSpec } from "../lib/openapi.mjs";

const PW = "correct horse battery staple";
const SITE = "https://vrc.example.org";
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const vrcToken = (db, args) => spawnSync(bin, ["token", ...args, "--db", db], { encoding: "utf8" });

function newToken(db, email, name = "test") {
  const r = vrcToken(db, ["create", "--user", email, "--name", name]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /shown this once/);
  const t = r.stdout.trim();
  assert.match(t, /^vrc_[A-Za-z0-9_-]{43}$/, "stdout is the token alone");
  return t;
}

let srv, spec, logDir;
const tokens = {};
const seen = []; // every token made, to look for in the logs

async function api(method, path, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let data;
  if (body !== undefined) {
    data = typeof body === "string" ? body : JSON.stringify(body);
    h["content-type"] ??= "application/json";
  }
  const r = await fetch(srv.base + path, { method, headers: h, body: data });
  const text = await r.text();
  const json = text && r.headers.get("content-type") === "application/json" ? JSON.parse(text) : null;
  spec.check(method, path, r, json);
  return { status: r.status, headers: r.headers, json };
}
const get = (path, opts) => api("GET", path, opts);
const post = (path, body, opts = {}) => api("POST", path, { ...opts, body });

before(async () => {
  logDir = mkdtempSync(join(tmpdir(), "vrc-api-log-"));
  srv = await startServer(["--public-url", SITE, "--access-log", join(logDir, "access.log")], {
    prepare(db) {
      // One resource is a draft, one archived, one has stored text that is not UTF-8.
      sql(db, "UPDATE resource SET status = 'draft' WHERE slug = 'sleep-after-trauma'");
      sql(db, "UPDATE resource SET status = 'archived' WHERE slug = 'triggers-and-anniversaries'");
      sql(db, "UPDATE resource SET title = CAST(X'4272FF6B656E' AS TEXT) WHERE slug = 'caring-for-your-body'");
    },
  });
  spec = await loadSpec(srv.base);
  addUser(srv.db, "editor@example.org", "editor", PW, ["--name", "Eddie Editor"]);
  addUser(srv.db, "reviewer@example.org", "reviewer", PW, ["--name", "Dr. Rita Reviewer, PhD"]);
  addUser(srv.db, "admin@example.org", "admin", PW, ["--name", "Ada Admin"]);
  addUser(srv.db, "community@example.org", "community_editor", PW, ["--community", "springfield"]);
  addUser(srv.db, "gone@example.org", "editor", PW);
  for (const [k, email] of Object.entries({ editor: "editor@example.org", reviewer: "reviewer@example.org",
    admin: "admin@example.org", community: "community@example.org", gone: "gone@example.org" })) {
    tokens[k] = newToken(srv.db, email, `${k} script`);
    seen.push(tokens[k]);
  }
});

after(async () => {
  const code = await srv.stop();
  rmSync(logDir, { recursive: true, force: true });
  assert.equal(code, 0, "server exits cleanly\n" + srv.log.slice(-2000));
});

describe("public reads", () => {
  test("the OpenAPI 3.1 document is valid and served as JSON with CORS", async () => {
    const r = await fetch(srv.base + "/api/v1/openapi.json");
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    const doc = await r.json();
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(doc.servers, [{ url: "/api/v1" }]);
    assert.ok(doc.components.securitySchemes.bearer);
    await get("/api/v1/openapi.json");
    const idx = await get("/api/v1/");
    assert.equal(idx.json.openapi_url, "/api/v1/openapi.json");
    assert.equal((await get("/api/v1")).status, 200);
  });

  test("sections: the four, in order, named in both languages, with absolute page addresses", async () => {
    const r = await get("/api/v1/sections");
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.map((s) => s.slug),
      ["victim-social-services", "social-connection", "health-wellness", "grief-trauma"]);
    const s = r.json.data[3];
    assert.equal(s.title.en, "Managing Grief & Trauma");
    assert.equal(s.title.es, "Manejo del Duelo y el Trauma");
    assert.equal(s.url.es, `${SITE}/es/grief-trauma`);
    const one = await get("/api/v1/sections/grief-trauma");
    assert.ok(one.json.topics.length > 0);
    assert.ok(one.json.topics.every((t) => t.section === "grief-trauma"));
    const miss = await get("/api/v1/sections/nope");
    assert.equal(miss.status, 404);
    assert.equal(miss.json.error.field, "slug");
  });

  test("topics: all in service, by section, one by slug; a bad section is a 400 naming the field", async () => {
    const all = await get("/api/v1/topics");
    const n = Number(sql(srv.db, "SELECT count(*) FROM topic WHERE retired = 0"));
    assert.equal(all.json.data.length, n);
    const some = await get("/api/v1/topics?section=health-wellness");
    assert.ok(some.json.data.length > 0 && some.json.data.length < n);
    assert.ok(some.json.data.every((t) => t.section === "health-wellness"));
    const bad = await get("/api/v1/topics?section=nope");
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, "section");
    const t = some.json.data[0];
    const one = await get(`/api/v1/topics/${t.slug}`);
    assert.deepEqual(one.json, t);
    assert.equal((await get("/api/v1/topics/no-such-topic")).status, 404);
  });

  test("resources: published only, paged by cursor and by offset, every one exactly once", async () => {
    const published = sql(srv.db, "SELECT slug FROM resource WHERE status = 'published' ORDER BY id")
      .split("\n").filter((s) => s !== "caring-for-your-body");
    const first = await get("/api/v1/resources");
    assert.equal(first.json.paging.limit, 20);
    assert.equal(first.json.paging.total, published.length + 1, "total counts the unshowable one too");
    const walk = [];
    let next = "/api/v1/resources?limit=7";
    for (let i = 0; next && i < 100; i++) {
      const r = await get(next);
      walk.push(...r.json.data.map((x) => x.slug));
      next = r.json.paging.next;
      if (next) assert.equal(r.json.paging.next_cursor, next.match(/cursor=(\d+)/)[1]);
    }
    assert.deepEqual(walk, published, "the cursor walk gives every published resource once, in id order");
    const byOffset = [];
    for (let off = 0; off < published.length + 1; off += 30)
      byOffset.push(...(await get(`/api/v1/resources?limit=30&offset=${off}`)).json.data.map((x) => x.slug));
    assert.deepEqual(byOffset, published);
    for (const s of ["sleep-after-trauma", "triggers-and-anniversaries", "caring-for-your-body"])
      assert.ok(!walk.includes(s), `${s} is not listed`);
    assert.match(srv.log, /api: resource caring-for-your-body left out of a list: its text is not valid UTF-8/);
  });

  test("resources: filters by section, topic, stage, language and time of change", async () => {
    const cases = [["section", "grief-trauma"], ["stage", "first-days"], ["lang", "es"], ["topic", "compensation"]];
    for (const [k, v] of cases) {
      const r = await get(`/api/v1/resources?limit=100&${k}=${v}`);
      assert.ok(r.json.data.length > 0, `${k}=${v} finds some`);
      assert.ok(r.json.data.every((x) => x[k] === v), `${k}=${v} finds only those`);
      if (r.json.paging.next) assert.match(r.json.paging.next, new RegExp(`&${k}=${v}`), "the next page keeps the filter");
    }
    const both = await get("/api/v1/resources?limit=100&lang=es&section=grief-trauma");
    assert.ok(both.json.data.every((x) => x.lang === "es" && x.section === "grief-trauma"));
    assert.equal((await get("/api/v1/resources?updated_since=2999-01-01")).json.paging.total, 0);
    const all = (await get("/api/v1/resources")).json.paging.total;
    assert.equal((await get("/api/v1/resources?updated_since=2000-01-01T00:00:00Z")).json.paging.total, all);
  });

  test("resources: each bad parameter is a 400 that names it", async () => {
    const bad = [["section=nope", "section"], ["topic=Not%20A%20Slug", "topic"], ["stage=soon", "stage"],
      ["lang=fr", "lang"], ["updated_since=yesterday", "updated_since"], ["updated_since=2026-02-30", "updated_since"],
      ["updated_since=2026-01-01T25:00:00Z", "updated_since"], ["limit=0", "limit"], ["limit=101", "limit"],
      ["limit=ten", "limit"], ["offset=-1", "offset"], ["cursor=abc", "cursor"], ["cursor=5&offset=5", "cursor"]];
    for (const [q, field] of bad) {
      const r = await get(`/api/v1/resources?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.json.error.field, field, q);
      assert.ok(r.json.error.message.length > 5, q);
      assert.equal(r.headers.get("cache-control"), "no-store");
    }
  });

  test("one resource: Markdown and safe HTML, sources, no review claimed when none took place", async () => {
    const r = await get("/api/v1/resources/crime-victim-compensation");
    assert.equal(r.status, 200);
    const j = r.json;
    assert.equal(j.body_markdown.trim(), sql(srv.db, "SELECT body FROM resource WHERE slug = 'crime-victim-compensation'"));
    assert.match(j.body_html, /<p>/);
    assert.doesNotMatch(j.body_html, /<script/i);
    assert.equal(j.sources.length,
      Number(sql(srv.db, "SELECT count(*) FROM resource_source s JOIN resource r ON r.id = s.resource_id WHERE r.slug = 'crime-victim-compensation'")));
    assert.ok(!("review" in j), "no clinical review yet: none is claimed");
    assert.match(j.checked, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(j.translation, "compensacion-para-victimas-de-delitos");
    assert.equal(j.url, `${SITE}/resources/crime-victim-compensation`);
    const video = await get("/api/v1/resources/como-usar-este-sitio");
    assert.equal(video.json.lang, "es");
    assert.equal(video.json.url, `${SITE}/es/resources/como-usar-este-sitio`);
    assert.match(video.json.media.video, new RegExp(`^${SITE}/media/`));
    assert.equal((await get("/api/v1/resources/sleep-after-trauma")).status, 404, "a draft is not there");
    const gone = await get("/api/v1/resources/triggers-and-anniversaries");
    assert.equal(gone.status, 410);
    assert.equal(gone.json.error.field, "slug");
    assert.equal((await get("/api/v1/resources/no-such-thing")).status, 404);
    const broken = await get("/api/v1/resources/caring-for-your-body");
    assert.equal(broken.status, 500, "text that cannot be shown is an error, never an empty success");
  });

  test("hotlines: those in service, both languages, contacts; one by slug", async () => {
    const r = await get("/api/v1/hotlines");
    const n = Number(sql(srv.db, "SELECT count(*) FROM hotline WHERE retired = 0"));
    assert.equal(r.json.data.length, n);
    const h = r.json.data[0];
    assert.ok(h.name.en && h.name.es && h.contacts.length > 0);
    assert.deepEqual((await get(`/api/v1/hotlines/${h.slug}`)).json, h);
    assert.equal((await get("/api/v1/hotlines/nope")).status, 404);
  });

  test("ETag and 304, CORS for any origin without credentials, short public caching, preflight", async () => {
    const r = await get("/api/v1/resources?lang=en");
    const etag = r.headers.get("etag");
    assert.match(etag, /^"[0-9a-f]+(-gz|-br)?"$/);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.headers.get("access-control-allow-credentials"), null);
    assert.match(r.headers.get("access-control-expose-headers"), /ETag/);
    assert.equal(r.headers.get("cache-control"), "public, max-age=60");
    assert.equal(r.headers.get("set-cookie"), null);
    const again = await get("/api/v1/resources?lang=en", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    const plain = await get("/api/v1/resources?lang=en", { headers: { "accept-encoding": "identity" } });
    assert.match(plain.headers.get("etag"), /^"[0-9a-f]+"$/, "each coding has its own tag");
    const plain304 = await get("/api/v1/resources?lang=en",
      { headers: { "accept-encoding": "identity", "if-none-match": plain.headers.get("etag") } });
    assert.equal(plain304.status, 304);
    const pre = await fetch(srv.base + "/api/v1/resources", { method: "OPTIONS",
      headers: { origin: "https://partner.example", "access-control-request-method": "GET" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    assert.equal(pre.headers.get("access-control-allow-methods"), "GET, HEAD");
    assert.equal(pre.headers.get("access-control-allow-credentials"), null);
    const prePost = await fetch(srv.base + "/api/v1/resources/x/publish", { method: "OPTIONS" });
    assert.equal(prePost.status, 405, "no preflight for the writes: no browser may send a token cross-site");
    assert.equal(prePost.headers.get("access-control-allow-origin"), null);
  });

  test("no such endpoint: JSON 404; a method an endpoint does not take: JSON 405 with Allow", async () => {
    const r = await fetch(srv.base + "/api/v1/nothing");
    assert.equal(r.status, 404);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.ok((await r.json()).error.message);
    const m = await fetch(srv.base + "/api/v1/sections", { method: "POST" });
    assert.equal(m.status, 405);
    assert.equal(m.headers.get("allow"), "GET, HEAD");
    const p = await fetch(srv.base + "/api/v1/resources/crime-victim-compensation/publish");
    assert.equal(p.status, 405);
    assert.equal(p.headers.get("allow"), "POST");
  });
});

describe("tokens", () => {
  test("vrc token: printed once, only a hash stored, listed by hint, revoked", () => {
    const t = newToken(srv.db, "editor@example.org", "spare");
    seen.push(t);
    assert.equal(sql(srv.db, `SELECT count(*) FROM api_token WHERE token_hash = '${t}' OR hint = '${t}'`), "0");
    assert.equal(sql(srv.db, `SELECT count(*) FROM api_token WHERE instr(token_hash || name || hint, '${t.slice(4)}') > 0`), "0",
      "the token is nowhere in the database");
    const list = vrcToken(srv.db, ["list", "--user", "editor@example.org"]);
    assert.equal(list.status, 0);
    assert.match(list.stdout, /\teditor@example\.org\tspare\tvrc_\S{4}\.\.\.\t/);
    assert.ok(!list.stdout.includes(t), "the list never shows a token");
    const id = list.stdout.split("\n").find((l) => l.includes("\tspare\t")).split("\t")[0];
    assert.equal(vrcToken(srv.db, ["revoke", "--id", id]).status, 0);
    assert.match(vrcToken(srv.db, ["list"]).stdout, new RegExp(`^${id}\t.*\trevoked \\d{4}-`, "m"));
    const again = vrcToken(srv.db, ["revoke", "--id", id]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /no active token/);
    for (const [args, why] of [[["create", "--user", "nobody@example.org", "--name", "x"], /no account/],
      [["create", "--user", "editor@example.org"], /--name/], [["revoke", "--id", "x1"], /--id/],
      [["frob"], /unknown subcommand/]]) {
      const r = vrcToken(srv.db, args);
      assert.notEqual(r.status, 0, args.join(" "));
      assert.match(r.stderr, why);
    }
    const audit = auditRows(srv.db).filter((a) => a.object === `api_token:${id}`);
    assert.deepEqual(audit.map((a) => a.action), ["token_create", "token_revoke"]);
  });

  test("no token, a malformed, unknown or revoked one, a disabled account: 401 with WWW-Authenticate", async () => {
    const none = await get("/api/v1/me");
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="vrc"');
    assert.equal(none.json.error.field, "Authorization");
    assert.equal(none.headers.get("cache-control"), "no-store");
    for (const t of ["nope", "vrc_" + "A".repeat(43), tokens.editor + "x"]) {
      const r = await get("/api/v1/me", { token: t });
      assert.equal(r.status, 401, t);
      assert.match(r.headers.get("www-authenticate"), /error="invalid_token"/);
    }
    const basic = await get("/api/v1/me", { headers: { authorization: "Basic " + Buffer.from("a:b").toString("base64") } });
    assert.equal(basic.status, 401);
    const t = newToken(srv.db, "admin@example.org", "short-lived");
    seen.push(t);
    assert.equal((await get("/api/v1/me", { token: t })).status, 200);
    const id = vrcToken(srv.db, ["list"]).stdout.split("\n").find((l) => l.includes("short-lived")).split("\t")[0];
    assert.equal(vrcToken(srv.db, ["revoke", "--id", id]).status, 0);
    assert.equal((await get("/api/v1/me", { token: t })).status, 401, "a revoked token is refused at once");
    assert.equal((await get("/api/v1/me", { token: tokens.gone })).status, 200);
    assert.equal(vrcUser(srv.db, ["disable", "--email", "gone@example.org"]).status, 0);
    assert.equal((await get("/api/v1/me", { token: tokens.gone })).status, 401, "a disabled account's tokens stop");
  });

  test("/me says who a token acts as and what it may do; token answers are never cached or CORS", async () => {
    const want = { editor: [true, false], reviewer: [false, true], admin: [true, true], community: [false, false] };
    for (const [k, [edit, publish]] of Object.entries(want)) {
      const r = await get("/api/v1/me", { token: tokens[k] });
      assert.equal(r.status, 200, k);
      assert.equal(r.json.resources.edit, edit, k);
      assert.equal(r.json.resources.publish, publish, k);
      assert.equal(r.headers.get("cache-control"), "no-store");
      assert.equal(r.headers.get("access-control-allow-origin"), null);
    }
    assert.deepEqual((await get("/api/v1/me", { token: tokens.community })).json.communities, ["springfield"]);
  });

  test("scope: an editor cannot publish, a reviewer cannot write drafts, a community editor neither", async () => {
    const slug = "crime-victim-compensation";
    const pub = await post(`/api/v1/resources/${slug}/publish`, { revision: 1 }, { token: tokens.editor });
    assert.equal(pub.status, 403);
    assert.equal(pub.json.error.field, "Authorization");
    const rev = await post(`/api/v1/resources/${slug}/revisions`, { base: 0, version: 1 }, { token: tokens.reviewer });
    assert.equal(rev.status, 403);
    for (const [m, p] of [["GET", `/api/v1/resources/${slug}/draft`], ["POST", `/api/v1/resources/${slug}/revisions`],
      ["POST", `/api/v1/resources/${slug}/publish`]]) {
      const r = await api(m, p, { token: tokens.community, body: m === "POST" ? { base: 0 } : undefined });
      assert.equal(r.status, 403, `community editor: ${m} ${p}`);
    }
    assert.equal(sql(srv.db, "SELECT count(*) FROM revision WHERE note LIKE '%(API)%'"), "0", "nothing was written");
  });
});

describe("writing through the API", () => {
  const slug = "crime-victim-compensation";
  const R = `/api/v1/resources/${slug}`;

  test("bodies that are not JSON objects, wrong types and unknown fields are refused with the field", async () => {
    const t = { token: tokens.editor };
    const ct = await post(`${R}/revisions`, "base=0", { ...t, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(ct.status, 415);
    assert.equal(ct.json.error.field, "Content-Type");
    for (const body of ["{", "[1]", "\"x\"", "{\"a\":1,\"a\":2}"]) {
      const r = await post(`${R}/revisions`, body, t);
      assert.equal(r.status, 400, body);
      assert.equal(r.json.error.field, "body");
    }
    const r = await post(`${R}/revisions`, { base: 0, version: 1, title: 5, sources: "x", hotlines: [1], submit: "yes", colour: "red" }, t);
    assert.equal(r.status, 422);
    const fields = r.json.error.fields.map((f) => f.field).sort();
    assert.deepEqual(fields, ["colour", "hotlines", "sources", "submit", "title"]);
    assert.equal(r.json.error.field, r.json.error.fields[0].field);
    const nobase = await post(`${R}/revisions`, { title: "x" }, t);
    assert.equal(nobase.status, 422);
    assert.equal(nobase.json.error.field, "base");
    assert.equal((await post("/api/v1/resources/no-such/revisions", { base: 0 }, t)).status, 404);
  });

  test("the console's rules, with each field named as the API names it, in the reader's language", async () => {
    const t = { token: tokens.editor };
    const r = await post(`${R}/revisions`, { base: 0, version: 1, submit: true, title: "", stage: "someday",
      sources: [{ title: "A source", url: "http://insecure.example" }], hotlines: ["no-such-line"],
      body: "[x](javascript:alert(1))" }, t);
    assert.equal(r.status, 422);
    const by = Object.fromEntries(r.json.error.fields.map((f) => [f.field, f.message]));
    assert.deepEqual(Object.keys(by).sort(), ["body", "hotlines", "sources[0].url", "stage", "title"]);
    assert.match(by["sources[0].url"], /https:\/\//);
    const es = await post(`${R}/revisions`, { base: 0, version: 1, submit: true, title: "" },
      { ...t, headers: { "accept-language": "es-MX,es;q=0.9" } });
    assert.equal(es.status, 422);
    assert.notEqual(es.json.error.fields[0].message, by.title, "Spanish messages for a Spanish reader");
    assert.equal(sql(srv.db, "SELECT count(*) FROM revision WHERE note LIKE '%(API)%'"), "0", "nothing was saved");
  });

  test("draft, submit, publish: the console's workflow, audit log and pages, through the API", async () => {
    const before = (await get(R)).json;
    const d0 = await get(`${R}/draft`, { token: tokens.editor });
    assert.deepEqual([d0.json.base, d0.json.state], [0, null]);
    assert.equal(d0.json.version, before.version);
    assert.equal(d0.json.text.title, before.title);
    const stale = await post(`${R}/revisions`, { base: 0, version: before.version + 5, title: "x" }, { token: tokens.editor });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.error.field, "base");
    // A draft with a new title; then the same draft submitted for review with a better summary.
    const title = "Crime victim compensation: money help after the crime";
    const saved = await post(`${R}/revisions`, { base: 0, version: before.version, title }, { token: tokens.editor });
    assert.equal(saved.status, 201);
    assert.equal(saved.headers.get("location"), `${R}/draft`);
    assert.equal(saved.json.state, "draft");
    const d1 = await get(`${R}/draft`, { token: tokens.reviewer });
    assert.deepEqual([d1.json.base, d1.json.state, d1.json.text.title], [saved.json.revision, "draft", title]);
    const over = await post(`${R}/revisions`, { base: 0, version: before.version, title: "lost update" }, { token: tokens.admin });
    assert.equal(over.status, 409, "a write based on the live text, over an open draft, is refused");
    assert.match(over.json.error.message, new RegExp(`revision ${saved.json.revision}`));
    const summary = "Every state helps pay costs the crime caused: medical care, counseling, funerals and lost pay.";
    const sub = await post(`${R}/revisions`, { base: saved.json.revision, summary, submit: true }, { token: tokens.editor });
    assert.equal(sub.status, 201);
    assert.equal(sub.json.state, "review");
    let page = await (await fetch(srv.base + `/resources/${slug}`)).text();
    assert.ok(!page.includes(title), "nothing is public before it is published");
    // Publishing names the revision reviewed: an older one is refused.
    const old = await post(`${R}/publish`, { revision: saved.json.revision }, { token: tokens.reviewer });
    assert.equal(old.status, 409);
    assert.equal(old.json.error.field, "revision");
    const bad = await post(`${R}/publish`, { revision: "x" }, { token: tokens.reviewer });
    assert.equal(bad.status, 422);
    const pub = await post(`${R}/publish`, { revision: sub.json.revision }, { token: tokens.reviewer });
    assert.equal(pub.status, 200);
    assert.equal(pub.json.version, before.version + 1);
    assert.equal(pub.json.reviewer, "Dr. Rita Reviewer, PhD");
    assert.equal(pub.json.url, `${SITE}/resources/${slug}`);
    // At once: the page and the API; the feed and the sitemap follow (rebuilt in the background).
    page = await (await fetch(srv.base + `/resources/${slug}`)).text();
    assert.ok(page.includes(title), "the public page shows it at once");
    const ld = JSON.parse(page.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)[1]);
    const webpage = ld["@graph"].find((n) => n["@type"] === "WebPage");
    assert.equal(webpage.lastReviewed, pub.json.reviewed_at);
    assert.equal(webpage.reviewedBy.name, "Dr. Rita Reviewer, PhD");
    const now = (await get(R)).json;
    assert.equal(now.title, title);
    assert.equal(now.summary, summary);
    assert.deepEqual(now.review, { date: pub.json.reviewed_at, reviewer: "Dr. Rita Reviewer, PhD" });
    const soon = async (read, want) => {
      for (const end = Date.now() + 10000; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
        if ((await read()).includes(want)) return true;
      return false;
    };
    const text = async (path) => (await fetch(srv.base + path)).text();
    assert.ok(await soon(() => text("/updates.atom"), `<title>Updated: ${title}</title>`), "the feed says it was revised");
    // The sitemap index names the library's sitemaps (rebuilt by the background worker).
    const sitemaps = async () => {
      let all = "";
      for (const [, loc] of (await text("/sitemap.xml")).matchAll(/<loc>([^<]+)<\/loc>/g))
        all += await text(loc.slice(SITE.length));
      return all;
    };
    assert.ok(await soon(sitemaps, `<loc>${SITE}/resources/${slug}</loc><lastmod>${now.updated_at}</lastmod>`));
    assert.equal((await get(`${R}/draft`, { token: tokens.editor })).json.base, 0, "no open draft after publishing");
    // The audit log, by the tokens' accounts.
    const rows = auditRows(srv.db).filter((a) => a.object === `resource:${slug}`).map((a) => [a.actor, a.action]);
    assert.deepEqual(rows, [["editor@example.org", "resource_save"], ["editor@example.org", "resource_submit"],
      ["reviewer@example.org", "publish"]]);
    assert.equal(sql(srv.db, `SELECT note FROM revision WHERE id = ${sub.json.revision}`), "submitted for review (API)");
  });

  test("an admin's token may both write and publish; a reviewer without a display name may not publish", async () => {
    const slug2 = "compensacion-para-victimas-de-delitos";
    const d = (await get(`/api/v1/resources/${slug2}/draft`, { token: tokens.admin })).json;
    const s = await post(`/api/v1/resources/${slug2}/revisions`, { base: d.base, version: d.version, submit: true },
      { token: tokens.admin });
    assert.equal(s.status, 201);
    addUser(srv.db, "noname@example.org", "reviewer", PW);
    const t = newToken(srv.db, "noname@example.org");
    seen.push(t);
    const refused = await post(`/api/v1/resources/${slug2}/publish`, { revision: s.json.revision }, { token: t });
    assert.equal(refused.status, 422);
    assert.equal(refused.json.error.field, "reviewer");
    const ok = await post(`/api/v1/resources/${slug2}/publish`, { revision: s.json.revision }, { token: tokens.admin });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.reviewer, "Ada Admin");
  });
});

describe("what the tests covered", () => {
  test("no token appears in any log, and every documented operation was exercised", async () => {
    // The access log is buffered and written at least once a second: wait (up to 15 s on a loaded
    // machine) for the last request.
    // (The very line asserted below: an earlier "GET .../publish" 405 line must not end the wait.)
    const last = /POST \/api\/v1\/resources\/crime-victim-compensation\/publish/;
    let access = "";
    for (let i = 0; i < 150 && !last.test(access); i++) {
      await new Promise((r) => setTimeout(r, 100));
      access = readFileSync(join(logDir, "access.log"), "utf8");
    }
    const audit = spawnSync(bin, ["audit", "--db", srv.db], { encoding: "utf8" }).stdout;
    assert.match(access, last);
    for (const t of seen) {
      for (const [name, text] of [["server log", srv.log], ["access log", access], ["audit log", audit]])
        assert.ok(!text.includes(t.slice(4)), `the token is not in the ${name}`);
    }
    const ops = [];
    // Community pages' operations are exercised by api-community.test.mjs.
    for (const [p, item] of Object.entries(spec.doc.paths))
      for (const [m, op] of Object.entries(item))
        if (!op.tags.includes("communities")) ops.push(`${m.toUpperCase()} ${p}`);
    for (const op of ops)
      assert.ok([...spec.checked].some((c) => c.startsWith(op + " 2")), `${op} answered a success in a test`);
  });
});
