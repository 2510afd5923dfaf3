-- Site search. Every searchable thing is one row of search_doc per language, kept in step by the
-- triggers below from the tables it is made of, so whatever writes those tables (`vrc init`, the
-- console, the sqlite3 shell) keeps it right: published resources only (drafts, resources in review
-- and archived ones never), topics and hotlines in service.
-- The full-text tables search_en and search_es use the vrc_stem tokenizer (src/db/stemtok.c:
-- diacritics folded, then Snowball stems), which exists only inside vrc, so they are not written by
-- these triggers: a change lists the document in search_pending, and the server indexes the pending
-- documents before it searches (model/searchindex.c, searchindex_sync).
-- Another kind of document (a community page, its blocks) is more rows: triggers on its own tables
-- that delete its rows by (kind, ref) and insert the current ones, as the resource triggers do.

-- The old index: every resource, drafts included, without stemming; nothing read it.
DROP TRIGGER IF EXISTS resource_ai;
DROP TRIGGER IF EXISTS resource_ad;
DROP TRIGGER IF EXISTS resource_au;
DROP TABLE IF EXISTS resource_fts;

CREATE TABLE search_doc (
  id      INTEGER PRIMARY KEY,
  lang    TEXT NOT NULL,            -- 'en' or 'es': the full-text table that indexes it
  kind    TEXT NOT NULL,            -- resource, topic, hotline (community pages add theirs)
  ref     TEXT NOT NULL,            -- its key in its own table (a slug)
  url     TEXT NOT NULL DEFAULT '', -- its public address; '' when it has none of its own
  title   TEXT NOT NULL,            -- weighted highest
  summary TEXT NOT NULL DEFAULT '', -- then this
  body    TEXT NOT NULL DEFAULT ''  -- then this (Markdown as stored)
);
-- Not unique on purpose: a trigger must never make someone's save fail.
CREATE INDEX search_doc_ref ON search_doc(kind, ref);

-- Documents changed since the full-text tables were last brought up to date.
CREATE TABLE search_pending (id INTEGER PRIMARY KEY);

-- (NOT EXISTS rather than INSERT OR IGNORE: an outer statement's conflict policy, an upsert's say,
-- would override the trigger's.)
CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
  INSERT INTO search_pending(id) SELECT new.id
  WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = new.id);
END;
CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
  INSERT INTO search_pending(id) SELECT old.id
  WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);
  INSERT INTO search_pending(id) SELECT new.id
  WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = new.id);
END;
CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
  INSERT INTO search_pending(id) SELECT old.id
  WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);
END;

-- Self-contained full-text tables whose rowid is search_doc.id: a changed document is deleted by
-- rowid and indexed again, without needing the text it had. Columns: title, summary, body (bm25
-- weights are given at query time).
CREATE VIRTUAL TABLE search_en USING fts5(title, summary, body, tokenize = 'vrc_stem en');
CREATE VIRTUAL TABLE search_es USING fts5(title, summary, body, tokenize = 'vrc_stem es');

-- ---- resources: the live text of published ones ----
CREATE TRIGGER search_resource_ai AFTER INSERT ON resource WHEN new.status = 'published' BEGIN
  INSERT INTO search_doc(lang, kind, ref, url, title, summary, body)
  VALUES (new.lang, 'resource', new.slug,
          CASE new.lang WHEN 'es' THEN '/es' ELSE '' END || '/resources/' || new.slug,
          coalesce(new.title, ''), coalesce(new.summary, ''), coalesce(new.body, ''));
END;
CREATE TRIGGER search_resource_au AFTER UPDATE OF slug, lang, status, title, summary, body ON resource
BEGIN
  DELETE FROM search_doc WHERE kind = 'resource' AND ref = old.slug;
  INSERT INTO search_doc(lang, kind, ref, url, title, summary, body)
  SELECT new.lang, 'resource', new.slug,
         CASE new.lang WHEN 'es' THEN '/es' ELSE '' END || '/resources/' || new.slug,
         coalesce(new.title, ''), coalesce(new.summary, ''), coalesce(new.body, '')
  WHERE new.status = 'published';
END;
CREATE TRIGGER search_resource_ad AFTER DELETE ON resource BEGIN
  DELETE FROM search_doc WHERE kind = 'resource' AND ref = old.slug;
END;

-- ---- topics in service: title and summary, found on their section's page ----
CREATE TRIGGER search_topic_text_ai AFTER INSERT ON topic_text BEGIN
  DELETE FROM search_doc WHERE kind = 'topic' AND lang = new.lang
    AND ref = (SELECT slug FROM topic WHERE id = new.topic_id);
  INSERT INTO search_doc(lang, kind, ref, url, title, summary)
  SELECT new.lang, 'topic', t.slug,
         CASE new.lang WHEN 'es' THEN '/es/' ELSE '/' END || t.section || '#' || t.slug,
         coalesce(new.title, ''), coalesce(new.summary, '')
  FROM topic t WHERE t.id = new.topic_id AND t.retired = 0;
END;
CREATE TRIGGER search_topic_text_au AFTER UPDATE ON topic_text BEGIN
  DELETE FROM search_doc WHERE kind = 'topic' AND lang = old.lang
    AND ref = (SELECT slug FROM topic WHERE id = old.topic_id);
  INSERT INTO search_doc(lang, kind, ref, url, title, summary)
  SELECT new.lang, 'topic', t.slug,
         CASE new.lang WHEN 'es' THEN '/es/' ELSE '/' END || t.section || '#' || t.slug,
         coalesce(new.title, ''), coalesce(new.summary, '')
  FROM topic t WHERE t.id = new.topic_id AND t.retired = 0;
END;
CREATE TRIGGER search_topic_text_ad AFTER DELETE ON topic_text BEGIN
  DELETE FROM search_doc WHERE kind = 'topic' AND lang = old.lang
    AND ref = (SELECT slug FROM topic WHERE id = old.topic_id);
END;
CREATE TRIGGER search_topic_au AFTER UPDATE OF slug, section, retired ON topic BEGIN
  DELETE FROM search_doc WHERE kind = 'topic' AND ref = old.slug;
  INSERT INTO search_doc(lang, kind, ref, url, title, summary)
  SELECT tt.lang, 'topic', new.slug,
         CASE tt.lang WHEN 'es' THEN '/es/' ELSE '/' END || new.section || '#' || new.slug,
         tt.title, tt.summary
  FROM topic_text tt WHERE tt.topic_id = new.id AND new.retired = 0;
END;
CREATE TRIGGER search_topic_ad AFTER DELETE ON topic BEGIN
  DELETE FROM search_doc WHERE kind = 'topic' AND ref = old.slug;
END;

-- ---- hotlines in service: name and who it is for (the page shows their contacts) ----
CREATE TRIGGER search_hotline_text_ai AFTER INSERT ON hotline_text BEGIN
  DELETE FROM search_doc WHERE kind = 'hotline' AND lang = new.lang
    AND ref = (SELECT slug FROM hotline WHERE id = new.hotline_id);
  INSERT INTO search_doc(lang, kind, ref, title, summary)
  SELECT new.lang, 'hotline', h.slug, coalesce(new.name, ''), coalesce(new.audience, '')
  FROM hotline h WHERE h.id = new.hotline_id AND h.retired = 0;
END;
CREATE TRIGGER search_hotline_text_au AFTER UPDATE ON hotline_text BEGIN
  DELETE FROM search_doc WHERE kind = 'hotline' AND lang = old.lang
    AND ref = (SELECT slug FROM hotline WHERE id = old.hotline_id);
  INSERT INTO search_doc(lang, kind, ref, title, summary)
  SELECT new.lang, 'hotline', h.slug, coalesce(new.name, ''), coalesce(new.audience, '')
  FROM hotline h WHERE h.id = new.hotline_id AND h.retired = 0;
END;
CREATE TRIGGER search_hotline_text_ad AFTER DELETE ON hotline_text BEGIN
  DELETE FROM search_doc WHERE kind = 'hotline' AND lang = old.lang
    AND ref = (SELECT slug FROM hotline WHERE id = old.hotline_id);
END;
CREATE TRIGGER search_hotline_au AFTER UPDATE OF slug, retired ON hotline BEGIN
  DELETE FROM search_doc WHERE kind = 'hotline' AND ref = old.slug;
  INSERT INTO search_doc(lang, kind, ref, title, summary)
  SELECT ht.lang, 'hotline', new.slug, ht.name, ht.audience
  FROM hotline_text ht WHERE ht.hotline_id = new.id AND new.retired = 0;
END;
CREATE TRIGGER search_hotline_ad AFTER DELETE ON hotline BEGIN
  DELETE FROM search_doc WHERE kind = 'hotline' AND ref = old.slug;
END;

-- ---- what is there already ----
INSERT INTO search_doc(lang, kind, ref, url, title, summary, body)
SELECT lang, 'resource', slug, CASE lang WHEN 'es' THEN '/es' ELSE '' END || '/resources/' || slug,
       title, summary, body
FROM resource WHERE status = 'published';
INSERT INTO search_doc(lang, kind, ref, url, title, summary)
SELECT tt.lang, 'topic', t.slug, CASE tt.lang WHEN 'es' THEN '/es/' ELSE '/' END || t.section || '#' || t.slug,
       tt.title, tt.summary
FROM topic t JOIN topic_text tt ON tt.topic_id = t.id WHERE t.retired = 0;
INSERT INTO search_doc(lang, kind, ref, title, summary)
SELECT ht.lang, 'hotline', h.slug, ht.name, ht.audience
FROM hotline h JOIN hotline_text ht ON ht.hotline_id = h.id WHERE h.retired = 0;
