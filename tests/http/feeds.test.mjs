// What the site tells crawlers and feed readers, against the real binary: /sitemap.xml, a sitemap
// index, and each sitemap it names validated by xmllint against the sitemaps.org 0.9 schemas
// (tests/fixtures), together listing every public page once (compared with the pages `vrc export`
// writes) with lastmod and symmetric hreflang alternates, community pages included and kept current
// as they are created, published and archived on the running server; robots.txt; the Atom feeds
// (RFC 4287's required elements); and the schema.org JSON-LD of every page the sitemap lists, parsed,
// each node with its type's required properties, and checked against the database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync, readdirSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { startServer, bin } from "../lib/server.mjs";
import { Client, addUser } from "../lib/admin.mjs";

const SITE = "https://vrc.example.org";
const FIXTURES = resolve(new URL("../fixtures", import.meta.url).pathname);
const HOSTILE = "Calm </script><script>alert(1)</script> <!-- & \u2028 \"quoted\"";
const HOSTILE_NAME = "Town </script><script>alert(1)</script> \"quoted\" 'single' <!-- & \u2028";
const PW = "correct horse battery staple";
const sql = (db, q) => spawnSync("sqlite3", ["-separator", "\t", db, q], { encoding: "utf8" }).stdout.trim();
const rows = (db, q) => sql(db, q).split("\n").filter(Boolean).map((l) => l.split("\t"));

let srv;
const fetchText = async (p) => {
  const r = await fetch(srv.base + p);
  return { status: r.status, type: r.headers.get("content-type"), headers: r.headers, text: await r.text() };
};
const pathOf = (url) => {
  assert.ok(url.startsWith(SITE), `${url} is on the site`);
  return url.slice(SITE.length);
};

before(async () => {
  srv = await startServer(["--public-url", SITE + "/"], {
    prepare(db) {
      sql(db, "UPDATE resource SET reviewed_at = '2026-11-20', reviewer = 'Dr. Rita Reviewer, PhD' WHERE slug = 'sleep-after-trauma'");
      sql(db, `UPDATE resource SET title = '${HOSTILE.replace(/'/g, "''")}' WHERE slug = 'calming-stress-after-violence'`);
      sql(db, `UPDATE revision SET title = '${HOSTILE.replace(/'/g, "''")}' WHERE state = 'published' AND resource_id = (SELECT id FROM resource WHERE slug = 'calming-stress-after-violence')`);
      sql(db, "UPDATE resource SET status = 'archived' WHERE slug = 'triggers-and-anniversaries'");
      sql(db, "UPDATE resource SET status = 'draft' WHERE slug = 'sleep-diary-worksheet'");
      // An English page whose Spanish translation is off the site has no alternate.
      sql(db, "UPDATE resource SET status = 'archived' WHERE slug = (SELECT translation FROM resource WHERE slug = 'caring-for-your-body')");
      // Community pages: in two languages, in one, with a hostile name, and one archived.
      const community = (...args) => {
        const r = spawnSync(bin, ["community", "create", "--db", db, ...args], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
      };
      community("--slug", "springfield", "--name", "Springfield", "--place", "Springfield, IL", "--date", "2026-11-28", "--lang", "en,es", "--tz", "America/Chicago");
      community("--slug", "ogden", "--name", "Ogden", "--place", "Ogden, UT", "--lang", "en");
      community("--slug", "hostile", "--name", HOSTILE_NAME, "--lang", "en,es");
      community("--slug", "oldtown", "--name", "Old Town", "--lang", "en,es");
      sql(db, "UPDATE community SET status = 'archived' WHERE slug = 'oldtown'");
    },
  });
  addUser(srv.db, "editor@example.org", "editor", PW);
});

after(async () => {
  assert.equal(await srv.stop(), 0, srv.log.slice(-2000));
});

function published() {
  return rows(srv.db, "SELECT r.slug, r.lang, r.updated_at, coalesce(r.translation, ''), coalesce(t.status, ''), " +
    "coalesce(r.reviewed_at, ''), coalesce(r.reviewer, ''), r.id FROM resource r LEFT JOIN resource t ON t.slug = r.translation " +
    "WHERE r.status = 'published'").map(([slug, lang, updated, tr, trStatus, reviewedAt, reviewer, id]) => ({
    slug, lang, updated, translation: trStatus === "published" ? tr : null, reviewedAt, reviewer, id,
    path: `${lang === "es" ? "/es" : ""}/resources/${slug}`,
  }));
}

const SECTIONS = ["victim-social-services", "social-connection", "health-wellness", "grief-trauma"];

// The sitemap index and every sitemap it names, each validated against its schema; the <url>
// entries of all of them, in order, and the parts.
async function sitemap() {
  const index = await fetchText("/sitemap.xml");
  assert.equal(index.status, 200);
  assert.equal(index.type, "application/xml");
  xmlValid(index.text, "siteindex.xsd", "sitemap.xml");
  const parts = [...index.text.matchAll(/<sitemap><loc>([^<]+)<\/loc>(?:<lastmod>([^<]+)<\/lastmod>)?<\/sitemap>/g)]
    .map(([, loc, lastmod]) => ({ loc, lastmod }));
  assert.ok(parts.length >= 3, "the home and section pages, the library and the community pages");
  const urls = [];
  for (const p of parts) {
    const path = pathOf(p.loc);
    assert.match(path, /^\/sitemap-[a-z]+-\d+\.xml$/, "sitemaps sit at the root, where they may name any page");
    const r = await fetchText(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.type, "application/xml");
    xmlValid(r.text, "sitemap.xsd", path.slice(1));
    const mine = parseSitemap(r.text);
    assert.ok(mine.length > 0 && mine.length <= 50000 && Buffer.byteLength(r.text) <= 50 * 1024 * 1024);
    const newest = mine.map((u) => u.lastmod).filter(Boolean).sort().at(-1);
    assert.equal(p.lastmod, newest, `${path}: the index's lastmod is its newest page's`);
    urls.push(...mine);
  }
  return { index, parts, urls };
}

function xmlValid(text, schema, name) {
  const file = join(srv.dir, name);
  writeFileSync(file, text);
  const lint = spawnSync("xmllint", ["--noout", "--schema", join(FIXTURES, schema), file], { encoding: "utf8" });
  assert.equal(lint.status, 0, `${name}: ${lint.stderr}`);
  assert.match(lint.stderr, /validates/);
}

// The pages `vrc export` writes (the server's own list of public pages, rendered), as URL paths:
// what a sitemap must list, less the flyers (a printout of a page already listed) and error pages.
function exportedPages() {
  const out = join(srv.dir, "export");
  const r = spawnSync(bin, ["export", "--out", out, "--db", srv.db, "--public-url", SITE], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(relative(out, join(d, e.name)));
  };
  walk(out);
  return files.filter((f) => f.endsWith(".html") && !f.startsWith("_gone/") && !/^(es\/)?(404|500)\.html$/.test(f))
    .map((f) => "/" + f.replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, ""));
}

function communityChanged(slug) {
  return sql(srv.db, `SELECT max(updated_at, coalesce((SELECT max(published_at) FROM community_block WHERE community_id = c.id), '')) FROM community c WHERE slug = '${slug}'`);
}

function parseSitemap(xml) {
  return [...xml.matchAll(/<url>(.*?)<\/url>/gs)].map(([, u]) => ({
    loc: u.match(/<loc>([^<]+)<\/loc>/)[1],
    lastmod: (u.match(/<lastmod>([^<]+)<\/lastmod>/) || [])[1],
    alts: Object.fromEntries([...u.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)]
      .map(([, l, h]) => [l, h])),
  }));
}

test("sitemap.xml: an index of valid sitemaps listing every public page once, with lastmod", async () => {
  const { index, urls } = await sitemap();
  const got = urls.map((u) => pathOf(u.loc));
  assert.equal(new Set(got).size, got.length, "no address twice");
  const pages = exportedPages();
  const flyers = pages.filter((p) => p.endsWith("/flyer"));
  assert.ok(flyers.length >= 6, "the export has the flyers");
  const archived = ["/c/oldtown", "/es/c/oldtown"];
  for (const p of archived) assert.ok(pages.includes(p), `${p} is still served`);
  const want = pages.filter((p) => !p.endsWith("/flyer") && !archived.includes(p));
  assert.deepEqual([...got].sort(), [...want].sort(), "the sitemaps list exactly the public pages");
  // And the library as the database has it, as before.
  const library = ["/", "/es/", ...SECTIONS.flatMap((s) => [`/${s}`, `/es/${s}`]), ...published().map((p) => p.path)];
  for (const p of library) assert.ok(got.includes(p), p);
  for (const gone of ["/resources/triggers-and-anniversaries", "/resources/sleep-diary-worksheet", ...archived, "/es/c/ogden"])
    assert.ok(!got.includes(gone), `${gone} (archived, draft or not offered) is not listed`);
  for (const p of ["/c/springfield", "/es/c/springfield", "/c/ogden", "/c/hostile", "/es/c/hostile"])
    assert.ok(got.includes(p), `${p} is listed`);
  assert.ok(!got.some((p) => /\.(atom|ics)$|\/flyer$/.test(p)), "feeds, event files and flyers are not pages to index");
  const byPath = Object.fromEntries(published().map((p) => [p.path, p]));
  for (const u of urls) {
    assert.match(u.lastmod, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, `${u.loc} has lastmod`);
    const path = pathOf(u.loc);
    const p = byPath[path];
    if (p) assert.equal(u.lastmod, p.updated, `${u.loc}: lastmod is the time of its last change`);
    const c = path.match(/^(?:\/es)?\/c\/([a-z0-9-]+)$/);
    if (c) assert.equal(u.lastmod, communityChanged(c[1]), `${u.loc}: lastmod is its latest publish`);
  }
  // The ETag lets crawlers revalidate, as for pages; robots.txt names the index.
  const again = await fetch(srv.base + "/sitemap.xml", { headers: { "if-none-match": index.headers.get("etag") } });
  assert.equal(again.status, 304);
});

test("sitemap.xml: hreflang alternates for every translated page, both ways, as the page itself says", async () => {
  const { urls } = await sitemap();
  const byLoc = Object.fromEntries(urls.map((u) => [u.loc, u]));
  const byPath = Object.fromEntries(published().map((p) => [p.path, p]));
  // Symmetric everywhere: a page names itself, and every page it names lists the same set.
  for (const u of urls) {
    const alts = Object.entries(u.alts);
    if (!alts.length) continue;
    assert.ok(alts.length >= 2, `${u.loc}: an alternate set names at least one other language`);
    assert.ok(alts.some(([, h]) => h === u.loc), `${u.loc} names itself`);
    for (const [lang, href] of alts) {
      assert.ok(byLoc[href], `${u.loc}: its ${lang} alternate ${href} is in the sitemap`);
      assert.deepEqual(byLoc[href].alts, u.alts, `${u.loc} and ${href} agree`);
      const path = pathOf(href);
      assert.equal(lang, path.startsWith("/es/") ? "es" : "en", `${href} is in ${lang}`);
    }
  }
  let paired = 0;
  for (const u of urls) {
    const path = pathOf(u.loc);
    const p = byPath[path];
    const lang = path.startsWith("/es/") ? "es" : "en";
    const community = /\/c\//.test(path);
    const translated = community ? !path.endsWith("/ogden") : !p || p.translation;
    if (!translated) {
      assert.deepEqual(u.alts, {}, `${path} has no published translation: no alternates`);
      continue;
    }
    paired++;
    assert.equal(u.alts[lang], u.loc, `${path} names itself`);
    const other = u.alts[lang === "es" ? "en" : "es"];
    assert.ok(other, `${path} names its translation`);
    const page = (await fetchText(path)).text;
    const heads = [...page.matchAll(/<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">/g)].map(([, l, h]) => [l, h]);
    // Every page names every language by full address, itself included, as the sitemap does.
    assert.deepEqual(Object.fromEntries(heads), u.alts, `${path}: the page's alternates are the sitemap's`);
  }
  assert.ok(paired > 40, `most pages are translated (${paired})`);
  assert.deepEqual(byLoc[SITE + "/resources/caring-for-your-body"].alts, {}, "a translation taken off the site is no alternate");
  assert.deepEqual(byLoc[SITE + "/c/ogden"].alts, {}, "a community page in one language has no alternates");
  // Nor do their heads claim one (the language switch of an untranslated resource leads to a home page).
  for (const path of ["/c/ogden", "/resources/caring-for-your-body"]) {
    const page = (await fetchText(path)).text;
    assert.ok(!/<link rel="alternate" hreflang=/.test(page), `${path}: no alternate in its head`);
  }
});

test("robots.txt keeps the console, the API and search results out and names the sitemap", async () => {
  const r = await fetchText("/robots.txt");
  assert.equal(r.status, 200);
  assert.equal(r.type, "text/plain; charset=utf-8");
  const lines = r.text.split("\n");
  assert.ok(lines.includes("User-agent: *"));
  assert.ok(lines.includes("Disallow: /admin/"));
  assert.ok(lines.includes("Disallow: /api/"));
  assert.ok(lines.includes("Disallow: /search") && lines.includes("Disallow: /es/search"), "nor our search results");
  assert.ok(lines.includes(`Sitemap: ${SITE}/sitemap.xml`));
  assert.ok(!lines.some((l) => /^Disallow: \/$/.test(l)), "the public site is not disallowed");
});

// What each schema.org type must carry here (Google's required properties where it has a rich
// result for the type, schema.org's meaning otherwise), checked on every node of every page.
const REQUIRED = {
  Organization: ["@id", "name", "url"],
  WebSite: ["@id", "name", "url", "inLanguage", "potentialAction"],
  WebPage: ["@id", "url", "name", "inLanguage", "isPartOf"],
  FAQPage: ["@id", "url", "name", "inLanguage", "isPartOf", "mainEntity"],
  CollectionPage: ["@id", "url", "name", "description", "inLanguage", "breadcrumb"],
  Article: ["@id", "headline", "datePublished", "dateModified", "inLanguage", "author", "publisher", "mainEntityOfPage"],
  Event: ["@id", "name", "startDate", "location", "eventStatus", "eventAttendanceMode"],
  CivicStructure: ["name"],
  Service: ["name"],
  SpecialAnnouncement: ["name", "text", "datePosted", "url"],
};

function checkNode(n, where) {
  const req = REQUIRED[n["@type"]];
  assert.ok(req, `${where}: a node of a known type (${n["@type"]})`);
  for (const k of req) assert.ok(k in n, `${where}: ${n["@type"]} has ${k}`);
  // No property without data: no empty strings, arrays or objects anywhere.
  const walk = (v, at) => {
    if (typeof v === "string") assert.ok(v.length > 0, `${where}: ${at} is not empty`);
    else if (Array.isArray(v)) { assert.ok(v.length > 0, `${where}: ${at} is not empty`); v.forEach((x, i) => walk(x, `${at}[${i}]`)); }
    else if (v && typeof v === "object") { assert.ok(Object.keys(v).length > 0, `${where}: ${at}`); for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`); }
  };
  walk(n, n["@type"]);
  if (n["@type"] === "Event") {
    assert.match(n.startDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/, `${where}: a start with its offset`);
    if (n.endDate) assert.match(n.endDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/);
    assert.equal(n.location["@type"], "Place");
    assert.ok(n.location.name);
  }
  if (n["@type"] === "FAQPage")
    for (const q of n.mainEntity) {
      assert.equal(q["@type"], "Question");
      assert.ok(q.name && q.acceptedAnswer["@type"] === "Answer" && q.acceptedAnswer.text, `${where}: a question and its answer`);
    }
}

/* The one JSON-LD block of a page, parsed; its raw text must not be able to end the script. */
function jsonld(html, where) {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)];
  assert.equal(blocks.length, 1, `${where}: one JSON-LD block`);
  const raw = blocks[0][1];
  assert.doesNotMatch(raw, /<|>|\u2028|\u2029/, `${where}: nothing in it can end the script or start markup`);
  const doc = JSON.parse(raw);
  assert.equal(doc["@context"], "https://schema.org");
  for (const n of doc["@graph"]) checkNode(n, where);
  const nodes = Object.fromEntries(doc["@graph"].map((n) => [n["@type"], n]));
  nodes.all = doc["@graph"];
  const ids = new Set(doc["@graph"].map((n) => n["@id"]));
  const refs = JSON.stringify(doc).match(/"@id":"[^"]+"/g).map((s) => s.slice(7, -1));
  for (const id of refs) assert.ok(ids.has(id) || id.endsWith("#article"), `${where}: @id ${id} is in the graph`);
  return nodes;
}

function checkSite(nodes, lang, where) {
  const home = lang === "es" ? `${SITE}/es/` : `${SITE}/`;
  assert.equal(nodes.Organization.url, home, where);
  assert.ok(nodes.Organization.name, where);
  const ws = nodes.WebSite;
  assert.equal(ws.url, home);
  assert.equal(ws.inLanguage, lang);
  assert.equal(ws.publisher["@id"], nodes.Organization["@id"]);
  const action = ws.potentialAction;
  assert.equal(action["@type"], "SearchAction");
  assert.equal(action.target.urlTemplate, `${SITE}${lang === "es" ? "/es" : ""}/search?q={search_term_string}`);
  assert.equal(action["query-input"], "required name=search_term_string");
}

test("JSON-LD on every public page: valid, complete, and true to the database", async () => {
  const { urls } = await sitemap();
  const byPath = Object.fromEntries(published().map((p) => [p.path, p]));
  let communities = 0;
  let reviewed = 0;
  for (const u of urls) {
    const path = pathOf(u.loc);
    const r = await fetchText(path);
    assert.equal(r.status, 200, path);
    const lang = path.startsWith("/es/") ? "es" : "en";
    const nodes = jsonld(r.text, path);
    checkSite(nodes, lang, path);
    const p = byPath[path];
    if (path === "/" || path === "/es/") {
      assert.equal(nodes.WebPage["@id"], u.loc);
      assert.ok(r.text.includes(`<link rel="alternate" type="application/atom+xml" href="${lang === "es" ? "/es/" : "/"}updates.atom"`));
      continue;
    }
    const c = path.match(/^(?:\/es)?\/c\/([a-z0-9-]+)$/);
    if (c) {
      communities++;
      const [name, place, created] = rows(srv.db, `SELECT name, place, created_at FROM community WHERE slug = '${c[1]}'`)[0];
      const page = nodes.WebPage || nodes.FAQPage;
      assert.equal(page["@id"], u.loc);
      assert.equal(page.url, u.loc);
      assert.equal(page.name, name, path);
      assert.equal(page.inLanguage, lang);
      assert.equal(page.datePublished, created);
      assert.equal(page.dateModified, u.lastmod, `${path}: dateModified is the sitemap's lastmod`);
      assert.equal(page.publisher["@id"], nodes.Organization["@id"]);
      assert.equal(page.isPartOf["@id"], nodes.WebSite["@id"]);
      if (place) assert.deepEqual(page.about, { "@type": "Place", name: place });
      else assert.ok(!("about" in page), `${path}: no place, no about`);
      assert.ok(page.description, `${path}: the key message`);
      assert.deepEqual(page.breadcrumb.itemListElement.map((i) => i.position), [1, 2]);
      assert.ok(!JSON.stringify(nodes.all).includes("isAccessibleForFree"), `${path}: nothing claimed without data`);
      continue;
    }
    if (!p) {
      const cp = nodes.CollectionPage;
      assert.equal(cp.url, u.loc, path);
      assert.equal(cp.inLanguage, lang);
      assert.ok(cp.name && cp.description);
      assert.equal(cp.breadcrumb.itemListElement.length, 2);
      continue;
    }
    const [title, summary] = rows(srv.db, `SELECT title, summary FROM resource WHERE slug = '${p.slug}'`)[0];
    const a = nodes.Article, page = nodes.WebPage;
    assert.equal(a.headline, title, path);
    assert.equal(a.description, summary, path);
    assert.equal(a.inLanguage, lang);
    assert.equal(a.dateModified, p.updated);
    assert.match(a.datePublished, /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(a.mainEntityOfPage["@id"], u.loc);
    assert.equal(page.mainEntity["@id"], a["@id"]);
    assert.equal(page.url, u.loc);
    const sources = rows(srv.db, `SELECT title, url FROM resource_source WHERE resource_id = ${p.id} ORDER BY position`);
    assert.ok(sources.length > 0, `${path} cites sources`);
    assert.deepEqual(a.citation.map((c) => [c.name, c.url]), sources, `${path}: citation is its sources`);
    assert.ok(a.citation.every((c) => c["@type"] === "CreativeWork" && /^(en|es)$/.test(c.inLanguage)));
    if (p.translation)
      assert.equal(a.workTranslation["@id"], `${SITE}${lang === "es" ? "" : "/es"}/resources/${p.translation}#article`);
    else
      assert.ok(!("workTranslation" in a), path);
    // A review is claimed only when one took place (schema.org puts it on the WebPage).
    if (p.reviewedAt && p.reviewer) {
      reviewed++;
      assert.equal(page.lastReviewed, p.reviewedAt, path);
      assert.deepEqual(page.reviewedBy, { "@type": "Person", name: p.reviewer });
      assert.match(r.text, /class="vrc-reviewed"/);
    } else {
      assert.ok(!("lastReviewed" in page) && !("reviewedBy" in page) && !("lastReviewed" in a), `${path}: no review claimed`);
    }
    assert.deepEqual(page.breadcrumb.itemListElement.map((i) => i.position), [1, 2, 3]);
  }
  assert.equal(reviewed, 1, "the one reviewed page says so");
  assert.equal(communities, 5, "the community pages are checked too");
});

test("a title that tries to end the script stays data: escaped in JSON-LD, parsed back exactly", async () => {
  const html = (await fetchText("/resources/calming-stress-after-violence")).text;
  const nodes = jsonld(html, "hostile");
  assert.equal(nodes.Article.headline, HOSTILE);
  assert.equal(html.match(/<script/g).length, 2, "the page's script and the JSON-LD block, nothing more");
  assert.ok(html.includes("<h1>Calm &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "HTML escaping is unchanged");
});

test("a community name that tries to end the script stays data in its JSON-LD, parsed back exactly", async () => {
  for (const path of ["/c/hostile", "/es/c/hostile"]) {
    const html = (await fetchText(path)).text;
    const nodes = jsonld(html, path);
    assert.equal(nodes.WebPage.name, HOSTILE_NAME);
    assert.equal(nodes.WebPage.breadcrumb.itemListElement[1].name, HOSTILE_NAME);
    assert.equal(html.match(/<script/g).length, 2, "the page's script and the JSON-LD block, nothing more");
    assert.ok(!html.includes("<script>alert"), "no script from the name");
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sitemapEntry = async (path) => (await sitemap()).urls.find((u) => u.loc === SITE + path);

test("a community created, published and archived while serving: the sitemap and JSON-LD follow at once", async () => {
  const ed = new Client(srv.base);
  assert.equal((await ed.signIn("editor@example.org", PW)).status, 303);
  const created = await ed.postForm("/admin/communities/new", {
    name: "Riverside", place: "Riverside, CA", date: "2026-11-20", timezone: "America/Chicago",
    key_message: "The center is open at **9 River Rd**.", street: "9 River Rd", city: "Riverside", state: "CA",
    postal: "92501", hours: "Mon-Fri 9:00-17:00", phone: "(951) 555-0100", lang_es: "on",
  }, { from: "/admin/communities/new" });
  assert.equal(created.status, 303, created.html.slice(0, 300));
  let en = await sitemapEntry("/c/riverside");
  assert.ok(en, "a new community page is in the sitemap at once");
  assert.ok(await sitemapEntry("/es/c/riverside"), "in each language it offers");
  assert.deepEqual(en.alts, { en: `${SITE}/c/riverside`, es: `${SITE}/es/c/riverside` });
  assert.equal(en.lastmod, communityChanged("riverside"));
  assert.ok((await sitemapEntry("/")).lastmod >= en.lastmod, "the home page lists it: its lastmod follows");
  let nodes = jsonld((await fetchText("/c/riverside")).text, "riverside");
  assert.ok(!nodes.Event, "no events yet");
  assert.equal(nodes.WebPage.dateModified, en.lastmod);
  assert.equal(nodes.CivicStructure.address.streetAddress, "9 River Rd");
  assert.equal(nodes.CivicStructure.telephone, "(951) 555-0100");
  assert.ok(!("addressCountry" in nodes.CivicStructure.address), "no country the form did not ask for");
  assert.equal(nodes.SpecialAnnouncement.text, "The center is open at 9 River Rd.");

  await sleep(1100); // publish times are in seconds: let this one be later
  const year = new Date().getUTCFullYear() + 1;
  const save = (block, fields) => ed.postForm(`/admin/communities/riverside/${block}/en`, { target: "new", ...fields },
    { from: `/admin/communities/riverside/${block}/en` });
  const events = [
    { kind: "vigil", title: "Candlelight vigil", start: `${year}-12-05T18:00`, end: `${year}-12-05T19:30`, timezone: "America/Chicago", place: "City Hall steps", address: "300 Main St, Riverside, CA", description: "Bring a **candle**." },
    { kind: "memorial", title: "Spring memorial", start: `${year}-05-01T10:00`, timezone: "America/Chicago", place: "Riverside Park" },
    { kind: "town_hall", title: "Past town hall", start: "2020-05-01T10:00", timezone: "America/Chicago", place: "Library" },
  ];
  for (const e of events) assert.equal((await save("events", e)).status, 303, e.title);
  assert.equal((await save("faq", { question: "Where do I park?", answer: "Free parking on **Main St**." })).status, 303);
  const pub = await ed.postForm("/admin/communities/riverside/publish", {}, { from: "/admin/communities/riverside" });
  assert.equal(pub.status, 303);
  const after = await sitemapEntry("/c/riverside");
  assert.ok(after.lastmod > en.lastmod, "lastmod moves with a publish");
  assert.equal(after.lastmod, communityChanged("riverside"));
  assert.equal((await sitemapEntry("/es/c/riverside")).lastmod, after.lastmod, "every language of the page changed");

  nodes = jsonld((await fetchText("/c/riverside")).text, "riverside");
  const page = nodes.FAQPage;
  assert.ok(page, "its own question makes the page an FAQPage");
  assert.equal(page.dateModified, after.lastmod);
  assert.deepEqual(page.mainEntity.map((q) => q.name), ["Where do I park?"], "the template's questions, on every page, are left out");
  assert.match(page.mainEntity[0].acceptedAnswer.text, /Free parking on <strong>Main St<\/strong>\./);
  const evs = nodes.all.filter((n) => n["@type"] === "Event");
  assert.deepEqual(evs.map((e) => e.name).sort(), ["Candlelight vigil", "Spring memorial"], "events to come, not past ones");
  const vigil = evs.find((e) => e.name === "Candlelight vigil");
  assert.equal(vigil.startDate, `${year}-12-05T18:00:00-06:00`);
  assert.equal(vigil.endDate, `${year}-12-05T19:30:00-06:00`);
  assert.deepEqual(vigil.location, { "@type": "Place", name: "City Hall steps", address: "300 Main St, Riverside, CA" });
  assert.equal(vigil.description, "Bring a candle.");
  assert.equal(vigil.url, `${SITE}/c/riverside#event-${vigil["@id"].split("#event-")[1]}`);
  const spring = evs.find((e) => e.name === "Spring memorial");
  assert.equal(spring.startDate, `${year}-05-01T10:00:00-05:00`, "daylight time in May");
  assert.ok(!("endDate" in spring) && !("address" in spring.location) && !("description" in spring), "nothing the block does not have");
  const html = (await fetchText("/c/riverside")).text;
  assert.ok(html.includes(`id="event-${vigil["@id"].split("#event-")[1]}"`), "the event's address is an anchor on the page");
  // The Spanish page shows the English question as a fallback: not its own FAQ in Spanish.
  const es = jsonld((await fetchText("/es/c/riverside")).text, "riverside es");
  assert.ok(es.WebPage && !es.FAQPage, "no FAQPage from questions written in another language");

  const arch = await ed.postForm("/admin/communities/riverside/archive", {}, { from: "/admin/communities/riverside" });
  assert.equal(arch.status, 303);
  assert.equal((await fetchText("/c/riverside")).status, 200, "still at its address");
  const { urls } = await sitemap();
  assert.ok(!urls.some((u) => u.loc.includes("/c/riverside")), "an archived page leaves the sitemap at once");
});

function atomChecks(xml, lang) {
  const file = join(srv.dir, `feed-${lang}.atom`);
  writeFileSync(file, xml);
  const lint = spawnSync("xmllint", ["--noout", file], { encoding: "utf8" });
  assert.equal(lint.status, 0, "well-formed XML: " + lint.stderr);
  const head = xml.split("<entry>")[0];
  assert.match(head, new RegExp(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">`));
  const self = `${SITE}${lang === "es" ? "/es" : ""}/updates.atom`;
  assert.ok(head.includes(`<id>${self}</id>`), "feed id");
  assert.match(head, /<title>[^<]+<\/title>/);
  assert.match(head, /<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/updated>/);
  assert.match(head, /<author><name>[^<]+<\/name>/);
  assert.ok(head.includes(`<link rel="self" type="application/atom+xml" href="${self}"/>`));
  const entries = [...xml.matchAll(/<entry>(.*?)<\/entry>/gs)].map(([, e]) => e);
  const ids = new Set();
  for (const e of entries) {
    const id = e.match(/<id>([^<]+)<\/id>/)[1];
    assert.match(id, /^tag:vrc\.example\.org,\d{4}-\d{2}-\d{2}:revision\/\d+$/);
    assert.ok(!ids.has(id), "entry ids are unique");
    ids.add(id);
    assert.match(e, /<title>[^<]+<\/title>/);
    assert.match(e, /<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/updated>/);
    assert.match(e, new RegExp(`<link rel="alternate" type="text/html" href="${SITE}${lang === "es" ? "/es" : ""}/resources/[a-z0-9-]+"/>`));
    assert.match(e, /<category term="(new|revised)"/);
  }
  return entries;
}

test("Atom feeds in English and Spanish: RFC 4287's required elements, new and revised resources", async () => {
  for (const lang of ["en", "es"]) {
    const r = await fetchText(lang === "es" ? "/es/updates.atom" : "/updates.atom");
    assert.equal(r.status, 200);
    assert.equal(r.type, "application/atom+xml; charset=utf-8");
    const entries = atomChecks(r.text, lang);
    const n = Number(sql(srv.db, `SELECT count(*) FROM revision v JOIN resource r ON r.id = v.resource_id WHERE v.state = 'published' AND r.status = 'published' AND r.lang = '${lang}'`));
    assert.equal(entries.length, Math.min(50, n));
    assert.match(entries[0], new RegExp(`<title>${lang === "es" ? "Nuevo" : "New"}: `));
    const link = entries[0].match(/href="([^"]+)"/)[1];
    assert.equal((await fetchText(pathOf(link))).status, 200, "an entry leads to its page");
  }
  const en = (await fetchText("/updates.atom")).text;
  assert.ok(!en.includes("/resources/triggers-and-anniversaries"), "archived resources leave the feed");
  assert.ok(en.includes("Calm &lt;/script&gt;"), "titles are escaped as XML");
});
