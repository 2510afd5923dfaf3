-- Files uploaded in the staff console. The bytes live in the uploads folder (`vrc serve --uploads`),
-- named by their SHA-256 and the extension of the type sniffed from them ("<sha256>.png"): the same
-- bytes uploaded twice are one file and one row. Served at /media/u/<stored_name>.
CREATE TABLE upload (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  stored_name   TEXT NOT NULL UNIQUE,                -- "<sha256>.<ext>" in the uploads folder
  original_name TEXT NOT NULL DEFAULT '',            -- the name the browser sent (for display only)
  content_type  TEXT NOT NULL,                       -- from the bytes, never from the browser
  kind          TEXT NOT NULL CHECK (kind IN ('image', 'video', 'captions', 'pdf')),
  size          INTEGER NOT NULL CHECK (size > 0),
  alt           TEXT NOT NULL DEFAULT '',            -- alternative text (images) or link text (PDFs)
  user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX upload_created ON upload(created_at);
