// Community pages in site search, black-box through the console: the page and its published blocks
// are found in each language the page offers (stems and folded accents), linked to the block on the
// page with the community named; drafts never; archiving takes them out and back; hostile text in a
// block is escaped; and a publish (a community's, or a library resource's) shows in the very next
// search, never an answer kept from before it.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startServer } from "../lib/server.mjs";
import { Client, addUser, enrol } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const q = (s) => encodeURIComponent(s);
// The results: link, title (HTML), the words beside the kind tag, and the snippet (HTML).
const results = (html) => [...html.matchAll(/<li class="vrc-search__result">([\s\S]*?)<\/li>\s*(?=<li class="vrc-search__result">|<\/ol>)/g)]
  .map(([, li]) => ({
    kind: /<span class="usa-tag">([^<]*)<\/span>/.exec(li)?.[1],
    context: /<span class="vrc-search__context">([^<]*)<\/span>/.exec(li)?.[1],
    url: /<h3 class="vrc-search__title"><a href="([^"]*)">/.exec(li)?.[1],
    title: /<h3 class="vrc-search__title">(?:<a href="[^"]*">)?([\s\S]*?)(?:<\/a>)?<\/h3>/.exec(li)?.[1],
    snippet: /<p class="vrc-search__snippet">([\s\S]*?)<\/p>/.exec(li)?.[1],
  }));

// Every field of the library editor as the browser would send it (as in admin-edit.test.mjs).
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

async function stop(srv) {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
}

describe("community pages in search", () => {
  let srv, ed, admin;
  const search = async (path) => {
    const r = await fetch(srv.base + path);
    assert.equal(r.status, 200, path);
    return results(await r.text());
  };
  const save = (slug, block, lang, fields) => {
    const path = `/admin/communities/${slug}/${block}/${lang}`;
    return ed.postForm(path, fields, { from: path });
  };
  const publish = (slug) =>
    ed.postForm(`/admin/communities/${slug}/publish`, {}, { from: `/admin/communities/${slug}` });
  const itemId = async (slug, block, label) => {
    const page = await ed.get(`/admin/communities/${slug}/${block}/en`);
    const m = new RegExp(`<a href="[^"]*\\?item=([0-9a-f-]{36})">${label}</a>`).exec(page.html);
    assert.ok(m, `${label} listed on ${block}`);
    return m[1];
  };
  const create = async (name, place, es) => {
    const r = await ed.postForm("/admin/communities/new", {
      name, place, date: "2026-11-28", timezone: "America/Chicago",
      key_message: "The Family Assistance Center is open every day.", street: "1 Main St", city: name,
      state: "IL", postal: "62701", hours: "Mon-Fri 9:00-17:00", phone: "(217) 555-0100",
      ...(es ? { lang_es: "on" } : {}),
    }, { from: "/admin/communities/new" });
    assert.equal(r.status, 303, r.html.slice(0, 300));
  };
  let update, faq;

  before(async () => {
    srv = await startServer(["--search-limit", "0"]);
    addUser(srv.db, "editor@example.org", "editor", PW);
    addUser(srv.db, "admin@example.org", "admin", PW, ["--name", "Ada Admin"]);
    ed = new Client(srv.base);
    assert.equal((await ed.signIn("editor@example.org", PW)).status, 303);
    admin = new Client(srv.base);
    assert.equal((await admin.signIn("admin@example.org", PW)).status, 303);
    await enrol(admin);
    await create("Riverside", "Riverside, IL", true);
  });
  after(() => stop(srv));

  test("a new page is found at once in both languages: itself, its FAQ and scam warning, linked to the block", async () => {
    let list = await search(`/search?q=riverside`);
    const page = list.find((x) => x.url === "/c/riverside");
    assert.ok(page, JSON.stringify(list));
    assert.equal(page.kind, "Community page");
    assert.equal(page.title, "<mark>Riverside</mark>");
    list = await search(`/search?q=${q("crisis lines cost")}`);
    const faqHit = list.find((x) => x.url?.startsWith("/c/riverside#faq-"));
    assert.ok(faqHit, JSON.stringify(list));
    assert.equal(faqHit.kind, "Question");
    assert.equal(faqHit.context, "Riverside", "the community is named beside the result");
    assert.match(faqHit.url, /^\/c\/riverside#faq-[0-9a-f-]{36}$/);
    const html = await (await fetch(srv.base + "/c/riverside")).text();
    assert.ok(html.includes(`id="${faqHit.url.split("#")[1]}"`), "the anchor is on the page");
    list = await search(`/es/search?q=estafas`);
    const scam = list.find((x) => x.url === "/es/c/riverside#funds");
    assert.ok(scam, JSON.stringify(list));
    assert.equal(scam.kind, "Aviso de estafas");
    assert.equal(scam.title, "Cuidado con las <mark>estafas</mark>");
    assert.ok(list.every((x) => !x.url || x.url.startsWith("/es/")), "Spanish pages only");
  });

  test("an update and a question: drafts are never found; published, found at once with stems and folded accents", async () => {
    let r = await save("riverside", "updates", "en", { target: "new", date: "2026-12-02",
      title: "Replacement papers at the Quillfield desk", body: "Staff help you replace documents you lost." });
    assert.equal(r.status, 303, r.html.slice(0, 300));
    update = await itemId("riverside", "updates", "Replacement papers at the Quillfield desk");
    r = await save("riverside", "updates", "es", { target: update, date: "2026-12-02",
      title: "Trámites de papeles en la mesa Quillfield", body: "Le ayudamos con los trámites de documentos perdidos." });
    assert.equal(r.status, 303, r.html.slice(0, 300));
    r = await save("riverside", "faq", "en", { target: "new", question: "Where can families park near Quillfield?",
      answer: "Free parking behind **Quillfield** hall." });
    assert.equal(r.status, 303, r.html.slice(0, 300));
    faq = await itemId("riverside", "faq", "Where can families park near Quillfield\\?");
    // Drafts: not found, and these answers are now in the results cache.
    assert.deepEqual(await search(`/search?q=quillfield`), []);
    assert.deepEqual(await search(`/es/search?q=quillfield`), []);
    assert.equal((await publish("riverside")).status, 303);
    // The very next searches, same words: the publish is there, not the cached "no results".
    let list = await search(`/search?q=quillfield`);
    assert.deepEqual(list.map((x) => x.url).sort(), [`/c/riverside#faq-${faq}`, `/c/riverside#update-${update}`]);
    const u = list.find((x) => x.url === `/c/riverside#update-${update}`);
    assert.equal(u.kind, "Update");
    assert.equal(u.context, "Riverside");
    assert.equal(u.title, "Replacement papers at the <mark>Quillfield</mark> desk");
    // English stems: "parked" finds "park"; Spanish: no accent finds the accent, a plural the singular.
    list = await search(`/search?q=${q("parked quillfield")}`);
    assert.deepEqual(list.map((x) => x.url), [`/c/riverside#faq-${faq}`]);
    assert.match(list[0].title, /<mark>park<\/mark>/);
    list = await search(`/es/search?q=${q("tramite quillfield")}`);
    assert.deepEqual(list.map((x) => x.url), [`/es/c/riverside#update-${update}`]);
    assert.equal(list[0].kind, "Novedad");
    assert.match(list[0].title, /<mark>Trámites<\/mark>/);
    // The question has no Spanish text: the Spanish page shows it in English, and so does search.
    list = await search(`/es/search?q=${q("families park quillfield")}`);
    assert.deepEqual(list.map((x) => x.url), [`/es/c/riverside#faq-${faq}`]);
    // A new draft after the publish stays out.
    r = await save("riverside", "updates", "en", { target: "new", date: "2026-12-03", title: "Marmalade tasting", body: "Not yet." });
    assert.equal(r.status, 303);
    assert.deepEqual(await search(`/search?q=marmalade`), []);
    assert.equal(sql(srv.db, "SELECT count(*) FROM search_doc WHERE title LIKE '%Marmalade%'"), "0");
  });

  test("hostile text in a block is escaped in the result, with only the index's marks", async () => {
    const r = await save("riverside", "updates", "en", { target: "new", date: "2026-12-04",
      title: `<img src=x onerror=alert(1)> Zanzibarian "notice" & more`,
      body: "The zanzibarian fee is 5 > 3 & [a link](https://example.org/x\"y) here." });
    assert.equal(r.status, 303, (r.html.match(/-error">[^<]*/g) || []).join(" "));
    assert.equal((await publish("riverside")).status, 303);
    const res = await fetch(srv.base + "/search?q=zanzibarian");
    const html = await res.text();
    const list = results(html);
    assert.equal(list.length, 1, JSON.stringify(list));
    assert.equal(list[0].title, "&lt;img src=x onerror=alert(1)&gt; <mark>Zanzibarian</mark> &quot;notice&quot; &amp; more");
    assert.equal(list[0].snippet, "The <mark>zanzibarian</mark> fee is 5 &gt; 3 &amp; a link here.", "escaped, link targets dropped");
    assert.equal(list[0].url, list[0].url.replace(/[<>"&]/g, ""));
    assert.doesNotMatch(html, /<img src=x|example\.org\/x/);
  });

  test("a page in English only is not found from the Spanish search", async () => {
    await create("Lakeshore", "Lakeshore, IL", false);
    assert.ok((await search(`/search?q=lakeshore`)).some((x) => x.url === "/c/lakeshore"));
    const es = await search(`/es/search?q=lakeshore`);
    assert.ok(es.every((x) => !x.url?.includes("/c/lakeshore")), JSON.stringify(es));
  });

  test("archiving takes the page and its blocks out of search at once; bringing it back, in again", async () => {
    assert.equal((await search(`/search?q=quillfield`)).length, 2);
    const arch = () => ed.postForm("/admin/communities/riverside/archive", {}, { from: "/admin/communities/riverside" });
    assert.equal((await arch()).status, 303);
    assert.deepEqual(await search(`/search?q=quillfield`), []);
    assert.deepEqual(await search(`/es/search?q=tramites`).then((l) => l.filter((x) => x.url?.includes("riverside"))), []);
    assert.ok((await search(`/search?q=riverside`)).every((x) => !x.url?.startsWith("/c/riverside")));
    assert.equal(sql(srv.db, "SELECT count(*) FROM search_doc d JOIN community c ON c.id = d.community_id WHERE c.slug = 'riverside'"), "0");
    assert.equal((await arch()).status, 303, "archive again: back to active");
    assert.equal((await search(`/search?q=quillfield`)).length, 2);
  });

  test("a community whose stored blocks are broken keeps its last documents and holds nobody else back", async () => {
    assert.ok((await search(`/search?q=lakeshore`)).some((x) => x.url === "/c/lakeshore"));
    // Broken JSON written from outside, in one of Lakeshore's blocks: it is now listed to write again.
    sql(srv.db, "UPDATE community_block SET published = '{broken' WHERE kind = 'faq' AND " +
      "community_id = (SELECT id FROM community WHERE slug = 'lakeshore')");
    const r = await save("riverside", "faq", "en", { target: "new", question: "Is the Xanthippe room open?", answer: "Yes." });
    assert.equal(r.status, 303, r.html.slice(0, 300));
    assert.equal((await publish("riverside")).status, 303);
    assert.deepEqual((await search(`/search?q=xanthippe`)).map((x) => x.url?.split("#")[0]), ["/c/riverside"]);
    assert.ok((await search(`/search?q=lakeshore`)).some((x) => x.url === "/c/lakeshore"), "its last documents stay");
    assert.match(srv.log, /search: community \d+: its search documents could not be written/);
    assert.equal(sql(srv.db, "SELECT count(*) FROM search_community_pending"), "1", "still listed, to try again");
  });

  test("a library publish shows in the next search, not the cached answer from before it", async () => {
    const EDIT = "/admin/resources/sleep-after-trauma";
    assert.deepEqual(await search(`/search?q=wombatlike`), []);
    const form = formOf((await admin.get(EDIT)).html);
    const r = await admin.request("POST", EDIT, { form: body({ ...form, action: "publish", title: "Wombatlike sleep after trauma" }) });
    assert.equal(r.status, 303, r.html.slice(0, 500));
    const list = await search(`/search?q=wombatlike`);
    assert.deepEqual(list.map((x) => x.url), ["/resources/sleep-after-trauma"]);
  });
});
