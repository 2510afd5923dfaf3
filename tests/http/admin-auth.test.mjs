// The staff console's sign-in, black-box: the real binary, accounts made with `vrc user`, a client
// that keeps its cookie like a browser. Sign-in and sign-out, the same answer for an unknown email and
// a wrong password, throttling (429 + Retry-After), CSRF and cross-site refusal, idle and absolute
// session timeouts, TOTP enrolment and sign-in, recovery codes, the forced password change, role
// denial, and the audit rows each of these writes.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startServer } from "../lib/server.mjs";
import { Client, COOKIE, addUser, auditRows, base32, csrfOf, enrol, secretOf, totp, vrcUser } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();

async function stop(srv) {
  const code = await srv.stop();
  assert.equal(code, 0, "server exits cleanly on SIGTERM (no sanitizer report)\n" + srv.log.slice(-3000));
}

describe("sign-in", () => {
  let srv;
  before(async () => {
    srv = await startServer();
    addUser(srv.db, "editor@example.org", "editor", PW, ["--name", "Eddie Editor"]);
    addUser(srv.db, "disabled@example.org", "editor", PW);
    assert.equal(vrcUser(srv.db, ["disable", "--email", "disabled@example.org"]).status, 0);
  });
  after(() => stop(srv));

  test("the sign-in page: a labelled form, no-store, the strict CSP, English or Spanish", async () => {
    const c = new Client(srv.base);
    const r = await c.get("/admin/login");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.match(r.headers.get("content-security-policy"), /default-src 'self'/);
    assert.doesNotMatch(r.headers.get("content-security-policy"), /unsafe-inline/);
    assert.match(r.html, /<html lang="en">/);
    assert.match(r.html, /<label class="usa-label" for="email">Email address<\/label>/);
    assert.match(r.html, /<label class="usa-label" for="password">Password<\/label>/);
    assert.match(r.html, /id="password" name="password" type="password" autocomplete="current-password"/);
    assert.doesNotMatch(r.html, /<script|style=|onpaste/, "no script, no inline style, paste allowed");
    assert.doesNotMatch(r.html, /vrc-crisis-bar|quick-exit/, "the public crisis bar stays out of the console");
    assert.match(r.html, /uswds\.min\.css/);
    assert.equal(c.setCookies.length, 0, "no cookie before sign-in");
    const es = await c.get("/admin/login?lang=es");
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.html, /Correo electrónico/);
    const al = await c.get("/admin/login", { headers: { "accept-language": "es-MX,es;q=0.9,en;q=0.5" } });
    assert.match(al.html, /<html lang="es">/);
  });

  test("signing in sets a fresh __Host- cookie; only its hash is stored; the dashboard says who", async () => {
    const c = new Client(srv.base);
    const r = await c.signIn("Editor@Example.org", PW);
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/admin/");
    assert.equal(c.setCookies.length, 1);
    const cookie = c.setCookies[0];
    assert.match(cookie, new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43}; `));
    for (const attr of ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"]) assert.ok(cookie.includes(`; ${attr}`), attr);
    assert.doesNotMatch(cookie, /Domain=/i);
    const token = c.cookie;
    const stored = sql(srv.db, "SELECT token_hash FROM session").split("\n");
    assert.ok(stored.length >= 1 && stored.every((h) => /^[0-9a-f]{64}$/.test(h)));
    assert.ok(!stored.includes(token), "the token itself is not in the database");
    const d = await c.get("/admin/");
    assert.equal(d.status, 200);
    assert.equal(d.headers.get("cache-control"), "no-store");
    assert.match(d.html, /Eddie Editor \(editor@example\.org\)/);
    assert.match(d.html, /Signed in as <strong>editor@example\.org<\/strong> \(Editor\)/);
    // Signing in again gives a new token, and the old one stops working.
    const again = await c.signIn("editor@example.org", PW);
    assert.equal(again.status, 303);
    assert.notEqual(c.cookie, token);
    const old = new Client(srv.base);
    old.cookie = token;
    const o = await old.get("/admin/");
    assert.equal(o.status, 303);
    assert.equal(o.headers.get("location"), "/admin/login");
  });

  test("an unknown email, a wrong password and a disabled account get the same answer", async () => {
    const answers = [];
    const times = { unknown: [], wrong: [], disabled: [] };
    const tries = { unknown: ["nobody@example.org", PW], wrong: ["editor@example.org", PW + "!"],
      disabled: ["disabled@example.org", PW] };
    for (let i = 0; i < 3; i++) {
      for (const [kind, [email, pw]] of Object.entries(tries)) {
        const c = new Client(srv.base);
        const t0 = performance.now();
        const r = await c.signIn(email, pw);
        times[kind].push(performance.now() - t0);
        // Only the echoed email differs, so the compressed length may too.
        const headers = [...r.headers].filter(([k]) => !["date", "etag", "content-length"].includes(k));
        answers.push({ kind, status: r.status, headers, html: r.html.replace(email, "EMAIL"), cookies: c.setCookies });
      }
    }
    for (const a of answers) {
      assert.equal(a.status, 400, a.kind);
      assert.deepEqual(a.headers, answers[0].headers, a.kind);
      assert.equal(a.html, answers[0].html, a.kind);
      assert.deepEqual(a.cookies, [], a.kind);
    }
    assert.match(answers[0].html, /That email address and password do not match an account/);
    // Every attempt hashes once (a dummy hash for unknown accounts): no timing gap worth the name.
    const median = (xs) => xs.sort((a, b) => a - b)[1];
    const [u, w, d] = [median(times.unknown), median(times.wrong), median(times.disabled)];
    assert.ok(u > w / 3 && u < w * 3, `unknown ${u.toFixed(1)} ms vs wrong password ${w.toFixed(1)} ms`);
    assert.ok(d > w / 3 && d < w * 3, `disabled ${d.toFixed(1)} ms vs wrong password ${w.toFixed(1)} ms`);
  });

  test("empty fields get an error next to each field, and the email typed is kept", async () => {
    const c = new Client(srv.base);
    const r = await c.post("/admin/login", { email: "someone@example.org", password: "" });
    assert.equal(r.status, 400);
    assert.match(r.html, /<span class="usa-error-message" id="password-error">Enter your password\.<\/span>/);
    assert.match(r.html, /aria-describedby="password-error"/);
    assert.match(r.html, /value="someone@example\.org"/);
    const long = await c.post("/admin/login", { email: "a".repeat(100000) + "@example.org", password: "x" });
    assert.equal(long.status, 400);
    assert.match(long.html, /id="email-error">Enter an email address like/);
    assert.ok(long.html.length < 10000, "the page does not echo a huge address");
    const es = await c.post("/admin/login?lang=es", { email: "", password: "x" });
    assert.match(es.html, /id="email-error">Escriba su correo electrónico\.</);
  });

  test("CSRF: a state change without the session's token, or from another site, is refused", async () => {
    const c = new Client(srv.base);
    await c.signIn("editor@example.org", PW);
    const page = await c.get("/admin/");
    const csrf = csrfOf(page.html);
    assert.match(csrf, /^[A-Za-z0-9_-]{43}$/);
    let r = await c.post("/admin/logout", {});
    assert.equal(r.status, 403, "no token");
    assert.match(r.html, /did not come from this site/);
    r = await c.post("/admin/logout", { csrf: csrf.slice(0, -1) + (csrf.endsWith("A") ? "B" : "A") });
    assert.equal(r.status, 403, "wrong token");
    r = await c.post("/admin/logout", { csrf }, { headers: { origin: "https://evil.example" } });
    assert.equal(r.status, 403, "cross-site Origin");
    assert.match(r.html, /came from another website/);
    r = await c.post("/admin/logout", { csrf }, { headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(r.status, 403, "Sec-Fetch-Site: cross-site");
    r = await c.post("/admin/logout", { csrf }, { headers: { origin: "null" } });
    assert.equal(r.status, 403, "opaque origin, nothing else to go by");
    r = await c.post("/admin/logout", { csrf }, { headers: { origin: "null", "sec-fetch-site": "same-site" } });
    assert.equal(r.status, 403, "a sibling site");
    const login = await new Client(srv.base).post("/admin/login", { email: "editor@example.org", password: PW },
      { headers: { origin: "https://evil.example" } });
    assert.equal(login.status, 403, "cross-site sign-in");
    assert.equal((await c.get("/admin/")).status, 200, "still signed in after the refusals");
    // A token from another session does not work either.
    const other = new Client(srv.base);
    await other.signIn("editor@example.org", PW);
    const otherCsrf = csrfOf((await other.get("/admin/")).html);
    assert.equal((await c.post("/admin/logout", { csrf: otherCsrf })).status, 403);
    // The right token from this site signs out. Under Referrer-Policy: no-referrer a browser sends
    // "Origin: null" with its own forms, and Sec-Fetch-Site: same-origin says where they came from.
    const host = new URL(srv.base).host;
    r = await c.post("/admin/logout", { csrf }, { headers: { origin: `http://${host}.evil.example`, "sec-fetch-site": "same-origin" } });
    assert.equal(r.status, 403, "an Origin of another host");
    r = await c.post("/admin/logout", { csrf }, { headers: { origin: "null", "sec-fetch-site": "same-origin" } });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/admin/login");
    assert.match(c.setCookies[0], new RegExp(`^${COOKIE}=; .*Max-Age=0`));
    assert.equal(c.cookie, null);
  });

  test("signing out ends the session on the server, not just in the browser", async () => {
    const c = new Client(srv.base);
    await c.signIn("editor@example.org", PW);
    const token = c.cookie;
    const r = await c.postForm("/admin/logout", {}, { from: "/admin/" });
    assert.equal(r.status, 303);
    const replay = new Client(srv.base);
    replay.cookie = token;
    const d = await replay.get("/admin/");
    assert.equal(d.status, 303);
    assert.match(d.headers.get("location"), /^\/admin\/login/);
  });

  test("not signed in: every admin page sends you to sign in; posts are refused", async () => {
    const c = new Client(srv.base);
    for (const p of ["/admin/", "/admin/users", "/admin/password", "/admin/totp", "/admin/no-such-page"]) {
      const r = await c.get(p);
      assert.equal(r.status, 303, p);
      assert.equal(r.headers.get("location"), "/admin/login", p);
      assert.equal(r.headers.get("cache-control"), "no-store", p);
    }
    assert.equal((await c.get("/admin/?lang=es")).headers.get("location"), "/admin/login?lang=es");
    assert.equal((await c.post("/admin/users/1/role", { role: "admin" })).status, 403);
    const r = await fetch(srv.base + "/admin");
    assert.equal(r.url, srv.base + "/admin/login");
  });
});

describe("roles", () => {
  let srv, admin;
  before(async () => {
    srv = await startServer();
    addUser(srv.db, "admin@example.org", "admin", PW);
    addUser(srv.db, "editor@example.org", "editor", PW);
    addUser(srv.db, "ce@example.org", "community_editor", PW, ["--community", "test-town"]);
    admin = new Client(srv.base);
    await admin.signIn("admin@example.org", PW);
  });
  after(() => stop(srv));

  test("admins and reviewers must enrol a second factor before anything else", async () => {
    for (const p of ["/admin/", "/admin/users", "/admin/something"]) {
      const r = await admin.get(p);
      assert.equal(r.status, 303, p);
      assert.equal(r.headers.get("location"), "/admin/totp", p);
    }
    const { codes, response } = await enrol(admin);
    assert.equal(response.status, 200);
    assert.equal(codes.length, 10);
    assert.equal((await admin.get("/admin/users")).status, 200);
  });

  test("a non-admin gets 403 on admin-only routes, even with a valid CSRF token", async () => {
    for (const email of ["editor@example.org", "ce@example.org"]) {
      const c = new Client(srv.base);
      assert.equal((await c.signIn(email, PW)).status, 303);
      assert.equal((await c.get("/admin/")).status, 200, email);
      const r = await c.get("/admin/users");
      assert.equal(r.status, 403, email);
      assert.match(r.html, /role does not allow this/);
      assert.equal(r.headers.get("cache-control"), "no-store");
      const post = await c.postForm("/admin/users/1/role", { role: "editor" }, { from: "/admin/" });
      assert.equal(post.status, 403, email);
    }
    const rows = sql(srv.db, "SELECT role FROM users WHERE email = 'admin@example.org'");
    assert.equal(rows, "admin", "the refused role change did not happen");
  });

  test("an admin changes a role; the change is audited with before and after", async () => {
    const id = sql(srv.db, "SELECT id FROM users WHERE email = 'editor@example.org'");
    const r = await admin.postForm(`/admin/users/${id}/role`, { role: "community_editor", communities: "test-town, b-town" },
      { from: "/admin/users" });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/admin/users");
    const list = await admin.get("/admin/users");
    assert.match(list.html, /Community editor: b-town, test-town/);
    const row = auditRows(srv.db).find((e) => e.action === "role_change");
    assert.equal(row.actor, "admin@example.org");
    assert.equal(row.object, `user:${id}`);
    assert.equal(row.before, "editor");
    assert.equal(row.after, "community_editor: b-town, test-town");
    // Bad values are refused; the last admin cannot be demoted.
    assert.equal((await admin.postForm(`/admin/users/${id}/role`, { role: "owner" }, { from: "/admin/users" })).status, 400);
    const self = sql(srv.db, "SELECT id FROM users WHERE email = 'admin@example.org'");
    const last = await admin.postForm(`/admin/users/${self}/role`, { role: "editor" }, { from: "/admin/users" });
    assert.equal(last.status, 400);
    assert.match(last.html, /last administrator/);
    assert.equal((await admin.postForm("/admin/users/999/role", { role: "editor" }, { from: "/admin/users" })).status, 404);
  });
});

describe("second factor and password change", () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(() => stop(srv));

  test("a reviewer enrols with the QR code or the key, then signs in with a code; codes are single use", async () => {
    addUser(srv.db, "rev@example.org", "reviewer", PW, ["--name", "Dr. Rev, PhD"]);
    const c = new Client(srv.base);
    assert.equal((await c.signIn("rev@example.org", PW)).headers.get("location"), "/admin/");
    assert.equal((await c.get("/admin/")).headers.get("location"), "/admin/totp");
    const page = await c.get("/admin/totp");
    assert.equal(page.status, 200);
    assert.match(page.html, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="vrc-qr" viewBox="0 0 \d+ \d+"[^>]* role="img" aria-label="QR code/);
    assert.match(page.html, /<path fill="#000" d="M4 4h7v1h-7z/);
    assert.doesNotMatch(page.html, /<script|style=|<img/);
    const secret = secretOf(page.html);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(secretOf((await c.get("/admin/totp")).html), secret, "a reload shows the same secret");
    const key = base32(secret);
    // A wrong code: an error next to the field, the same secret still shown.
    const wrong = await c.post("/admin/totp", { csrf: csrfOf(page.html), code: String((Number(totp(key)) + 1) % 1e6).padStart(6, "0") });
    assert.equal(wrong.status, 400);
    assert.match(wrong.html, /id="code-error">That code is not right/);
    assert.equal(secretOf(wrong.html), secret);
    const ok = await c.post("/admin/totp", { csrf: csrfOf(page.html), code: totp(key) });
    assert.equal(ok.status, 200);
    const codes = [...ok.html.matchAll(/<li><code>([a-z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    assert.match(ok.html, /only time these codes are shown/);
    assert.ok(!sql(srv.db, "SELECT group_concat(code_hash) FROM recovery_code").includes(codes[0]), "codes are stored hashed");
    assert.equal((await c.get("/admin/")).status, 200);
    assert.equal((await c.postForm("/admin/logout", {}, { from: "/admin/" })).status, 303);

    // Sign in: the password first, then a code; nothing else is reachable in between.
    const s = new Client(srv.base);
    const first = await s.signIn("rev@example.org", PW);
    assert.equal(first.headers.get("location"), "/admin/login/code");
    assert.equal((await s.get("/admin/")).headers.get("location"), "/admin/login/code");
    assert.equal((await s.get("/admin/password")).headers.get("location"), "/admin/login/code");
    const form = await s.get("/admin/login/code");
    assert.match(form.html, /autocomplete="one-time-code"/);
    const halfToken = s.cookie;
    // The enrolment used this step's code: the next step's (within the allowed drift) signs in.
    const code = totp(key, Date.now() / 1000 + 30);
    const done = await s.post("/admin/login/code", { csrf: csrfOf(form.html), code });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/admin/");
    assert.notEqual(s.cookie, halfToken, "a new token once the second factor is done");
    assert.equal((await s.get("/admin/")).status, 200);

    // The same code again, in another sign-in: refused (no replay).
    const t = new Client(srv.base);
    await t.signIn("rev@example.org", PW);
    const tform = await t.get("/admin/login/code");
    const replay = await t.post("/admin/login/code", { csrf: csrfOf(tform.html), code });
    assert.equal(replay.status, 400);
    assert.match(replay.html, /already been used/);
    // A recovery code works once, typed loosely.
    const loose = codes[3].toUpperCase().replace(/-/g, " ");
    const rec = await t.post("/admin/login/code", { csrf: csrfOf(tform.html), code: loose });
    assert.equal(rec.status, 303);
    const u = new Client(srv.base);
    await u.signIn("rev@example.org", PW);
    const uform = await u.get("/admin/login/code");
    assert.equal((await u.post("/admin/login/code", { csrf: csrfOf(uform.html), code: codes[3] })).status, 400);
    const dash = await t.get("/admin/");
    assert.match(dash.html, /Recovery codes left: 9/);

    const actions = auditRows(srv.db, ["--user", "rev@example.org"]).map((e) => e.action);
    for (const a of ["totp_enrol", "signin_password", "signin", "signin_code_failed", "signout"])
      assert.ok(actions.includes(a), `audit has ${a}: ${actions.join(" ")}`);
  });

  test("a one-time password must be changed first; the new one must follow the rules", async () => {
    const otp = addUser(srv.db, "new@example.org", "editor", "");
    assert.match(otp, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    const other = new Client(srv.base);
    await other.signIn("new@example.org", otp);
    const c = new Client(srv.base);
    assert.equal((await c.signIn("new@example.org", otp)).status, 303);
    for (const p of ["/admin/", "/admin/totp", "/admin/users"])
      assert.equal((await c.get(p)).headers.get("location"), "/admin/password", p);
    const page = await c.get("/admin/password");
    assert.match(page.html, /You signed in with a one-time password/);
    const csrf = csrfOf(page.html);
    const tryNew = (fields) => c.post("/admin/password", { csrf, current: otp, again: fields.new, ...fields });
    let r = await tryNew({ new: "too short" });
    assert.equal(r.status, 400);
    assert.match(r.html, /id="new-error">Use at least 12 characters\./);
    r = await tryNew({ new: "password1234" });
    assert.match(r.html, /id="new-error">That password is one of the most common/);
    r = await tryNew({ new: "new@example.org" });
    assert.match(r.html, /id="new-error">Do not use your email address/);
    r = await tryNew({ new: "a fine new passphrase", again: "a fine new passphrasf" });
    assert.match(r.html, /id="again-error">The two new passwords are not the same/);
    r = await c.post("/admin/password", { csrf, current: "not it at all", new: "a fine new passphrase", again: "a fine new passphrase" });
    assert.match(r.html, /id="current-error">That is not your current password/);
    r = await tryNew({ new: "a fine new passphrase ñ" });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/admin/");
    assert.equal((await c.get("/admin/")).status, 200);
    assert.equal((await other.get("/admin/")).status, 303, "the change ends the account's other sessions");
    assert.equal((await new Client(srv.base).signIn("new@example.org", otp)).status, 400, "the old password is gone");
    assert.equal((await new Client(srv.base).signIn("new@example.org", "a fine new passphrase ñ")).status, 303);
    const actions = auditRows(srv.db, ["--user", "new@example.org"]).map((e) => e.action);
    assert.ok(actions.includes("password_change"));
  });
});

describe("throttling", () => {
  let srv;
  before(async () => {
    srv = await startServer();
    addUser(srv.db, "target@example.org", "editor", PW);
  });
  after(() => stop(srv));

  test("five failures lock the account: 429 with Retry-After, and the page says when, in its language", async () => {
    const c = new Client(srv.base);
    for (let i = 1; i <= 4; i++) assert.equal((await c.signIn("target@example.org", "wrong password " + i)).status, 400);
    const fifth = await c.signIn("target@example.org", "wrong password 5");
    assert.equal(fifth.status, 429);
    assert.ok(["59", "60"].includes(fifth.headers.get("retry-after")), "a minute, give or take a tick");
    assert.match(fifth.html, /please wait 1 minute and try again/);
    // Even the right password waits, and the answer does not say whether it was right.
    const right = await c.signIn("target@example.org", PW);
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get("retry-after")) > 0 && Number(right.headers.get("retry-after")) <= 60);
    assert.equal(c.setCookies.length, 0);
    const es = await c.post("/admin/login?lang=es", { email: "target@example.org", password: PW });
    assert.equal(es.status, 429);
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.html, /espere 1 minuto y vuelva a intentarlo/);
    // An unknown account is throttled the same way (nothing tells the two apart).
    for (let i = 1; i <= 4; i++) await c.signIn("ghost@example.org", "x" + i);
    const ghost = await c.signIn("ghost@example.org", "x5");
    assert.equal(ghost.status, 429);
    assert.ok(["59", "60"].includes(ghost.headers.get("retry-after")), "a minute, give or take a tick");
  });

  test("twenty failures from one address lock the address, whatever the account", async () => {
    const c = new Client(srv.base);
    let last;
    for (let i = 0; i < 20; i++) last = await c.signIn(`spray${i}@example.org`, "wrong password");
    assert.equal(last.status, 429);
    // 900 s, give or take the second that may tick between the lock and the answer under load.
    const wait = Number(last.headers.get("retry-after"));
    assert.ok(wait >= 899 && wait <= 900, `Retry-After ${wait}`);
    assert.match(last.html, /wait 15 minutes/);
    const fresh = await c.signIn("someone-new@example.org", "any password here");
    assert.equal(fresh.status, 429);
    const failed = auditRows(srv.db).filter((e) => e.action === "signin_failed");
    assert.ok(failed.length >= 20);
    assert.equal(failed[0].remote, "127.0.0.1");
  });
});

describe("session timeouts", () => {
  let srv;
  before(async () => {
    srv = await startServer(["--session-idle", "2", "--session-max", "5"]);
    addUser(srv.db, "e@example.org", "editor", PW);
  });
  after(() => stop(srv));

  test("a session unused for longer than the idle timeout ends", async () => {
    const c = new Client(srv.base);
    await c.signIn("e@example.org", PW);
    assert.match(c.setCookies[0], /Max-Age=5(;|$)/);
    assert.equal((await c.get("/admin/")).status, 200);
    await sleep(3200);
    const r = await c.get("/admin/");
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/admin/login?expired=1");
    assert.match(c.setCookies[0], /Max-Age=0/);
    const page = await c.get(r.headers.get("location"));
    assert.match(page.html, /Your session ended/);
  });

  test("a session in use still ends at the absolute timeout", async () => {
    const c = new Client(srv.base);
    await c.signIn("e@example.org", PW);
    const start = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - start < 9000) {
      await sleep(900);
      status = (await c.get("/admin/")).status;
    }
    const lasted = (Date.now() - start) / 1000;
    assert.equal(status, 303);
    assert.ok(lasted > 4 && lasted < 8, `ended after ${lasted.toFixed(1)} s`);
  });
});

describe("vrc user", () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(() => stop(srv));

  test("ensure-admin creates the first admin only, with a one-time password", async () => {
    const first = vrcUser(srv.db, ["ensure-admin"]);
    assert.equal(first.status, 0, first.stderr);
    const m = /one-time password for admin@localhost: (\S+)/.exec(first.stdout);
    assert.ok(m, first.stdout);
    const again = vrcUser(srv.db, ["ensure-admin"]);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /no admin created/);
    const c = new Client(srv.base);
    assert.equal((await c.signIn("admin@localhost", m[1])).status, 303);
    assert.equal((await c.get("/admin/")).headers.get("location"), "/admin/password");
  });

  test("add refuses bad input with a reason; list, disable, enable, role and reset-password work", async () => {
    const bad = [
      [["add", "--email", "x@example.org", "--role", "owner"], PW, /--role must be/],
      [["add", "--email", "not-an-email", "--role", "editor"], PW, /--email needs an address/],
      [["add", "--email", "x@example.org", "--role", "editor"], "short\n", /shorter than 12 characters/],
      [["add", "--email", "x@example.org", "--role", "editor"], "123456789012\n", /most common passwords/],
      [["add", "--email", "x@example.org", "--role", "editor", "--community", "a"], PW, /--community goes with/],
      [["add", "--email", "x@example.org", "--role", "community_editor"], PW, /--community goes with/],
      [["add", "--email", "x@example.org", "--role", "community_editor", "--community", "Not A Slug"], PW, /not a community slug/],
      [["disable", "--email", "nobody@example.org"], "", /no account/],
      [["frobnicate"], "", /unknown subcommand/],
    ];
    for (const [args, input, re] of bad) {
      const r = vrcUser(srv.db, args, input);
      assert.notEqual(r.status, 0, args.join(" "));
      assert.match(r.stderr, re, args.join(" "));
    }
    addUser(srv.db, "ce@example.org", "community_editor", PW, ["--community", "test-town,b-town", "--name", "C. E."]);
    assert.notEqual(vrcUser(srv.db, ["add", "--email", "CE@example.org", "--role", "editor"], PW + "\n").status, 0, "taken");
    const list = vrcUser(srv.db, ["list"]);
    assert.match(list.stdout, /ce@example\.org +community_editor: b-town, test-town +C\. E\./);
    assert.equal(vrcUser(srv.db, ["disable", "--email", "ce@example.org"]).status, 0);
    assert.match(vrcUser(srv.db, ["list"]).stdout, /ce@example\.org.*disabled/);
    assert.equal((await new Client(srv.base).signIn("ce@example.org", PW)).status, 400);
    assert.equal(vrcUser(srv.db, ["enable", "--email", "ce@example.org"]).status, 0);
    assert.equal((await new Client(srv.base).signIn("ce@example.org", PW)).status, 303);
    assert.equal(vrcUser(srv.db, ["role", "--email", "ce@example.org", "--role", "editor"]).status, 0);
    assert.match(vrcUser(srv.db, ["list"]).stdout, /ce@example\.org +editor /);
    const reset = vrcUser(srv.db, ["reset-password", "--email", "ce@example.org"]);
    assert.equal(reset.status, 0);
    const otp = /one-time password for ce@example\.org: (\S+)/.exec(reset.stdout)[1];
    assert.equal((await new Client(srv.base).signIn("ce@example.org", PW)).status, 400);
    const c = new Client(srv.base);
    assert.equal((await c.signIn("ce@example.org", otp)).status, 303);
    assert.equal((await c.get("/admin/")).headers.get("location"), "/admin/password");
    const actions = auditRows(srv.db).filter((e) => e.object === "user:" + sql(srv.db, "SELECT id FROM users WHERE email='ce@example.org'"))
      .map((e) => e.action);
    for (const a of ["user_create", "user_disable", "user_enable", "role_change", "password_reset", "signin", "signin_failed"])
      assert.ok(actions.includes(a), `audit has ${a}: ${actions.join(" ")}`);
    const cli = auditRows(srv.db).find((e) => e.action === "user_create");
    assert.match(cli.actor, /^cli:/);
    assert.equal(cli.remote, "cli");
  });

  test("the audit log refuses changes", () => {
    const r = spawnSync("sqlite3", [srv.db, "DELETE FROM audit"], { encoding: "utf8" });
    assert.match(r.stderr, /append-only/);
    const u = spawnSync("sqlite3", [srv.db, "UPDATE audit SET action = 'x'"], { encoding: "utf8" });
    assert.match(u.stderr, /append-only/);
  });
});
