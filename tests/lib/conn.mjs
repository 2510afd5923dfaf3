// A keep-alive client on a raw socket: sends requests one after another and reads each response by
// its Content-Length ({status, headers, body, head}). closed resolves when the server closes the
// connection. Shared by the HTTP tests that watch a connection's life (load, fastpath).
import net from "node:net";

export class Conn {
  constructor(base) {
    const { hostname, port } = new URL(base);
    this.sock = net.connect(Number(port), hostname);
    this.buf = Buffer.alloc(0);
    this.waiting = null;
    this.isClosed = false;
    this.ready = new Promise((ok, fail) => { this.sock.once("connect", ok); this.sock.once("error", fail); });
    this.closed = new Promise((ok) => this.sock.once("close", ok));
    this.sock.on("close", () => { this.isClosed = true; this.pump(); });
    this.sock.on("error", () => {});
    this.sock.on("data", (d) => { this.buf = Buffer.concat([this.buf, d]); this.pump(); });
  }
  pump() {
    if (!this.waiting) return;
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.isClosed) { const w = this.waiting; this.waiting = null; w.fail(new Error("closed before a response")); }
      return;
    }
    const head = this.buf.subarray(0, end).toString("latin1").split("\r\n");
    const status = Number(head[0].split(" ")[1]);
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(":");
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const len = this.waiting.head || status === 304 ? 0 : Number(headers["content-length"] || 0);
    if (this.buf.length < end + 4 + len) return;
    const body = this.buf.subarray(end + 4, end + 4 + len);
    this.buf = this.buf.subarray(end + 4 + len);
    const w = this.waiting;
    this.waiting = null;
    w.ok({ status, headers, body, head: head.join("\n") });
  }
  // Send raw request bytes; resolve with the response.
  send(bytes, { head = false } = {}) {
    return new Promise((ok, fail) => {
      this.waiting = { ok, fail, head };
      this.sock.write(bytes);
      this.pump();
    });
  }
  get(path, headers = {}, method = "GET") {
    const lines = Object.entries({ Host: "x", ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    return this.send(`${method} ${path} HTTP/1.1\r\n${lines}\r\n`, { head: method === "HEAD" });
  }
  end() { this.sock.destroy(); }
}
