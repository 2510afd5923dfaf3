-- The resource library: sections, topics, resources with their sources and revisions, hotlines.
-- Communities, users, sessions and the audit log come in later migrations.

CREATE TABLE section (
  slug     TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);
INSERT INTO section(slug, position) VALUES
  ('victim-social-services', 1), ('social-connection', 2), ('health-wellness', 3), ('grief-trauma', 4);

CREATE TABLE topic (
  id       INTEGER PRIMARY KEY,
  slug     TEXT NOT NULL UNIQUE,
  section  TEXT NOT NULL REFERENCES section(slug),
  position INTEGER NOT NULL
);

CREATE TABLE topic_text (
  topic_id INTEGER NOT NULL REFERENCES topic(id) ON DELETE CASCADE,
  lang     TEXT NOT NULL CHECK (lang IN ('en', 'es')),
  title    TEXT NOT NULL,
  summary  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (topic_id, lang)
);

CREATE TABLE resource (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  lang        TEXT NOT NULL CHECK (lang IN ('en', 'es')),
  topic_id    INTEGER NOT NULL REFERENCES topic(id),
  type        TEXT NOT NULL CHECK (type IN ('article', 'video', 'link', 'worksheet')),
  stage       TEXT NOT NULL CHECK (stage IN ('first-days', 'weeks-months', 'long-term', 'any')),
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL,
  body        TEXT NOT NULL,
  url         TEXT,
  video       TEXT,
  poster      TEXT,
  captions    TEXT,
  sample      INTEGER NOT NULL DEFAULT 0,
  translation TEXT,
  reviewed    TEXT NOT NULL,
  reviewer    TEXT,
  status      TEXT NOT NULL DEFAULT 'published'
              CHECK (status IN ('draft', 'review', 'published', 'archived')),
  source_file TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX resource_topic ON resource(topic_id, status);

CREATE TABLE resource_source (
  resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  url         TEXT NOT NULL,
  PRIMARY KEY (resource_id, position)
);

-- Every change to a resource keeps the previous text.
CREATE TABLE revision (
  id          INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  author      TEXT NOT NULL,
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL,
  body        TEXT NOT NULL,
  note        TEXT
);

CREATE TABLE hotline (
  id        INTEGER PRIMARY KEY,
  slug      TEXT NOT NULL UNIQUE,
  position  INTEGER NOT NULL,
  featured  INTEGER NOT NULL DEFAULT 0,
  languages TEXT NOT NULL DEFAULT '',
  verified  TEXT NOT NULL,
  source    TEXT NOT NULL
);

CREATE TABLE hotline_text (
  hotline_id INTEGER NOT NULL REFERENCES hotline(id) ON DELETE CASCADE,
  lang       TEXT NOT NULL CHECK (lang IN ('en', 'es')),
  name       TEXT NOT NULL,
  audience   TEXT NOT NULL DEFAULT '',
  hours      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (hotline_id, lang)
);

CREATE TABLE hotline_contact (
  hotline_id INTEGER NOT NULL REFERENCES hotline(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('call', 'text', 'chat', 'tty')),
  value      TEXT NOT NULL,
  PRIMARY KEY (hotline_id, position)
);

-- Full-text search over published resources (kept in step by triggers).
CREATE VIRTUAL TABLE resource_fts USING fts5(
  title, summary, body, content='resource', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER resource_ai AFTER INSERT ON resource BEGIN
  INSERT INTO resource_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
END;
CREATE TRIGGER resource_ad AFTER DELETE ON resource BEGIN
  INSERT INTO resource_fts(resource_fts, rowid, title, summary, body)
    VALUES ('delete', old.id, old.title, old.summary, old.body);
END;
CREATE TRIGGER resource_au AFTER UPDATE ON resource BEGIN
  INSERT INTO resource_fts(resource_fts, rowid, title, summary, body)
    VALUES ('delete', old.id, old.title, old.summary, old.body);
  INSERT INTO resource_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
END;
