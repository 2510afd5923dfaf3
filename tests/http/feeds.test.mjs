// What the site tells crawlers and feed readers, against the real binary: /sitemap.xml validated by
// xmllint against the sitemaps.org 0.9 schema (tests/fixtures), listing every public page once with
// lastmod and its hreflang alternates; robots.txt; the Atom feeds (RFC 4287's required elements); and
// the schema.org JSON-LD of every page the sitemap lists, parsed and checked against the database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startServer } from "../lib/server.mjs";

const SITE = "https://vrc.example.org";
const FIXTURES = resolve(new URL("../fixtures", import.meta.url).pathname);
const HOSTILE = "Calm </script><script>alert(1)</script> <!-- & \u2028 \"quoted\"";
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
    },
  });
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

function parseSitemap(xml) {
  return [...xml.matchAll(/<url>(.*?)<\/url>/gs)].map(([, u]) => ({
    loc: u.match(/<loc>([^<]+)<\/loc>/)[1],
    lastmod: (u.match(/<lastmod>([^<]+)<\/lastmod>/) || [])[1],
    alts: Object.fromEntries([...u.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)]
      .map(([, l, h]) => [l, h])),
  }));
}

test("sitemap.xml: valid against the sitemaps.org schema, every public page once, with lastmod", async () => {
  const r = await fetchText("/sitemap.xml");
  assert.equal(r.status, 200);
  assert.equal(r.type, "application/xml");
  const file = join(srv.dir, "sitemap.xml");
  writeFileSync(file, r.text);
  const lint = spawnSync("xmllint", ["--noout", "--schema", join(FIXTURES, "sitemap.xsd"), file], { encoding: "utf8" });
  assert.equal(lint.status, 0, lint.stderr);
  assert.match(lint.stderr, /validates/);
  const urls = parseSitemap(r.text);
  const want = ["/", "/es/", ...SECTIONS.flatMap((s) => [`/${s}`, `/es/${s}`]), ...published().map((p) => p.path)];
  const got = urls.map((u) => pathOf(u.loc));
  assert.equal(new Set(got).size, got.length, "no address twice");
  assert.deepEqual([...got].sort(), [...want].sort());
  for (const gone of ["/resources/triggers-and-anniversaries", "/resources/sleep-diary-worksheet"])
    assert.ok(!got.includes(gone), `${gone} (archived or draft) is not listed`);
  const byPath = Object.fromEntries(published().map((p) => [p.path, p]));
  for (const u of urls) {
    assert.match(u.lastmod, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, `${u.loc} has lastmod`);
    const p = byPath[pathOf(u.loc)];
    if (p) assert.equal(u.lastmod, p.updated, `${u.loc}: lastmod is the time of its last change`);
  }
  // The ETag lets crawlers revalidate, as for pages; robots.txt names the sitemap.
  const again = await fetch(srv.base + "/sitemap.xml", { headers: { "if-none-match": r.headers.get("etag") } });
  assert.equal(again.status, 304);
});

test("sitemap.xml: hreflang alternates for every translated page, both ways, as the page itself says", async () => {
  const urls = parseSitemap((await fetchText("/sitemap.xml")).text);
  const byLoc = Object.fromEntries(urls.map((u) => [u.loc, u]));
  const byPath = Object.fromEntries(published().map((p) => [p.path, p]));
  let paired = 0;
  for (const u of urls) {
    const path = pathOf(u.loc);
    const p = byPath[path];
    const lang = path.startsWith("/es/") ? "es" : "en";
    const translated = !p || p.translation;
    if (!translated) {
      assert.deepEqual(u.alts, {}, `${path} has no published translation: no alternates`);
      continue;
    }
    paired++;
    assert.equal(u.alts[lang], u.loc, `${path} names itself`);
    const other = u.alts[lang === "es" ? "en" : "es"];
    assert.ok(other, `${path} names its translation`);
    assert.deepEqual(byLoc[other].alts, u.alts, `${path} and its translation agree`);
    const page = (await fetchText(path)).text;
    const alt = page.match(/<link rel="alternate" hreflang="(en|es)" href="([^"]+)">/);
    assert.equal(SITE + alt[2], other, `${path}: the sitemap's alternate is the page's own`);
  }
  assert.ok(paired > 40, `most pages are translated (${paired})`);
  assert.deepEqual(byLoc[SITE + "/resources/caring-for-your-body"].alts, {}, "a translation taken off the site is no alternate");
});

test("robots.txt keeps the console and the API out and names the sitemap", async () => {
  const r = await fetchText("/robots.txt");
  assert.equal(r.status, 200);
  assert.equal(r.type, "text/plain; charset=utf-8");
  const lines = r.text.split("\n");
  assert.ok(lines.includes("User-agent: *"));
  assert.ok(lines.includes("Disallow: /admin/"));
  assert.ok(lines.includes("Disallow: /api/"));
  assert.ok(lines.includes(`Sitemap: ${SITE}/sitemap.xml`));
  assert.ok(!lines.some((l) => /^Disallow: \/$/.test(l)), "the public site is not disallowed");
});

/* The one JSON-LD block of a page, parsed; its raw text must not be able to end the script. */
function jsonld(html, where) {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)];
  assert.equal(blocks.length, 1, `${where}: one JSON-LD block`);
  const raw = blocks[0][1];
  assert.doesNotMatch(raw, /<|>|\u2028|\u2029/, `${where}: nothing in it can end the script or start markup`);
  const doc = JSON.parse(raw);
  assert.equal(doc["@context"], "https://schema.org");
  const nodes = Object.fromEntries(doc["@graph"].map((n) => [n["@type"], n]));
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
  const urls = parseSitemap((await fetchText("/sitemap.xml")).text);
  const byPath = Object.fromEntries(published().map((p) => [p.path, p]));
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
});

test("a title that tries to end the script stays data: escaped in JSON-LD, parsed back exactly", async () => {
  const html = (await fetchText("/resources/calming-stress-after-violence")).text;
  const nodes = jsonld(html, "hostile");
  assert.equal(nodes.Article.headline, HOSTILE);
  assert.equal(html.match(/<script/g).length, 2, "the page's script and the JSON-LD block, nothing more");
  assert.ok(html.includes("<h1>Calm &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "HTML escaping is unchanged");
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
