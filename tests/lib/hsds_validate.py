#!/usr/bin/python3
"""Validate HSDS 3.0 API answers against the official schemas in ../shared/hsds-3.0 (no network).

Run with Debian's python (/usr/bin/python3: python3-jsonschema 4.10, python3-rfc3987 for "uri").
Reads a JSON array of checks on stdin, each {"name", "schema", "body"}, where schema is
  "root"                    the "/" answer of openapi.json
  "page:<file>"             a Page (openapi.json's components/schemas/Page) whose contents are <file>
  "<file>"                  one object of compiled/<file> (service.json, organization.json, ...)
and prints one line per error ("<name>: <path>: <message>"); exits 1 when any check fails, 2 when the
validator itself cannot check formats it must (so it can never pass by skipping them).

The compiled schemas have every $ref resolved; openapi.json names them by their public raw GitHub
addresses, which a local store maps to the files here. Draft 2020-12 with a FormatChecker: uuid
(built in), uri (rfc3987), email (built in), date-time (jsonschema 4.10 checks it only with
rfc3339-validator, which Debian 12 does not package: RFC 3339's grammar is checked here instead).
"""
import datetime
import json
import os
import re
import sys

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

HERE = os.path.dirname(os.path.abspath(__file__))
# The schemas (8 MB, not in the repository): $HSDS_SPEC, else ../shared/hsds-3.0 beside the checkout
# (the main checkout is /work/main), else /work/shared/hsds-3.0 (a worktree elsewhere).
SPEC = next(p for p in (os.environ.get("HSDS_SPEC"), os.path.join(HERE, "../../../shared/hsds-3.0"),
                        "/work/shared/hsds-3.0", os.environ.get("HSDS_SPEC", "hsds-3.0"))
            if p and os.path.isdir(p))
RAW = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"
OPENAPI_ID = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"

RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")


def format_checker():
    fc = FormatChecker()
    if "date-time" not in fc.checkers:
        @fc.checks("date-time", raises=ValueError)
        def date_time(v):
            if not isinstance(v, str):
                return True
            m = RFC3339.match(v)
            if not m:
                return False
            y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
            datetime.datetime(y, mo, d, h, mi, min(s, 59))  # ValueError on 2026-02-30 or 25:00
            return s <= 60 and (m.group(9) is None or (int(m.group(9)) < 24 and int(m.group(10)) < 60))
    for f in ("uuid", "uri", "email", "date-time"):
        if f not in fc.checkers:
            print(f"validator: no checker for format {f!r} (install python3-rfc3987)", file=sys.stderr)
            sys.exit(2)
    return fc


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    compiled = os.path.join(SPEC, "compiled")
    store = {RAW + name: load(os.path.join(compiled, name)) for name in os.listdir(compiled)}
    openapi = load(os.path.join(SPEC, "openapi.json"))
    store[OPENAPI_ID] = openapi
    fc = format_checker()

    def validator(schema):
        resolver = RefResolver(OPENAPI_ID, openapi, store=store)
        return Draft202012Validator(schema, resolver=resolver, format_checker=fc)

    paths = openapi["paths"]
    ok = lambda p: p["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    list_path = {"service_list.json": "/services", "organization_list.json": "/organizations",
                 "service_at_location_list.json": "/service_at_locations"}
    bad = 0
    for check in json.load(sys.stdin):
        kind = check["schema"]
        if kind == "root":
            schema = {"allOf": [ok(paths["/"]), {"required": ["version", "profile", "openapi_url"]}]}
        elif kind.startswith("page:"):
            name = kind[5:]
            schema = ok(paths[list_path[name]])  # allOf Page, contents items $ref the compiled file
            # Page's properties are all optional in openapi.json; HSDS's api_reference says a list
            # "must include" them, so they are required here.
            schema = {"allOf": [schema, {"required": ["total_items", "total_pages", "page_number",
                                                      "size", "first_page", "last_page", "empty",
                                                      "contents"]}]}
        else:
            schema = store[RAW + kind]
        for e in validator(schema).iter_errors(check["body"]):
            bad += 1
            print(f"{check['name']}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
