// The console's hotlines, topics, audit viewer, settings and dashboard, black-box: the real binary, accounts
// made with `vrc user`, clients that keep their cookie like a browser. Each page and action in English and
// Spanish, errors next to the field with what was typed kept, the role matrix, CSRF refusal, audit rows
// with before and after, the public pages showing a save at once, and `vrc init` keeping the console's
// edit afterwards.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bin, startServer } from "../lib/server.mjs";
import { Client, addUser, auditRows, csrfOf, enrol } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const root = resolve(new URL("../..", import.meta.url).pathname);
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const day = (offsetDays = 0) => new Date(Date.now() + offsetDays * 864e5).toISOString().slice(0, 10);

async function stop(srv) {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
}

function unescape(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// The fields an edit form would send as it stands: text inputs, hidden inputs, checked boxes, textareas
// and selected options (the first option when none is selected), like a browser.
export function formFields(html) {
  const m = /<form class="usa-form usa-form--large vrc-edit-form"[\s\S]*?<\/form>/.exec(html);
  assert.ok(m, "the page has an edit form");
  const form = m[0];
  const out = {};
  for (const [tag] of form.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (!name) continue;
    const type = /type="([^"]*)"/.exec(tag)?.[1] ?? "text";
    if (type === "checkbox" && !/ checked[ >]/.test(tag)) continue;
    out[name] = unescape(/value="([^"]*)"/.exec(tag)?.[1] ?? "");
  }
  for (const [, name, value] of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[name] = unescape(value);
  for (const [, name, body] of form.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const sel = /<option value="([^"]*)" selected>/.exec(body) ?? /<option value="([^"]*)"/.exec(body);
    out[name] = unescape(sel[1]);
  }
  return out;
}

// Sign in; admins and reviewers enrol their second factor on the way.
async function signedIn(base, email, role) {
  const c = new Client(base);
  const r = await c.signIn(email, PW);
  assert.equal(r.status, 303, `sign-in ${email}`);
  if (role === "admin" || role === "reviewer") await enrol(c);
  assert.equal((await c.get("/admin/")).status, 200, `${email} reaches the dashboard`);
  return c;
}

// POST the edit form at path after applying changes to its fields; returns the response.
async function saveForm(c, path, changes = {}) {
  const page = await c.get(path);
  assert.equal(page.status, 200, path);
  const fields = { ...formFields(page.html), ...changes };
  for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
  const action = /<form class="usa-form usa-form--large vrc-edit-form" method="post" action="([^"]*)"/.exec(page.html)[1];
  return c.post(unescape(action), fields);
}

function errorOf(html, id) {
  const m = new RegExp(`<span class="usa-error-message" id="${id}-error"[^>]*>([^<]*)</span>`).exec(html);
  return m ? unescape(m[1]) : null;
}

function valueOf(html, id) {
  const m = new RegExp(`id="${id}" name="${id}"[^>]*value="([^"]*)"`).exec(html);
  return m ? unescape(m[1]) : null;
}

describe("console: hotlines, topics, audit, settings, dashboard", () => {
  let srv, admin, editor, reviewer, community;
  before(async () => {
    srv = await startServer();
    addUser(srv.db, "admin@example.org", "admin", PW, ["--name", "Ada Admin"]);
    addUser(srv.db, "editor@example.org", "editor", PW, ["--name", "Eddie Editor"]);
    addUser(srv.db, "reviewer@example.org", "reviewer", PW, ["--name", "Dr. Rev, PhD"]);
    addUser(srv.db, "ce@example.org", "community_editor", PW, ["--community", "test-town"]);
    admin = await signedIn(srv.base, "admin@example.org", "admin");
    editor = await signedIn(srv.base, "editor@example.org", "editor");
    reviewer = await signedIn(srv.base, "reviewer@example.org", "reviewer");
    community = await signedIn(srv.base, "ce@example.org", "community_editor");
  });
  after(() => stop(srv));

  test("role matrix: who may open and post each route", async () => {
    const editorial = { admin: 200, editor: 200, reviewer: 403, community: 403 };
    const adminOnly = { admin: 200, editor: 403, reviewer: 403, community: 403 };
    const gets = [
      ["/admin/hotlines", editorial], ["/admin/hotlines/new", editorial], ["/admin/hotlines/988", editorial],
      ["/admin/topics", editorial], ["/admin/topics/new", editorial], ["/admin/topics/trauma-reactions", editorial],
      ["/admin/audit", adminOnly], ["/admin/settings", adminOnly],
    ];
    const clients = { admin, editor, reviewer, community };
    for (const [path, expect] of gets) {
      for (const [who, c] of Object.entries(clients)) {
        for (const q of ["", "?lang=es"]) {
          const r = await c.get(path + q);
          assert.equal(r.status, expect[who], `${who} GET ${path}${q}`);
          assert.equal(r.headers.get("cache-control"), "no-store");
          assert.match(r.html, q ? /<html lang="es">/ : /<html lang="en">/);
          if (r.status === 403) assert.match(r.html, q ? /La función de su cuenta no permite/ : /role does not allow this/);
        }
      }
      const anon = await new Client(srv.base).get(path);
      assert.equal(anon.status, 303, `anonymous GET ${path}`);
      assert.equal(anon.headers.get("location"), "/admin/login");
    }
    // POSTs with a valid CSRF token from the dashboard: refused by role before anything is read.
    const posts = [
      ["/admin/hotlines/new", editorial], ["/admin/hotlines/988", editorial], ["/admin/hotlines/988/retire", editorial],
      ["/admin/hotlines/988/restore", editorial], ["/admin/topics/new", editorial],
      ["/admin/topics/trauma-reactions", editorial], ["/admin/settings", adminOnly],
    ];
    const auditBefore = auditRows(srv.db).length;
    for (const [path, expect] of posts) {
      for (const who of ["reviewer", "community"]) {
        if (expect[who] !== 403) continue;
        const r = await clients[who].postForm(path, { name_en: "x", review_months: "3" }, { from: "/admin/" });
        assert.equal(r.status, 403, `${who} POST ${path}`);
      }
      if (expect.editor === 403) {
        const r = await editor.postForm(path, { review_months: "3" }, { from: "/admin/" });
        assert.equal(r.status, 403, `editor POST ${path}`);
      }
      const anon = await new Client(srv.base).post(path, { name_en: "x" });
      assert.equal(anon.status, 403, `anonymous POST ${path}`);
    }
    assert.equal(auditRows(srv.db).length, auditBefore, "refused posts change nothing and audit nothing");
    assert.equal(sql(srv.db, "SELECT value FROM setting WHERE key = 'review_months'"), "12");
    assert.equal(sql(srv.db, "SELECT count(*) FROM hotline WHERE console_edited = 1"), "0");
  });

  test("the admin nav: each role sees its sections, usable without script", async () => {
    const nav = (html) => /<nav class="vrc-nav"[\s\S]*?<\/nav>/.exec(html)[0];
    const a = nav((await admin.get("/admin/")).html);
    for (const label of ["Dashboard", "Resources", "Hotlines", "Topics", "Uploads", "Audit log", "Settings", "Staff accounts", "Change your password"])
      assert.ok(a.includes(`>${label}</a>`), `admin nav has ${label}`);
    assert.match(a, /href="\/admin\/resources"/);
    assert.match(a, /href="\/admin\/uploads"/);
    const e = nav((await editor.get("/admin/?lang=es")).html);
    assert.match(e, /href="\/admin\/hotlines\?lang=es">Líneas de ayuda</);
    assert.match(e, /href="\/admin\/topics\?lang=es">Temas</);
    assert.doesNotMatch(e, /\/admin\/audit|\/admin\/settings|\/admin\/users/);
    const r = nav((await reviewer.get("/admin/")).html);
    assert.match(r, /href="\/admin\/resources"/);
    assert.doesNotMatch(r, /\/admin\/hotlines|\/admin\/audit/);
    const c = nav((await community.get("/admin/")).html);
    assert.doesNotMatch(c, /\/admin\/resources|\/admin\/hotlines|\/admin\/topics|\/admin\/audit/);
    assert.doesNotMatch((await admin.get("/admin/")).html, /<script|style=/);
  });

  test("the hotline list: kinds of contact, verified date, due for re-verification, in both languages", async () => {
    const en = await editor.get("/admin/hotlines");
    assert.equal(en.status, 200);
    assert.match(en.html, /<a href="\/admin\/hotlines\/988">988 Suicide &amp; Crisis Lifeline<\/a>/);
    assert.match(en.html, /<td data-label="How to reach">Call, Text, Chat online<\/td>/);
    assert.match(en.html, /<time datetime="\d{4}-\d\d-\d\d">/);
    assert.match(en.html, /In service/);
    const es = await editor.get("/admin/hotlines?lang=es");
    assert.match(es.html, /<a href="\/admin\/hotlines\/988\?lang=es">988 Línea de Prevención del Suicidio y Crisis<\/a>/);
    assert.match(es.html, /<td data-label="Cómo comunicarse">Llame, /);
    assert.match(es.html, /En servicio/);
  });

  test("a hotline edit: the public pages show it at once, console_edited is set, the audit has before and after", async () => {
    const r = await saveForm(editor, "/admin/hotlines/988", {
      name_en: "988 Lifeline (edited)", name_es: "988 Línea (editada)", hours_en: "Around the clock", hours_es: "Todo el día",
    });
    assert.equal(r.status, 303, r.html.slice(0, 2000));
    assert.equal(r.headers.get("location"), "/admin/hotlines?saved=988");
    // The public pages, fetched right after the POST returned: no wait, no restart.
    const home = await fetch(srv.base + "/");
    const html = await home.text();
    assert.match(html, /988 Lifeline \(edited\)/);
    assert.match(html, /Around the clock/);
    assert.match(await (await fetch(srv.base + "/es/")).text(), /988 Línea \(editada\)/);
    assert.match(await (await fetch(srv.base + "/grief-trauma")).text(), /988 Lifeline \(edited\)/);
    assert.equal(sql(srv.db, "SELECT console_edited FROM hotline WHERE slug = '988'"), "1");
    const row = auditRows(srv.db).filter((e) => e.action === "hotline_edit").at(-1);
    assert.equal(row.actor, "editor@example.org");
    assert.equal(row.object, "hotline:988");
    const beforeJ = JSON.parse(row.before), afterJ = JSON.parse(row.after);
    assert.equal(beforeJ.name.en, "988 Suicide & Crisis Lifeline");
    assert.equal(afterJ.name.en, "988 Lifeline (edited)");
    assert.equal(afterJ.hours.es, "Todo el día");
    assert.deepEqual(afterJ.contacts, beforeJ.contacts, "contacts kept as they were");
    const list = await editor.get("/admin/hotlines?saved=988");
    assert.match(list.html, /988 Lifeline \(edited\): saved\. Every public page shows the change now\./);
    assert.match(list.html, /edited in the console/);
    // Saving the same form again changes nothing and writes no audit entry.
    const n = auditRows(srv.db).length;
    const same = await saveForm(editor, "/admin/hotlines/988");
    assert.equal(same.headers.get("location"), "/admin/hotlines?unchanged=988");
    assert.equal(auditRows(srv.db).length, n);
  });

  test("hotline contacts are rows: add, change the language of one, remove one", async () => {
    const page = await editor.get("/admin/hotlines/disaster-distress-helpline");
    const f = formFields(page.html);
    assert.equal(f.kind_0, "call");
    assert.equal(f.value_2, "1-800-985-5990");
    assert.equal(f.kind_2, "videophone");
    assert.equal(f.value_3, "", "an empty row to add a contact");
    const r = await saveForm(editor, "/admin/hotlines/disaster-distress-helpline", {
      value_1: "", // remove the text row
      kind_3: "text", value_3: "1-800-985-5990 HABLANOS", clang_3: "es",
    });
    assert.equal(r.status, 303);
    const rows = sql(srv.db, "SELECT c.position, c.kind, c.value, coalesce(c.lang, '-') FROM hotline_contact c JOIN hotline h ON h.id = c.hotline_id WHERE h.slug = 'disaster-distress-helpline' ORDER BY c.position");
    assert.equal(rows, "0|call|1-800-985-5990|-\n1|videophone|1-800-985-5990|-\n2|text|1-800-985-5990 HABLANOS|es");
    const es = await (await fetch(srv.base + "/es/")).text();
    assert.match(es, /sms:18009855990\?&amp;body=HABLANOS/);
    const en = await (await fetch(srv.base + "/")).text();
    assert.doesNotMatch(en, /HABLANOS/, "a Spanish-only contact stays off English pages");
  });

  test("hotline validation: a message next to each field, in the form's language, nothing typed lost", async () => {
    const typed = {
      name_en: "Helpline typed", name_es: "", hours_en: "9 to 5", hours_es: "",
      kind_0: "chat", value_0: "http://not-secure.example/chat", kind_1: "", value_1: "555-0100",
      kind_2: "call", value_2: "call us", clang_2: "es",
      verified: "2026-02-30", source: "ftp://example.org/x",
      language_en: null, language_es: null,
    };
    for (const [lang, msgs] of [["", {
      name_es: "This is required.", contact_0: "A chat needs a web address that starts with https://.",
      contact_1: "Choose how people reach the line with this row.", verified: "Enter a real date as YYYY-MM-DD, for example 2026-03-15.",
      source: "Enter a web address that starts with https://.", languages: "Choose at least one language.",
    }], ["?lang=es", {
      name_es: "Este dato es obligatorio.", contact_0: "Un chat necesita una dirección web que empiece con https://.",
      verified: "Escriba una fecha real como AAAA-MM-DD, por ejemplo 2026-03-15.", languages: "Elija al menos un idioma.",
    }]]) {
      const r = await saveForm(editor, "/admin/hotlines/211" + lang, typed);
      assert.equal(r.status, 400);
      assert.match(r.html, lang ? /<html lang="es">/ : /<html lang="en">/);
      assert.match(r.html, lang ? /Corrija los campos marcados abajo/ : /Please fix the fields marked below/);
      for (const [id, msg] of Object.entries(msgs)) assert.equal(errorOf(r.html, id), msg, `${lang} ${id}`);
      assert.ok(errorOf(r.html, "contact_2"), "a call needs a number");
      // What was typed is all there.
      assert.equal(valueOf(r.html, "name_en"), "Helpline typed");
      assert.equal(valueOf(r.html, "hours_en"), "9 to 5");
      assert.equal(valueOf(r.html, "verified"), "2026-02-30");
      assert.equal(valueOf(r.html, "source"), "ftp://example.org/x");
      const f = formFields(r.html);
      assert.equal(f.value_0, "http://not-secure.example/chat");
      assert.equal(f.kind_0, "chat");
      assert.equal(f.value_1, "555-0100");
      assert.equal(f.value_2, "call us");
      assert.equal(f.clang_2, "es");
      assert.match(r.html, /id="name_es" name="name_es" lang="es" type="text" value="" aria-invalid="true" aria-describedby="name_es-missing name_es-error"/);
      // The missing translation is flagged next to the empty field.
      assert.match(r.html, /<span class="vrc-missing" id="hours_es-missing">/);
    }
    const future = await saveForm(editor, "/admin/hotlines/211", { verified: day(2) });
    assert.equal(future.status, 400);
    assert.equal(errorOf(future.html, "verified"), "The date cannot be in the future.");
    const none = await saveForm(editor, "/admin/hotlines/211", { value_0: "" });
    assert.equal(none.status, 400);
    assert.equal(errorOf(none.html, "contacts"), "Add at least one way to reach the line.");
    assert.equal(sql(srv.db, "SELECT console_edited FROM hotline WHERE slug = '211'"), "0", "nothing refused was saved");
    assert.match(srv.log, /console: hotline 211 refused/);
  });

  test("a new hotline, then retired and restored; a line that resources name cannot be retired", async () => {
    const form = await editor.get("/admin/hotlines/new?lang=es");
    assert.equal(form.status, 200);
    assert.match(form.html, /<h1>Nueva línea de ayuda<\/h1>/);
    const taken = await saveForm(editor, "/admin/hotlines/new", { slug: "988", name_en: "x", name_es: "y", kind_0: "call", value_0: "1", verified: day(), source: "https://example.org/" });
    assert.equal(taken.status, 400);
    assert.equal(errorOf(taken.html, "slug"), "That short name is already in use. Choose another.");
    assert.equal(valueOf(taken.html, "slug"), "988");
    const bad = await saveForm(editor, "/admin/hotlines/new", { slug: "New Line!" });
    assert.equal(errorOf(bad.html, "slug"), 'Use only lower-case letters, digits and single hyphens (not "new").');
    const r = await saveForm(editor, "/admin/hotlines/new", {
      slug: "test-town-line", name_en: "Test Town Support Line", name_es: "Línea de apoyo de Test Town",
      for_en: "People in Test Town", hours_en: "8 am to 8 pm", hours_es: "De 8 a 20 h",
      kind_0: "call", value_0: "1-555-010-0199", verified: day(), source: "https://example.org/test-town",
    });
    assert.equal(r.status, 303, r.html.slice(0, 3000));
    assert.equal(r.headers.get("location"), "/admin/hotlines?saved=test-town-line");
    assert.match(await (await fetch(srv.base + "/")).text(), /Test Town Support Line/);
    assert.match(await (await fetch(srv.base + "/es/")).text(), /Línea de apoyo de Test Town/);
    const created = auditRows(srv.db).filter((e) => e.action === "hotline_create").at(-1);
    assert.equal(created.object, "hotline:test-town-line");
    assert.equal(created.before, "-", "nothing before a new line");
    assert.equal(JSON.parse(created.after).contacts[0].value, "1-555-010-0199");
    // The form flags the missing Spanish "for whom".
    const edit = await editor.get("/admin/hotlines/test-town-line");
    assert.match(edit.html, /<span class="vrc-missing" id="for_es-missing">Translation missing: the other language has text here\.<\/span>/);

    // Retire: gone from every public page at once; audited; then restored.
    const ret = await editor.postForm("/admin/hotlines/test-town-line/retire", {}, { from: "/admin/hotlines/test-town-line" });
    assert.equal(ret.status, 303);
    assert.doesNotMatch(await (await fetch(srv.base + "/")).text(), /Test Town Support Line/);
    assert.equal(sql(srv.db, "SELECT retired || console_edited FROM hotline WHERE slug = 'test-town-line'"), "11");
    const retRow = auditRows(srv.db).filter((e) => e.action === "hotline_retire").at(-1);
    assert.equal(JSON.parse(retRow.before).retired, false);
    assert.equal(JSON.parse(retRow.after).retired, true);
    const list = await editor.get("/admin/hotlines?retired=test-town-line");
    assert.match(list.html, /Test Town Support Line: retired\./);
    const back = await editor.postForm("/admin/hotlines/test-town-line/restore", {}, { from: "/admin/hotlines/test-town-line" });
    assert.equal(back.status, 303);
    assert.match(await (await fetch(srv.base + "/")).text(), /Test Town Support Line/);

    // VictimConnect is named by resources: refused, with the resources listed.
    for (const lang of ["", "?lang=es"]) {
      const no = await editor.postForm("/admin/hotlines/victimconnect/retire" + lang, {}, { from: "/admin/hotlines/victimconnect" });
      assert.equal(no.status, 409);
      assert.match(no.html, lang ? /no se puede retirar mientras haya recursos/ : /cannot be retired while resources name it/);
      assert.match(no.html, /<li>Finding a victim advocate and local help \(finding-a-victim-advocate-and-local-help\)<\/li>/);
    }
    assert.equal(sql(srv.db, "SELECT retired FROM hotline WHERE slug = 'victimconnect'"), "0");
    assert.equal((await editor.postForm("/admin/hotlines/no-such-line", {}, { from: "/admin/" })).status, 404);
    assert.equal((await editor.get("/admin/hotlines/no-such-line")).status, 404);
  });

  test("CSRF: a post without the session's token, or from another site, is refused and changes nothing", async () => {
    const fields = formFields((await editor.get("/admin/hotlines/poison-help")).html);
    const none = await editor.post("/admin/hotlines/poison-help", { ...fields, csrf: "", name_en: "Hijacked" });
    assert.equal(none.status, 403);
    const wrong = await editor.post("/admin/hotlines/poison-help", { ...fields, csrf: "A".repeat(43), name_en: "Hijacked" });
    assert.equal(wrong.status, 403);
    assert.match(wrong.html, /This form has expired or did not come from this site/);
    const other = await reviewer.get("/admin/");
    const stolen = await editor.post("/admin/hotlines/poison-help", { ...fields, csrf: csrfOf(other.html), name_en: "Hijacked" });
    assert.equal(stolen.status, 403, "another session's token does not work");
    const cross = await editor.post("/admin/hotlines/poison-help", { ...fields, name_en: "Hijacked" },
      { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    assert.equal(cross.status, 403);
    const settings = await admin.post("/admin/settings", { csrf: "", review_months: "1", hotline_verify_months: "1" });
    assert.equal(settings.status, 403);
    assert.doesNotMatch(await (await fetch(srv.base + "/")).text(), /Hijacked/);
    assert.equal(sql(srv.db, "SELECT value FROM setting WHERE key = 'review_months'"), "12");
  });

  test("topics: per section in order, edited in both languages, validation, a new topic", async () => {
    const list = await editor.get("/admin/topics");
    assert.equal(list.status, 200);
    const order = [...list.html.matchAll(/<h2 id="sec-([a-z-]+)">/g)].map((m) => m[1]);
    assert.deepEqual(order, ["victim-social-services", "social-connection", "health-wellness", "grief-trauma"]);
    assert.match(list.html, /<a href="\/admin\/topics\/trauma-reactions">Trauma reactions<\/a>/);
    const es = await editor.get("/admin/topics?lang=es");
    assert.match(es.html, /Reacciones al trauma/);

    const bad = await saveForm(editor, "/admin/topics/trauma-reactions?lang=es", { title_es: "", position: "primero", summary_en: "Typed summary" });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad.html, "title_es"), "Este dato es obligatorio.");
    assert.equal(errorOf(bad.html, "position"), "Escriba un número entero de 0 a 999.");
    assert.equal(valueOf(bad.html, "position"), "primero");
    assert.match(bad.html, /<textarea [^>]*id="summary_en"[^>]*>Typed summary<\/textarea>/);
    assert.match(bad.html, /<span class="vrc-missing" id="title_es-missing">Falta la traducción/);

    const r = await saveForm(editor, "/admin/topics/trauma-reactions", { title_en: "Trauma reactions (edited)", title_es: "Reacciones al trauma (editado)" });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/admin/topics?saved=trauma-reactions");
    assert.match(await (await fetch(srv.base + "/grief-trauma")).text(), /Trauma reactions \(edited\)/);
    assert.match(await (await fetch(srv.base + "/es/grief-trauma")).text(), /Reacciones al trauma \(editado\)/);
    assert.equal(sql(srv.db, "SELECT console_edited FROM topic WHERE slug = 'trauma-reactions'"), "1");
    const row = auditRows(srv.db).filter((e) => e.action === "topic_edit").at(-1);
    assert.equal(row.object, "topic:trauma-reactions");
    assert.equal(JSON.parse(row.before).title.en, "Trauma reactions");
    assert.equal(JSON.parse(row.after).title.en, "Trauma reactions (edited)");

    const form = await editor.get("/admin/topics/new?section=social-connection");
    assert.match(form.html, /<option value="social-connection" selected>/);
    const noSection = await saveForm(editor, "/admin/topics/new", { slug: "peer-support", section: "nowhere", title_en: "Peer support", title_es: "Apoyo entre pares", position: "9" });
    assert.equal(errorOf(noSection.html, "section"), "Choose a section.");
    const made = await saveForm(editor, "/admin/topics/new", { slug: "peer-support", section: "social-connection", title_en: "Peer support", title_es: "Apoyo entre pares", summary_en: "Others who have been there.", position: "9" });
    assert.equal(made.status, 303, made.html.slice(0, 2000));
    assert.equal(sql(srv.db, "SELECT section || ':' || position || ':' || console_edited FROM topic WHERE slug = 'peer-support'"), "social-connection:9:1");
    const created = auditRows(srv.db).filter((e) => e.action === "topic_create").at(-1);
    assert.equal(JSON.parse(created.after).title.es, "Apoyo entre pares");
    const again = await saveForm(editor, "/admin/topics/new", { slug: "peer-support", section: "social-connection", title_en: "a", title_es: "b", position: "1" });
    assert.equal(errorOf(again.html, "slug"), "That short name is already in use. Choose another.");
    assert.match((await editor.get("/admin/topics")).html, /Peer support<\/a> <span class="usa-tag vrc-tag--missing">Translation incomplete/);
  });

  test("settings: admins change the review intervals, validated and audited; the hotline list follows", async () => {
    const page = await admin.get("/admin/settings?lang=es");
    assert.equal(page.status, 200);
    assert.match(page.html, /Meses entre revisiones clínicas/);
    assert.equal(valueOf(page.html, "review_months"), "12");
    assert.equal(valueOf(page.html, "hotline_verify_months"), "6");
    const bad = await admin.postForm("/admin/settings?lang=es", { review_months: "0", hotline_verify_months: "seis" }, { from: "/admin/settings" });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad.html, "review_months"), "Escriba un número entero de meses de 1 a 120.");
    assert.equal(valueOf(bad.html, "hotline_verify_months"), "seis");
    // Poison Help verified long ago: due once the interval is 1 month.
    const old = await saveForm(editor, "/admin/hotlines/poison-help", { verified: "2020-01-15" });
    assert.equal(old.status, 303);
    const ok = await admin.postForm("/admin/settings", { review_months: "24", hotline_verify_months: "1" }, { from: "/admin/settings" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/admin/settings?saved=1");
    assert.match((await admin.get("/admin/settings?saved=1")).html, /Settings saved\./);
    assert.equal(sql(srv.db, "SELECT group_concat(key || '=' || value) FROM (SELECT * FROM setting ORDER BY key)"), "hotline_verify_months=1,review_months=24");
    const row = auditRows(srv.db).filter((e) => e.action === "settings_change").at(-1);
    assert.deepEqual(JSON.parse(row.before), { review_months: "12", hotline_verify_months: "6" });
    assert.deepEqual(JSON.parse(row.after), { review_months: "24", hotline_verify_months: "1" });
    const list = await editor.get("/admin/hotlines");
    assert.match(list.html, /<time datetime="2020-01-15">2020-01-15<\/time> <strong class="usa-tag vrc-tag--due">Due for re-verification<\/strong>/);
    assert.match(list.html, /in 1 months/);
  });

  test("the dashboard: in review, due for review (never clinically reviewed), hotlines due, recent changes", async () => {
    const rid = sql(srv.db, "SELECT id FROM resource WHERE slug = 'sleep-after-trauma'");
    sql(srv.db, `INSERT INTO revision(resource_id, author, title, summary, body, state) VALUES (${rid}, 'Eddie Editor', 'Sleep after trauma (new draft)', 's', 'b', 'review')`);
    sql(srv.db, "UPDATE resource SET reviewed_at = '2019-05-01T10:00:00Z', reviewer = 'Dr. Old' WHERE slug = 'calming-stress-after-violence'");
    sql(srv.db, `UPDATE resource SET reviewed_at = '${day(-10)}T10:00:00Z' WHERE slug = 'grief-and-prolonged-grief'`);
    const d = await admin.get("/admin/");
    assert.equal(d.status, 200);
    assert.match(d.html, /<h2 id="in-review">In review \(1\)<\/h2>/);
    assert.match(d.html, /<a href="\/admin\/resources\/sleep-after-trauma">Sleep after trauma \(new draft\)<\/a> <span class="vrc-note">\(English\) submitted by Eddie Editor/);
    assert.match(d.html, /<a href="\/admin\/resources\/how-to-support-a-survivor">[^<]*<\/a> <span class="vrc-note">\(English\)<\/span> — <strong>never clinically reviewed<\/strong>/);
    assert.match(d.html, /calming-stress-after-violence">[^<]*<\/a> <span class="vrc-note">\(English\)<\/span> — last reviewed <time datetime="2019-05-01T10:00:00Z">/);
    assert.doesNotMatch(d.html, /resources\/grief-and-prolonged-grief"/, "a recent review is not due");
    assert.match(d.html, /approved in the last 24 months/);
    assert.match(d.html, /<a href="\/admin\/hotlines\/poison-help">Poison Help[^<]*<\/a> — Verified <time datetime="2020-01-15">/);
    // Recent changes: an admin sees everyone's, with before and after in a <details>.
    assert.match(d.html, /<h2 id="recent">Recent changes<\/h2>/);
    assert.match(d.html, /<strong>editor@example\.org<\/strong> · <code>hotline_edit<\/code> · hotline: poison-help/);
    assert.match(d.html, /<details class="vrc-audit__changes">\s*<summary>Before and after<\/summary>/);
    assert.ok((d.html.match(/class="vrc-audit__entry"/g) || []).length <= 20);
    const es = await admin.get("/admin/?lang=es");
    assert.match(es.html, /nunca revisado clínicamente/);
    assert.match(es.html, /En revisión \(1\)/);
    // An editor sees only their own changes; a reviewer sees resources but not hotlines; a community editor neither.
    const e = await editor.get("/admin/");
    assert.match(e.html, /Your recent changes/);
    assert.doesNotMatch(e.html, /<strong>admin@example\.org<\/strong> · <code>settings_change/);
    assert.match(e.html, /<code>hotline_edit<\/code>/);
    const r = await reviewer.get("/admin/");
    assert.match(r.html, /In review \(1\)/);
    assert.doesNotMatch(r.html, /hotlines-due/);
    const c = await community.get("/admin/");
    assert.doesNotMatch(c.html, /in-review|hotlines-due/);
    assert.match(c.html, /<strong>ce@example\.org<\/strong> · <code>signin<\/code>/);
    assert.doesNotMatch(c.html, /<strong>(admin|editor)@example\.org<\/strong>/);
  });

  test("the audit viewer: newest first, filters, paging, before/after readable, errors next to the field", async () => {
    // 60 more entries so the log runs over a page.
    const values = Array.from({ length: 60 }, (_, i) => `('2025-0${1 + (i % 3)}-1${i % 10}T08:00:00Z', 'bulk@example.org', 'bulk_test', 'thing', 't${i}', '127.0.0.1')`).join(",");
    sql(srv.db, `INSERT INTO audit(at, actor_email, action, object_type, object_id, remote) VALUES ${values}`);
    const all = await admin.get("/admin/audit");
    assert.equal(all.status, 200);
    const entries = (html) => (html.match(/class="vrc-audit__entry"/g) || []).length;
    assert.equal(entries(all.html), 50);
    const times = [...all.html.matchAll(/<li class="vrc-audit__entry">\s*<p class="vrc-audit__head"><time datetime="([^"]+)">/g)].map((m) => m[1]);
    assert.ok(times.length === 50);
    assert.match(all.html, /<a href="\?email=&amp;action=&amp;type=&amp;from=&amp;to=&amp;page=2&amp;lang=en" rel="next">Older entries<\/a>/);
    assert.doesNotMatch(all.html, /rel="prev"/);
    const total = Number(sql(srv.db, "SELECT count(*) FROM audit"));
    const p2 = await admin.get("/admin/audit?page=2");
    assert.equal(entries(p2.html), Math.min(50, total - 50));
    assert.match(p2.html, /rel="prev">Newer entries/);
    // The newest entry is first: the last one written.
    const newest = sql(srv.db, "SELECT action FROM audit ORDER BY id DESC LIMIT 1");
    assert.match(all.html, new RegExp(`<li class="vrc-audit__entry">\\s*<p class="vrc-audit__head"><time[^>]*>[^<]*</time> · <strong>[^<]*</strong> · <code>${newest}</code>`));

    // Filters: by who, action, object type and dates; the form keeps them; paging keeps them.
    const byEmail = await admin.get("/admin/audit?email=Editor@Example.org");
    assert.ok(entries(byEmail.html) > 0);
    assert.doesNotMatch(byEmail.html, /<strong>admin@example\.org<\/strong> ·/);
    assert.equal(valueOf(byEmail.html, "email"), "Editor@Example.org");
    const byAction = await admin.get("/admin/audit?action=bulk_test&from=2025-02-01&to=2025-02-28");
    assert.equal(entries(byAction.html), 20);
    assert.match(byAction.html, /<option value="bulk_test" selected>bulk_test<\/option>/);
    const byType = await admin.get("/admin/audit?type=hotline&lang=es");
    assert.match(byType.html, /<html lang="es">/);
    assert.ok(entries(byType.html) >= 4);
    assert.doesNotMatch(byType.html, /<code>(signin|settings_change|topic_edit)<\/code>/);
    const paged = await admin.get("/admin/audit?action=bulk_test");
    assert.equal(entries(paged.html), 50);
    assert.match(paged.html, /href="\?email=&amp;action=bulk_test&amp;type=&amp;from=&amp;to=&amp;page=2&amp;lang=en" rel="next"/);
    assert.equal(entries((await admin.get("/admin/audit?action=bulk_test&page=2")).html), 10);
    const nothing = await admin.get("/admin/audit?email=nobody@example.org");
    assert.match(nothing.html, /No entries match these filters\./);

    // Before and after, readable: indented JSON in a <details>.
    const hot = await admin.get("/admin/audit?action=hotline_create");
    assert.match(hot.html, /<details class="vrc-audit__changes">/);
    assert.match(hot.html, /<pre class="vrc-json">\{\n  &quot;slug&quot;: &quot;test-town-line&quot;,/);
    assert.match(hot.html, /· hotline: test-town-line/);
    assert.match(hot.html, /From address 127\.0\.0\.1/);

    // A bad date: 400, the message next to the field, the value kept.
    for (const [q, msg] of [["", "Enter a real date as YYYY-MM-DD, for example 2026-03-15."], ["&lang=es", "Escriba una fecha real como AAAA-MM-DD, por ejemplo 2026-03-15."]]) {
      const bad = await admin.get("/admin/audit?from=2025-13-01&email=x" + q);
      assert.equal(bad.status, 400);
      assert.equal(errorOf(bad.html, "from"), msg);
      assert.equal(valueOf(bad.html, "from"), "2025-13-01");
      assert.equal(valueOf(bad.html, "email"), "x");
    }
    const order = await admin.get("/admin/audit?from=2025-03-01&to=2025-01-01");
    assert.equal(order.status, 400);
    assert.equal(errorOf(order.html, "to"), "This date must not be before the first one.");
  });

  test("vrc init afterwards keeps the console's edits, retirements and new lines; a file change too is a conflict", async () => {
    // The database as it stands, copied while the server runs (sqlite's online backup), then loaded
    // again with `vrc init` as an operator would after a deploy.
    const dir = mkdtempSync(join(tmpdir(), "vrc-init-"));
    try {
      const copy = join(dir, "copy.db");
      // Retire the console-made line so init meets a console retirement too.
      await editor.postForm("/admin/hotlines/test-town-line/retire", {}, { from: "/admin/hotlines/test-town-line" });
      spawnSync("sqlite3", [srv.db, `.backup '${copy}'`]);
      const init = spawnSync(bin, ["init", "--db", copy, "--content", join(root, "content")], { encoding: "utf8" });
      assert.equal(init.status, 0, init.stderr);
      const name = (db, slug, lang) => sql(db, `SELECT x.name FROM hotline h JOIN hotline_text x ON x.hotline_id = h.id AND x.lang = '${lang}' WHERE h.slug = '${slug}'`);
      assert.equal(name(copy, "988", "en"), "988 Lifeline (edited)");
      assert.equal(name(copy, "988", "es"), "988 Línea (editada)");
      assert.equal(sql(copy, "SELECT retired || console_edited FROM hotline WHERE slug = 'test-town-line'"), "11", "a console-made, console-retired line stays so");
      assert.equal(sql(copy, "SELECT x.title FROM topic t JOIN topic_text x ON x.topic_id = t.id AND x.lang = 'en' WHERE t.slug = 'trauma-reactions'"), "Trauma reactions (edited)");
      assert.equal(sql(copy, "SELECT retired FROM topic WHERE slug = 'peer-support'"), "0", "a console-made topic is not retired by init");
      assert.doesNotMatch(init.stdout + init.stderr, /conflict/);

      // The file changes too: reported as a conflict, the console's version stays.
      const content = join(dir, "content");
      cpSync(join(root, "content"), content, { recursive: true });
      const lines = JSON.parse(readFileSync(join(content, "hotlines.json"), "utf8"));
      lines.find((h) => h.slug === "988").hours.en = "File hours";
      writeFileSync(join(content, "hotlines.json"), JSON.stringify(lines, null, 2));
      const again = spawnSync(bin, ["init", "--db", copy, "--content", content], { encoding: "utf8" });
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout + again.stderr, /conflict: hotline 988 changed in its file and in the console; the console's version stays/);
      assert.equal(sql(copy, "SELECT x.hours FROM hotline h JOIN hotline_text x ON x.hotline_id = h.id AND x.lang = 'en' WHERE h.slug = '988'"), "Around the clock");

      // A server started on that database shows the console's edit on the home page.
      const second = await startServer([], { prepare: (db) => { cpSync(copy, db); rmSync(db + "-wal", { force: true }); rmSync(db + "-shm", { force: true }); } });
      try {
        const home = await (await fetch(second.base + "/")).text();
        assert.match(home, /988 Lifeline \(edited\)/);
        assert.match(home, /Around the clock/);
        assert.doesNotMatch(home, /Test Town Support Line/);
      } finally {
        await stop(second);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
