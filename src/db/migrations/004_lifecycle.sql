-- The content lifecycle and an honest review record.
-- `reviewed` was the date a file said it was checked: it becomes `checked` (checked against its
-- sources). A clinical review is recorded only when a reviewer approves the resource in the console
-- (reviewed_at, reviewer); none has happened yet, so no reviewer is kept.
ALTER TABLE resource RENAME COLUMN reviewed TO checked;
ALTER TABLE resource ADD COLUMN reviewed_at TEXT;
UPDATE resource SET reviewer = NULL;

-- Help lines a resource shows beside its text (beyond the crisis bar), in order.
CREATE TABLE resource_hotline (
  resource_id  INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  hotline_slug TEXT NOT NULL,
  PRIMARY KEY (resource_id, position)
);

-- Topics and hotlines gone from their JSON file are retired by `vrc init`, not deleted.
ALTER TABLE topic ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hotline ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
-- A hotline with panel = 0 appears only on the pages that name it, not in every page's panel.
ALTER TABLE hotline ADD COLUMN panel INTEGER NOT NULL DEFAULT 1;

-- Contacts gain videophone (ASL) and an optional language: a contact with lang shows only on
-- pages in that language (a Spanish keyword to text, say).
CREATE TABLE hotline_contact_new (
  hotline_id INTEGER NOT NULL REFERENCES hotline(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('call', 'text', 'chat', 'tty', 'videophone')),
  value      TEXT NOT NULL,
  lang       TEXT CHECK (lang IN ('en', 'es')),
  PRIMARY KEY (hotline_id, position)
);
INSERT INTO hotline_contact_new(hotline_id, position, kind, value)
  SELECT hotline_id, position, kind, value FROM hotline_contact;
DROP TABLE hotline_contact;
ALTER TABLE hotline_contact_new RENAME TO hotline_contact;
