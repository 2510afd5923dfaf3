// Community pages, black-box: `vrc community create`, the console's one-form create and block-by-block
// editing in English and Spanish, draft versus published (nothing public half-way), publishing that
// re-renders the page, feeds and flyer at once, the what-changed list, the audit log, the Atom feed
// parsed as XML against RFC 4287's required elements (xmllint), iCalendar lines per RFC 5545, the
// flyer's QR code decoded back to the page URL (rsvg-convert + zbarimg), schema.org JSON-LD, a
// community editor kept to their own community, archiving, the alert banner, bad input, and a third
// language added as one UI-strings file (a fixture catalogue).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startServer, bin } from "../lib/server.mjs";
import { Client, addUser, auditRows, enrol } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const PUBLIC = "https://vrc.example.org";
const root = resolve(new URL("../..", import.meta.url).pathname);
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const vrc = (db, args) => spawnSync(bin, [...args, "--db", db], { encoding: "utf8" });

async function stop(srv) {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
}

async function get(base, path) {
  const r = await fetch(base + path, { redirect: "manual" });
  r.body_ = await r.text();
  return r;
}

// Sign in; returns the client.
async function signedIn(base, email) {
  const c = new Client(base);
  const r = await c.signIn(email, PW);
  assert.equal(r.status, 303, "sign-in " + email);
  return c;
}

// Save a block form (fields) in lang; returns the response.
function save(c, slug, block, lang, fields) {
  const path = `/admin/communities/${slug}/${block}/${lang}`;
  return c.postForm(path, fields, { from: path });
}

function publish(c, slug) {
  return c.postForm(`/admin/communities/${slug}/publish`, {}, { from: `/admin/communities/${slug}` });
}

// The id of the item labelled label on a block page.
async function itemId(c, slug, block, lang, label) {
  const page = await c.get(`/admin/communities/${slug}/${block}/${lang}`);
  const re = new RegExp(`<a href="[^"]*\\?item=([0-9a-f-]{36})">${label}</a>`);
  const m = re.exec(page.html);
  assert.ok(m, `item ${label} listed on ${block}/${lang}`);
  return m[1];
}

describe("community pages", () => {
  let srv, ed;
  const slug = "springfield";
  before(async () => {
    srv = await startServer(["--public-url", PUBLIC + "/"]);
    addUser(srv.db, "editor@example.org", "editor", PW);
    addUser(srv.db, "ce@example.org", "community_editor", PW, ["--community", "shelbyville"]);
    ed = await signedIn(srv.base, "editor@example.org");
  });
  after(() => stop(srv));

  test("the one-form create refuses bad input field by field, keeps what was typed, creates nothing", async () => {
    const form = {
      name: "Springfield", slug, place: "Springfield, IL", date: "2026-02-30", timezone: "America/Chicago",
      key_message: "Help is at <b>City Hall</b>.", street: "1 Main St", city: "Springfield", state: "IL",
      postal: "62701", hours: "Mon-Fri 17:00-09:00", phone: "call us", lang_es: "on",
    };
    const r = await ed.postForm("/admin/communities/new", form, { from: "/admin/communities/new" });
    assert.equal(r.status, 400);
    assert.match(r.html, /Nothing was saved/);
    assert.match(r.html, /id="f-date-error">Enter a real date as YYYY-MM-DD, for example 2026-03-15\.</);
    assert.match(r.html, /id="f-hours-error">The closing time must be after the opening time\.</);
    assert.match(r.html, /id="f-phone-error">Enter a phone number a person can dial/);
    assert.match(r.html, /id="f-key_message-error">HTML is not shown on the site/);
    assert.match(r.html, /name="street" type="text" value="1 Main St"/, "what was typed is kept");
    assert.match(r.html, /name="lang_es" type="checkbox" value="on" checked/);
    assert.equal((await get(srv.base, "/c/" + slug)).status, 404, "nothing created");
    assert.equal(sql(srv.db, "SELECT count(*) FROM community"), "0");
    const es = await ed.postForm("/admin/communities/new?lang=es", { ...form, name: "" }, { from: "/admin/communities/new?lang=es" });
    assert.equal(es.status, 400);
    assert.match(es.html, /id="f-name-error">Este dato es obligatorio\.</, "messages in the form's language");
  });

  test("create in minutes: the page is live at once, pre-filled from the template, on the home page", async () => {
    const t0 = Date.now();
    const r = await ed.postForm("/admin/communities/new", {
      name: "Springfield", place: "Springfield, IL", date: "2026-11-28", timezone: "America/Chicago",
      key_message: "The Family Assistance Center is open at **1 Main St**.", street: "1 Main St",
      city: "Springfield", state: "IL", postal: "62701", hours: "Mon-Fri 9:00-17:00; Sat 10am-2pm",
      phone: "(217) 555-0100", lang_es: "on",
    }, { from: "/admin/communities/new" });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), `/admin/communities/${slug}?created=1`, "slug made from the name");
    const page = await get(srv.base, "/c/" + slug);
    assert.equal(page.status, 200);
    assert.ok(Date.now() - t0 < 5000);
    assert.match(page.headers.get("content-type"), /text\/html/);
    assert.match(page.body_, /<h1>Springfield<\/h1>/);
    assert.match(page.body_, /Springfield, IL · November 28, 2026/);
    assert.match(page.body_, /The Family Assistance Center is open at <strong>1 Main St<\/strong>\./);
    assert.match(page.body_, /Family Assistance Center/);
    assert.match(page.body_, /Mon–Fri<\/span> 9:00 AM–5:00 PM/);
    assert.match(page.body_, /Sat<\/span> 10:00 AM–2:00 PM/);
    assert.match(page.body_, /href="tel:\+12175550100">\(217\) 555-0100/);
    // The starter promises nothing officials have not confirmed: no immigration or access claims.
    assert.doesNotMatch(page.body_, /regardless of immigration status|Wheelchair/);
    assert.match(page.body_, /href="tel:988"/, "the national crisis lines");
    assert.match(page.body_, /<details class="vrc-faq"[^>]*>\s*<summary>Do the crisis lines cost anything\?<\/summary>/);
    assert.match(page.body_, /Watch out for scams/);
    assert.match(page.body_, /The first days<\/h3>/, "first-days library resources");
    assert.match(page.body_, /page created/);
    // Spanish: the key message typed in English shows in English, marked, with a note.
    const es = await get(srv.base, "/es/c/" + slug);
    assert.equal(es.status, 200);
    assert.match(es.body_, /<html lang="es">/);
    assert.match(es.body_, /Esta parte aún no está traducida\. Se muestra en inglés\.<\/p>\s*<div class="usa-prose" lang="en"><p>The Family Assistance Center is open/);
    assert.match(es.body_, /<h3 lang="es">Centro de Asistencia Familiar/);
    assert.match(es.body_, /lun–vie<\/span> 09:00–17:00/);
    assert.match(es.body_, /href="\/es\/resources\//, "library resources in Spanish");
    const home = await get(srv.base, "/");
    assert.match(home.body_, /<a href="\/c\/springfield" hreflang="en">Springfield<\/a>/);
    assert.match((await get(srv.base, "/es/")).body_, /<a href="\/es\/c\/springfield" hreflang="es">Springfield<\/a>/);
    assert.equal((await get(srv.base, "/zh/c/" + slug)).status, 404, "a language not offered");
    // The console shows the Spanish key message as missing.
    const o = await ed.get(`/admin/communities/${slug}`);
    assert.equal(o.status, 200);
    assert.match(o.html, /<tr id="block-key_message">[\s\S]*?lang="es">Español<\/a> <span class="vrc-missing">\(missing\)/);
    assert.ok(auditRows(srv.db).some((a) => a.action === "community_create" && a.object === "community:springfield"));
  });

  test("every block in English and Spanish: saved as drafts, public only once published", async () => {
    const blocks = [
      ["key_message", { body: "Updated: the center is **open late** this week." }, { body: "Novedad: el centro abre **hasta tarde** esta semana." }],
      ["updates", { date: "2026-12-02", title: "Open until 9 pm, Dec 2–6", body: "Walk in any time." }, { date: "2026-12-02", title: "Abierto hasta las 21:00", body: "Venga cuando quiera." }],
      ["events", { kind: "vigil", title: "Candlelight vigil; all welcome, bring a candle", start: "2026-12-05T18:00", end: "2026-12-05T19:30", timezone: "America/Chicago", place: "City Hall steps", address: "300 S 2nd St", accessibility: "Step-free access, ASL interpreter" }, { kind: "vigil", title: "Vigilia con velas", start: "2026-12-05T18:00", end: "2026-12-05T19:30", timezone: "America/Chicago", place: "Escalinata del ayuntamiento", address: "300 S 2nd St" }],
      ["services", { organization: "Springfield Counseling", name: "Free counseling", status: "active", street: "5 Oak Ave", city: "Springfield", state: "IL", postal: "62702", phone: "217-555-0199", hours: "Mon-Thu 10:00-19:00", languages: "en, es" }, { organization: "Springfield Counseling", name: "Consejería gratuita", status: "active", street: "5 Oak Ave", city: "Springfield", state: "IL", postal: "62702", phone: "217-555-0199", hours: "Mon-Thu 10:00-19:00", languages: "en, es" }],
      ["funds", { kind: "official", name: "Springfield Victims Fund", url: "https://fund.example.org/", runs: "City of Springfield", verified_by: "Illinois Attorney General", eligibility: "Families of those killed or injured", deadline: "2027-03-31" }, { kind: "official", name: "Springfield Victims Fund", url: "https://fund.example.org/", runs: "City of Springfield", verified_by: "Illinois Attorney General", eligibility: "Familias de las personas fallecidas o heridas", deadline: "2027-03-31" }],
      ["faq", { question: "Where do I park?", answer: "Free parking on **Main St**." }, { question: "¿Dónde me estaciono?", answer: "Estacionamiento gratis en **Main St**." }],
    ];
    for (const [block, en, es] of blocks) {
      const r = await save(ed, slug, block, "en", { target: block === "key_message" ? "_block" : "new", ...en });
      assert.equal(r.status, 303, `${block} saved in English: ${r.html.slice(0, 300)}`);
      const label = en.title || en.name || en.question;
      const target = block === "key_message" ? "_block" : await itemId(ed, slug, block, "en", label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      const r2 = await save(ed, slug, block, "es", { target, ...es });
      assert.equal(r2.status, 303, `${block} saved in Spanish: ${r2.html.slice(0, 300)}`);
    }
    // Drafts are not public.
    let page = await get(srv.base, "/c/" + slug);
    assert.doesNotMatch(page.body_, /open late|Candlelight vigil|Free counseling|Where do I park/);
    const o = await ed.get(`/admin/communities/${slug}`);
    assert.match(o.html, /Some blocks have changes that are not public yet/);
    const p = await publish(ed, slug);
    assert.equal(p.status, 303);
    assert.equal(p.headers.get("location"), `/admin/communities/${slug}?published=1`);
    page = await get(srv.base, "/c/" + slug);
    const es = await get(srv.base, "/es/c/" + slug);
    const want = [
      [/the center is <strong>open late<\/strong>/, /el centro abre <strong>hasta tarde<\/strong>/],
      [/<h3 lang="en">Open until 9 pm, Dec 2–6<\/h3>/, /<h3 lang="es">Abierto hasta las 21:00<\/h3>/],
      [/Candlelight vigil; all welcome, bring a candle<\/h3>\s*<p class="vrc-card__meta"><span class="usa-tag">Vigil<\/span> December 5, 2026, 6:00 PM–7:30 PM CST/, /Vigilia con velas<\/h3>\s*<p class="vrc-card__meta"><span class="usa-tag">Vigilia<\/span> 5 de diciembre de 2026, 18:00–19:30 CST/],
      [/Free counseling<\/h3>/, /Consejería gratuita<\/h3>/],
      [/<a href="https:\/\/fund\.example\.org\/">Springfield Victims Fund<\/a>[\s\S]*?Families of those killed or injured[\s\S]*?March 31, 2027/, /Familias de las personas fallecidas o heridas[\s\S]*?31 de marzo de 2027/],
      [/<summary>Where do I park\?<\/summary>/, /<summary>¿Dónde me estaciono\?<\/summary>/],
    ];
    for (const [en, sp] of want) {
      assert.match(page.body_, en);
      assert.match(es.body_, sp);
    }
    // An event's accessibility note was written only in English: Spanish shows it in English.
    assert.match(es.body_, /<p lang="en"><span class="vrc-label">Accesibilidad:<\/span> Step-free access, ASL interpreter<\/p>/);
    // The what-changed list, from the published revisions.
    assert.match(page.body_, /<time datetime="[^"]+">\w{3} \d+<\/time>: the key message was updated/);
    assert.match(page.body_, /new event: Candlelight vigil; all welcome, bring a candle/);
    assert.match(es.body_, /nuevo evento: Vigilia con velas/);
    // One audit entry per block published.
    const pubs = auditRows(srv.db).filter((a) => a.action === "community_publish");
    assert.equal(pubs.length, blocks.length);
    assert.ok(pubs.every((a) => a.actor === "editor@example.org"));
  });

  test("a changed location's hours show as such in the what-changed list", async () => {
    const id = await itemId(ed, slug, "locations", "en", "Family Assistance Center");
    const r = await save(ed, slug, "locations", "en", {
      target: id, name: "Family Assistance Center", street: "1 Main St", city: "Springfield", state: "IL",
      postal: "62701", walkin_hours: "Mon-Sat 08:00-20:00", exceptions: "2026-12-25 closed Christmas Day",
      phone: "(217) 555-0100", immigration_note: "on",
    });
    assert.equal(r.status, 303);
    await publish(ed, slug);
    const page = await get(srv.base, "/c/" + slug);
    assert.match(page.body_, /Family Assistance Center: hours changed/);
    assert.match(page.body_, /<time datetime="2026-12-25">December 25, 2026<\/time>: closed \(Christmas Day\)/);
  });

  test("bad block input: a message next to each field, what was typed kept, nothing saved", async () => {
    const before = sql(srv.db, "SELECT draft FROM community_block WHERE kind = 'events'");
    const r = await save(ed, slug, "events", "en", {
      target: "new", kind: "vigil", title: "x".repeat(151), start: "2026-12-05T18:00", end: "2026-12-05T17:00",
      timezone: "America/Chicago", place: "Park", description: "See [the map](https://example.org/map",
    });
    assert.equal(r.status, 400);
    assert.match(r.html, /id="f-end-error">The end must be after the start\.</);
    assert.match(r.html, /id="f-title-error">This is too long/);
    assert.match(r.html, /id="f-description-error">A link is not closed/);
    assert.match(r.html, /name="place" type="text" value="Park"/);
    assert.match(r.html, /See \[the map\]\(https:\/\/example\.org\/map<\/textarea>/);
    const lang = await save(ed, slug, "services", "en", { target: "new", organization: "X", name: "Y", status: "active", languages: "en, klingon" });
    assert.equal(lang.status, 400);
    assert.match(lang.html, /id="f-languages-error">Use language codes/);
    assert.equal(sql(srv.db, "SELECT draft FROM community_block WHERE kind = 'events'"), before);
    assert.ok(srv.log.includes("not saved by editor@example.org"), "a log line");
    // A duplicate slug from the console.
    const dup = await ed.postForm("/admin/communities/new", { name: "Springfield", timezone: "America/Chicago" }, { from: "/admin/communities/new" });
    assert.equal(dup.status, 400);
    assert.match(dup.html, /id="f-slug-error">Another community page already uses this address\.</);
  });

  test("the Atom feed is XML with RFC 4287's required elements", async () => {
    const r = await get(srv.base, `/c/${slug}/updates.atom`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    const dir = mkdtempSync(join(tmpdir(), "vrc-atom-"));
    try {
      const file = join(dir, "feed.xml");
      writeFileSync(file, r.body_);
      const x = (xp) => spawnSync("xmllint", ["--xpath", xp, file], { encoding: "utf8" });
      assert.equal(spawnSync("xmllint", ["--noout", file]).status, 0, "well-formed XML");
      const ns = "*[local-name()='%s' and namespace-uri()='http://www.w3.org/2005/Atom']";
      const el = (...names) => "/" + names.map((n) => ns.replace("%s", n)).join("/");
      // atom:feed: exactly one id, title, updated; an author; entries each with id, title, updated.
      for (const req of ["id", "title", "updated"])
        assert.equal(x(`count(${el("feed", req)})`).stdout.trim(), "1", `feed/${req}`);
      assert.equal(x(`count(${el("feed", "author", "name")})`).stdout.trim(), "1");
      assert.equal(x(`string(${el("feed", "link")}[@rel='self']/@href)`).stdout.trim(), `${PUBLIC}/c/${slug}/updates.atom`);
      assert.equal(x(`count(${el("feed", "entry")})`).stdout.trim(), "1");
      for (const req of ["id", "title", "updated"])
        assert.equal(x(`count(${el("feed", "entry", req)})`).stdout.trim(), "1", `entry/${req}`);
      assert.match(x(`string(${el("feed", "entry", "id")})`).stdout.trim(), /^urn:uuid:[0-9a-f-]{36}$/);
      assert.match(x(`string(${el("feed", "updated")})`).stdout.trim(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "RFC 3339");
      assert.equal(x(`string(${el("feed", "entry", "title")})`).stdout.trim(), "Open until 9 pm, Dec 2–6");
      assert.match(x(`string(${el("feed", "entry", "content")})`).stdout, /<p>Walk in any time\.<\/p>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const es = await get(srv.base, `/es/c/${slug}/updates.atom`);
    assert.match(es.body_, /xml:lang="es"/);
    assert.match(es.body_, /<title>Abierto hasta las 21:00<\/title>/);
  });

  test("iCalendar per RFC 5545: CRLF, lines of at most 75 octets, escaping, UID, DTSTAMP, VTIMEZONE", async () => {
    const r = await fetch(srv.base + `/c/${slug}/events.ics`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "text/calendar; charset=utf-8");
    const raw = Buffer.from(await r.arrayBuffer());
    const text = raw.toString("utf8");
    assert.ok(text.endsWith("\r\n"));
    assert.doesNotMatch(text.replace(/\r\n/g, ""), /[\r\n]/, "every line ends in CRLF");
    const physical = text.split("\r\n").slice(0, -1);
    for (const line of physical) assert.ok(Buffer.byteLength(line) <= 75, `at most 75 octets: ${line}`);
    const lines = text.replace(/\r\n /g, "").split("\r\n").slice(0, -1); // unfolded
    assert.ok(physical.length > lines.length, "long lines are folded");
    assert.equal(lines[0], "BEGIN:VCALENDAR");
    assert.equal(lines.at(-1), "END:VCALENDAR");
    for (const p of ["VERSION:2.0", "PRODID:", "BEGIN:VTIMEZONE", "TZID:America/Chicago", "BEGIN:VEVENT", "END:VEVENT"])
      assert.ok(lines.some((l) => l.startsWith(p)), p);
    assert.ok(lines.some((l) => /^UID:[0-9a-f-]{36}@vrc$/.test(l)));
    assert.ok(lines.some((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l)));
    assert.ok(lines.includes("DTSTART;TZID=America/Chicago:20261205T180000"));
    assert.ok(lines.includes("DTEND;TZID=America/Chicago:20261205T193000"));
    assert.ok(lines.includes("SUMMARY;LANGUAGE=en:Candlelight vigil\\; all welcome\\, bring a candle"), "TEXT escaping");
    assert.ok(lines.includes("LOCATION:City Hall steps\\, 300 S 2nd St"));
    assert.ok(lines.some((l) => l.startsWith("DESCRIPTION:Accessibility: Step-free access\\, ASL interpreter")));
    // Folding never splits a UTF-8 sequence: the raw bytes decode cleanly.
    assert.ok(!text.includes("\ufffd"));
    const id = /UID:([0-9a-f-]{36})@vrc/.exec(lines.join("\n"))[1];
    const one = await get(srv.base, `/c/${slug}/events/${id}.ics`);
    assert.equal(one.status, 200);
    assert.equal((one.body_.match(/BEGIN:VEVENT/g) || []).length, 1);
    const es = await get(srv.base, `/es/c/${slug}/events/${id}.ics`);
    assert.match(es.body_, /SUMMARY;LANGUAGE=es:Vigilia con velas/);
    assert.equal((await get(srv.base, `/c/${slug}/events/00000000-0000-4000-8000-000000000000.ics`)).status, 404);
  });

  test("the flyer's QR code decodes to the page URL, in each language", async () => {
    for (const [path, url] of [[`/c/${slug}/flyer`, `${PUBLIC}/c/${slug}`], [`/es/c/${slug}/flyer`, `${PUBLIC}/es/c/${slug}`]]) {
      const r = await get(srv.base, path);
      assert.equal(r.status, 200);
      assert.match(r.body_, /Family Assistance Center|Centro de Asistencia Familiar/);
      assert.match(r.body_, /href="tel:988"|988/);
      assert.match(r.body_, /<meta name="robots" content="noindex">/, "a printable copy is kept out of search results");
      assert.doesNotMatch(r.body_, /<link rel="alternate" hreflang=/, "and names no language versions of its own");
      assert.doesNotMatch((await get(srv.base, path.replace(/\/flyer$/, ""))).body_, /name="robots"/, "the page itself is indexed");
      const svg = /<svg[\s\S]*?<\/svg>/.exec(r.body_)[0];
      const dir = mkdtempSync(join(tmpdir(), "vrc-qr-"));
      try {
        writeFileSync(join(dir, "qr.svg"), svg);
        const conv = spawnSync("rsvg-convert", ["-w", "400", "-h", "400", "-b", "white", "-o", join(dir, "qr.png"), join(dir, "qr.svg")]);
        assert.equal(conv.status, 0, String(conv.stderr));
        const z = spawnSync("zbarimg", ["--quiet", "--raw", join(dir, "qr.png")], { encoding: "utf8" });
        assert.equal(z.status, 0, z.stderr);
        assert.equal(z.stdout.trim(), url);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test("local services in the Open Referral HSDS 3.0 shape: valid against its schema, ids stable across edits", async () => {
    const hsds = () => {
      const r = vrc(srv.db, ["community", "hsds", "--slug", slug]);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const first = hsds();
    assert.equal(first.length, 1);
    const validate = spawnSync("python3", ["-c", `
import json, sys
from jsonschema import Draft202012Validator, FormatChecker
schema = json.load(open(sys.argv[1]))
v = Draft202012Validator(schema, format_checker=FormatChecker())
bad = [f"{list(e.path)}: {e.message}" for s in json.load(sys.stdin) for e in v.iter_errors(s)]
print("\\n".join(bad)); sys.exit(1 if bad else 0)`, "/work/shared/hsds-3.0/compiled/service.json"], { input: JSON.stringify(first), encoding: "utf8" });
    assert.equal(validate.status, 0, "HSDS 3.0 schema errors:\n" + validate.stdout + validate.stderr);
    const s = first[0];
    assert.equal(s.name, "Free counseling");
    assert.equal(s.organization.name, "Springfield Counseling");
    assert.equal(s.schedules[0].byday, "MO,TU,WE,TH");
    assert.equal(s.service_at_locations[0].location.addresses[0].postal_code, "62702");
    assert.deepEqual(s.languages.map((l) => l.code), ["en", "es"]);
    // Edit the service (new hours and phone), publish: every id stays the same.
    const id = await itemId(ed, slug, "services", "en", "Free counseling");
    assert.equal(id, s.id);
    const r = await save(ed, slug, "services", "en", { target: id, organization: "Springfield Counseling", name: "Free counseling", status: "active", street: "5 Oak Ave", city: "Springfield", state: "IL", postal: "62702", phone: "217-555-0198", hours: "Mon-Fri 09:00-19:00", languages: "en, es" });
    assert.equal(r.status, 303);
    await publish(ed, slug);
    const after = hsds()[0];
    for (const get of [(x) => x.id, (x) => x.organization.id, (x) => x.phones[0].id, (x) => x.service_at_locations[0].location.id,
      (x) => x.service_at_locations[0].location.addresses[0].id, (x) => x.schedules[0].id, (x) => x.languages[0].id])
      assert.equal(get(after), get(s));
    assert.equal(after.phones[0].number, "217-555-0198");
    assert.equal(after.schedules[0].byday, "MO,TU,WE,TH,FR");
  });

  test("schema.org JSON-LD: a SpecialAnnouncement, the events and places, safe inside <script>", async () => {
    const r = await save(ed, slug, "updates", "en", { target: "new", date: "2026-12-03", title: "A </script><script>alert(1)</script> test", body: "x" });
    assert.equal(r.status, 303);
    // JSON-LD lists events still to come: this one is next December, whenever the test runs.
    const year = new Date().getUTCFullYear() + 1;
    const ev = await save(ed, slug, "events", "en", { target: "new", kind: "town_hall", title: "Town hall </script><!-- x", start: `${year}-12-10T19:00`, timezone: "America/Chicago", place: "Library" });
    assert.equal(ev.status, 303);
    await publish(ed, slug);
    const page = await get(srv.base, "/c/" + slug);
    const scripts = [...page.body_.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.doesNotMatch(scripts[0][1], /<\/|<!--/);
    const ld = JSON.parse(scripts[0][1]);
    const types = ld["@graph"].map((n) => n["@type"]);
    assert.ok(types.includes("SpecialAnnouncement") && types.includes("Event") && types.includes("CivicStructure") && types.includes("Service"));
    const town = ld["@graph"].find((n) => n["@type"] === "Event" && n.name.startsWith("Town hall"));
    assert.equal(town.name, "Town hall </script><!-- x");
    assert.equal(town.startDate, `${year}-12-10T19:00:00-06:00`);
    assert.doesNotMatch(page.body_, /<script>alert/);
    assert.match(page.headers.get("content-security-policy"), /default-src 'self'/);
  });

  test("a community editor works on their own community only", async () => {
    vrc(srv.db, ["community", "create", "--slug", "shelbyville", "--name", "Shelbyville", "--lang", "en,es"]);
    const ce = await signedIn(srv.base, "ce@example.org");
    const list = await ce.get("/admin/communities");
    assert.match(list.html, /Shelbyville/);
    assert.doesNotMatch(list.html, />Springfield</, "only their communities are listed");
    assert.equal((await ce.get("/admin/communities/shelbyville/updates/en")).status, 200);
    const ok = await save(ce, "shelbyville", "updates", "en", { target: "new", date: "2026-12-04", title: "Shelbyville update", body: "Hello." });
    assert.equal(ok.status, 303);
    const p = await ce.postForm("/admin/communities/shelbyville/publish", {}, { from: "/admin/communities/shelbyville" });
    assert.equal(p.status, 303, "community editors publish their own community");
    assert.match((await get(srv.base, "/c/shelbyville")).body_, /Shelbyville update/);
    // Another community's object: refused, before and after a valid CSRF token.
    for (const path of [`/admin/communities/${slug}`, `/admin/communities/${slug}/updates/en`]) {
      const r = await ce.get(path);
      assert.equal(r.status, 403, path);
      assert.match(r.html, /only work on the community pages you are assigned to/);
    }
    const before = sql(srv.db, "SELECT draft FROM community_block b JOIN community c ON c.id = b.community_id WHERE c.slug = 'springfield' AND kind = 'updates'");
    const post = await ce.postForm(`/admin/communities/${slug}/updates/en`, { target: "new", date: "2026-12-04", title: "Not mine", body: "x" }, { from: "/admin/communities/shelbyville/updates/en" });
    assert.equal(post.status, 403);
    const pub = await ce.postForm(`/admin/communities/${slug}/publish`, {}, { from: "/admin/communities/shelbyville" });
    assert.equal(pub.status, 403);
    assert.equal(sql(srv.db, "SELECT draft FROM community_block b JOIN community c ON c.id = b.community_id WHERE c.slug = 'springfield' AND kind = 'updates'"), before);
    // Creating, archiving and assigning editors are for admins and editors.
    assert.equal((await ce.get("/admin/communities/new")).status, 403);
    assert.equal((await ce.postForm("/admin/communities/shelbyville/archive", {}, { from: "/admin/communities/shelbyville" })).status, 403);
    assert.equal((await ce.postForm("/admin/communities/shelbyville/editors", { email: "ce@example.org" }, { from: "/admin/communities/shelbyville" })).status, 403);
  });

  test("assigning a community editor from the console", async () => {
    addUser(srv.db, "ce2@example.org", "community_editor", PW, ["--community", "ogden"]);
    const bad = await ed.postForm(`/admin/communities/${slug}/editors`, { email: "editor@example.org" }, { from: `/admin/communities/${slug}` });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /does not have the community editor role/);
    const r = await ed.postForm(`/admin/communities/${slug}/editors`, { email: "ce2@example.org" }, { from: `/admin/communities/${slug}` });
    assert.equal(r.status, 303);
    const ce2 = await signedIn(srv.base, "ce2@example.org");
    assert.equal((await ce2.get(`/admin/communities/${slug}/faq/es`)).status, 200);
  });

  test("archiving: still reachable, marked, off the home page", async () => {
    const r = await ed.postForm("/admin/communities/shelbyville/archive", {}, { from: "/admin/communities/shelbyville" });
    assert.equal(r.status, 303);
    const page = await get(srv.base, "/c/shelbyville");
    assert.equal(page.status, 200);
    assert.match(page.body_, /This page is archived/);
    assert.doesNotMatch((await get(srv.base, "/")).body_, /\/c\/shelbyville/);
    assert.match((await get(srv.base, "/")).body_, /\/c\/springfield/);
  });

  test("the command line: create, duplicate slug, bad date, unknown language", async () => {
    const ok = vrc(srv.db, ["community", "create", "--slug", "ogden", "--name", "Ogden", "--place", "Ogden, UT", "--date", "2026-10-01", "--lang", "en"]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /\/c\/ogden is published/);
    const page = await get(srv.base, "/c/ogden");
    assert.equal(page.status, 200, "a page created while serving answers at once");
    assert.equal((await get(srv.base, "/es/c/ogden")).status, 404, "Spanish not offered");
    const dup = vrc(srv.db, ["community", "create", "--slug", "ogden", "--name", "Ogden"]);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /--slug: Another community page already uses this address/);
    const bad = vrc(srv.db, ["community", "create", "--slug", "x-town", "--name", "X", "--date", "2026-13-01", "--lang", "en,tlh"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--date: Enter a real date/);
    assert.match(bad.stderr, /--lang: Choose languages the site has/);
    assert.equal(sql(srv.db, "SELECT count(*) FROM community WHERE slug = 'x-town'"), "0");
  });

  test("the alert banner: an admin turns it on and off, every page shows it", async () => {
    addUser(srv.db, "admin@example.org", "admin", PW);
    const admin = await signedIn(srv.base, "admin@example.org");
    await enrol(admin);
    assert.equal((await ed.get("/admin/alert")).status, 403, "admins only");
    const bad = await admin.postForm("/admin/alert", { active: "on", text_en: "", text_es: "Hola" });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /Write the banner&#39;s English text/);
    const on = await admin.postForm("/admin/alert", { active: "on", text_en: "Springfield: help is available now.", text_es: "Springfield: hay ayuda ahora.", url: "/c/springfield" });
    assert.equal(on.status, 303);
    for (const [path, text] of [["/", "Springfield: help is available now."], ["/es/", "Springfield: hay ayuda ahora."], ["/grief-trauma", "help is available now"], [`/c/${slug}`, "help is available now"], ["/es/c/springfield", "hay ayuda ahora"]])
      assert.match((await get(srv.base, path)).body_, new RegExp(`usa-site-alert[\\s\\S]*${text}`), path);
    const off = await admin.postForm("/admin/alert", { text_en: "Springfield: help is available now." });
    assert.equal(off.status, 303);
    assert.doesNotMatch((await get(srv.base, "/")).body_, /usa-site-alert/);
    assert.ok(auditRows(srv.db).some((a) => a.action === "alert_on") && auditRows(srv.db).some((a) => a.action === "alert_off"));
  });
});

describe("a third language is one UI-strings file", () => {
  let srv;
  before(async () => {
    srv = await startServer(["--i18n", join(root, "tests/fixtures/i18n")], {
      prepare: (db) => {
        const r = spawnSync(bin, ["community", "create", "--db", db, "--i18n", join(root, "tests/fixtures/i18n"), "--slug", "monterey-park", "--name", "Monterey Park", "--lang", "en,zh,es"], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
      },
    });
  });
  after(() => stop(srv));

  test("a community offering zh renders the Chinese UI strings from the fixture catalogue", async () => {
    const r = await get(srv.base, "/zh/c/monterey-park");
    assert.equal(r.status, 200);
    assert.match(r.body_, /<html lang="zh">/);
    assert.match(r.body_, /<h2 id="help-now">现在去哪里获得帮助<\/h2>/);
    assert.match(r.body_, /此部分尚未翻译。以下显示英文。<\/p>\s*<div class="usa-prose" lang="en">/, "untranslated blocks in English, marked");
    assert.match(r.body_, /lang="zh" aria-current="page">中文</);
    assert.match(r.body_, /href="tel:988"/, "the crisis lines, in English where they have no Chinese text");
    const en = await get(srv.base, "/c/monterey-park");
    assert.match(en.body_, /<a href="\/zh\/c\/monterey-park" lang="zh" hreflang="zh">中文<\/a>/);
    assert.equal((await get(srv.base, "/zh/c/monterey-park/updates.atom")).status, 200);
  });
});
