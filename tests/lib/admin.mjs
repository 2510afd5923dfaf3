// Helpers for the staff console tests: accounts made with `vrc user`, a browser-like client that keeps
// the session cookie, CSRF tokens, TOTP codes computed here (RFC 6238 with node's HMAC), and the audit
// log as `vrc audit` prints it.
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { bin } from "./server.mjs";

export const COOKIE = "__Host-vrc";

// `vrc user ARGS...` on db with stdin; returns { status, stdout, stderr }.
export function vrcUser(db, args, input = "") {
  return spawnSync(bin, ["user", ...args, "--db", db], { input, encoding: "utf8" });
}

// Create an account; password "" means a generated one-time password, returned.
export function addUser(db, email, role, password, extra = []) {
  const r = vrcUser(db, ["add", "--email", email, "--role", role, ...extra], password ? password + "\n" : "");
  if (r.status !== 0) throw new Error(`vrc user add ${email}: ${r.stderr}`);
  const m = /one-time password for \S+: (\S+)/.exec(r.stdout);
  return m ? m[1] : password;
}

// The audit log as rows: { at, actor, action, object, before, after, remote }.
export function auditRows(db, args = []) {
  const r = spawnSync(bin, ["audit", "--db", db, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error("vrc audit: " + r.stderr);
  return r.stdout.split("\n").filter(Boolean).map((line) => {
    const [at, actor, action, object, before, after, remote] = line.split("\t");
    return { at, actor, action, object, before, after, remote };
  });
}

export function csrfOf(html) {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  return m ? m[1] : null;
}

// A client with one cookie jar, like one browser. Requests do not follow redirects.
export class Client {
  constructor(base, headers = {}) {
    this.base = base;
    this.headers = headers;
    this.cookie = null;
    this.setCookies = [];
  }

  async request(method, path, { form, headers = {} } = {}) {
    const h = { ...this.headers, ...headers };
    if (this.cookie) h.cookie = `${COOKIE}=${this.cookie}`;
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      h["content-type"] = "application/x-www-form-urlencoded";
    }
    const r = await fetch(this.base + path, { method, headers: h, body, redirect: "manual" });
    this.setCookies = r.headers.getSetCookie();
    for (const c of this.setCookies) {
      const m = new RegExp(`^${COOKIE}=([^;]*)`).exec(c);
      if (m) this.cookie = m[1] || null;
    }
    r.html = await r.text();
    return r;
  }

  get(path, opts) { return this.request("GET", path, opts); }
  post(path, form, opts = {}) { return this.request("POST", path, { ...opts, form }); }

  // POST with the CSRF token of the page at `from` (default: the same path).
  async postForm(path, fields, { from = path, headers } = {}) {
    const page = await this.get(from);
    return this.post(path, { csrf: csrfOf(page.html) ?? "", ...fields }, { headers });
  }

  async signIn(email, password) {
    return this.post("/admin/login", { email, password });
  }
}

// RFC 4648 base32 (spaces ignored) to bytes.
export function base32(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

// The TOTP code (RFC 6238: HMAC-SHA-1, 30 s steps) for key at Unix time t.
export function totp(key, t = Date.now() / 1000, digits = 6, algorithm = "sha1") {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac(algorithm, key).update(counter).digest();
  const off = mac[mac.length - 1] & 15;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 10 ** digits;
  return String(n).padStart(digits, "0");
}

// The secret shown on the enrolment page.
export function secretOf(html) {
  const m = /id="totp-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(html);
  return m ? m[1].replace(/ /g, "") : null;
}

// Enrol the signed-in client's second factor; returns { secret, codes, response }.
export async function enrol(client) {
  const page = await client.get("/admin/totp");
  const secret = secretOf(page.html);
  const response = await client.post("/admin/totp", { csrf: csrfOf(page.html), code: totp(base32(secret)) });
  const codes = [...response.html.matchAll(/<li><code>([a-z0-9-]{19})<\/code><\/li>/g)].map((m) => m[1]);
  return { secret, codes, response };
}
