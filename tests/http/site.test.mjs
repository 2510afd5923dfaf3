// Black-box HTTP tests: the real binary on a free loopback port with a temporary database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { startServer, raw } from "../lib/server.mjs";

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
});

const get = (path, headers = {}) => fetch(srv.base + path, { headers, redirect: "manual" });
const sections = {
  "victim-social-services": ["Victim & Social Services", "Servicios para Víctimas y Servicios Sociales"],
  "social-connection": ["Social Connection & Empowerment", "Conexión Social y Empoderamiento"],
  "health-wellness": ["Health & Wellness", "Salud y Bienestar"],
  "grief-trauma": ["Managing Grief & Trauma", "Manejo del Duelo y el Trauma"],
};
const esc = (s) => s.replace(/&/g, "&amp;");

test("home page in English names the four sections and shows crisis lines", async () => {
  const r = await get("/");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type"), /^text\/html; charset=utf-8/);
  const html = await r.text();
  assert.match(html, /<html lang="en">/);
  for (const [en] of Object.values(sections)) assert.ok(html.includes(esc(en)), en);
  assert.match(html, /href="tel:988"/);
  assert.match(html, /Quick exit/);
  assert.match(html, /class="usa-skipnav" href="#main-content"/);
  assert.match(html, /href="\/es\/"[^>]*>Español</);
});

test("home page in Spanish", async () => {
  const r = await get("/es/");
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<html lang="es">/);
  for (const [, es] of Object.values(sections)) assert.ok(html.includes(esc(es)), es);
  assert.match(html, /Salida rápida/);
  assert.match(html, /href="\/"[^>]*>English</);
});

test("/es redirects to /es/", async () => {
  const r = await get("/es");
  assert.equal(r.status, 301);
  assert.equal(r.headers.get("location"), "/es/");
});

test("every section page in both languages lists its resources by stage", async () => {
  for (const [slug, [en, es]] of Object.entries(sections)) {
    for (const [prefix, title] of [["", en], ["/es", es]]) {
      const r = await get(`${prefix}/${slug}`);
      assert.equal(r.status, 200, `${prefix}/${slug}`);
      const html = await r.text();
      assert.ok(html.includes(`<h1>${esc(title)}</h1>`), `${prefix}/${slug} has its title`);
      assert.match(html, /class="vrc-stage"/, `${prefix}/${slug} groups by stage`);
      assert.match(html, new RegExp(`href="${prefix}/resources/[a-z0-9-]+"`));
      assert.match(html, /aria-current="page"/);
    }
  }
});

async function allResourcePaths() {
  const paths = new Set();
  for (const slug of Object.keys(sections))
    for (const prefix of ["", "/es"]) {
      const html = await (await get(`${prefix}/${slug}`)).text();
      for (const m of html.matchAll(/href="((?:\/es)?\/resources\/[a-z0-9-]+)"/g)) paths.add(m[1]);
    }
  return [...paths];
}

test("every resource page shows its body, sources, review date and a working language switch", async () => {
  const paths = await allResourcePaths();
  assert.ok(paths.length >= 16, `at least 16 resources (got ${paths.length})`);
  for (const p of paths) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    const html = await r.text();
    assert.match(html, /class="usa-prose vrc-body"/, p);
    assert.match(html, /<ol class="vrc-sources"><li><a href="https:\/\//, `${p} cites https sources`);
    assert.match(html, /<time datetime="\d{4}-\d{2}-\d{2}">/, `${p} shows the review date`);
    const alt = /<a class="vrc-header__lang" href="([^"]+)"/.exec(html)[1];
    assert.notEqual(alt, p);
    const other = await get(alt);
    assert.equal(other.status, 200, `${p} → ${alt}`);
    const back = /<a class="vrc-header__lang" href="([^"]+)"/.exec(await other.text())[1];
    assert.equal(back, p, `translation of ${alt} points back to ${p}`);
  }
});

test("a resource asked for under the wrong language redirects to the right one", async () => {
  const r = await get("/resources/como-usar-este-sitio");
  assert.equal(r.status, 301);
  assert.equal(r.headers.get("location"), "/es/resources/como-usar-este-sitio");
});

test("the sample video page has a player, captions and a transcript", async () => {
  for (const [p, vtt, word] of [["/resources/how-to-use-this-site", "how-to-use-this-site.en.vtt", "Transcript"],
    ["/es/resources/como-usar-este-sitio", "como-usar-este-sitio.es.vtt", "Transcripción"]]) {
    const html = await (await get(p)).text();
    assert.match(html, /<video controls/);
    assert.match(html, new RegExp(`<track kind="captions" src="/media/${vtt}"`));
    assert.ok(html.includes(word), `${p} has a transcript`);
    assert.match(html, /computer-generated voice|voz generada por computadora/);
    const v = await get(`/media/${vtt}`);
    assert.equal(v.status, 200);
    assert.match(v.headers.get("content-type"), /^text\/vtt/);
    assert.match(await v.text(), /^WEBVTT/);
  }
});

test("video files support Range requests", async () => {
  const file = readFileSync(new URL("../../content/media/how-to-use-this-site.webm", import.meta.url));
  const full = await get("/media/how-to-use-this-site.webm");
  assert.equal(full.status, 200);
  assert.equal(full.headers.get("accept-ranges"), "bytes");
  assert.equal(Number(full.headers.get("content-length")), file.length);
  await full.arrayBuffer();
  const part = await get("/media/how-to-use-this-site.webm", { Range: "bytes=100-199" });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 100-199/${file.length}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), file.subarray(100, 200));
  const tail = await get("/media/how-to-use-this-site.webm", { Range: "bytes=-10" });
  assert.equal(tail.status, 206);
  assert.deepEqual(Buffer.from(await tail.arrayBuffer()), file.subarray(file.length - 10));
  const bad = await get("/media/how-to-use-this-site.webm", { Range: `bytes=${file.length + 5}-` });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers.get("content-range"), `bytes */${file.length}`);
});

test("media names cannot escape the media folder", async () => {
  for (const p of ["/media/..%2f..%2fMakefile", "/media/.hidden", "/media/nope.webm"]) {
    const r = await get(p);
    assert.equal(r.status, 404, p);
  }
});

test("unknown pages get a 404 in the site's layout, in the right language", async () => {
  let r = await get("/no-such-page");
  assert.equal(r.status, 404);
  let html = await r.text();
  assert.match(html, /We can&#39;t find that page|We can't find that page/);
  assert.match(html, /href="tel:988"/, "crisis lines on error pages too");
  r = await get("/es/resources/no-existe");
  assert.equal(r.status, 404);
  html = await r.text();
  assert.match(html, /No encontramos esa página/);
});

test("POST to a page is 405 with Allow", async () => {
  const r = await fetch(srv.base + "/", { method: "POST", body: "x=1" });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get("allow"), "GET, HEAD");
  assert.match(await r.text(), /not allowed/);
});

test("HEAD gives the headers without a body", async () => {
  const r = await fetch(srv.base + "/health-wellness", { method: "HEAD" });
  assert.equal(r.status, 200);
  assert.equal((await r.arrayBuffer()).byteLength, 0);
  assert.ok(r.headers.get("etag"));
});

test("ETag and If-None-Match give 304", async () => {
  const r = await get("/");
  const etag = r.headers.get("etag");
  assert.match(etag, /^"[0-9a-f]+(-gz|-br)?"$/);
  await r.text();
  const again = await get("/", { "If-None-Match": etag });
  assert.equal(again.status, 304);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
});

test("gzip and brotli by Accept-Encoding, identical after decoding", async () => {
  const { request } = await import("node:http");
  const fetchRaw = (enc) => new Promise((ok, fail) => {
    request(srv.base + "/grief-trauma", { headers: { "Accept-Encoding": enc } }, (res) => {
      const chunks = []; res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ res, body: Buffer.concat(chunks) }));
    }).on("error", fail).end();
  });
  const plain = await fetchRaw("identity");
  assert.equal(plain.res.headers["content-encoding"], undefined);
  const gz = await fetchRaw("gzip");
  assert.equal(gz.res.headers["content-encoding"], "gzip");
  assert.equal(gz.res.headers["vary"], "Accept-Encoding");
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  const br = await fetchRaw("gzip, deflate, br");
  assert.equal(br.res.headers["content-encoding"], "br");
  assert.deepEqual(brotliDecompressSync(br.body), plain.body);
  assert.ok(br.body.length < plain.body.length / 3, "compressed well");
  const refused = await fetchRaw("br;q=0, gzip");
  assert.equal(refused.res.headers["content-encoding"], "gzip");
});

test("static assets are immutable under a content hash", async () => {
  const html = await (await get("/")).text();
  const css = /href="(\/static\/[0-9a-f]+\/uswds\/css\/uswds\.min\.css)"/.exec(html)[1];
  const js = /src="(\/static\/[0-9a-f]+\/js\/vrc\.js)"/.exec(html)[1];
  for (const p of [css, js]) {
    const r = await get(p, { "Accept-Encoding": "br" });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await r.arrayBuffer();
  }
  const font = await get(css.replace("css/uswds.min.css", "fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2"));
  assert.equal(font.status, 200);
  assert.equal(font.headers.get("content-type"), "font/woff2");
  assert.equal((await get("/static/abc/nothing.css")).status, 404);
});

test("security headers on every response and no cookies", async () => {
  for (const p of ["/", "/es/", "/health-wellness", "/resources/how-to-use-this-site", "/nope", "/healthz"]) {
    const r = await get(p);
    await r.arrayBuffer();
    const csp = r.headers.get("content-security-policy");
    assert.match(csp, /default-src 'self'/, p);
    assert.match(csp, /object-src 'none'/, p);
    assert.match(csp, /frame-ancestors 'none'/, p);
    assert.doesNotMatch(csp, /unsafe-inline/, p);
    assert.equal(r.headers.get("x-content-type-options"), "nosniff", p);
    assert.equal(r.headers.get("referrer-policy"), "no-referrer", p);
    assert.equal(r.headers.get("set-cookie"), null, p);
  }
});

test("pages carry no inline script and no third-party requests", async () => {
  const html = await (await get("/resources/how-to-use-this-site")).text();
  // The only inline script is JSON-LD: a data block browsers never run (tests/http/feeds.test.mjs).
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)(?![^>]*type="application\/ld\+json")[^>]*>/, "no inline <script>");
  assert.doesNotMatch(html, /\son[a-z]+=/i, "no inline event handlers");
  // What the browser fetches; <link rel="alternate"> (hreflang, feeds) names pages and fetches nothing.
  for (const m of html.matchAll(/<(?:script|link(?![^>]*rel="alternate")|img|source|track|video)[^>]*(?:src|href|poster)="([^"]+)"/g))
    assert.ok(m[1].startsWith("/"), `same-origin asset: ${m[1]}`);
  assert.match(html, /<link rel="alternate" hreflang="es" href="http:\/\/127\.0\.0\.1:[1-9][0-9]*\/es\/resources\//,
    "the Spanish version is named by its full address, on the port served");
});

test("/healthz answers ok", async () => {
  const r = await get("/healthz");
  assert.equal(r.status, 200);
  assert.equal(await r.text(), "ok\n");
});

test("an over-long URL gets 414 in the site's layout and the server stays up", async () => {
  const r = await get("/" + "a".repeat(3000));
  assert.equal(r.status, 414);
  assert.match(await r.text(), /too long/);
  assert.equal((await get("/healthz")).status, 200);
});

test("an oversize body gets 413", async () => {
  const reply = await raw(srv.base, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n" + "x".repeat(1000));
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.ok(srv.alive());
});

test("malformed requests get a 4xx and the server stays up", async () => {
  const bad = [
    "GET / HTTP/1.1\r\n\r\n", // HTTP/1.1 without Host
    "GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
    "GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20000) + "\r\n\r\n",
  ];
  for (const b of bad) {
    const reply = await raw(srv.base, Buffer.from(b, "latin1"));
    assert.match(reply, /^HTTP\/1\.[01] 4\d\d /, JSON.stringify(b.slice(0, 40)) + " → " + reply.slice(0, 60));
  }
  // An unknown protocol version is refused with 505; a request line that is not HTTP at all is
  // dropped by libmicrohttpd without a reply. Neither may take the server down.
  assert.match(await raw(srv.base, "GET / HTTP/9.9\r\nHost: x\r\n\r\n"), /^HTTP\/1\.1 505 /);
  assert.doesNotMatch(await raw(srv.base, "GARBAGE\r\n\r\n"), /^HTTP\/1\.1 [23]/);
  assert.ok(srv.alive());
  assert.equal((await get("/healthz")).status, 200);
});

test("the access log has one line per request", async () => {
  await (await get("/social-connection")).text();
  // The log is buffered and written at least once a second.
  const line = /access 127\.0\.0\.1 "GET \/social-connection" 200 \d+/;
  for (let i = 0; i < 60 && !line.test(srv.log); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(srv.log, line);
});

test("every file of the content library loads as a page in the running site", async () => {
  const { readdirSync } = await import("node:fs");
  const root = new URL("../../content/", import.meta.url).pathname;
  let n = 0;
  for (const lang of ["en", "es"])
    for (const section of Object.keys(sections))
      for (const f of readdirSync(`${root}${lang}/${section}`).filter((x) => x.endsWith(".md"))) {
        const path = `${lang === "es" ? "/es" : ""}/resources/${f.slice(0, -3)}`;
        const r = await get(path);
        assert.equal(r.status, 200, path);
        await r.arrayBuffer();
        n++;
      }
  assert.ok(n >= 48, `at least 48 resource files (got ${n})`);
});

test("a trailing slash redirects to the page; unknown resources are 404 without touching the database", async () => {
  let r = await get("/health-wellness/");
  assert.equal(r.status, 301);
  assert.equal(r.headers.get("location"), "/health-wellness");
  r = await get("/es/resources/como-usar-este-sitio/");
  assert.equal(r.status, 301);
  assert.equal(r.headers.get("location"), "/es/resources/como-usar-este-sitio");
  r = await get("/resources/no-such-thing/");
  assert.equal(r.status, 404);
  r = await get("/es/resources/how-to-use-this-site");
  assert.equal(r.status, 301);
  assert.equal(r.headers.get("location"), "/resources/how-to-use-this-site");
});

test("a source in the other language is marked with its language", async () => {
  const html = await (await get("/es/resources/calmar-cuerpo-y-mente")).text();
  // An English source on a Spanish page is marked; a Spanish one is not.
  assert.match(html, /<a href="https:\/\/www\.samhsa\.gov\/find-help\/disaster-distress-helpline" rel="noreferrer" lang="en" hreflang="en">SAMHSA - Disaster Distress Helpline<\/a> <span class="vrc-sources__host">\(en inglés, samhsa\.gov\)/);
  assert.match(html, /<a href="https:\/\/www\.cdc\.gov\/mental-health\/es\/[^"]*" rel="noreferrer">CDC - Manejo del estrés<\/a> <span class="vrc-sources__host">\(cdc\.gov\)/);
  const en = await (await get("/resources/calming-stress-after-violence")).text();
  assert.doesNotMatch(en, /hreflang="en">/);
});

test("the home page starts with help for the first days, in each language", async () => {
  const en = await (await get("/")).text();
  assert.match(en, /<h2>If it just happened<\/h2>/);
  const cards = [...en.matchAll(/<h3 class="vrc-card__title"><a href="(\/resources\/[a-z0-9-]+)">/g)];
  assert.ok(cards.length >= 3 && cards.length <= 6, `3-6 first-days cards (got ${cards.length})`);
  assert.ok(en.indexOf("If it just happened") < en.indexOf("Find help by topic"), "before the sections");
  const es = await (await get("/es/")).text();
  assert.match(es, /<h2>Si acaba de pasar<\/h2>/);
  assert.match(es, /<h3 class="vrc-card__title"><a href="\/es\/resources\//);
});

test("hotline cards say which languages each line speaks", async () => {
  const en = await (await get("/")).text();
  assert.match(en, /<span class="vrc-label">Languages:<\/span> English, Spanish/);
  const es = await (await get("/es/")).text();
  assert.match(es, /<span class="vrc-label">Idiomas:<\/span> inglés, español/);
});
