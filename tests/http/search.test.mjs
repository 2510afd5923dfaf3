// Site search, black-box against the real library: stemming and folded diacritics in both languages,
// crisis lines first, titles above bodies, hostile queries escaped, the no-results and empty pages,
// the index following a change written by another client, the per-address limit (429), and no query
// text in the access log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startServer } from "../lib/server.mjs";

let srv;
before(async () => { srv = await startServer(["--search-limit", "0"]); });
after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
});

const get = (base, path) => fetch(base + path, { redirect: "manual" });
const search = async (path, base = srv.base) => {
  const r = await get(base, path);
  return { r, html: await r.text() };
};
const q = (s) => encodeURIComponent(s);
// The result links, in order, from the results list.
const results = (html) => [...html.matchAll(/<h3 class="vrc-search__title">(?:<a href="([^"]*)">)?(.*?)(?:<\/a>)?<\/h3>/g)]
  .map((m) => ({ url: m[1], title: m[2] }));
const sql = (db, s) => spawnSync("sqlite3", [db, s], { encoding: "utf8" });

function assertSearchPage(r, html, lang) {
  assert.match(r.headers.get("content-type"), /^text\/html; charset=utf-8/);
  assert.equal(r.headers.get("cache-control"), "no-store", "search pages depend on the query: never stored");
  assert.match(r.headers.get("content-security-policy") || "", /default-src 'self'/);
  assert.equal(r.headers.get("x-robots-tag"), "noindex");
  assert.match(html, new RegExp(`<html lang="${lang}">`));
  assert.match(html, /role="search"/);
  assert.match(html, /id="crisis-lines"/, "the crisis panel is on every search page");
  assert.match(html, /href="tel:988"/);
}

test("English: a stem finds its family (grieving → grief), titles highlighted, ranked above body matches", async () => {
  const { r, html } = await search(`/search?q=grieving`);
  assert.equal(r.status, 200);
  assertSearchPage(r, html, "en");
  const list = results(html);
  assert.ok(list.length >= 3, `results for grieving: ${list.length}`);
  const title = list.findIndex((x) => x.url === "/resources/grief-and-prolonged-grief");
  const body = list.findIndex((x) => x.url === "/resources/when-a-loved-one-is-killed");
  assert.ok(title >= 0 && body >= 0, JSON.stringify(list));
  assert.ok(title < body, "a title match ranks above a body match");
  assert.match(list[title].title, /<mark>Grief<\/mark>/);
  assert.doesNotMatch(list[body].title, /<mark>/);
  assert.match(html, /class="vrc-search__snippet">[^\n]*<mark>(grief|grieve|grieving)<\/mark>/i);
  // The count is said, in words.
  assert.match(html, /\(\d+ results\)/);
});

test("Spanish: plurals and missing accents (duelos → duelo, tramites → trámites)", async () => {
  for (const [word, url, marked] of [
    ["duelos", "/es/resources/el-duelo-y-el-duelo-prolongado", /<mark>duelo<\/mark>/],
    ["tramites", "/es/resources/encontrar-un-defensor-de-victimas-y-ayuda-local", /<mark>trámites<\/mark>/],
    ["TRÁMITE", "/es/resources/encontrar-un-defensor-de-victimas-y-ayuda-local", /<mark>trámites<\/mark>/],
  ]) {
    const { r, html } = await search(`/es/search?q=${q(word)}`);
    assert.equal(r.status, 200, word);
    assertSearchPage(r, html, "es");
    assert.ok(results(html).some((x) => x.url === url), `${word} finds ${url}`);
    assert.match(html, marked, `${word}: the matched word is highlighted`);
    assert.match(html, /\(\d+ resultados?\)/);
  }
  // Spanish pages find Spanish documents only; the title above the body in Spanish too.
  const list = results((await search(`/es/search?q=duelo`)).html);
  assert.ok(list.every((x) => !x.url || x.url.startsWith("/es/")), JSON.stringify(list));
  const title = list.findIndex((x) => x.url === "/es/resources/el-duelo-y-el-duelo-prolongado");
  const body = list.findIndex((x) => x.url === "/es/resources/cuando-matan-a-un-ser-querido");
  assert.ok(title >= 0 && body > title, JSON.stringify(list));
});

test("hotlines and topics are found, with a hotline's contacts on the page", async () => {
  const { html } = await search(`/search?q=${q("veterans")}`);
  assert.match(html, /<mark>Veterans<\/mark> Crisis Line/);
  assert.match(html, /class="usa-tag">Help line</);
  const list = html.slice(html.indexOf('id="search-results-heading"'), html.indexOf("</ol>"));
  assert.match(list, /href="sms:838255"/, "the line's contacts are in its result");
  const es = (await search(`/es/search?q=${q("veteranos")}`)).html;
  assert.match(es, /Línea de Crisis para <mark>Veteranos<\/mark>/);
  const topic = (await search(`/search?q=sleep`)).html;
  assert.ok(results(topic).some((x) => x.url === "/health-wellness#sleep"), "the Sleep topic links to its section");
});

test("crisis words put the crisis lines above the results, in English and in Spanish", async () => {
  for (const [path, lang, heading] of [
    [`/search?q=${q("I want to die")}`, "en", "You do not have to go through this alone"],
    [`/search?q=${q("suicide")}`, "en", "You do not have to go through this alone"],
    [`/search?q=${q("how do I stop self-harm")}`, "en", "You do not have to go through this alone"],
    [`/es/search?q=${q("quiero morir")}`, "es", "No tiene que pasar por esto a solas"],
    [`/es/search?q=${q("AUTOLESIÓN")}`, "es", "No tiene que pasar por esto a solas"],
    [`/es/search?q=${q("hacerme dano")}`, "es", "No tiene que pasar por esto a solas"],
  ]) {
    const { r, html } = await search(path);
    assert.equal(r.status, 200, path);
    assertSearchPage(r, html, lang);
    const box = html.indexOf('class="vrc-search__crisis"');
    assert.ok(box > 0, `${path}: crisis box`);
    assert.ok(html.includes(heading), path);
    const main = html.slice(box);
    assert.match(main, /href="tel:988"/, `${path}: 988 in the box`);
    const res = html.indexOf('id="search-results-heading"'), none = html.indexOf('id="search-none-heading"');
    assert.ok(Math.max(res, none) > box, `${path}: the box comes before the results`);
  }
  const calm = (await search(`/search?q=${q("victim compensation")}`)).html;
  assert.doesNotMatch(calm, /vrc-search__crisis/, "an everyday query has no crisis box");
});

test("hostile queries are text: escaped on the page, never query syntax, never an error", async () => {
  for (const hostile of ['<script>alert(1)</script>', '"', "*", "NEAR(", "AND OR", 'grief" OR "x', "NOT grief",
    "a:b", "(((", "^", "'; DROP TABLE resource; --", "\u0000x", "🙂", "x".repeat(500)]) {
    const { r, html } = await search(`/search?q=${q(hostile)}`);
    assert.equal(r.status, 200, hostile);
    assertSearchPage(r, html, "en");
    assert.doesNotMatch(html, /<script>alert/, hostile);
    assert.doesNotMatch(html, /value="[^"]*"[^ >]/, `${hostile}: the value attribute is closed where it should be`);
  }
  const { html } = await search(`/search?q=${q('<b>"grief"</b>')}`);
  assert.match(html, /value="&lt;b&gt;&quot;grief&quot;&lt;\/b&gt;"/);
  assert.doesNotMatch(html, /<b>"grief"/);
  // Marks come only from the index: text that looks like a mark is escaped.
  const marked = (await search(`/search?q=${q("<mark>grief</mark>")}`)).html;
  assert.match(marked, /value="&lt;mark&gt;grief&lt;\/mark&gt;"/);
  // The database is fine afterwards.
  assert.ok(results((await search(`/search?q=sleep`)).html).length > 0);
});

test("a word the index splits (a symbol between letters) is its parts, searched together and marked", async () => {
  // The index keeps no positions (migration 013), so such a word cannot be asked for as a phrase.
  const { r, html } = await search(`/search?q=${q("sleep\u2603grief")}`);
  assert.equal(r.status, 200);
  assertSearchPage(r, html, "en");
  const list = results(html), both = results((await search(`/search?q=${q("sleep grief")}`)).html);
  assert.ok(list.length > 0);
  assert.deepEqual(list.map((x) => x.url), both.map((x) => x.url), "the same pages as the two words");
  assert.match(html, /<mark>(sleep|grief)/i, "its parts are marked");
  const es = await search(`/es/search?q=${q("duelo\u2603trámites")}`);
  assert.equal(es.r.status, 200);
  const esBoth = results((await search(`/es/search?q=${q("duelo trámites")}`)).html);
  assert.deepEqual(results(es.html).map((x) => x.url), esBoth.map((x) => x.url));
});

test("a word no page has is dropped, the rest still searched together; said as a partial match", async () => {
  const { r, html } = await search(`/search?q=${q("sleep grief xyzzyqqq")}`);
  assert.equal(r.status, 200);
  assert.match(html, /No page has all of your words\. These pages have some of them\./);
  const list = results(html), both = results((await search(`/search?q=${q("sleep grief")}`)).html);
  assert.ok(list.length > 0 && both.length > 0);
  assert.deepEqual(list.map((x) => x.url), both.map((x) => x.url),
    "the pages with both known words, in their order, not every page with either");
  const es = (await search(`/es/search?q=${q("duelo xyzzyqqq")}`)).html;
  assert.match(es, /Ninguna página tiene todas sus palabras/);
  assert.ok(results(es).length > 0);
});

test("no results: said plainly, with the four sections and the crisis lines", async () => {
  for (const [path, lang, none, section] of [
    ["/search?q=xyzzyqqq", "en", "No results", 'href="/grief-trauma"'],
    ["/es/search?q=xyzzyqqq", "es", "No hay resultados", 'href="/es/grief-trauma"'],
  ]) {
    const { r, html } = await search(path);
    assert.equal(r.status, 200);
    assertSearchPage(r, html, lang);
    assert.ok(html.includes(`<h2 id="search-none-heading">${none}</h2>`), path);
    const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
    for (const s of ["victim-social-services", "social-connection", "health-wellness", "grief-trauma"])
      assert.ok(main.includes(`href="${lang === "es" ? "/es" : ""}/${s}"`), `${path} suggests ${s}`);
    assert.ok(main.includes(section));
    assert.match(main, /href="tel:988"/, "the crisis lines are suggested in the page itself");
    assert.equal(results(html).length, 0);
  }
});

test("empty query: the search page with the form and the sections, no 'no results'", async () => {
  for (const path of ["/search", "/search?q=", "/search?q=%20%20", "/es/search"]) {
    const { r, html } = await search(path);
    assert.equal(r.status, 200, path);
    assertSearchPage(r, html, path.startsWith("/es") ? "es" : "en");
    assert.match(html, /<input class="usa-input" id="search-q" type="search" name="q" value=""/);
    assert.doesNotMatch(html, /search-none-heading/);
    assert.match(html, /id="search-browse-heading"/);
  }
  // A query of punctuation alone has no words: it is a search that found nothing.
  const { html } = await search(`/search?q=${q("?!…")}`);
  assert.match(html, /search-none-heading/);
});

test("a query that is not UTF-8 gets 400 and the search page saying so", async () => {
  const { r, html } = await search("/search?q=%FF%FE");
  assert.equal(r.status, 400);
  assertSearchPage(r, html, "en");
  assert.match(html, /We could not read that search/);
});

test("every public page carries the search form in its header, labelled, in its language", async () => {
  for (const [path, action, label] of [
    ["/", "/search", "Search this site"], ["/grief-trauma", "/search", "Search this site"],
    ["/resources/sleep-after-trauma", "/search", "Search this site"],
    ["/es/", "/es/search", "Buscar en este sitio"], ["/es/grief-trauma", "/es/search", "Buscar en este sitio"],
    ["/no-such-page", "/search", "Search this site"],
  ]) {
    const html = await (await get(srv.base, path)).text();
    const form = /<form class="vrc-header__search" action="([^"]+)" method="get" role="search" aria-label="[^"]+">([\s\S]*?)<\/form>/.exec(html);
    assert.ok(form, `${path} has the header form`);
    assert.equal(form[1], action);
    assert.match(form[2], new RegExp(`<label class="usa-sr-only" for="site-search-q">${label}</label>`));
    assert.match(form[2], /<input class="usa-input" id="site-search-q" type="search" name="q"/);
    assert.match(form[2], /<button class="usa-button" type="submit">/);
  }
});

test("the language switch keeps the query; HEAD works; the page cache is not used", async () => {
  const { html } = await search(`/search?q=${q("grief & loss")}`);
  assert.match(html, /<a class="vrc-header__lang" href="\/es\/search\?q=grief\+%26\+loss"/);
  const es = (await search(`/es/search?q=duelo`)).html;
  assert.match(es, /<a class="vrc-header__lang" href="\/search\?q=duelo"/);
  const head = await fetch(srv.base + "/search?q=grief", { method: "HEAD" });
  assert.equal(head.status, 200);
  const a = (await search("/search?q=sleep")).html, b = (await search("/search?q=grief")).html;
  assert.notEqual(a, b);
});

test("the index follows a change written by another client (sqlite3): a new title, a draft", async () => {
  let r = sql(srv.db, "UPDATE resource SET title = 'Quokka help after trauma' WHERE slug = 'sleep-after-trauma'");
  assert.equal(r.status, 0, r.stderr);
  let list = results((await search("/search?q=quokka")).html);
  assert.deepEqual(list.map((x) => x.url), ["/resources/sleep-after-trauma"]);
  r = sql(srv.db, "UPDATE resource SET status = 'draft', title = 'Quokkas again' WHERE slug = 'sleep-after-trauma'");
  assert.equal(r.status, 0, r.stderr);
  list = results((await search("/search?q=quokkas")).html);
  assert.deepEqual(list, [], "a draft never appears");
  assert.equal(sql(srv.db, "SELECT count(*) FROM search_pending").stdout.trim(), "0");
});

test("a document whose stored text is broken is left out of results, not the whole page", async () => {
  // "Walrus \xFF": not UTF-8, as a bad write from outside could leave it.
  const r = sql(srv.db, "UPDATE resource SET title = CAST(X'57616C72757320FF' AS TEXT), body = 'walrus walrus' " +
    "WHERE slug = 'crime-victim-compensation'");
  assert.equal(r.status, 0, r.stderr);
  sql(srv.db, "UPDATE resource SET title = 'Walrus facts' WHERE slug = 'hospital-bills-after-an-injury'");
  const { r: res, html } = await search("/search?q=walrus");
  assert.equal(res.status, 200);
  assert.deepEqual(results(html).map((x) => x.url), ["/resources/hospital-bills-after-an-injury"]);
  assert.match(html, /\(1 result\)/);
  assert.match(srv.log, /search: resource crime-victim-compensation left out of results/);
});

test("the access log names /search without the query; nothing else logs it", async () => {
  await search(`/search?q=${q("zebracorn private words")}`);
  await search(`/es/search?q=${q("zebracornio")}`);
  await new Promise((ok) => setTimeout(ok, 1500)); // the log is written at least once a second
  assert.match(srv.log, /access 127\.0\.0\.1 "GET \/search" 200/);
  assert.match(srv.log, /access 127\.0\.0\.1 "GET \/es\/search" 200/);
  assert.doesNotMatch(srv.log, /zebracorn/i);
});

test("past --search-limit an address gets 429 with Retry-After and the crisis lines; cached answers are free", async () => {
  const s = await startServer(["--search-limit", "3"]);
  try {
    for (const word of ["grief", "sleep", "anger"]) assert.equal((await get(s.base, `/search?q=${word}`)).status, 200);
    const { r, html } = await search("/search?q=coping", s.base);
    assert.equal(r.status, 429);
    assertSearchPage(r, html, "en");
    const retry = Number(r.headers.get("retry-after"));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${r.headers.get("retry-after")}`);
    assert.match(html, /Too many searches/);
    assert.match(html, /class="vrc-crisis-bar"/);
    // A crisis query past the limit still gets the crisis box, in its language.
    const es = await search(`/es/search?q=${q("quiero morir")}`, s.base);
    assert.equal(es.r.status, 429);
    assert.match(es.html, /No tiene que pasar por esto a solas/);
    assert.match(es.html, /Demasiadas búsquedas/);
    // An answer already in the cache costs the database nothing, so it is still given.
    assert.equal((await get(s.base, "/search?q=grief")).status, 200);
    // The empty search page is never limited.
    assert.equal((await get(s.base, "/search")).status, 200);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test("a database from before migration 013 has its search tables made again and every document indexed", async () => {
  // The server applies 013 to a database whose documents are all in search_doc already, as an
  // existing site's are: the tables keep no positions afterwards and searching works at once.
  const s = await startServer(["--search-limit", "0"], {
    prepare: (db) => {
      const r = sql(db, "DELETE FROM schema_migrations WHERE version = 13");
      assert.equal(r.status, 0, r.stderr);
    },
  });
  try {
    assert.match(s.log, /applied migrations\/013_search_columns\.sql/);
    const n = Number(sql(s.db, "SELECT count(*) FROM search_doc").stdout.trim());
    assert.ok(n > 100);
    assert.match(s.log, new RegExp(`search: \\d+ English and \\d+ Spanish documents indexed \\(${n} changed\\)`));
    assert.match(sql(s.db, "SELECT sql FROM sqlite_master WHERE name = 'search_es'").stdout, /detail = column/);
    const { r, html } = await search(`/es/search?q=${q("duelos")}`, s.base);
    assert.equal(r.status, 200);
    assert.ok(results(html).length > 0);
    assert.match(html, /<mark>[Dd]uelo/);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});
