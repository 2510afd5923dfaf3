-- The language of a cited source when it differs from the resource's (a Spanish article citing an
-- English page), so the page can mark the link text with lang="en" and say so.
ALTER TABLE resource_source ADD COLUMN lang TEXT CHECK (lang IN ('en', 'es'));
