-- Editing in the console: the resource row stays the live (published) text that the site renders;
-- every save in the console is a revision, and the open draft of a resource is its newest revision in
-- state 'draft' or 'review'. Publishing copies a revision into the row.
--   state: draft | review | published (it went live) | superseded (replaced before it went live)
--          | history (the text before an update by `vrc init`, or before archiving) | conflict
--   data:  the whole editable resource as JSON (title, summary, body, topic, type, stage, sources,
--          hotlines, url, video, poster, captions, checked, translation)
ALTER TABLE revision ADD COLUMN state TEXT NOT NULL DEFAULT 'history'
  CHECK (state IN ('draft', 'review', 'published', 'superseded', 'history', 'conflict'));
ALTER TABLE revision ADD COLUMN data TEXT;
ALTER TABLE revision ADD COLUMN user_id INTEGER;
ALTER TABLE revision ADD COLUMN publish_at TEXT;      -- a reviewer's scheduled time (UTC), or NULL
ALTER TABLE revision ADD COLUMN scheduled_by INTEGER; -- that reviewer (named on the page when it goes live)
CREATE INDEX revision_resource ON revision(resource_id, id);

-- version counts publishes (it names what a form was loaded from); console_edited is set when a
-- console change goes live and cleared when `vrc init` loads the file again, so init can tell a file
-- change from a console change and never overwrite the console's.
ALTER TABLE resource ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE resource ADD COLUMN console_edited INTEGER NOT NULL DEFAULT 0;

-- Hotlines and topics edited in the console: the same rule for `vrc init`, with the hash of the
-- entry in its JSON file as last loaded.
ALTER TABLE hotline ADD COLUMN console_edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hotline ADD COLUMN source_hash TEXT;
ALTER TABLE topic ADD COLUMN console_edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topic ADD COLUMN source_hash TEXT;

-- Settings an admin can change (review intervals, the site-wide alert...), as text.
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO setting(key, value) VALUES ('review_months', '12'), ('hotline_verify_months', '6');
