// Uploads in the staff console, black-box: the real binary with its uploads folder in a temporary
// directory and --max-upload 8 (MiB). Each accepted type uploaded as small valid files made here, and
// served back with its type, nosniff, Content-Disposition, immutable caching, ETag and Range; a file
// whose name lies stored by its real type; HTML, SVG and unknown bytes refused with a clear message;
// a bad WebVTT file refused with its line; the per-kind cap and the body limit (413, also before the
// body is read, and the 1 MiB limit for anyone not signed in); CSRF and sign-in refusals; the same
// bytes stored once; the list with URL and Markdown; every upload and refusal in the audit log.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, raw } from "../lib/server.mjs";
import { Client, COOKIE, addUser, auditRows, csrfOf, enrol } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const MiB = 1024 * 1024;
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

// Small valid files of each accepted type.
const FILES = {
  png: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64"),
  jpg: Buffer.from("ffd8ffe000104a46494600010100000100010000ffdb004300" + "01".repeat(64) + "ffd9", "hex"),
  webp: Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x1a, 0, 0, 0]), Buffer.from("WEBPVP8L"),
    Buffer.from([0x0d, 0, 0, 0, 0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0])]),
  mp4: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypisom"), Buffer.from([0, 0, 2, 0]),
    Buffer.from("isomiso2"), Buffer.from([0, 0, 0, 8]), Buffer.from("free")]),
  webm: Buffer.from("1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810442858102", "hex"),
  vtt: Buffer.from("WEBVTT\n\n1\n00:00.000 --> 00:01.500\nHello.\n\n2\n00:01.500 --> 00:03.000\nHola.\n"),
  pdf: Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
};
const TYPES = {
  png: ["image/png", "inline"], jpg: ["image/jpeg", "inline"], webp: ["image/webp", "inline"],
  mp4: ["video/mp4", "inline"], webm: ["video/webm", "inline"], vtt: ["text/vtt; charset=utf-8", "inline"],
  pdf: ["application/pdf", /^inline; filename="[A-Za-z0-9._ -]+\.pdf"$/],
};

// POST the upload form as a browser would (multipart/form-data), with the page's CSRF token unless
// csrf is given. Returns the response with .html.
async function upload(client, name, bytes, { alt, csrf, type = "application/octet-stream", lang = "" } = {}) {
  const form = new FormData();
  if (csrf !== null) {
    const page = await client.get("/admin/uploads" + lang);
    form.append("csrf", csrf ?? csrfOf(page.html) ?? "");
  }
  if (alt !== undefined) form.append("alt", alt);
  form.append("file", new Blob([bytes], { type }), name);
  const headers = {};
  if (client.cookie) headers.cookie = `${COOKIE}=${client.cookie}`;
  const r = await fetch(client.base + "/admin/uploads" + lang, { method: "POST", body: form, headers, redirect: "manual" });
  r.html = await r.text();
  return r;
}

function errorOf(html) {
  const m = /<span class="usa-error-message" id="file-error" role="alert">([^<]*)<\/span>/.exec(html);
  return m ? m[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&") : null;
}

describe("uploads", () => {
  let srv, dir, editor, community, anon;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vrc-uploads-"));
    srv = await startServer(["--uploads", join(dir, "files"), "--max-upload", "8"]);
    addUser(srv.db, "editor@example.org", "editor", PW);
    addUser(srv.db, "community@example.org", "community_editor", PW, ["--community", "springfield"]);
    addUser(srv.db, "reviewer@example.org", "reviewer", PW);
    editor = new Client(srv.base);
    assert.equal((await editor.signIn("editor@example.org", PW)).status, 303);
    community = new Client(srv.base);
    assert.equal((await community.signIn("community@example.org", PW)).status, 303);
    anon = new Client(srv.base);
  });
  after(async () => {
    const code = await srv.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
  });
  const stored = () => readdirSync(join(dir, "files")).sort();

  test("the page: caps by kind (video: the upload limit), the form with CSRF and multipart, no-store", async () => {
    const r = await editor.get("/admin/uploads");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.match(r.html, /<form class="usa-form usa-form--large" method="post" action="\/admin\/uploads" enctype="multipart\/form-data"/);
    assert.ok(csrfOf(r.html));
    assert.match(r.html, /<label class="usa-label" for="file">File<\/label>/);
    assert.match(r.html, /<th scope="row">Image<\/th><td>PNG, JPEG, WebP<\/td><td>5 MB<\/td>/);
    assert.match(r.html, /<th scope="row">Video<\/th><td>MP4, WebM<\/td><td>8 MB<\/td>/);
    assert.match(r.html, /<th scope="row">Captions<\/th><td>WebVTT<\/td><td>1 MB<\/td>/);
    assert.match(r.html, /<th scope="row">PDF document<\/th><td>PDF<\/td><td>8 MB<\/td>/, "PDF: 10 MB, cut to the upload limit");
    assert.match(r.html, /Videos may be as large as the server&#39;s upload limit, 8 MB/);
    assert.match(r.html, /SVG images, web pages \(HTML\) and any other type are refused/);
    assert.match(r.html, /Nothing has been uploaded yet\./);
    assert.match(r.html, /<a href="\/admin\/uploads">Uploads<\/a>/, "in the console's navigation");
    assert.doesNotMatch(r.html, /<script|style=/);
    const es = await editor.get("/admin/uploads?lang=es");
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.html, /Subir un archivo/);
    assert.match(es.html, /action="\/admin\/uploads\?lang=es"/);
  });

  test("each accepted type is stored by its hash and served with its type, nosniff and immutable caching", async () => {
    for (const [ext, bytes] of Object.entries(FILES)) {
      const hash = sha256(bytes);
      const r = await upload(editor, `sample.${ext}`, bytes, { alt: `A ${ext} sample` });
      assert.equal(r.status, 303, `${ext}: ${errorOf(r.html)}`);
      assert.equal(r.headers.get("location"), `/admin/uploads?added=${hash}`);
      assert.deepEqual(readFileSync(join(dir, "files", `${hash}.${ext}`)), bytes);
      const page = await editor.get(r.headers.get("location"));
      assert.match(page.html, new RegExp(`sample\\.${ext} was uploaded as [A-Za-z0-9]+ \\(\\d+ bytes\\)\\.`));
      assert.ok(page.html.includes(`<code class="vrc-upload-code">/media/u/${hash}.${ext}</code>`));

      const f = await fetch(`${srv.base}/media/u/${hash}.${ext}`);
      assert.equal(f.status, 200, ext);
      assert.equal(f.headers.get("content-type"), TYPES[ext][0]);
      assert.equal(f.headers.get("x-content-type-options"), "nosniff");
      if (typeof TYPES[ext][1] === "string") assert.equal(f.headers.get("content-disposition"), TYPES[ext][1]);
      else assert.match(f.headers.get("content-disposition"), TYPES[ext][1]);
      assert.equal(f.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.equal(f.headers.get("etag"), `"${hash}"`);
      assert.equal(f.headers.get("set-cookie"), null);
      assert.deepEqual(Buffer.from(await f.arrayBuffer()), bytes);
    }
    assert.equal(stored().length, 7);
    assert.equal(sql(srv.db, "SELECT count(*) FROM upload"), "7");
    assert.equal(sql(srv.db, "SELECT kind || ' ' || content_type FROM upload WHERE stored_name LIKE '%.webm'"), "video video/webm");
  });

  test("a PDF keeps a safe file name; Range, If-None-Match and HEAD on a served file", async () => {
    const pdf = Buffer.concat([FILES.pdf, Buffer.from("% another\n")]);
    const r = await upload(editor, 'C:\\Users\\ana\\Folleto "final" ñ.pdf', pdf);
    assert.equal(r.status, 303);
    const url = `/media/u/${sha256(pdf)}.pdf`;
    const f = await fetch(srv.base + url);
    assert.equal(f.headers.get("content-disposition"), 'inline; filename="Folleto _final_ _.pdf"');
    const part = await fetch(srv.base + url, { headers: { range: "bytes=0-4" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 0-4/${pdf.length}`);
    assert.equal(await part.text(), "%PDF-");
    const tail = await fetch(srv.base + url, { headers: { range: "bytes=-6" } });
    assert.equal(tail.status, 206);
    assert.equal(await tail.text(), "other\n");
    const bad = await fetch(srv.base + url, { headers: { range: "bytes=99999-" } });
    assert.equal(bad.status, 416);
    const same = await fetch(srv.base + url, { headers: { "if-none-match": f.headers.get("etag") } });
    assert.equal(same.status, 304);
    const head = await fetch(srv.base + url, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(pdf.length));
    // The row's page shows the original name, cleaned for display, and PDF Markdown with link text.
    const page = await editor.get("/admin/uploads");
    assert.match(page.html, /<a href="\/media\/u\/[0-9a-f]{64}\.pdf">Folleto &quot;final&quot; ñ\.pdf<\/a>/);
    assert.ok(page.html.includes(`[Folleto &quot;final&quot; ñ](${url})`));
  });

  test("unknown, mistyped and escaping file addresses are 404", async () => {
    const png = sha256(FILES.png);
    for (const path of [`/media/u/${"0".repeat(64)}.png`, `/media/u/${png}.pdf`, `/media/u/${png}.svg`,
      `/media/u/${png.toUpperCase()}.png`, `/media/u/${png}`, `/media/u/..%2f..%2fvrc.db`, "/media/u/"]) {
      const r = await fetch(srv.base + path);
      assert.equal(r.status, 404, path);
      await r.arrayBuffer();
    }
  });

  test("a file whose name lies is stored by its real type; one whose bytes are no accepted type is refused", async () => {
    const png = Buffer.concat([FILES.png, Buffer.from("lie")]);
    const hash = sha256(png);
    const r = await upload(community, "report.pdf", png, { type: "application/pdf" });
    assert.equal(r.status, 303, errorOf(r.html));
    assert.equal(r.headers.get("location"), `/admin/uploads?added=${hash}&was=pdf`);
    const page = await community.get(r.headers.get("location"));
    assert.match(page.html, /Its name ends in \.pdf, but its contents are PNG, so it is stored as PNG \(\.png\)\./);
    assert.ok(stored().includes(`${hash}.png`));
    assert.ok(!stored().some((n) => n.startsWith(hash) && n.endsWith(".pdf")));
    const f = await fetch(`${srv.base}/media/u/${hash}.png`);
    assert.equal(f.headers.get("content-type"), "image/png");
    assert.equal((await fetch(`${srv.base}/media/u/${hash}.pdf`)).status, 404);

    const before = stored();
    const cases = [
      ["photo.png", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "image/png", /Web pages \(HTML\) are not accepted/],
      ["logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", /SVG images are not accepted, because they can carry scripts/],
      ["logo.png", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/png", /SVG images are not accepted/],
      ["animation.gif", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif", /not one of the accepted types\. Upload a PNG, JPEG or WebP image, an MP4 or WebM video, WebVTT captions or a PDF document\./],
      ["notes.txt", "just some text", "text/plain", /not one of the accepted types/],
    ];
    for (const [name, body, type, message] of cases) {
      const res = await upload(editor, name, Buffer.from(body, "latin1"), { type, alt: "kept" });
      assert.equal(res.status, 415, name);
      assert.match(errorOf(res.html), message, name);
      assert.match(res.html, /aria-invalid="true" aria-describedby="file-hint file-error"/);
      assert.match(res.html, /id="alt" name="alt" type="text" value="kept"/, "what was typed is kept");
    }
    assert.deepEqual(stored(), before, "nothing refused was stored");
    const refusals = auditRows(srv.db).filter((a) => a.action === "upload_refused");
    assert.ok(refusals.some((a) => /"reason":"html","name":"photo.png"/.test(a.after)));
    assert.ok(refusals.some((a) => /"reason":"svg","name":"logo.svg"/.test(a.after)));
  });

  test("a WebVTT file with a mistake is refused with its line", async () => {
    const cases = [
      ["WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n\n00:03.000 --> 00:02.500\nTwo\n", /mistake on line 6: the cue&#39;s end time is not after its start time/],
      ["WEBVTT\n\n00:05.000 --> 00:06.000\nOne\n\n00:04.000 --> 00:07.000\nTwo\n", /line 6: this cue starts before the cue above it/],
      ["WEBVTT\n\n00:01,000 --> 00:02,000\nSRT\n", /line 3: expected a cue timing like 00:01\.000 --&gt; 00:04\.000/],
      ["WEBVTT\nKind: captions\n00:01.000 --> 00:02.000\nx\n", /line 3: a cue timing appears without a blank line before it/],
    ];
    for (const [text, message] of cases) {
      const r = await upload(editor, "captions.vtt", Buffer.from(text));
      assert.equal(r.status, 422);
      assert.match(r.html, message);
    }
    // Not starting with WEBVTT, it is not WebVTT at all: refused as an unknown type.
    const srt = await upload(editor, "captions.vtt", Buffer.from("1\n00:00:01,000 --> 00:00:02,000\nSRT\n"));
    assert.equal(srt.status, 415);
    const es = await upload(editor, "subtitulos.vtt", Buffer.from("WEBVTT\n\n00:02.000 --> 00:01.000\nx\n"), { lang: "?lang=es" });
    assert.equal(es.status, 422);
    assert.match(es.html, /error en la línea 3: el final del subtítulo no es posterior a su inicio/);
  });

  test("size caps: a kind's cap, then the body limit (413 with the console's page)", async () => {
    // A 6 MB PNG is under the body limit (8 MB) but over the image cap (5 MB).
    const big = Buffer.alloc(6 * MiB, 0);
    FILES.png.copy(big);
    const r = await upload(editor, "huge.png", big);
    assert.equal(r.status, 413);
    assert.equal(errorOf(r.html), "This PNG file is 6 MB; PNG files may be at most 5 MB. Nothing was saved.");
    // Captions over 1 MB.
    const vtt = Buffer.from("WEBVTT\n\n00:01.000 --> 00:02.000\n" + "x".repeat(MiB) + "\n");
    const c = await upload(editor, "long.vtt", vtt);
    assert.equal(c.status, 413);
    assert.match(errorOf(c.html), /This WebVTT file is 1 MB; WebVTT files may be at most 1 MB/);
    // Over the body limit: refused from the Content-Length, before the body is read.
    const csrf = csrfOf((await editor.get("/admin/uploads")).html);
    const head = `POST /admin/uploads HTTP/1.1\r\nHost: x\r\nCookie: ${COOKIE}=${editor.cookie}\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${9 * MiB}\r\n\r\n`;
    const reply = await raw(srv.base, head);
    assert.match(reply, /^HTTP\/1\.1 413 /);
    assert.match(reply, /This upload is larger than the server accepts, so nothing was saved\. Images may be up to 5 MB, PDF documents 8 MB, captions 1 MB and videos 8 MB\./);
    assert.match(reply, /Cache-Control: no-store/i);
    // A whole 9 MB body sent anyway gets the same answer (or a closed connection, never a 2xx).
    const form = new FormData();
    form.append("csrf", csrf);
    form.append("file", new Blob([Buffer.alloc(9 * MiB, 1)]), "film.mp4");
    try {
      const res = await fetch(srv.base + "/admin/uploads", { method: "POST", body: form, headers: { cookie: `${COOKIE}=${editor.cookie}` } });
      assert.equal(res.status, 413);
      await res.text();
    } catch (e) {
      assert.match(String(e.cause?.code ?? e), /EPIPE|ECONNRESET|UND_ERR_SOCKET|other side closed/);
    }
    // Without a session the limit stays at 1 MiB: nobody can make the server hold a large body.
    const anonHead = `POST /admin/uploads HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${2 * MiB}\r\n\r\n`;
    assert.match(await raw(srv.base, anonHead), /^HTTP\/1\.1 413 /);
    assert.ok(srv.alive());
  });

  test("the same bytes uploaded twice are stored once", async () => {
    const bytes = Buffer.concat([FILES.jpg.subarray(0, -2), Buffer.from("twice"), Buffer.from([0xff, 0xd9])]);
    const hash = sha256(bytes);
    const first = await upload(editor, "one.jpg", bytes);
    assert.equal(first.headers.get("location"), `/admin/uploads?added=${hash}`);
    const second = await upload(community, "two.jpeg", bytes);
    assert.equal(second.status, 303);
    assert.equal(second.headers.get("location"), `/admin/uploads?added=${hash}&dup=1`);
    const page = await community.get(second.headers.get("location"));
    assert.match(page.html, /These exact bytes were uploaded before, as one\.jpg: the same file and address are used\./);
    assert.equal(stored().filter((n) => n.startsWith(hash)).length, 1);
    assert.equal(sql(srv.db, `SELECT count(*) FROM upload WHERE sha256 = '${hash}'`), "1");
    const rows = auditRows(srv.db).filter((a) => a.action === "upload" && a.object === `upload:${hash}.jpg`);
    assert.equal(rows.length, 2, "both uploads are in the audit log");
    assert.match(rows[0].after, /"duplicate":false/);
    assert.match(rows[1].after, /"duplicate":true/);
    assert.equal(rows[1].actor, "community@example.org");
  });

  test("the list: type, size, who, when, the address and the Markdown to paste", async () => {
    const r = await editor.get("/admin/uploads");
    const png = sha256(FILES.png);
    const row = new RegExp(`<th scope="row"><a href="/media/u/${png}\\.png">sample\\.png</a></th>\\s*` +
      `<td>Image \\(PNG\\)</td>\\s*<td>\\d+ bytes</td>\\s*<td>editor@example\\.org</td>\\s*` +
      `<td>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</td>\\s*<td><code class="vrc-upload-code">/media/u/${png}\\.png</code>` +
      `<br><code class="vrc-upload-code">!\\[A png sample\\]\\(/media/u/${png}\\.png\\)</code></td>`);
    assert.match(r.html, row);
    assert.ok(r.html.includes(`<code class="vrc-upload-code">/media/u/${sha256(FILES.webm)}.webm</code></td>`), "video: the address, no Markdown");
    assert.ok(r.html.includes(`[A pdf sample](/media/u/${sha256(FILES.pdf)}.pdf)`));
    // The newest first.
    assert.ok(r.html.indexOf("one.jpg") < r.html.indexOf("sample.png"));
  });

  test("refusals: no CSRF token, a wrong one, not signed in, cross-site, no file, a bad description", async () => {
    const before = stored();
    const none = await upload(editor, "x.png", FILES.png, { csrf: null });
    assert.equal(none.status, 403);
    assert.match(none.html, /This form has expired or did not come from this site/);
    const wrong = await upload(editor, "x.png", FILES.png, { csrf: "not-the-token" });
    assert.equal(wrong.status, 403);
    const out = await upload(anon, "x.png", FILES.png, { csrf: "whatever" });
    assert.equal(out.status, 403);
    assert.match(out.html, /You are not signed in/);
    assert.equal((await anon.get("/admin/uploads")).status, 303, "the list sends visitors to sign in");
    const form = new FormData();
    form.append("csrf", csrfOf((await editor.get("/admin/uploads")).html));
    form.append("file", new Blob([FILES.png]), "x.png");
    const cross = await fetch(srv.base + "/admin/uploads", { method: "POST", body: form, redirect: "manual",
      headers: { cookie: `${COOKIE}=${editor.cookie}`, "sec-fetch-site": "cross-site" } });
    assert.equal(cross.status, 403);
    await cross.text();
    const missing = await upload(editor, "", Buffer.alloc(0));
    assert.equal(missing.status, 400);
    assert.equal(errorOf(missing.html), "Choose a file to upload.");
    const empty = await upload(editor, "empty.png", Buffer.alloc(0));
    assert.equal(empty.status, 400);
    assert.equal(errorOf(empty.html), "That file is empty.");
    const long = await upload(editor, "x.png", FILES.png, { alt: "a".repeat(301) });
    assert.equal(long.status, 400);
    assert.match(long.html, /<span class="usa-error-message" id="alt-error" role="alert">Use at most 300 characters, on one line\.<\/span>/);
    assert.match(long.html, new RegExp(`value="${"a".repeat(301)}"`), "nothing typed is lost");
    // A malformed multipart body is a 400, not a crash.
    const bad = await fetch(srv.base + "/admin/uploads", { method: "POST", redirect: "manual",
      headers: { cookie: `${COOKIE}=${editor.cookie}`, "content-type": "multipart/form-data; boundary=zz" },
      body: "--zz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntruncated" });
    assert.equal(bad.status, 400);
    await bad.text();
    assert.deepEqual(stored(), before);
    assert.ok(srv.alive());
  });

  test("a reviewer may upload too (after enrolling the second factor)", async () => {
    const c = new Client(srv.base);
    await c.signIn("reviewer@example.org", PW);
    await enrol(c);
    const bytes = Buffer.from("WEBVTT\n\n00:00.000 --> 00:01.000\nReviewer.\n");
    const r = await upload(c, "r.vtt", bytes);
    assert.equal(r.status, 303, errorOf(r.html));
    const a = auditRows(srv.db, ["--user", "reviewer@example.org"]).filter((x) => x.action === "upload");
    assert.equal(a.length, 1);
    assert.equal(a[0].object, `upload:${sha256(bytes)}.vtt`);
    assert.match(a[0].after, /"name":"r.vtt","type":"WebVTT","kind":"captions","size":\d+,"url":"\/media\/u\/[0-9a-f]{64}\.vtt","duplicate":false/);
  });
});

describe("vrc serve --max-upload and --uploads", () => {
  test("bad values are refused before serving", () => {
    for (const v of ["0", "2049", "ten", "-1"]) {
      const r = spawnSync(process.env.VRC_BIN || "build/vrc", ["serve", "--max-upload", v], { encoding: "utf8" });
      assert.equal(r.status, 2, v);
      assert.match(r.stderr, /--max-upload wants a whole number from 1 to 2048/);
    }
  });

  test("an uploads folder that cannot be made stops the server with a message", () => {
    const d = mkdtempSync(join(tmpdir(), "vrc-uploads-"));
    try {
      const r = spawnSync(process.env.VRC_BIN || "build/vrc", ["serve", "--db", join(d, "vrc.db"), "--listen", "127.0.0.1:0",
        "--uploads", "/proc/no/such/place"], { encoding: "utf8", timeout: 20000 });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /cannot use the folder \/proc\/no\/such\/place/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
