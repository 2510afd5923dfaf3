// The JSON API's community pages against the real binary: the public list and one page with its
// PUBLISHED blocks (never drafts), filters, paging, ETag/304, CORS and HEAD; staff writes with bearer
// tokens scoped like the console (admin, editor, a community editor on their own page and on another,
// a reviewer, a revoked token, none): create a page from the starter template, post an update or an
// event as a draft or published at once, publish drafts. The console's field rules with each field
// named, hostile bodies that change nothing, the audit log and revisions, and the public page from
// the page cache showing a published update at once. Every answer is checked against the OpenAPI
// document the server publishes (tests/lib/openapi.mjs).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { bin, raw, startServer } from "../lib/server.mjs";
import { addUser, auditRows } from "../lib/admin.mjs";
import { loadSpec } from "../lib/openapi.mjs";

const PW = "correct horse battery staple";
const SITE = "https://vrc.example.org";
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const vrc = (db, args) => spawnSync(bin, [...args, "--db", db], { encoding: "utf8" });

let srv, spec;
const tokens = {};

async function api(method, path, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let data;
  if (body !== undefined) {
    data = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
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
const page = async (path) => (await fetch(srv.base + path)).text();

// What a hostile or refused request must leave alone: every block, community and revision, and the log.
const state = () => sql(srv.db, "SELECT group_concat(x, '|') FROM (SELECT count(*) AS x FROM community UNION ALL " +
  "SELECT count(*) FROM community_revision UNION ALL SELECT count(*) FROM audit UNION ALL " +
  "SELECT group_concat(draft || ifnull(published, ''), '') FROM community_block)");

const update = (title, extra = {}) => ({
  date: "2026-12-02",
  text: { en: { title, body: `${title}: the **Family Assistance Center** is open until 8 PM.` },
    es: { title: `ES ${title}`, body: `${title}: el **Centro de Asistencia Familiar** abre hasta las 8 PM.` } },
  ...extra,
});

before(async () => {
  srv = await startServer(["--public-url", SITE]);
  spec = await loadSpec(srv.base);
  for (const [slug, name, tz] of [["springfield", "Springfield", "America/Chicago"],
    ["shelbyville", "Shelbyville", "America/New_York"], ["ogdenville", "Ogdenville", "America/Denver"]]) {
    const r = vrc(srv.db, ["community", "create", "--slug", slug, "--name", name, "--place", `${name}, IL`,
      "--lang", "en,es", "--tz", tz]);
    assert.equal(r.status, 0, r.stderr);
  }
  sql(srv.db, "UPDATE community SET status = 'archived' WHERE slug = 'ogdenville'");
  // A community row with nothing published: no public page, so not in the API either.
  sql(srv.db, "INSERT INTO community(slug, name) VALUES ('unpublished', 'Not yet')");
  addUser(srv.db, "admin@example.org", "admin", PW, ["--name", "Ada Admin"]);
  addUser(srv.db, "editor@example.org", "editor", PW);
  addUser(srv.db, "reviewer@example.org", "reviewer", PW, ["--name", "Dr. Rita Reviewer"]);
  addUser(srv.db, "spring@example.org", "community_editor", PW, ["--community", "springfield"]);
  for (const [k, email] of Object.entries({ admin: "admin@example.org", editor: "editor@example.org",
    reviewer: "reviewer@example.org", spring: "spring@example.org" })) {
    const r = vrc(srv.db, ["token", "create", "--user", email, "--name", k]);
    assert.equal(r.status, 0, r.stderr);
    tokens[k] = r.stdout.trim();
  }
  // A token made, then revoked.
  const r = vrc(srv.db, ["token", "create", "--user", "editor@example.org", "--name", "old"]);
  tokens.revoked = r.stdout.trim();
  const id = vrc(srv.db, ["token", "list"]).stdout.split("\n").find((l) => l.includes("\told\t")).split("\t")[0];
  assert.equal(vrc(srv.db, ["token", "revoke", "--id", id]).status, 0);
});

after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly\n" + srv.log.slice(-2000));
});

describe("public reads", () => {
  test("the list: active pages with something published, filtered, paged, with ETag, 304, CORS and HEAD", async () => {
    const r = await get("/api/v1/communities");
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.map((c) => c.slug), ["springfield", "shelbyville"], "no archived or unpublished page");
    const s = r.json.data[0];
    assert.deepEqual(s.languages, ["en", "es"]);
    assert.equal(s.timezone, "America/Chicago");
    assert.deepEqual(s.url, { en: `${SITE}/c/springfield`, es: `${SITE}/es/c/springfield` });
    assert.equal(s.links.self, "/api/v1/communities/springfield");
    assert.equal(r.json.paging.total, 2);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.headers.get("cache-control"), "public, max-age=60");
    const etag = r.headers.get("etag");
    assert.equal((await get("/api/v1/communities", { headers: { "if-none-match": etag } })).status, 304);
    const head = await fetch(srv.base + "/api/v1/communities", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-type"), "application/json");
    assert.equal(await head.text(), "");
    // Paging by cursor, then by offset; filters.
    const p1 = await get("/api/v1/communities?limit=1&lang=es");
    assert.deepEqual(p1.json.data.map((c) => c.slug), ["springfield"]);
    assert.match(p1.json.paging.next, /^\/api\/v1\/communities\?limit=1&cursor=\d+&lang=es$/);
    const p2 = await get(p1.json.paging.next);
    assert.deepEqual(p2.json.data.map((c) => c.slug), ["shelbyville"]);
    assert.equal(p2.json.paging.next, null);
    assert.deepEqual((await get("/api/v1/communities?offset=1")).json.data.map((c) => c.slug), ["shelbyville"]);
    sql(srv.db, "UPDATE community SET languages = 'en' WHERE slug = 'shelbyville'");
    assert.deepEqual((await get("/api/v1/communities?lang=es")).json.data.map((c) => c.slug), ["springfield"]);
    sql(srv.db, "UPDATE community SET languages = 'en,es' WHERE slug = 'shelbyville'");
    assert.equal((await get("/api/v1/communities?updated_since=2999-01-01")).json.paging.total, 0);
    assert.equal((await get("/api/v1/communities?updated_since=2000-01-01T00:00:00Z")).json.paging.total, 2);
    for (const [q, field] of [["lang=xx", "lang"], ["updated_since=soon", "updated_since"], ["limit=0", "limit"],
      ["offset=x", "offset"], ["cursor=1&offset=1", "cursor"]]) {
      const bad = await get(`/api/v1/communities?${q}`);
      assert.equal(bad.status, 400, q);
      assert.equal(bad.json.error.field, field, q);
    }
  });

  test("one page: its published blocks in the documented shape, starter content, archived marked, unknown 404", async () => {
    const r = await get("/api/v1/communities/springfield");
    assert.equal(r.status, 200);
    const b = r.json.blocks;
    assert.deepEqual(Object.keys(b).sort(),
      ["events", "faq", "funds", "key_message", "locations", "resources", "services", "updates"]);
    assert.ok(b.key_message.text.en.body.length > 20, "the starter's key message");
    assert.match(b.key_message.text.es.body_html, /^<p>/, "Markdown also as HTML");
    assert.ok(b.faq.items.length > 0 && b.faq.items[0].text.es.question, "the starter's FAQ in Spanish");
    assert.ok(b.funds.text.en.scam_warning, "the scam warning");
    assert.ok(b.resources.slugs.length > 0, "the library's first-days resources");
    assert.deepEqual(b.updates.items, []);
    assert.ok(!("ns" in b.services), "no storage internals");
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    const etag = r.headers.get("etag");
    assert.equal((await get("/api/v1/communities/springfield", { headers: { "if-none-match": etag } })).status, 304);
    const arch = await get("/api/v1/communities/ogdenville");
    assert.equal(arch.json.status, "archived", "an archived page keeps its address, marked");
    for (const slug of ["nowhere", "unpublished", "Bad%20Slug"]) {
      const miss = await get(`/api/v1/communities/${slug}`);
      assert.equal(miss.status, 404, slug);
      assert.equal(miss.json.error.field, "slug");
    }
    const idx = await get("/api/v1/");
    assert.equal(idx.json.links.communities, "/api/v1/communities");
  });
});

describe("tokens and scope", () => {
  const U = "/api/v1/communities/springfield/updates";

  test("no token, a malformed or revoked one: 401; nothing changes", async () => {
    const before = state();
    for (const token of [undefined, "nope", tokens.revoked]) {
      const r = await post(U, update("Nope"), { token });
      assert.equal(r.status, 401, String(token));
      assert.equal(r.json.error.field, "Authorization");
      assert.match(r.headers.get("www-authenticate"), /^Bearer realm="vrc"/);
    }
    assert.equal((await post("/api/v1/communities", { name: "X" })).status, 401);
    assert.equal((await post("/api/v1/communities/springfield/publish", {})).status, 401);
    assert.equal(state(), before);
  });

  test("a community editor acts on their own page only; a reviewer publishes but does not write", async () => {
    const before = state();
    const other = await post("/api/v1/communities/shelbyville/updates", update("Not mine"), { token: tokens.spring });
    assert.equal(other.status, 403);
    assert.equal(other.json.error.field, "Authorization");
    const otherPub = await post("/api/v1/communities/shelbyville/publish", {}, { token: tokens.spring });
    assert.equal(otherPub.status, 403);
    const create = await post("/api/v1/communities", { name: "Capital City" }, { token: tokens.spring });
    assert.equal(create.status, 403, "community editors do not create pages");
    const rev = await post(U, update("Reviewer"), { token: tokens.reviewer });
    assert.equal(rev.status, 403, "reviewers do not write");
    const revEvent = await post("/api/v1/communities/springfield/events", {}, { token: tokens.reviewer });
    assert.equal(revEvent.status, 403);
    assert.equal((await post("/api/v1/communities", { name: "X" }, { token: tokens.reviewer })).status, 403);
    assert.equal(state(), before, "nothing was written");
    const mine = await post(U, update("Road closures"), { token: tokens.spring });
    assert.equal(mine.status, 201, "their own page");
    assert.equal(mine.json.state, "draft");
    const pub = await post("/api/v1/communities/springfield/publish", { blocks: ["updates"] }, { token: tokens.reviewer });
    assert.equal(pub.status, 200, "a reviewer may publish");
    assert.deepEqual(pub.json.published, ["updates"]);
    const unknown = await post("/api/v1/communities/nowhere/updates", update("X"), { token: tokens.editor });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.field, "slug");
  });
});

describe("updates", () => {
  const U = "/api/v1/communities/springfield/updates";

  test("the console's rules, every field named, messages in the reader's language; nothing saved", async () => {
    const before = state();
    const r = await post(U, {
      date: "2026-02-30", pinned: "yes", colour: "red",
      text: { en: { title: "x".repeat(151), body: "Call <b>now</b>" }, es: { title: "" , body: "[x](javascript:alert(1))" },
        fr: { title: "Bonjour", body: "Salut" } },
    }, { token: tokens.editor });
    assert.equal(r.status, 422);
    const fields = r.json.error.fields.map((f) => f.field).sort();
    assert.deepEqual(fields, ["colour", "pinned", "text.fr"], "the shape first: types, unknown fields, languages");
    const r2 = await post(U, {
      date: "2026-02-30",
      text: { en: { title: "x".repeat(151), body: "Call <b>now</b>" }, es: { title: "", body: "[x](javascript:alert(1))" } },
    }, { token: tokens.editor });
    assert.equal(r2.status, 422);
    const by = Object.fromEntries(r2.json.error.fields.map((f) => [f.field, f.message]));
    assert.deepEqual(Object.keys(by).sort(), ["date", "text.en.body", "text.en.title", "text.es.body", "text.es.title"]);
    assert.equal(r2.json.error.field, r2.json.error.fields[0].field);
    assert.match(by["text.en.title"], /long/i);
    const es = await post(U, { text: { en: { title: "" } } }, { token: tokens.editor, headers: { "accept-language": "es" } });
    assert.equal(es.status, 422);
    assert.notEqual(es.json.error.fields.find((f) => f.field === "text.en.title").message, "This is required.",
      "Spanish messages for a Spanish reader");
    const none = await post(U, { date: "2026-12-01" }, { token: tokens.editor });
    assert.equal(none.status, 422);
    assert.equal(none.json.error.field, "text");
    assert.equal(state(), before, "nothing was saved");
  });

  test("hostile bodies: broken UTF-8, not an object, NUL, a huge body, the wrong type: 4xx, nothing changes", async () => {
    const before = state();
    const t = { token: tokens.editor };
    const broken = Buffer.concat([Buffer.from('{"text":{"en":{"title":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","body":"x"}}}')]);
    const cases = [[broken, 400], ["[1]", 400], ["\"x\"", 400], ["null", 400], ["{", 400],
      ['{"text":{"en":{"title":"a\\u0000b","body":"x"}}}', 400], ['{"a":1,"a":2}', 400],
      ["[".repeat(5000) + "]".repeat(5000), 400]];
    for (const [body, status] of cases) {
      const r = await post(U, body, t);
      assert.equal(r.status, status, String(body).slice(0, 40));
      assert.equal(r.json.error.field, "body");
    }
    const form = await post(U, "title=x", { ...t, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(form.status, 415);
    assert.equal(form.json.error.field, "Content-Type");
    // Past the 1 MB limit, refused from Content-Length before the body is read: JSON, like the API.
    const reply = await raw(srv.base, `POST /api/v1/communities/springfield/updates HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Bearer ${tokens.editor}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 413 /);
    assert.match(reply, /content-type: application\/json/i);
    const err = JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4).trim().split("\r\n").find((l) => l.startsWith("{")));
    assert.equal(err.error.field, "body");
    assert.equal(state(), before);
  });

  test("a draft: not in the public reads, page or feed until published; then all at once, with audit and revision", async () => {
    const title = "Draft: the vigil moves indoors";
    const r = await post(U, update(title), { token: tokens.editor });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get("location"), "/api/v1/communities/springfield");
    assert.equal(r.json.state, "draft");
    assert.equal(r.json.item.text.es.title, `ES ${title}`);
    assert.match(r.json.item.text.en.body_html, /<strong>Family Assistance Center<\/strong>/);
    const titles = async () => (await get("/api/v1/communities/springfield")).json.blocks.updates.items.map((i) => i.text.en.title);
    assert.ok(!(await titles()).includes(title), "the API shows no draft");
    assert.ok(!(await page("/c/springfield")).includes(title), "nor the page");
    assert.ok(!(await page("/c/springfield/updates.atom")).includes(title), "nor the feed");
    const pub = await post("/api/v1/communities/springfield/publish", undefined, { token: tokens.editor });
    assert.equal(pub.status, 200, "no body: every block with changes");
    assert.deepEqual(pub.json.published, ["updates"]);
    assert.ok((await titles()).includes(title));
    assert.ok((await page("/c/springfield")).includes(title), "the page from the cache shows it at once");
    assert.ok((await page("/es/c/springfield")).includes(`ES ${title}`), "in Spanish too");
    assert.ok((await page("/c/springfield/updates.atom")).includes(title));
    const again = await post("/api/v1/communities/springfield/publish", {}, { token: tokens.editor });
    assert.deepEqual(again.json.published, [], "nothing waiting: nothing published");
    const rows = auditRows(srv.db).filter((a) => a.object === "community_block:springfield/updates");
    assert.deepEqual(rows.slice(-2).map((a) => [a.actor, a.action]),
      [["editor@example.org", "community_save"], ["editor@example.org", "community_publish"]]);
    assert.ok(rows.at(-1).after.includes(title));
    assert.equal(sql(srv.db, "SELECT actor FROM community_revision WHERE kind = 'updates' ORDER BY id DESC LIMIT 1"),
      "editor@example.org (API)", "the revision says it came through the API");
  });

  test("publish: true posts and publishes in one call; the date defaults to today where the community is", async () => {
    const title = "Counseling now open on Saturdays";
    const body = update(title, { publish: true, pinned: true });
    delete body.date;
    const r = await post(U, body, { token: tokens.spring });
    assert.equal(r.status, 201);
    assert.equal(r.json.state, "published");
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(new Date());
    assert.equal(r.json.item.date, today);
    assert.equal(r.json.item.pinned, true);
    const html = await page("/c/springfield");
    assert.ok(html.includes(title), "the public page shows the update at once");
    const items = (await get("/api/v1/communities/springfield")).json.blocks.updates.items;
    assert.equal(items[0].text.en.title, title, "pinned first");
    const rows = auditRows(srv.db).filter((a) => a.object === "community_block:springfield/updates");
    assert.deepEqual(rows.slice(-2).map((a) => [a.actor, a.action]),
      [["spring@example.org", "community_save"], ["spring@example.org", "community_publish"]]);
  });

  test("publish: true over someone's unpublished changes is a conflict (409) and saves nothing", async () => {
    const draft = await post(U, update("Left as a draft"), { token: tokens.editor });
    assert.equal(draft.status, 201);
    const before = state();
    const r = await post(U, update("Hurried", { publish: true }), { token: tokens.admin });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.field, "publish");
    assert.match(r.json.error.message, /unpublished changes/);
    assert.equal(state(), before);
    assert.ok(!(await page("/c/springfield")).includes("Left as a draft"));
    const unknown = await post("/api/v1/communities/springfield/publish", { blocks: ["updates", "nope"], x: 1 },
      { token: tokens.admin });
    assert.equal(unknown.status, 422);
    assert.deepEqual(unknown.json.error.fields.map((f) => f.field).sort(), ["blocks[1]", "x"]);
    const named = await post("/api/v1/communities/springfield/publish", { blocks: ["events", "updates"] }, { token: tokens.admin });
    assert.deepEqual(named.json.published, ["updates"]);
    assert.ok((await page("/c/springfield")).includes("Left as a draft"));
  });
});

describe("events", () => {
  const E = "/api/v1/communities/springfield/events";

  test("an event: the block's rules, the community's time zone by default, published to the page and calendar", async () => {
    const bad = await post(E, { kind: "party", start: "2026-12-05T25:00", end: "2026-12-05T17:00",
      text: { en: { title: "Vigil" } } }, { token: tokens.editor });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.error.fields.map((f) => f.field).sort(), ["kind", "start", "text.en.place"]);
    const order = await post(E, { kind: "vigil", start: "2026-12-05T18:00", end: "2026-12-05T17:00",
      text: { en: { title: "Vigil", place: "Town square" } } }, { token: tokens.editor });
    assert.deepEqual(order.json.error.fields.map((f) => f.field), ["end"]);
    const r = await post(E, { kind: "vigil", start: "2026-12-05T18:00", end: "2026-12-05T19:30", address: "1 Main St",
      text: { en: { title: "Candlelight vigil", place: "Town square", description: "Bring a *candle*." },
        es: { title: "Vigilia con velas", place: "Plaza del pueblo" } }, publish: true }, { token: tokens.spring });
    assert.equal(r.status, 201);
    assert.equal(r.json.block, "events");
    assert.equal(r.json.item.timezone, "America/Chicago");
    assert.match(r.json.item.text.en.description_html, /<em>candle<\/em>/);
    assert.ok((await page("/c/springfield")).includes("Candlelight vigil"));
    assert.ok((await page("/es/c/springfield")).includes("Vigilia con velas"));
    const ics = await page(`/c/springfield/events/${r.json.id}.ics`);
    assert.match(ics, /DTSTART;TZID=America\/Chicago:20261205T180000/);
    const ev = (await get("/api/v1/communities/springfield")).json.blocks.events.items;
    assert.deepEqual(ev.map((e) => e.id), [r.json.id]);
    const other = await post("/api/v1/communities/shelbyville/events", { kind: "vigil", start: "2026-12-05T18:00",
      text: { en: { title: "x", place: "y" } } }, { token: tokens.spring });
    assert.equal(other.status, 403);
  });
});

describe("a new community", () => {
  test("refused field by field (422), a slug taken is a conflict (409); nothing is created", async () => {
    const before = state();
    const r = await post("/api/v1/communities", { name: "", date: "2026-02-30", timezone: "Mars/Olympus",
      languages: ["es", "xx"], phone: "call us", hours: "whenever", street: "1 Main" }, { token: tokens.editor });
    assert.equal(r.status, 422);
    const fields = r.json.error.fields.map((f) => f.field).sort();
    assert.deepEqual(fields, ["city", "date", "hours", "languages", "name", "phone", "postal", "slug", "state", "timezone"]);
    const types = await post("/api/v1/communities", { name: 5, languages: "en", mayor: "x" }, { token: tokens.editor });
    assert.deepEqual(types.json.error.fields.map((f) => f.field).sort(), ["languages", "mayor", "name"]);
    const taken = await post("/api/v1/communities", { name: "Springfield" }, { token: tokens.editor });
    assert.equal(taken.status, 409);
    assert.equal(taken.json.error.field, "slug");
    assert.equal(state(), before);
  });

  test("created from the starter template like the console's form, public at once, audited", async () => {
    const r = await post("/api/v1/communities", { name: "Capital City", place: "Capital City, IL", date: "2026-11-28",
      timezone: "America/Chicago", languages: ["es"], street: "100 State St", city: "Capital City", state: "IL",
      postal: "62702", hours: "Mon-Fri 9:00-17:00", phone: "(217) 555-0100" }, { token: tokens.editor });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get("location"), "/api/v1/communities/capital-city");
    assert.equal(r.json.slug, "capital-city", "the slug is made from the name");
    assert.deepEqual(r.json.languages, ["en", "es"]);
    const loc = r.json.blocks.locations.items[0];
    assert.equal(loc.street, "100 State St");
    assert.equal(loc.phone, "(217) 555-0100");
    assert.ok(loc.text.es.name, "the Family Assistance Center, named in Spanish");
    assert.ok(r.json.blocks.faq.items.length > 0);
    assert.ok((await page("/c/capital-city")).includes("Capital City"), "the public page is live");
    assert.ok((await page("/")).includes("/c/capital-city"), "and on the home page");
    assert.deepEqual((await get("/api/v1/communities")).json.data.map((c) => c.slug),
      ["springfield", "shelbyville", "capital-city"]);
    const row = auditRows(srv.db).find((a) => a.object === "community:capital-city");
    assert.equal(row.actor, "editor@example.org");
    assert.equal(row.action, "community_create");
    assert.match(row.after, /"via":"api"/);
    const admin = await post("/api/v1/communities", { name: "North Haverbrook", slug: "north-haverbrook", languages: ["en"] },
      { token: tokens.admin });
    assert.equal(admin.status, 201);
    assert.deepEqual(Object.keys(admin.json.url), ["en"]);
  });
});

describe("what the tests covered", () => {
  test("every community operation of the document answered a success", () => {
    const ops = [];
    for (const [p, item] of Object.entries(spec.doc.paths))
      for (const [m, op] of Object.entries(item))
        if (op.tags.includes("communities")) ops.push(`${m.toUpperCase()} ${p}`);
    assert.equal(ops.length, 6);
    for (const op of ops)
      assert.ok([...spec.checked].some((c) => c.startsWith(op + " 2")), `${op} answered a success in a test`);
  });
});
