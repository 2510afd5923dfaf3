// The Open Referral HSDS 3.0 API under /hsds/, black-box: every endpoint (root, paged lists, each item,
// organizations, service_at_locations) validated against the official compiled schemas and the
// official openapi.json's response shapes by tests/lib/hsds_validate.py (Debian's python3-jsonschema,
// draft 2020-12 with format checks, $refs resolved from local files); the validator shown to fail on
// broken objects first; paging, filters, Spanish, CORS, ETag/304, HEAD, JSON errors; drafts and
// archived communities never published; ids unchanged across an edit.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startServer, bin } from "../lib/server.mjs";
import { Client, addUser } from "../lib/admin.mjs";
import { Validator } from "@seriousme/openapi-schema-validator";

const PW = "correct horse battery staple";
const PUBLIC = "https://vrc.example.org";
const root = resolve(new URL("../..", import.meta.url).pathname);
const VALIDATOR = resolve(root, "tests/lib/hsds_validate.py");
// The official files, found as tests/lib/hsds_validate.py finds them: $HSDS_SPEC, else ../shared/hsds-3.0
// beside the checkout, else /work/shared/hsds-3.0 (a worktree elsewhere).
const SPEC = process.env.HSDS_SPEC ||
  [resolve(root, "../shared/hsds-3.0"), "/work/shared/hsds-3.0"].find((d) => existsSync(resolve(d, "compiled"))) ||
  resolve(root, "../shared/hsds-3.0");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Run the validator (Debian's python, not the PATH one) on [{name, schema, body}]; returns its result.
function validate(checks) {
  return spawnSync("/usr/bin/python3", [VALIDATOR], { input: JSON.stringify(checks), encoding: "utf8" });
}

function assertValid(checks) {
  const r = validate(checks);
  assert.equal(r.status, 0, `HSDS 3.0 schema errors (${checks.length} bodies):\n${r.stdout}${r.stderr}`);
}

async function get(base, path, headers = {}) {
  const r = await fetch(base + path, { headers, redirect: "manual" });
  const text = await r.text();
  r.json_ = text ? JSON.parse(text) : null;
  return r;
}

// A JSON error answer with status and (when given) the field at fault.
async function assertError(base, path, status, field) {
  const r = await get(base, path);
  assert.equal(r.status, status, path);
  assert.match(r.headers.get("content-type"), /^application\/json/, path);
  assert.equal(r.json_.error.status, status, path);
  assert.ok(r.json_.error.message.length > 10, path);
  if (field) assert.equal(r.json_.error.field, field, path);
  return r;
}

function save(c, slug, lang, fields) {
  const path = `/admin/communities/${slug}/services/${lang}`;
  return c.postForm(path, fields, { from: path });
}

async function publish(c, slug) {
  const r = await c.postForm(`/admin/communities/${slug}/publish`, {}, { from: `/admin/communities/${slug}` });
  assert.equal(r.status, 303, "publish " + slug);
}

// The id of the service labelled label on the services block page.
async function itemId(c, slug, label) {
  const page = await c.get(`/admin/communities/${slug}/services/en`);
  const m = new RegExp(`<a href="[^"]*\\?item=([0-9a-f-]{36})">${label}</a>`).exec(page.html);
  assert.ok(m, `service ${label} listed`);
  return m[1];
}

const counseling = {
  organization: "Springfield Counseling", name: "Free counseling", description: "Short-term counseling for anyone affected.",
  status: "active", street: "5 Oak Ave", city: "Springfield", state: "IL", postal: "62702", phone: "217-555-0142",
  url: "https://counseling.example.org/", hours: "Mon-Thu 09:00-17:00", languages: "en, es",
};
const services = [
  counseling,
  { organization: "Prairie Legal Aid", name: "Legal aid clinic", description: "Help with victim compensation forms.",
    status: "active", phone: "217-555-0177", hours: "Tue 10:00-14:00; Sat 09:00-12:00", languages: "en" },
  { organization: "springfield counseling", name: "Food pantry", status: "active", street: "12 Elm St",
    city: "Springfield", state: "IL", postal: "62701" },
  { organization: "City of Springfield", name: "Transport vouchers", description: "Rides to the assistance center.",
    status: "temporarily closed" },
];

describe("HSDS 3.0 open data", () => {
  let srv, ed;
  const ids = {}; // service name -> id
  before(async () => {
    srv = await startServer(["--public-url", PUBLIC + "/"], {
      prepare: (db) => {
        for (const [slug, name] of [["springfield", "Springfield"], ["shelbyville", "Shelbyville"]]) {
          const r = spawnSync(bin, ["community", "create", "--slug", slug, "--name", name, "--place", name + ", IL",
            "--tz", "America/Chicago", "--lang", "en,es", "--db", db], { encoding: "utf8" });
          assert.equal(r.status, 0, r.stderr);
        }
      },
    });
    addUser(srv.db, "editor@example.org", "editor", PW);
    ed = new Client(srv.base);
    assert.equal((await ed.signIn("editor@example.org", PW)).status, 303);
    for (const s of services) {
      assert.equal((await save(ed, "springfield", "en", { target: "new", ...s })).status, 303, s.name);
      ids[s.name] = await itemId(ed, "springfield", s.name);
    }
    const es = { ...counseling, target: ids["Free counseling"], name: "Consejería gratuita", description: "Consejería breve para todas las personas afectadas." };
    assert.equal((await save(ed, "springfield", "es", es)).status, 303);
    await publish(ed, "springfield");
    assert.equal((await save(ed, "shelbyville", "en", { target: "new", organization: "Shelbyville Clinic", name: "Walk-in clinic", status: "active" })).status, 303);
    ids["Walk-in clinic"] = await itemId(ed, "shelbyville", "Walk-in clinic");
    await publish(ed, "shelbyville");
  });
  after(async () => {
    const code = await srv.stop();
    assert.equal(code, 0, "server exits cleanly (no sanitizer report)\n" + srv.log.slice(-3000));
  });

  test("the validator fails on broken objects, and passes the official example", () => {
    const example = JSON.parse(readFileSync(resolve(SPEC, "example-service_full.json"), "utf8"));
    assert.equal(validate([{ name: "example", schema: "service.json", body: example }]).status, 0, "official example passes");
    const good = { id: "123e4567-e89b-42d3-a456-426614174000", name: "x", status: "active" };
    const broken = [
      ["no name", "service.json", { id: good.id, status: "active" }, /'name' is a required property/],
      ["bad uuid", "service.json", { ...good, id: "123e4567-e89b-42d3-a456" }, /is not a 'uuid'/],
      ["bad status", "service.json", { ...good, status: "open" }, /is not one of/],
      ["bad url", "service.json", { ...good, url: "not a url" }, /is not a 'uri'/],
      ["bad time", "service.json", { ...good, last_modified: "2026-02-30T10:00:00Z" }, /is not a 'date-time'/],
      ["phone without number", "service.json", { ...good, phones: [{ id: good.id }] }, /'number' is a required property/],
      ["page without paging", "page:service_list.json", { contents: [good] }, /'total_items' is a required property/],
      ["page item broken", "page:service_list.json", { total_items: 1, total_pages: 1, page_number: 1, size: 1, first_page: true, last_page: true, empty: false, contents: [{ id: good.id }] }, /contents\/0: 'name' is a required/],
      ["root without version", "root", { profile: "https://x.example/", openapi_url: "https://x.example/o.json" }, /'version' is a required/],
      ["location without type", "service_at_location.json", { id: good.id, location: { id: good.id } }, /'location_type' is a required/],
      ["organization without description", "organization.json", { id: good.id, name: "x" }, /'description' is a required/],
    ];
    for (const [name, schema, body, why] of broken) {
      const r = validate([{ name, schema, body }]);
      assert.equal(r.status, 1, `${name} fails validation: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, why, name);
    }
  });

  test("the root says version, profile and openapi_url, with or without the slash", async () => {
    const r = await get(srv.base, "/hsds/");
    assert.equal(r.status, 200);
    assert.equal(r.json_.version, "3.0");
    assert.equal(r.json_.openapi_url, PUBLIC + "/hsds/openapi.json");
    assert.deepEqual((await get(srv.base, "/hsds")).json_, r.json_);
    assertValid([{ name: "/hsds/", schema: "root", body: r.json_ }]);
  });

  test("openapi_url is a valid OpenAPI 3.1 document of exactly the paths served, with the official answers", async () => {
    const r = await get(srv.base, "/hsds/openapi.json");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    const v = new Validator();
    // The answers $ref the official compiled schemas by their public addresses: give the local files.
    for (const f of ["service.json", "service_list.json", "organization.json", "organization_list.json", "service_at_location.json", "service_at_location_list.json"])
      await v.addSpecRef(JSON.parse(readFileSync(resolve(SPEC, "compiled", f), "utf8")), "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/" + f);
    const res = await v.validate(structuredClone(r.json_));
    assert.ok(res.valid, JSON.stringify(res.errors, null, 1));
    assert.equal(v.version, "3.1");
    const official = JSON.parse(readFileSync(resolve(SPEC, "openapi.json"), "utf8"));
    const paths = Object.keys(r.json_.paths).sort();
    assert.deepEqual(paths, ["/", "/openapi.json", "/organizations", "/organizations/{id}", "/service_at_locations",
      "/service_at_locations/{id}", "/services", "/services/{id}"]);
    for (const p of paths) {
      if (p === "/openapi.json") continue;
      assert.ok(official.paths[p], p + " is an official path");
      assert.equal(r.json_.paths[p].get.operationId, official.paths[p].get.operationId, p);
      const concrete = p.replace("{id}", ids["Free counseling"]);
      assert.notEqual((await get(srv.base, "/hsds" + concrete)).status, 405, p);
    }
    // The list answers name the same compiled schemas as the official document.
    for (const p of ["/services", "/organizations", "/service_at_locations"])
      assert.deepEqual(r.json_.paths[p].get.responses["200"].content["application/json"].schema.properties.contents.items,
        official.paths[p].get.responses["200"].content["application/json"].schema.properties.contents.items, p);
  });

  test("every endpoint validates against the official schemas", async () => {
    const checks = [];
    const add = async (path, schema) => {
      const r = await get(srv.base, path);
      assert.equal(r.status, 200, path + " " + JSON.stringify(r.json_));
      checks.push({ name: path, schema, body: r.json_ });
      return r.json_;
    };
    const p1 = await add("/hsds/services?per_page=2", "page:service_list.json");
    const p2 = await add("/hsds/services?per_page=2&page=2", "page:service_list.json");
    const p3 = await add("/hsds/services?per_page=2&page=3", "page:service_list.json");
    await add("/hsds/services", "page:service_list.json");
    await add("/hsds/services?full=true", "page:service_list.json");
    await add("/hsds/services?lang=es", "page:service_list.json");
    const all = [...p1.contents, ...p2.contents];
    for (const s of all) {
      await add(`/hsds/services/${s.id}`, "service.json");
      await add(`/hsds/services/${s.id}?lang=es`, "service.json");
    }
    const orgs = await add("/hsds/organizations", "page:organization_list.json");
    await add("/hsds/organizations?full=true&full_service=true", "page:organization_list.json");
    await add("/hsds/organizations?per_page=1&page=2", "page:organization_list.json");
    for (const o of orgs.contents) {
      await add(`/hsds/organizations/${o.id}`, "organization.json");
      await add(`/hsds/organizations/${o.id}?full_service=true`, "organization.json");
    }
    const sals = await add("/hsds/service_at_locations", "page:service_at_location_list.json");
    await add("/hsds/service_at_locations?full=true", "page:service_at_location_list.json");
    for (const x of sals.contents) await add(`/hsds/service_at_locations/${x.id}`, "service_at_location.json");
    assertValid(checks);
    // Every published service once, across the pages; nothing more.
    assert.equal(p1.total_items, 5);
    assert.deepEqual(all.map((s) => s.name).concat(p3.contents.map((s) => s.name)).sort(),
      ["Food pantry", "Free counseling", "Legal aid clinic", "Transport vouchers", "Walk-in clinic"]);
    assert.equal(orgs.total_items, 4, "Springfield Counseling twice is one organization (case aside); Shelbyville Clinic");
    assert.equal(sals.total_items, 2, "the two services with an address");
  });

  test("pages: the official Page fields, numbered from 1", async () => {
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map((n) => get(srv.base, `/hsds/services?per_page=2&page=${n}`)));
    const paging = (x) => { const { contents, ...rest } = x.json_; return { ...rest, n: contents.length }; };
    assert.deepEqual(paging(a), { total_items: 5, total_pages: 3, page_number: 1, size: 2, first_page: true, last_page: false, empty: false, n: 2 });
    assert.deepEqual(paging(b), { total_items: 5, total_pages: 3, page_number: 2, size: 2, first_page: false, last_page: false, empty: false, n: 2 });
    assert.deepEqual(paging(c), { total_items: 5, total_pages: 3, page_number: 3, size: 1, first_page: false, last_page: true, empty: false, n: 1 });
    assert.deepEqual(paging(d), { total_items: 5, total_pages: 3, page_number: 4, size: 0, first_page: false, last_page: true, empty: true, n: 0 });
    const none = await get(srv.base, "/hsds/services?search=zzzznothing");
    assert.deepEqual(paging(none), { total_items: 0, total_pages: 0, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, n: 0 });
  });

  test("a service is fully nested; lists carry one-to-one fields only", async () => {
    const s = (await get(srv.base, `/hsds/services/${ids["Free counseling"]}`)).json_;
    assert.equal(s.id, ids["Free counseling"]);
    assert.equal(s.name, "Free counseling");
    assert.equal(s.status, "active");
    assert.equal(s.url, "https://counseling.example.org/");
    assert.match(s.last_modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(s.organization.name, "Springfield Counseling");
    assert.equal(s.organization_id, s.organization.id);
    assert.equal(s.phones[0].number, "217-555-0142");
    assert.deepEqual(s.schedules.map((x) => [x.freq, x.byday, x.opens_at, x.closes_at]), [["WEEKLY", "MO,TU,WE,TH", "09:00", "17:00"]]);
    assert.deepEqual(s.languages.map((l) => l.code), ["en", "es"]);
    const loc = s.service_at_locations[0].location;
    assert.equal(loc.location_type, "physical");
    assert.deepEqual([loc.addresses[0].address_1, loc.addresses[0].city, loc.addresses[0].state_province, loc.addresses[0].postal_code, loc.addresses[0].country],
      ["5 Oak Ave", "Springfield", "IL", "62702", "US"]);
    for (const x of [s.id, s.organization.id, s.phones[0].id, s.schedules[0].id, loc.id, loc.addresses[0].id, s.service_at_locations[0].id]) assert.match(x, UUID);
    const list = (await get(srv.base, "/hsds/services")).json_.contents.find((x) => x.id === s.id);
    assert.equal(list.name, "Free counseling");
    assert.equal(list.organization.name, "Springfield Counseling");
    for (const k of ["phones", "schedules", "languages", "service_at_locations"]) assert.equal(list[k], undefined, k);
    const full = (await get(srv.base, "/hsds/services?full=true")).json_.contents.find((x) => x.id === s.id);
    assert.deepEqual(full, s);
  });

  test("organizations gather their services and locations; service_at_locations pair them", async () => {
    const s = (await get(srv.base, `/hsds/services/${ids["Free counseling"]}`)).json_;
    const o = (await get(srv.base, `/hsds/organizations/${s.organization.id}`)).json_;
    assert.equal(o.name, "Springfield Counseling");
    assert.deepEqual(o.services.map((x) => x.name), ["Free counseling", "Food pantry"]);
    assert.equal(o.services[0].phones, undefined, "services are one-to-one unless full_service");
    assert.equal(o.locations.length, 2);
    const fs = (await get(srv.base, `/hsds/organizations/${s.organization.id}?full_service=true`)).json_;
    assert.equal(fs.services[0].phones[0].number, "217-555-0142");
    const list = (await get(srv.base, "/hsds/organizations")).json_.contents.find((x) => x.id === o.id);
    assert.deepEqual(Object.keys(list).sort(), ["description", "id", "name"]);
    const sal = (await get(srv.base, `/hsds/service_at_locations/${s.service_at_locations[0].id}`)).json_;
    assert.equal(sal.service_id, s.id);
    assert.equal(sal.location_id, sal.location.id);
    assert.equal(sal.service.name, "Free counseling");
    assert.equal(sal.location.addresses[0].postal_code, "62702");
    const sals = (await get(srv.base, "/hsds/service_at_locations")).json_.contents;
    assert.deepEqual(sals.map((x) => x.service.name).sort(), ["Food pantry", "Free counseling"]);
    assert.equal(sals[0].location.addresses, undefined, "one-to-one in lists");
  });

  test("filters: organization_id, search (accents and case folded), modified_after, lang", async () => {
    const s = (await get(srv.base, `/hsds/services/${ids["Free counseling"]}`)).json_;
    const byOrg = (await get(srv.base, `/hsds/services?organization_id=${s.organization.id}`)).json_;
    assert.deepEqual(byOrg.contents.map((x) => x.name), ["Free counseling", "Food pantry"]);
    assert.equal(byOrg.total_items, 2);
    const names = async (q) => (await get(srv.base, "/hsds/services?" + q)).json_.contents.map((x) => x.name);
    assert.deepEqual(await names("search=PANTRY"), ["Food pantry"]);
    assert.deepEqual(await names("search=legal+compensation"), ["Legal aid clinic"], "every word, in name or description");
    assert.deepEqual(await names("search=62702"), ["Free counseling"], "the address too");
    assert.deepEqual(await names("lang=es&search=consejeria"), ["Consejería gratuita"], "Spanish text, accents folded");
    assert.deepEqual(await names("search=consejeria"), [], "English text in English");
    assert.equal((await names("modified_after=2000-01-01")).length, 5);
    assert.deepEqual(await names("modified_after=2999-01-01T00:00:00Z"), []);
    assert.deepEqual((await get(srv.base, "/hsds/service_at_locations?search=elm")).json_.contents.map((x) => x.service.name), ["Food pantry"]);
    assert.deepEqual((await get(srv.base, "/hsds/organizations?search=legal")).json_.contents.map((x) => x.name), ["Prairie Legal Aid"]);
    const es = (await get(srv.base, `/hsds/services/${ids["Free counseling"]}?lang=es`)).json_;
    assert.equal(es.name, "Consejería gratuita");
    assert.equal(es.id, s.id);
    assert.equal((await get(srv.base, `/hsds/services/${ids["Legal aid clinic"]}?lang=es`)).json_.name, "Legal aid clinic", "no Spanish text: English");
  });

  test("public reads: JSON with CORS, ETag and 304, HEAD, preflight", async () => {
    const path = "/hsds/services?per_page=2";
    const r = await get(srv.base, path, { origin: "https://city.example.gov" });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^application\/json/);
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.headers.get("access-control-allow-credentials"), null);
    assert.match(r.headers.get("cache-control"), /public/);
    const etag = r.headers.get("etag");
    assert.ok(etag);
    const again = await fetch(srv.base + path, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    const head = await fetch(srv.base + path, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal((await head.text()).length, 0);
    const pre = await fetch(srv.base + "/hsds/services", { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "GET" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    for (const p of ["/hsds/", `/hsds/services/${ids["Food pantry"]}`, "/hsds/organizations", "/hsds/service_at_locations"])
      assert.equal((await get(srv.base, p)).headers.get("access-control-allow-origin"), "*", p);
  });

  test("errors are JSON: unknown and malformed ids, no endpoint, methods, bad parameters", async () => {
    const nobody = "123e4567-e89b-42d3-a456-426614174000";
    for (const kind of ["services", "organizations", "service_at_locations"]) {
      const r = await assertError(srv.base, `/hsds/${kind}/${nobody}`, 404, "id");
      assert.equal(r.headers.get("access-control-allow-origin"), "*");
      const m = await assertError(srv.base, `/hsds/${kind}/not-a-uuid`, 404, "id");
      assert.match(m.json_.error.message, /UUID/);
    }
    // The id of a service is not an organization's.
    await assertError(srv.base, `/hsds/organizations/${ids["Free counseling"]}`, 404, "id");
    // Upper-case hex is the same id.
    assert.equal((await get(srv.base, `/hsds/services/${ids["Food pantry"].toUpperCase()}`)).status, 200);
    await assertError(srv.base, "/hsds/taxonomies", 404);
    await assertError(srv.base, "/hsds/services/", 404);
    const post = await fetch(srv.base + "/hsds/services", { method: "POST", body: "{}" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    assert.equal((await post.json()).error.status, 405);
    for (const [q, field] of [["per_page=0", "per_page"], ["per_page=101", "per_page"], ["page=0", "page"], ["page=x", "page"],
      ["lang=xx", "lang"], ["full=yes", "full"], ["organization_id=42", "organization_id"], ["modified_after=yesterday", "modified_after"],
      ["taxonomy_id=x", "taxonomy_id"], ["taxonomy_term_id=x", "taxonomy_term_id"], ["postcode=62701", "postcode"],
      ["minimal=true", "minimal"], ["format=ndjson", "format"]])
      await assertError(srv.base, "/hsds/services?" + q, 400, field);
    await assertError(srv.base, "/hsds/organizations?full_service=1", 400, "full_service");
    await assertError(srv.base, `/hsds/services/${ids["Food pantry"]}?lang=xx`, 400, "lang");
    assert.equal((await get(srv.base, "/hsds/services?utm_source=x")).status, 200, "parameters the spec does not name are ignored");
  });

  test("drafts never leak: a saved, unpublished service or change is not in any endpoint until published", async () => {
    assert.equal((await save(ed, "springfield", "en", { target: "new", organization: "Draft Org", name: "Draft service", status: "active", street: "9 Draft Rd", city: "Springfield", state: "IL", postal: "62703" })).status, 303);
    const draftId = await itemId(ed, "springfield", "Draft service");
    assert.equal((await save(ed, "springfield", "en", { ...services[1], target: ids["Legal aid clinic"], name: "Renamed in draft" })).status, 303);
    const bodies = await Promise.all(["/hsds/services?full=true", "/hsds/organizations?full=true&full_service=true", "/hsds/service_at_locations?full=true"]
      .map(async (p) => JSON.stringify((await get(srv.base, p)).json_)));
    for (const b of bodies) {
      assert.ok(!b.includes("Draft"), "no draft text");
      assert.ok(!b.includes(draftId), "no draft id");
      assert.ok(!b.includes("Renamed in draft"), "no draft change");
    }
    assert.equal((await get(srv.base, `/hsds/services/${draftId}`)).status, 404);
    const cli = spawnSync(bin, ["community", "hsds", "--slug", "springfield", "--db", srv.db], { encoding: "utf8" });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).length, 4, "vrc community hsds: the published services");
    assert.ok(!cli.stdout.includes("Draft") && !cli.stdout.includes(draftId), "vrc community hsds: no draft");
    assert.equal((await get(srv.base, `/hsds/services/${ids["Legal aid clinic"]}`)).json_.name, "Legal aid clinic");
    await publish(ed, "springfield");
    const s = (await get(srv.base, `/hsds/services/${draftId}`)).json_;
    assert.equal(s.name, "Draft service");
    assert.equal((await get(srv.base, `/hsds/services/${ids["Legal aid clinic"]}`)).json_.name, "Renamed in draft");
    assertValid([{ name: "published draft", schema: "service.json", body: s }]);
  });

  test("ids stay the same when a service's phone and hours change", async () => {
    const id = ids["Free counseling"];
    const before_ = (await get(srv.base, `/hsds/services/${id}`)).json_;
    const r = await save(ed, "springfield", "en", { ...counseling, target: id, phone: "217-555-0199", hours: "Mon-Fri 08:00-18:00" });
    assert.equal(r.status, 303);
    await publish(ed, "springfield");
    const s = (await get(srv.base, `/hsds/services/${id}`)).json_;
    assert.equal(s.phones[0].number, "217-555-0199");
    assert.equal(s.schedules[0].byday, "MO,TU,WE,TH,FR");
    assert.equal(s.schedules[0].opens_at, "08:00");
    assert.ok(s.last_modified >= before_.last_modified);
    const pick = (x) => [x.id, x.organization_id, x.organization.id, x.phones[0].id, x.schedules[0].id, x.languages[0].id,
      x.service_at_locations[0].id, x.service_at_locations[0].location.id, x.service_at_locations[0].location.addresses[0].id];
    assert.deepEqual(pick(s), pick(before_));
    assert.equal((await get(srv.base, `/hsds/organizations/${before_.organization.id}`)).status, 200);
    assert.equal((await get(srv.base, `/hsds/service_at_locations/${before_.service_at_locations[0].id}`)).json_.location.id,
      before_.service_at_locations[0].location.id);
    assertValid([{ name: "after the edit", schema: "service.json", body: s }]);
  });

  test("an archived community's services leave the open data", async () => {
    const id = ids["Walk-in clinic"];
    const s = (await get(srv.base, `/hsds/services/${id}`)).json_;
    assert.equal(s.name, "Walk-in clinic");
    const r = await ed.postForm("/admin/communities/shelbyville/archive", {}, { from: "/admin/communities/shelbyville" });
    assert.ok(r.status === 303 || r.status === 200, "archived: " + r.status);
    await assertError(srv.base, `/hsds/services/${id}`, 404, "id");
    await assertError(srv.base, `/hsds/organizations/${s.organization.id}`, 404, "id");
    const list = (await get(srv.base, "/hsds/services")).json_;
    assert.ok(!list.contents.some((x) => x.id === id));
    assertValid([{ name: "after archiving", schema: "page:service_list.json", body: list }]);
  });
});
