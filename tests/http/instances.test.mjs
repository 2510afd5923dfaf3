// Several instances on one database (operators behind a load balancer on one machine): a community
// update published through one instance reaches another instance's cached page and its search within
// a few seconds, without a restart (the scheduler's data_version check, every second).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { startServer, bin } from "../lib/server.mjs";

let a, b, token;
before(async () => {
  a = await startServer();
  b = await startServer([], { db: a.db });
  execFileSync(bin, ["user", "add", "--db", a.db, "--email", "desk@example.org", "--role", "admin", "--name", "News Desk"], { stdio: "pipe" });
  token = /vrc_[A-Za-z0-9_-]+/.exec(execFileSync(bin, ["token", "create", "--db", a.db, "--user", "desk@example.org", "--name", "instances"], { encoding: "utf8" }))[0];
});
after(async () => {
  for (const s of [b, a]) assert.equal(await s.stop(), 0, "server exits cleanly\n" + s.log.slice(-2000));
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The server's log reaches us through a pipe: wait for a line rather than race it.
async function logged(s, re) {
  for (let i = 0; i < 50 && !re.test(s.log); i++) await sleep(100);
  return s.log;
}
const post = (base, path, body) => fetch(base + path, {
  method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body),
});
const text = (base, path) => fetch(base + path).then((r) => r.text());
// What a reader sees of a page: its text without tags (search marks the words it found).
const visible = (base, path) => text(base, path).then((h) => h.replace(/<[^>]+>/g, "").replace(/\s+/g, " "));

test("an API token's use on one instance (a commit nothing public reads) makes the other re-render nothing", async () => {
  // The token's use writes its last-use time: an outside commit to a quiet table (migration 014).
  // Wait for two of the other instance's checks.
  const r = await fetch(a.base + "/api/v1/communities", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{}" });
  assert.equal(r.status, 422, "a refused write still uses (and stamps) the token");
  await sleep(2500);
  assert.doesNotMatch(b.log, /another process changed/);
});

test("an update published through one instance reaches the other instance's page and search without a restart", async () => {
  const made = await post(a.base, "/api/v1/communities", { name: "Riverside Strong", slug: "riverside", place: "Riverside", date: "2026-11-28" });
  assert.equal(made.status, 201, await made.text());
  // The second instance has the page cached, and has answered a search for a word not yet on the site.
  assert.match(await text(b.base, "/c/riverside"), /Riverside Strong/);
  assert.match(await visible(b.base, "/search?q=lanterns"), /No results/);
  const title = "Lanterns at the river tonight";
  const posted = await post(a.base, "/api/v1/communities/riverside/updates", { text: { en: { title, body: "Bring a candle. Volunteers will help." } }, publish: true });
  assert.equal(posted.status, 201, await posted.text());
  assert.match(await text(a.base, "/c/riverside"), new RegExp(title), "the instance that took it shows it at once");
  let shown = false;
  for (let i = 0; i < 100 && !shown; i++) {
    shown = (await text(b.base, "/c/riverside")).includes(title);
    if (!shown) await sleep(100);
  }
  assert.ok(shown, "the other instance shows it within 10 s\n" + b.log.slice(-1500));
  assert.match(await logged(b, /another process changed/), /another process changed 1 resource or community page\(s\) \(community riverside\); refreshing their pages/);
  assert.doesNotMatch(b.log, /another process changed what every page shows/, "only that page and what shows it, not the whole site");
  assert.match(await visible(a.base, "/search?q=lanterns"), new RegExp(`Riverside Strong ${title}`), "the first instance's search finds it");
  assert.match(await visible(b.base, "/search?q=lanterns"), new RegExp(`Riverside Strong ${title}`), "and the other's, not an answer kept from before");
});

test("an outside change to a resource re-renders its pages; one to a help line re-renders every page", async () => {
  const { spawnSync } = await import("node:child_process");
  const SLUG = "calming-stress-after-violence", TITLE = "Calming body and mind: retitled outside";
  assert.match(await text(b.base, "/health-wellness"), /Calming your body and mind/);
  // The last test's writes came in several commits; two of the other instance's checks (one a
  // second) take in any it has not yet, so that this change is counted on its own.
  await sleep(2500);
  const mark = b.log.length;
  spawnSync("sqlite3", [a.db, `UPDATE resource SET title = '${TITLE}' WHERE slug = '${SLUG}'`]);
  for (const s of [a, b]) {
    let seen = false;
    for (let i = 0; i < 100 && !seen; i++) {
      seen = (await text(s.base, `/resources/${SLUG}`)).includes(TITLE) && (await text(s.base, "/health-wellness")).includes(TITLE);
      if (!seen) await sleep(100);
    }
    assert.ok(seen, "the resource's page and its section show the new title on both instances");
    // The other instance names just this resource; the first may count its own community rows of a
    // moment ago with it (its own writes are passed over only when nothing from outside came between).
    const re = s === b ? new RegExp(`another process changed 1 resource or community page\\(s\\) \\(resource ${SLUG}\\)`)
      : /another process changed \d+ resource or community page\(s\)/;
    assert.match((await logged(s, re)).slice(s === b ? mark : 0), re);
  }
  assert.doesNotMatch(b.log, /changed what every page shows/);
  // A help line is on every page: everything is re-rendered.
  spawnSync("sqlite3", [a.db, "UPDATE hotline_text SET name = name || ' ' WHERE rowid = (SELECT min(rowid) FROM hotline_text)"]);
  let all = false;
  for (let i = 0; i < 100 && !all; i++) {
    all = /another process changed what every page shows; refreshing the public pages/.test(b.log);
    if (!all) await sleep(100);
  }
  assert.ok(all, b.log.slice(-1500));
});
