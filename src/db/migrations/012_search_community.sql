-- Community pages in site search: the published blocks of active communities, one search_doc row per
-- item (an update, an event, a location, a service, a fund, a question) and per page (its name, place
-- and key message), in each language the page offers, linked to the page with the item's #anchor.
-- A block is JSON whose text falls back to English per field as the public page shows it
-- (model/block.c, block_view): that is C, not SQL, so these triggers only list the communities whose
-- search rows are out of date in search_community_pending, and model/searchcommunity.c writes them
-- (searchindex_refresh: inside the publish's own transaction, and at start-up for whatever another
-- client wrote). Every community already here is listed once, for the first start after this.

-- The community a document belongs to (NULL for the library, topics and hotlines), and words shown
-- with its title but not searched (the community's name).
ALTER TABLE search_doc ADD COLUMN community_id INTEGER;
ALTER TABLE search_doc ADD COLUMN context TEXT NOT NULL DEFAULT '';
CREATE INDEX search_doc_community ON search_doc(community_id) WHERE community_id IS NOT NULL;

CREATE TABLE search_community_pending (id INTEGER PRIMARY KEY);

-- (NOT EXISTS rather than INSERT OR IGNORE, as in 010: a trigger must never make a save fail.)
CREATE TRIGGER search_block_ai AFTER INSERT ON community_block WHEN new.published IS NOT NULL BEGIN
  INSERT INTO search_community_pending(id) SELECT new.community_id
  WHERE NOT EXISTS (SELECT 1 FROM search_community_pending WHERE id = new.community_id);
END;
CREATE TRIGGER search_block_au AFTER UPDATE OF published, community_id, kind ON community_block
WHEN new.published IS NOT old.published OR new.community_id <> old.community_id OR new.kind <> old.kind
BEGIN
  INSERT INTO search_community_pending(id) SELECT old.community_id
  WHERE NOT EXISTS (SELECT 1 FROM search_community_pending WHERE id = old.community_id);
  INSERT INTO search_community_pending(id) SELECT new.community_id
  WHERE NOT EXISTS (SELECT 1 FROM search_community_pending WHERE id = new.community_id);
END;
CREATE TRIGGER search_block_ad AFTER DELETE ON community_block BEGIN
  INSERT INTO search_community_pending(id) SELECT old.community_id
  WHERE NOT EXISTS (SELECT 1 FROM search_community_pending WHERE id = old.community_id);
END;
CREATE TRIGGER search_community_au AFTER UPDATE OF slug, name, place, status, languages ON community BEGIN
  INSERT INTO search_community_pending(id) SELECT new.id
  WHERE NOT EXISTS (SELECT 1 FROM search_community_pending WHERE id = new.id);
END;
CREATE TRIGGER search_community_ad AFTER DELETE ON community BEGIN
  INSERT INTO search_community_pending(id) SELECT old.id
  WHERE NOT EXISTS (SELECT 1 FROM search_community_pending WHERE id = old.id);
END;

INSERT INTO search_community_pending(id) SELECT id FROM community;
