// Start the real vrc binary on a free loopback port with a fresh temporary database.
// VRC_BIN picks the binary (build/vrc by default; the sanitizer build in `make test`).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import net from "node:net";

const root = resolve(new URL("../..", import.meta.url).pathname);
export const bin = resolve(root, process.env.VRC_BIN || "build/vrc");

// opts.content: the content folder to load (default the repository's); opts.prepare(db, dir): runs
// after `vrc init` and before `vrc serve` (to change files, run init again, or edit the database).
// opts.db: serve this existing database instead (a second instance on another's file; no init).
// The server answers at once and warms its cache in the background; startServer waits for the warm
// to finish unless opts.warm is false (a test of serving while warming).
export async function startServer(extra = [], opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), "vrc-test-"));
  const db = opts.db || join(dir, "vrc.db");
  if (!opts.db) execFileSync(bin, ["init", "--db", db, "--content", opts.content || join(root, "content")], { stdio: "pipe" });
  if (opts.prepare) await opts.prepare(db, dir);
  const proc = spawn(bin, ["serve", "--db", db, "--listen", "127.0.0.1:0",
    "--media", join(root, "content/media"), ...extra], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("server did not start:\n" + log)), 30000);
    proc.stderr.on("data", (d) => {
      log += d;
      const m = /serving \d+ pages[^\n]* on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m && (opts.warm === false || /info warm: /.test(log))) { clearTimeout(timer); ok(m[1]); }
    });
    proc.on("exit", (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}:\n${log}`)); });
  });
  return {
    base, dir, db,
    get log() { return log; },
    alive() { return proc.exitCode === null && proc.signalCode === null; },
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.on("exit", r));
        proc.kill("SIGTERM");
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

// Send raw bytes on a fresh connection; resolve with the whole reply as a string.
export function raw(base, bytes, { timeout = 5000 } = {}) {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    const s = net.connect(Number(port), hostname);
    const chunks = [];
    s.setTimeout(timeout, () => { s.destroy(); ok(Buffer.concat(chunks).toString("latin1")); });
    s.on("data", (c) => chunks.push(c));
    s.on("end", () => ok(Buffer.concat(chunks).toString("latin1")));
    s.on("error", (e) => (chunks.length ? ok(Buffer.concat(chunks).toString("latin1")) : fail(e)));
    s.write(bytes);
  });
}
