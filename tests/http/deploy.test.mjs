// deploy/: the systemd units pass `systemd-analyze verify`, and their command lines do what they say
// when run here with the paths moved into a temporary folder: `vrc init` then `vrc serve` start and
// serve, the access log goes to its file and is reopened on SIGHUP (what `systemctl reload` and
// deploy/logrotate send), and the export unit's command writes the site and its summary.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, renameSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bin } from "../lib/server.mjs";

const root = resolve(new URL("../..", import.meta.url).pathname);
const tmp = mkdtempSync(join(tmpdir(), "vrc-deploy-"));
const dirs = { state: join(tmp, "lib"), logs: join(tmp, "log"), export: join(tmp, "export") };
for (const d of Object.values(dirs)) mkdirSync(d);
after(() => rmSync(tmp, { recursive: true, force: true }));

// A unit with its paths moved here: the binary, the checkout, /var/lib/vrc, /var/log/vrc, /srv/vrc.
const local = (name) => readFileSync(join(root, "deploy", name), "utf8")
  .replaceAll("/opt/vrc/build/vrc", bin).replaceAll("/opt/vrc", root).replaceAll("/var/lib/vrc", dirs.state)
  .replaceAll("/var/log/vrc", dirs.logs).replaceAll("/srv/vrc/export", dirs.export);
const lines = (unit, key) => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("the units pass systemd-analyze verify without a warning", (t) => {
  if (spawnSync("systemd-analyze", ["--version"]).status !== 0) return t.skip("systemd-analyze is not installed");
  const files = ["vrc.service", "vrc-export.service", "vrc-export.timer"].map((n) => {
    const f = join(tmp, n);
    writeFileSync(f, local(n));
    return f;
  });
  const r = spawnSync("systemd-analyze", ["verify", ...files], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), "", "no unknown keys or bad values");
});

test("vrc.service's commands start a server that logs to its file and reopens it on SIGHUP", async () => {
  const unit = local("vrc.service");
  const [pre] = lines(unit, "ExecStartPre"), [start] = lines(unit, "ExecStart");
  const init = spawnSync(pre.split(" ")[0], pre.split(" ").slice(1), { encoding: "utf8", cwd: root });
  assert.equal(init.status, 0, init.stderr);
  const args = start.split(" ").slice(1).map((a) => (a === "127.0.0.1:8080" ? "127.0.0.1:0" : a));
  const srv = spawn(start.split(" ")[0], args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  srv.stderr.on("data", (d) => (log += d));
  try {
    let base;
    for (let i = 0; i < 300 && !base; i++) {
      base = /serving \d+ pages[^\n]* on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log)?.[1];
      if (!base) await sleep(50);
    }
    assert.ok(base, "the server started:\n" + log);
    assert.equal((await fetch(base + "/healthz")).status, 200);
    assert.equal((await fetch(base + "/es/")).status, 200);
    const file = join(dirs.logs, "access.log");
    for (let i = 0; i < 40 && !(existsSync(file) && /"GET \/es\/" 200/.test(readFileSync(file, "utf8"))); i++) await sleep(100);
    assert.match(readFileSync(file, "utf8"), /"GET \/es\/" 200/, "requests are logged to the unit's file");
    renameSync(file, file + ".1"); // what logrotate does, then ExecReload's SIGHUP
    srv.kill("SIGHUP");
    await sleep(300);
    await fetch(base + "/health-wellness");
    for (let i = 0; i < 40 && !(existsSync(file) && /health-wellness/.test(readFileSync(file, "utf8"))); i++) await sleep(100);
    assert.match(readFileSync(file, "utf8"), /"GET \/health-wellness" 200/, "a new file after the reload");
    assert.doesNotMatch(readFileSync(file + ".1", "utf8"), /health-wellness/);
    assert.match(lines(unit, "ExecReload")[0], /kill -HUP \$MAINPID/);
  } finally {
    srv.kill("SIGTERM");
    await new Promise((r) => srv.on("exit", r));
  }
});

test("vrc-export.service's command exports the site and keeps its summary for the reload check", () => {
  const unit = local("vrc-export.service");
  const cmd = /^\/bin\/sh -c '(.*)'$/.exec(lines(unit, "ExecStart")[0])[1];
  const r = spawnSync("/bin/sh", ["-c", cmd], { encoding: "utf8", cwd: root });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^vrc export: \d+ pages/m);
  assert.ok(existsSync(join(dirs.export, "index.html")) && existsSync(join(dirs.export, "es/index.html.br")));
  assert.match(readFileSync(join(dirs.state, "export.last"), "utf8"), /^vrc export: \d+ pages/m);
  const again = spawnSync("/bin/sh", ["-c", cmd], { encoding: "utf8", cwd: root });
  assert.match(again.stdout, /0 files written, 0 removed/, "a second run changes nothing");
  assert.match(lines(unit, "ExecStartPost")[0], /grep -q "reload the web server"/, "the reload check looks for what export prints");
});
