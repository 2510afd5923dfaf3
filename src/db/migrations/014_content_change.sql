-- What other processes' commits mean for this server's pages. A server notices another process's
-- commit by SQLite's data_version, but most commits change nothing public: a sign-in (session,
-- login_throttle, users' TOTP step), an API token's last use, the audit log, a draft or a revision.
-- With several instances on one database, re-rendering everything for each of those would keep every
-- other instance busy while staff work, and re-rendering everything for each publish would cost a
-- large site's instances their whole warm again. So the tables public pages are made from log, by
-- triggers, what changed: a resource (its slug), a community page (its slug), or 'all' (hotlines,
-- topics, sections, settings, the site alert: they show on every page; or a row whose owner is gone).
-- A server reads the rows after the last it saw and re-renders just those pages (app/publish.c,
-- watch_external). The log keeps its last 10,000 rows; a server further behind re-renders everything.
-- Every table is on one side: tests/unit/test_db.c fails for a table neither logged here nor named
-- quiet there.

CREATE TABLE content_change (
  id   INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('resource', 'community', 'all')),
  ref  TEXT                                     -- the slug; NULL for 'all' (or an owner gone)
);
CREATE TRIGGER content_change_keep AFTER INSERT ON content_change BEGIN
  DELETE FROM content_change WHERE id <= new.id - 10000;
END;

-- resources: the resource's own row, its sources and its named help lines
CREATE TRIGGER content_log_resource_ai AFTER INSERT ON resource BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', new.slug);
END;
CREATE TRIGGER content_log_resource_au AFTER UPDATE ON resource BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', new.slug);
  INSERT INTO content_change(kind, ref) SELECT 'resource', old.slug WHERE old.slug <> new.slug;
END;
CREATE TRIGGER content_log_resource_ad AFTER DELETE ON resource BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', old.slug);
END;

-- resource_source
CREATE TRIGGER content_log_resource_source_ai AFTER INSERT ON resource_source BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', (SELECT slug FROM resource WHERE id = new.resource_id));
END;
CREATE TRIGGER content_log_resource_source_au AFTER UPDATE ON resource_source BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', (SELECT slug FROM resource WHERE id = new.resource_id));
END;
CREATE TRIGGER content_log_resource_source_ad AFTER DELETE ON resource_source BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', (SELECT slug FROM resource WHERE id = old.resource_id));
END;

-- resource_hotline
CREATE TRIGGER content_log_resource_hotline_ai AFTER INSERT ON resource_hotline BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', (SELECT slug FROM resource WHERE id = new.resource_id));
END;
CREATE TRIGGER content_log_resource_hotline_au AFTER UPDATE ON resource_hotline BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', (SELECT slug FROM resource WHERE id = new.resource_id));
END;
CREATE TRIGGER content_log_resource_hotline_ad AFTER DELETE ON resource_hotline BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('resource', (SELECT slug FROM resource WHERE id = old.resource_id));
END;

-- community pages: the page's settings and status, and a block only when its published text
-- changes (a draft saved is nobody's page yet)
CREATE TRIGGER content_log_community_ai AFTER INSERT ON community BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('community', new.slug);
END;
CREATE TRIGGER content_log_community_au AFTER UPDATE ON community BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('community', new.slug);
END;
CREATE TRIGGER content_log_community_ad AFTER DELETE ON community BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('community', old.slug);
END;
CREATE TRIGGER content_log_community_block_ai AFTER INSERT ON community_block WHEN new.published IS NOT NULL BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('community', (SELECT slug FROM community WHERE id = new.community_id));
END;
CREATE TRIGGER content_log_community_block_au AFTER UPDATE OF published ON community_block BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('community', (SELECT slug FROM community WHERE id = new.community_id));
END;
CREATE TRIGGER content_log_community_block_ad AFTER DELETE ON community_block WHEN old.published IS NOT NULL BEGIN
  INSERT INTO content_change(kind, ref) VALUES ('community', (SELECT slug FROM community WHERE id = old.community_id));
END;

-- hotline: on every page
CREATE TRIGGER content_log_hotline_ai AFTER INSERT ON hotline BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_hotline_au AFTER UPDATE ON hotline BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_hotline_ad AFTER DELETE ON hotline BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- hotline_contact: on every page
CREATE TRIGGER content_log_hotline_contact_ai AFTER INSERT ON hotline_contact BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_hotline_contact_au AFTER UPDATE ON hotline_contact BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_hotline_contact_ad AFTER DELETE ON hotline_contact BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- hotline_text: on every page
CREATE TRIGGER content_log_hotline_text_ai AFTER INSERT ON hotline_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_hotline_text_au AFTER UPDATE ON hotline_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_hotline_text_ad AFTER DELETE ON hotline_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- section: on every page
CREATE TRIGGER content_log_section_ai AFTER INSERT ON section BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_section_au AFTER UPDATE ON section BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_section_ad AFTER DELETE ON section BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- setting: on every page
CREATE TRIGGER content_log_setting_ai AFTER INSERT ON setting BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_setting_au AFTER UPDATE ON setting BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_setting_ad AFTER DELETE ON setting BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- site_alert: on every page
CREATE TRIGGER content_log_site_alert_ai AFTER INSERT ON site_alert BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_site_alert_au AFTER UPDATE ON site_alert BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_site_alert_ad AFTER DELETE ON site_alert BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- site_alert_text: on every page
CREATE TRIGGER content_log_site_alert_text_ai AFTER INSERT ON site_alert_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_site_alert_text_au AFTER UPDATE ON site_alert_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_site_alert_text_ad AFTER DELETE ON site_alert_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- topic: on every page
CREATE TRIGGER content_log_topic_ai AFTER INSERT ON topic BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_topic_au AFTER UPDATE ON topic BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_topic_ad AFTER DELETE ON topic BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;

-- topic_text: on every page
CREATE TRIGGER content_log_topic_text_ai AFTER INSERT ON topic_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_topic_text_au AFTER UPDATE ON topic_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
CREATE TRIGGER content_log_topic_text_ad AFTER DELETE ON topic_text BEGIN
  INSERT INTO content_change(kind) VALUES ('all');
END;
