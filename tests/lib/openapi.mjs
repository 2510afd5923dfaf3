// Check API answers against the OpenAPI document the server publishes: the document itself with
// @seriousme/openapi-schema-validator, each answer's body with Ajv (JSON Schema 2020-12, the dialect of
// OpenAPI 3.1) against the schema the document gives for that path, method and status. An answer
// whose status the document does not list fails too.
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const ID = "https://vrc.test/openapi.json";

export async function loadSpec(base) {
  const r = await fetch(base + "/api/v1/openapi.json");
  assert.equal(r.status, 200);
  const doc = await r.json();
  const v = new Validator();
  const res = await v.validate(structuredClone(doc));
  assert.ok(res.valid, "the OpenAPI document is valid: " + JSON.stringify(res.errors, null, 1));
  assert.equal(v.version, "3.1");
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, ID);
  return new Spec(doc, ajv);
}

const esc = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");

class Spec {
  constructor(doc, ajv) {
    this.doc = doc;
    this.ajv = ajv;
    this.checked = new Set(); // "METHOD /template STATUS" seen
    this.compiled = new Map();
    this.templates = Object.keys(doc.paths).map((t) => ({
      t, re: new RegExp("^" + t.replace(/\{[^}]+\}/g, "[^/]+") + "$"),
    }));
  }

  template(path) {
    const p = new URL(path, "http://x").pathname.replace(/^\/api\/v1/, "") || "/";
    const hit = this.templates.find(({ re }) => re.test(p));
    assert.ok(hit, `${p} is a path of the document`);
    return hit.t;
  }

  // The JSON pointer of the body schema for (template, method, status), following response $refs.
  pointer(t, method, status) {
    const op = this.doc.paths[t][method.toLowerCase()];
    assert.ok(op, `${method} ${t} is in the document`);
    let ptr = `/paths/${esc(t)}/${method.toLowerCase()}/responses/${status}`;
    let resp = op.responses[String(status)];
    assert.ok(resp, `${method} ${t} documents status ${status}`);
    if (resp.$ref) {
      ptr = resp.$ref.slice(1);
      resp = this.doc.components.responses[resp.$ref.split("/").pop()];
    }
    return resp.content ? ptr + "/content/application~1json/schema" : null;
  }

  // Assert that a response (status, headers, parsed body) is what the document says.
  check(method, path, r, body) {
    const t = this.template(path);
    const status = r.status;
    const ptr = this.pointer(t, method, status);
    this.checked.add(`${method} ${t} ${status}`);
    if (!ptr) {
      assert.equal(status, 304);
      return;
    }
    assert.equal(r.headers.get("content-type"), "application/json", `${method} ${path}: JSON`);
    let validate = this.compiled.get(ptr);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ID + "#" + ptr });
      this.compiled.set(ptr, validate);
    }
    assert.ok(validate(body), `${method} ${path} ${status} matches its schema: ` +
      JSON.stringify(validate.errors, null, 1) + "\n" + JSON.stringify(body).slice(0, 600));
  }
}
