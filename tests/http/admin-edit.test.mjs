// Editing the library in the staff console, black-box: an editor drafts and submits, a reviewer
// publishes, and the public page shows it when the request returns; invalid input keeps what was typed;
// a second save over a newer draft is a conflict that loses neither text; revisions compare and
// restore; scheduling, archiving, a new resource; and who may do what.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startServer, bin } from "../lib/server.mjs";
import { Client, addUser, auditRows, csrfOf, enrol } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SLUG = "sleep-after-trauma";
const EDIT = `/admin/resources/${SLUG}`;

// Every field of the editor as the browser would send it (hidden, text, selected options, checked boxes).
function formOf(html) {
  const form = {};
  const start = html.indexOf('class="usa-form vrc-resource-form"');
  const part = html.slice(start, html.indexOf("</form>", start));
  for (const m of part.matchAll(/<input [^>]*>/g)) {
    const tag = m[0];
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name || /type="checkbox"/.test(tag) && !/ checked/.test(tag)) continue;
    if (/type="checkbox"/.test(tag)) { (form[name] ||= []).push(/value="([^"]*)"/.exec(tag)[1]); continue; }
    form[name] = unescape(/value="([^"]*)"/.exec(tag)?.[1] ?? "");
  }
  for (const m of part.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    form[m[1]] = unescape(/<option value="([^"]*)" selected>/.exec(m[2])?.[1] ?? "");
  for (const m of part.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) form[m[1]] = unescape(m[2]);
  return form;
}
function unescape(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'")
    .replace(/&#x2F;/g, "/").replace(/&#x3D;/g, "=").replace(/&#x60;/g, "`").replace(/&amp;/g, "&");
}
function body(form) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [].concat(v)) p.append(k, x);
  return p;
}
async function post(c, path, form) {
  return c.request("POST", path, { form: body(form) });
}
async function stop(srv) {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
}

describe("editing the library", () => {
  let srv, editor, editor2, reviewer, admin, community;
  before(async () => {
    srv = await startServer(["--schedule-every", "1"]);
    addUser(srv.db, "ed@example.org", "editor", PW, ["--name", "Eddie Editor"]);
    addUser(srv.db, "ed2@example.org", "editor", PW, ["--name", "Edna Second"]);
    addUser(srv.db, "rev@example.org", "reviewer", PW, ["--name", "Dr. Rita Review, PhD"]);
    addUser(srv.db, "admin@example.org", "admin", PW, ["--name", "Ada Admin"]);
    addUser(srv.db, "city@example.org", "community_editor", PW, ["--community", "springfield"]);
    editor = new Client(srv.base); await editor.signIn("ed@example.org", PW);
    editor2 = new Client(srv.base); await editor2.signIn("ed2@example.org", PW);
    community = new Client(srv.base); await community.signIn("city@example.org", PW);
    reviewer = new Client(srv.base); await reviewer.signIn("rev@example.org", PW); await enrol(reviewer);
    admin = new Client(srv.base); await admin.signIn("admin@example.org", PW); await enrol(admin);
  });
  after(() => stop(srv));

  test("who may open the library pages", async () => {
    for (const [c, want] of [[editor, 200], [reviewer, 200], [admin, 200], [community, 403]]) {
      assert.equal((await c.get("/admin/resources")).status, want);
      assert.equal((await c.get(EDIT)).status, want);
    }
    const anon = await new Client(srv.base).get(EDIT);
    assert.equal(anon.status, 303);
    assert.equal(anon.headers.get("location"), "/admin/login");
    assert.equal((await reviewer.get("/admin/resources/new")).status, 403, "reviewers do not write");
    assert.equal((await editor.get("/admin/resources/no-such")).status, 404);
  });

  test("the list filters by section, language and status, and pages", async () => {
    const all = await editor.get("/admin/resources");
    assert.match(all.html, /(\d+) resources found/);
    const total = Number(/(\d+) resources found/.exec(all.html)[1]);
    assert.ok(total >= 90, `the whole library: ${total}`);
    assert.match(all.html, /1 \/ 4/);
    const es = await editor.get("/admin/resources?section=health-wellness&language=es");
    assert.match(es.html, /10 resources found/);
    assert.match(es.html, /Dormir después del trauma|dormir-despues-del-trauma/);
    assert.doesNotMatch(es.html, /href="\/admin\/resources\/sleep-after-trauma"/);
    const stale = await editor.get("/admin/resources?stale=1");
    assert.match(stale.html, new RegExp(`${total} resources found`), "nothing has been clinically reviewed yet");
    const page2 = await editor.get("/admin/resources?page=2");
    assert.match(page2.html, /2 \/ 4/);
  });

  test("the editor shows every field, the translation and a preview made by the public templates", async () => {
    const r = await editor.get(EDIT);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("cache-control"), "no-store");
    const f = formOf(r.html);
    const live = sql(srv.db, `SELECT title FROM resource WHERE slug = '${SLUG}'`);
    assert.equal(f.title, live);
    assert.equal(f.topic, "sleep");
    assert.equal(f.type, "article");
    assert.match(f.body, /^.+\n/);
    assert.ok(f.src_url_0.startsWith("https://"));
    assert.match(r.html, /<label class="usa-label" for="title">Title<\/label>/);
    assert.ok(r.html.includes(`<h1>${live}</h1>`) && /id="vrc-preview"/.test(r.html), "the preview is the public page's content");
    assert.match(r.html, /Not yet reviewed by a clinician/);
    assert.match(r.html, /href="\/admin\/resources\/dormir-despues-del-trauma" lang="es">/, "the translation beside it");
    const es = await editor.get(EDIT + "?lang=es");
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.html, /Guardar borrador/);
  });

  test("invalid input: a message next to each field, and nothing typed is lost", async () => {
    const page = await editor.get(EDIT);
    const f = formOf(page.html);
    const typed = "A long new paragraph the editor typed.\n\n[bad](javascript:alert(1))\n";
    const r = await post(editor, EDIT, { ...f, action: "save", body: typed, src_url_0: "http://insecure.example/",
      checked: "2026-02-30", title: "x".repeat(121) });
    assert.equal(r.status, 400);
    assert.match(r.html, /Some fields need attention. Nothing you typed was lost./);
    assert.match(r.html, /id="src_url_0-error">Enter a web address that starts with https:\/\/\./);
    assert.match(r.html, /id="checked-error">Enter a real date as YYYY-MM-DD, for example 2026-03-15./);
    assert.match(r.html, /id="title-error">This is too long. Please shorten it./);
    assert.match(r.html, /id="body-error">A link in the text uses an address that is not allowed/);
    const back = formOf(r.html);
    assert.equal(back.body, typed);
    assert.equal(back.src_url_0, "http://insecure.example/");
    assert.equal(back.title, "x".repeat(121));
    assert.match(r.html, /aria-invalid="true" aria-describedby="title-error"/);
    assert.equal(sql(srv.db, "SELECT count(*) FROM revision WHERE state IN ('draft','review')"), "0", "nothing saved");
  });

  test("an editor drafts and submits; a reviewer publishes; the public page shows it at once", async () => {
    const before = await (await fetch(srv.base + `/resources/${SLUG}`)).text();
    let f = formOf((await editor.get(EDIT)).html);
    const r1 = await post(editor, EDIT, { ...f, action: "save", title: "Sleep after trauma (draft)" });
    assert.equal(r1.status, 303);
    assert.equal(r1.headers.get("location"), `${EDIT}?done=saved`);
    const saved = await editor.get(r1.headers.get("location"));
    assert.match(saved.html, /Draft saved. It is not public until a reviewer publishes it./);
    assert.match(saved.html, /Draft open/);
    assert.equal(await (await fetch(srv.base + `/resources/${SLUG}`)).text(), before, "a draft is not public");
    // Submitting for review from the draft; an editor cannot publish.
    f = formOf(saved.html);
    assert.equal(f.title, "Sleep after trauma (draft)", "the editor opens on the open draft");
    const denied = await post(editor, EDIT, { ...f, action: "publish" });
    assert.equal(denied.status, 403);
    const r2 = await post(editor, EDIT, { ...f, action: "submit", title: "Sleeping after trauma" });
    assert.equal(r2.status, 303);
    assert.match((await editor.get(EDIT)).html, /In review/);
    // The reviewer sees a read-only form and publishes what was submitted.
    const rp = await reviewer.get(EDIT);
    assert.match(rp.html, /You can read this and publish what was submitted/);
    assert.match(rp.html, /<fieldset class="usa-fieldset vrc-fields" disabled>/);
    assert.match(rp.html, /id="title" name="title" type="text" value="Sleeping after trauma"/);
    const pub = await post(reviewer, EDIT, { ...formOf(rp.html), action: "publish" });
    assert.equal(pub.status, 303, pub.html.slice(0, 500));
    // The first request after the publish returns already gets the new page: it was re-rendered
    // into the cache before the answer (timing belongs to the benchmark, not here).
    const page = await (await fetch(srv.base + `/resources/${SLUG}`)).text();
    assert.match(page, /<h1>Sleeping after trauma<\/h1>/);
    assert.match(page, /Last reviewed: <time datetime="\d{4}-\d{2}-\d{2}">[^<]+<\/time> by Dr. Rita Review, PhD/);
    assert.doesNotMatch(page, /Not yet reviewed by a clinician/);
    const section = await (await fetch(srv.base + "/health-wellness")).text();
    assert.match(section, /Sleeping after trauma/, "its section is re-rendered too");
    const es = await fetch(srv.base + "/es/resources/dormir-despues-del-trauma");
    assert.equal(es.status, 200);
    const rows = auditRows(srv.db).filter((r) => r.object === `resource:${SLUG}` || r.object === SLUG || (r.object || "").includes(SLUG));
    const actions = rows.map((r) => r.action);
    for (const a of ["resource_save", "resource_submit", "publish"]) assert.ok(actions.includes(a), `audit has ${a}: ${actions}`);
    assert.equal(sql(srv.db, `SELECT state FROM revision WHERE resource_id = (SELECT id FROM resource WHERE slug = '${SLUG}') ORDER BY id DESC LIMIT 1`), "published");
    assert.equal(sql(srv.db, `SELECT title FROM revision WHERE resource_id = (SELECT id FROM resource WHERE slug = '${SLUG}') AND state = 'superseded'`), "Sleep after trauma (draft)", "the draft before is kept, superseded");
  });

  test("publishing a resource a community page lists: its page at once, the community page follows", async () => {
    const made = spawnSync(bin, ["community", "create", "--db", srv.db, "--slug", "brookfield", "--name", "Brookfield", "--lang", "en"],
      { encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const listed = sql(srv.db, "SELECT json_extract(published, '$.slugs') FROM community_block WHERE kind = 'resources' AND " +
      "community_id = (SELECT id FROM community WHERE slug = 'brookfield')").split("\n").find((s) =>
      sql(srv.db, `SELECT lang || status FROM resource WHERE slug = '${s}'`) === "enpublished");
    assert.ok(listed, "the starter community lists a published English resource");
    const edit = `/admin/resources/${listed}`;
    const community = () => fetch(srv.base + "/c/brookfield").then((r) => r.text());
    assert.match(await community(), new RegExp(`href="/resources/${listed}"`), "the community page links to it");
    const title = "Retitled while a community page lists it";
    assert.doesNotMatch(await community(), new RegExp(title));
    const pub = await post(admin, edit, { ...formOf((await admin.get(edit)).html), title, action: "publish" });
    assert.equal(pub.status, 303, pub.html?.slice(0, 500));
    assert.match(await (await fetch(srv.base + `/resources/${listed}`)).text(), new RegExp(`<h1>${title}</h1>`),
      "its own page shows the new title when the publish returns");
    let shown = false;
    for (const end = Date.now() + 10000; !shown && Date.now() < end; await sleep(20)) shown = (await community()).includes(title);
    assert.ok(shown, "the community page listing it shows the new title soon after");
  });

  test("two people editing: the second save is a conflict page, and neither text is lost", async () => {
    const a = formOf((await editor.get(EDIT)).html);
    const b = formOf((await editor2.get(EDIT)).html);
    assert.equal((await post(editor, EDIT, { ...a, action: "save", summary: "Eddie's summary." })).status, 303);
    const r = await post(editor2, EDIT, { ...b, action: "save", summary: "Edna's summary." });
    assert.equal(r.status, 409);
    assert.match(r.html, /Someone saved this resource after you opened it/);
    assert.match(r.html, /Eddie&#39;s summary.|Eddie&#x27;s summary.|Eddie's summary./);
    assert.match(r.html, /Edna&#39;s summary.|Edna&#x27;s summary.|Edna's summary./);
    assert.equal(sql(srv.db, "SELECT count(*) FROM revision WHERE state = 'conflict' AND summary = 'Edna''s summary.'"), "1");
    assert.equal(sql(srv.db, "SELECT count(*) FROM revision WHERE state = 'draft' AND summary = 'Eddie''s summary.'"), "1");
  });

  test("revisions: listed, compared side by side with the changes marked, and restored as a new draft", async () => {
    const list = await editor.get(`${EDIT}/revisions`);
    assert.equal(list.status, 200);
    const ids = [...list.html.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => m[1]);
    assert.ok(ids.length >= 4, `revisions: ${ids}`);
    const pub = sql(srv.db, `SELECT id FROM revision WHERE state = 'published' AND resource_id = (SELECT id FROM resource WHERE slug = '${SLUG}') ORDER BY id DESC LIMIT 1`);
    const draft = sql(srv.db, `SELECT id FROM revision WHERE state = 'draft' AND resource_id = (SELECT id FROM resource WHERE slug = '${SLUG}') ORDER BY id DESC LIMIT 1`);
    const cmp = await editor.get(`${EDIT}/compare?a=${pub}&b=${draft}`);
    assert.equal(cmp.status, 200);
    assert.match(cmp.html, /<tr class="vrc-row vrc-changed"><th scope="row">Summary <span class="usa-tag">changed<\/span>/);
    assert.doesNotMatch(cmp.html, /<tr class="vrc-row vrc-changed"><th scope="row">Title/);
    assert.equal((await editor.get(`${EDIT}/compare?a=1&b=999999`)).status, 400);
    const live = await editor.get(`${EDIT}/compare?a=live&b=${draft}`);
    assert.equal(live.status, 200);
    // Restore the first published text: a new draft, audited.
    const page = await editor.get(`${EDIT}/revisions`);
    const r = await editor.post(`${EDIT}/restore`, { csrf: csrfOf(page.html), revision: pub });
    assert.equal(r.status, 303);
    assert.equal(sql(srv.db, `SELECT note FROM revision ORDER BY id DESC LIMIT 1`), `restored from revision ${pub}`);
    assert.ok(auditRows(srv.db).some((x) => x.action === "resource_restore"));
    // Changing bodies show line by line.
    const f = formOf((await editor.get(EDIT)).html);
    await post(editor, EDIT, { ...f, action: "save", body: f.body.replace(/\n/, "\nA new line in the middle.\n") });
    const last = sql(srv.db, `SELECT id FROM revision ORDER BY id DESC LIMIT 1`);
    const diff = await editor.get(`${EDIT}/compare?a=live&b=${last}`);
    assert.match(diff.html, /<ins class="vrc-diff__add"><span class="usa-sr-only">Added: <\/span>\+ A new line in the middle.<\/ins>/);
  });

  test("a reviewer schedules the draft; the server publishes it then, without a restart", async () => {
    let f = formOf((await editor.get(EDIT)).html);
    assert.equal((await post(editor, EDIT, { ...f, action: "submit", title: "Sleep, scheduled" })).status, 303);
    const rp = await reviewer.get(EDIT);
    const bad = await post(reviewer, EDIT, { ...formOf(rp.html), action: "schedule", publish_at: "tomorrow" });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /id="publish_at-error">Enter a date and time/);
    const soon = new Date(Date.now() + 1000);
    const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    const r = await post(reviewer, EDIT, { ...formOf(rp.html), action: "schedule", publish_at: local });
    assert.equal(r.status, 303);
    let html = "";
    for (let i = 0; i < 100 && !/<h1>Sleep, scheduled<\/h1>/.test(html); i++) {
      await sleep(200);
      html = await (await fetch(srv.base + `/resources/${SLUG}`)).text();
    }
    assert.match(html, /<h1>Sleep, scheduled<\/h1>/, "published by the scheduler");
    assert.match(html, /by Dr. Rita Review, PhD/, "named after the reviewer who scheduled it");
  });

  test("archiving takes a page off the site (410) and back", async () => {
    const f = formOf((await reviewer.get(EDIT)).html);
    assert.equal((await post(editor, EDIT, { ...f, action: "archive" })).status, 403);
    assert.equal((await post(reviewer, EDIT, { ...f, action: "archive" })).status, 303);
    assert.equal((await fetch(srv.base + `/resources/${SLUG}`)).status, 410);
    assert.doesNotMatch(await (await fetch(srv.base + "/health-wellness")).text(), new RegExp(`/resources/${SLUG}"`));
    assert.equal((await post(reviewer, EDIT, { ...f, action: "unarchive" })).status, 303);
    assert.equal((await fetch(srv.base + `/resources/${SLUG}`)).status, 200);
  });

  test("a new resource starts as a draft, and bad input keeps what was typed", async () => {
    const form = (await editor.get("/admin/resources/new")).html;
    const fields = { csrf: csrfOf(form), language: "en", slug: "Bad Slug", title: "Help with transport", topic: "sleep",
      type: "article", stage: "any", translation: "" };
    const bad = await editor.post("/admin/resources/new", fields);
    assert.equal(bad.status, 400);
    assert.match(bad.html, /id="slug-error">Use only lower-case letters, digits and single hyphens \(not &(quot|#34);new&(quot|#34);\)\./);
    assert.match(bad.html, /value="Help with transport"/);
    const reserved = await editor.post("/admin/resources/new", { ...fields, slug: "new" });
    assert.equal(reserved.status, 400, "'new' would be shadowed by the new-resource page");
    const taken = await editor.post("/admin/resources/new", { ...fields, slug: SLUG });
    assert.match(taken.html, /That short name is already in use/);
    const ok = await editor.post("/admin/resources/new", { ...fields, slug: "help-with-transport" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/admin/resources/help-with-transport?done=created");
    assert.equal((await fetch(srv.base + "/resources/help-with-transport")).status, 404, "a draft is not public");
    // Submitting needs what a published resource needs.
    const f = formOf((await editor.get("/admin/resources/help-with-transport")).html);
    const r = await post(editor, "/admin/resources/help-with-transport", { ...f, action: "submit" });
    assert.equal(r.status, 400);
    assert.match(r.html, /id="summary-error">This is required./);
    assert.match(r.html, /Add at least one source./);
    // The admin (who may edit and publish) publishes it complete; it appears in its section.
    const g = formOf((await admin.get("/admin/resources/help-with-transport")).html);
    const p = await post(admin, "/admin/resources/help-with-transport", { ...g, action: "publish", summary: "Rides to appointments.",
      body: "Ask your advocate about rides.\n", src_title_0: "OVC", src_url_0: "https://ovc.ojp.gov/" });
    assert.equal(p.status, 303, p.html.slice(0, 300));
    const pub = await fetch(srv.base + "/resources/help-with-transport");
    assert.equal(pub.status, 200);
    assert.match(await pub.text(), /by Ada Admin/);
  });

  test("forged and cross-site posts are refused", async () => {
    const f = formOf((await editor.get(EDIT)).html);
    const noToken = await post(editor, EDIT, { ...f, csrf: "", action: "save" });
    assert.equal(noToken.status, 403);
    const cross = await editor.request("POST", EDIT, { form: body({ ...f, action: "save" }),
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    assert.equal(cross.status, 403);
    const comm = await post(community, EDIT, { ...f, action: "save" });
    assert.equal(comm.status, 403, "a community editor cannot touch the library");
  });

  test("the live preview endpoint renders the typed text with the public templates, escaped", async () => {
    const f = formOf((await editor.get(EDIT)).html);
    const r = await post(editor, `${EDIT}/preview`, { ...f, title: "<script>alert(1)</script>", body: "## Heading\n\n<b>raw</b> text\n" });
    assert.equal(r.status, 200);
    assert.match(r.html, /<h1>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/);
    assert.match(r.html, /<h2>Heading<\/h2>/);
    assert.doesNotMatch(r.html, /<b>raw<\/b>/);
  });
});
