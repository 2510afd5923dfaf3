-- The hash of the content file a resource was last loaded from: `vrc init` skips a resource whose
-- file has not changed since, so edits made in the database are not overwritten by a reload.
ALTER TABLE resource ADD COLUMN source_hash TEXT;
