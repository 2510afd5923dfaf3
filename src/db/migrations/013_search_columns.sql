-- The full-text tables keep only which columns hold each word (detail=column), not where: a common
-- word's list of documents is a fraction of the size, and reading those lists was most of what a
-- search cost on a large site. Ranking needs only the columns (vrc_score), and the words shown are
-- marked by tokenizing the rows shown (vrc_marked: db/stemtok.c, db/ftsaux.c): nothing needs where.
-- The tables are made again empty and every document is listed in search_pending: the server (or
-- `vrc init`) indexes them all again from search_doc before it next searches (model/searchindex.c).
DROP TABLE search_en;
DROP TABLE search_es;
CREATE VIRTUAL TABLE search_en USING fts5(title, summary, body, tokenize = 'vrc_stem en', detail = column);
CREATE VIRTUAL TABLE search_es USING fts5(title, summary, body, tokenize = 'vrc_stem es', detail = column);
INSERT INTO search_pending(id) SELECT id FROM search_doc
WHERE NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.id = search_doc.id);
