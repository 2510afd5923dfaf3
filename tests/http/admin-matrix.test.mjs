// Who may do what in the staff console, as one table: every role (admin, editor, reviewer, a
// community editor scoped to one community, and nobody signed in) against every console page and
// the state-changing routes, including objects out of a community editor's scope and a non-admin
// trying to change a role. Deny by default: a denied request is 403 (a visitor is sent to sign in),
// and nothing changes.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startServer, bin } from "../lib/server.mjs";
import { Client, addUser, csrfOf, enrol } from "../lib/admin.mjs";

const PW = "correct horse battery staple";
const sql = (db, q) => spawnSync("sqlite3", [db, q], { encoding: "utf8" }).stdout.trim();

const A = "admin", E = "editor", R = "reviewer", C = "community", N = "nobody";
const STAFF = [A, E, R, C];
// [path, roles that may open it]
const PAGES = [
  ["/admin/", STAFF],
  ["/admin/users", [A]],
  ["/admin/audit", [A]],
  ["/admin/settings", [A]],
  ["/admin/alert", [A]],
  ["/admin/resources", [A, E, R]],
  ["/admin/resources/new", [A, E]],
  ["/admin/resources/sleep-after-trauma", [A, E, R]],
  ["/admin/resources/sleep-after-trauma/revisions", [A, E, R]],
  ["/admin/hotlines", [A, E]],
  ["/admin/hotlines/988", [A, E]],
  ["/admin/topics", [A, E]],
  ["/admin/topics/sleep", [A, E]],
  ["/admin/uploads", STAFF],
  ["/admin/communities", STAFF],
  ["/admin/communities/new", [A, E]],
  ["/admin/communities/springfield", STAFF],
  ["/admin/communities/shelbyville", [A, E, R]], // not the community editor's own
  ["/admin/communities/springfield/key_message/en", STAFF],
  ["/admin/communities/shelbyville/key_message/en", [A, E, R]],
];

describe("the role x route x object matrix", () => {
  let srv;
  const clients = {};
  before(async () => {
    srv = await startServer();
    for (const slug of ["springfield", "shelbyville"]) {
      const r = spawnSync(bin, ["community", "create", "--db", srv.db, "--slug", slug, "--name", slug, "--lang", "en,es"],
        { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    }
    addUser(srv.db, "a@example.org", "admin", PW, ["--name", "Ada Admin"]);
    addUser(srv.db, "e@example.org", "editor", PW, ["--name", "Eddie Editor"]);
    addUser(srv.db, "r@example.org", "reviewer", PW, ["--name", "Rita Review, PhD"]);
    addUser(srv.db, "c@example.org", "community_editor", PW, ["--community", "springfield"]);
    for (const [role, email] of [[A, "a"], [E, "e"], [R, "r"], [C, "c"]]) {
      const c = new Client(srv.base);
      assert.equal((await c.signIn(`${email}@example.org`, PW)).status, 303);
      if (role === A || role === R) await enrol(c);
      clients[role] = c;
    }
    clients[N] = new Client(srv.base);
  });
  after(async () => {
    const code = await srv.stop();
    assert.equal(code, 0, srv.log.slice(-3000));
  });

  test("every console page, for every role", async () => {
    const wrong = [];
    for (const [path, allowed] of PAGES) {
      for (const role of [...STAFF, N]) {
        const r = await clients[role].get(path);
        const want = role === N ? 303 : allowed.includes(role) ? 200 : 403;
        if (r.status !== want) wrong.push(`${role} GET ${path}: ${r.status}, want ${want}`);
        if (role === N && r.status === 303 && r.headers.get("location") !== "/admin/login")
          wrong.push(`${role} GET ${path}: sent to ${r.headers.get("location")}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test("state changes: denied ones are 403 and change nothing", async () => {
    const editorId = sql(srv.db, "SELECT id FROM users WHERE email = 'e@example.org'");
    const before = sql(srv.db, "SELECT count(*) FROM audit WHERE action NOT LIKE 'sign%'");
    // [role, path, form, where the CSRF token comes from]
    const denied = [
      [E, `/admin/users/${editorId}/role`, { role: "admin" }, "/admin/"],
      [R, `/admin/users/${editorId}/role`, { role: "admin" }, "/admin/"],
      [C, `/admin/users/${editorId}/role`, { role: "admin" }, "/admin/"],
      [R, "/admin/resources/new", { language: "en", slug: "x-y", title: "X", topic: "sleep", type: "article", stage: "any" }, "/admin/"],
      [C, "/admin/resources/new", { language: "en", slug: "x-y", title: "X", topic: "sleep", type: "article", stage: "any" }, "/admin/"],
      [C, "/admin/resources/sleep-after-trauma", { action: "save", title: "Hacked" }, "/admin/"],
      [E, "/admin/resources/sleep-after-trauma", { action: "archive" }, "/admin/"],
      [R, "/admin/hotlines/988", { name_en: "Hacked" }, "/admin/"],
      [C, "/admin/topics/sleep", { title_en: "Hacked" }, "/admin/"],
      [E, "/admin/settings", { review_months: "1", hotline_verify_months: "1" }, "/admin/"],
      [C, "/admin/communities/shelbyville/key_message/en", { text: "Hacked" }, "/admin/"],
      [C, "/admin/communities/shelbyville/publish", {}, "/admin/"],
      [R, "/admin/communities/new", { name: "Hacked" }, "/admin/"],
      [E, "/admin/alert", { on: "1" }, "/admin/"],
    ];
    const wrong = [];
    for (const [role, path, form, from] of denied) {
      const r = await clients[role].postForm(path, form, { from });
      if (r.status !== 403) wrong.push(`${role} POST ${path}: ${r.status}, want 403`);
    }
    for (const [role, path, form] of denied.slice(0, 4)) {
      const r = await clients[N].post(path, { ...form, csrf: "x" });
      if (r.status !== 403 && r.status !== 303) wrong.push(`nobody POST ${path}: ${r.status}`);
    }
    assert.deepEqual(wrong, []);
    assert.equal(sql(srv.db, "SELECT role FROM users WHERE email = 'e@example.org'"), "editor");
    assert.equal(sql(srv.db, "SELECT count(*) FROM resource WHERE title = 'Hacked' OR slug = 'x-y'"), "0");
    assert.equal(sql(srv.db, "SELECT status FROM resource WHERE slug = 'sleep-after-trauma'"), "published");
    assert.equal(sql(srv.db, "SELECT count(*) FROM audit WHERE action NOT LIKE 'sign%'"), before, "no change was audited");
    const pub = await (await fetch(srv.base + "/c/shelbyville")).text();
    assert.ok(!pub.includes("Hacked"));
  });

  test("each change writes exactly one audit entry", async () => {
    const count = (action) => Number(sql(srv.db, `SELECT count(*) FROM audit WHERE action = '${action}'`));
    const before = count("resource_save");
    const page = await clients[E].get("/admin/resources/sleep-after-trauma");
    const form = {};
    for (const m of page.html.matchAll(/<input [^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) form[m[1]] ??= m[2];
    const body = /<textarea[^>]*name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.html)[1]
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    for (const m of page.html.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
      form[m[1]] = /<option value="([^"]*)" selected>/.exec(m[2])?.[1] ?? "";
    const r = await clients[E].post("/admin/resources/sleep-after-trauma", { ...form, body, action: "save", csrf: csrfOf(page.html) });
    assert.equal(r.status, 303, r.html.slice(0, 300));
    assert.equal(count("resource_save"), before + 1);
  });
});
