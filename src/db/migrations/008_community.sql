-- Community pages: an incident's page at /c/<slug>, its blocks, their published revisions, and the
-- site-wide alert banner.
--
-- A block (key message, locations, updates, events, services, funds, FAQ, resources) is one JSON
-- document (its shape is in src/model/block.c): items with stable UUID ids, language-neutral fields,
-- and the text of each language under "text". The console edits `draft`; publishing copies `draft`
-- into `published` in one transaction with its revision, so the public page never shows a block
-- half-way through an edit. The public site renders `published` only.

CREATE TABLE community (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  place         TEXT NOT NULL DEFAULT '',
  incident_date TEXT,                                -- YYYY-MM-DD, or NULL when not given
  languages     TEXT NOT NULL DEFAULT 'en,es',       -- offered, comma-separated; always includes en
  timezone      TEXT NOT NULL DEFAULT 'America/New_York', -- the default for its events
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE community_block (
  community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('key_message', 'locations', 'updates', 'events',
                                             'services', 'funds', 'faq', 'resources')),
  draft        TEXT NOT NULL,            -- the block as saved in the console (JSON)
  published    TEXT,                     -- the block as the public sees it (JSON); NULL: never published
  draft_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  draft_by     INTEGER,                  -- users.id, NULL from the command line
  published_at TEXT,
  published_by INTEGER,
  PRIMARY KEY (community_id, kind)
);

-- One row per block publish: the JSON before and after, and what changed as codes the public
-- "what changed" list words in each language ({"what": "location_hours", "name": "..."}).
CREATE TABLE community_revision (
  id           INTEGER PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  user_id      INTEGER,
  actor        TEXT NOT NULL DEFAULT '',
  before       TEXT,
  after        TEXT NOT NULL,
  changes      TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX community_revision_at ON community_revision(community_id, id);

-- The site-wide alert banner for an active incident: on or off, with its text per language.
CREATE TABLE site_alert (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  active     INTEGER NOT NULL DEFAULT 0,
  url        TEXT NOT NULL DEFAULT '',         -- where the banner links (a community page), or ''
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO site_alert(id, active) VALUES (1, 0);
CREATE TABLE site_alert_text (
  lang TEXT PRIMARY KEY,
  text TEXT NOT NULL
);
