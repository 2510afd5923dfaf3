-- A topic's resources as lists show them (related cards, a topic's pages: model/resource.c's
-- resource_related and resource_slugs) read from the index alone. With (topic_id, status) only,
-- each row's title, language and slug came from the table, one page a row behind the body before
-- it: on a large site 1,443 pages for one section's related cards (4-7 ms for each page rendered
-- after a publish clears the memo), against about 25 from this index (0.3 ms).
DROP INDEX resource_topic;
CREATE INDEX resource_topic ON resource(topic_id, status, lang, title, slug);
