-- What other processes' commits mean for this server's pages. A server notices another process's
-- commit by SQLite's data_version, but most commits change nothing public: a sign-in (session,
-- login_throttle, users' TOTP step), an API token's last use, the audit log, a draft or a revision.
-- With several instances on one database a full re-render for each of those would keep every other
-- instance busy while staff work. So the tables public pages are made from bump one counter, and a
-- server re-renders only when that counter moved (app/publish.c, watch_external). Every table must be
-- on one side: tests/unit/test_db.c fails for a table that is neither listed here nor named quiet.

CREATE TABLE content_generation (id INTEGER PRIMARY KEY CHECK (id = 1), gen INTEGER NOT NULL);
INSERT INTO content_generation(id, gen) VALUES (1, 1);

-- community
CREATE TRIGGER content_gen_community_ai AFTER INSERT ON community BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_community_au AFTER UPDATE ON community BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_community_ad AFTER DELETE ON community BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- hotline
CREATE TRIGGER content_gen_hotline_ai AFTER INSERT ON hotline BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_hotline_au AFTER UPDATE ON hotline BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_hotline_ad AFTER DELETE ON hotline BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- hotline_contact
CREATE TRIGGER content_gen_hotline_contact_ai AFTER INSERT ON hotline_contact BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_hotline_contact_au AFTER UPDATE ON hotline_contact BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_hotline_contact_ad AFTER DELETE ON hotline_contact BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- hotline_text
CREATE TRIGGER content_gen_hotline_text_ai AFTER INSERT ON hotline_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_hotline_text_au AFTER UPDATE ON hotline_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_hotline_text_ad AFTER DELETE ON hotline_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- resource
CREATE TRIGGER content_gen_resource_ai AFTER INSERT ON resource BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_resource_au AFTER UPDATE ON resource BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_resource_ad AFTER DELETE ON resource BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- resource_hotline
CREATE TRIGGER content_gen_resource_hotline_ai AFTER INSERT ON resource_hotline BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_resource_hotline_au AFTER UPDATE ON resource_hotline BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_resource_hotline_ad AFTER DELETE ON resource_hotline BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- resource_source
CREATE TRIGGER content_gen_resource_source_ai AFTER INSERT ON resource_source BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_resource_source_au AFTER UPDATE ON resource_source BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_resource_source_ad AFTER DELETE ON resource_source BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- section
CREATE TRIGGER content_gen_section_ai AFTER INSERT ON section BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_section_au AFTER UPDATE ON section BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_section_ad AFTER DELETE ON section BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- setting
CREATE TRIGGER content_gen_setting_ai AFTER INSERT ON setting BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_setting_au AFTER UPDATE ON setting BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_setting_ad AFTER DELETE ON setting BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- site_alert
CREATE TRIGGER content_gen_site_alert_ai AFTER INSERT ON site_alert BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_site_alert_au AFTER UPDATE ON site_alert BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_site_alert_ad AFTER DELETE ON site_alert BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- site_alert_text
CREATE TRIGGER content_gen_site_alert_text_ai AFTER INSERT ON site_alert_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_site_alert_text_au AFTER UPDATE ON site_alert_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_site_alert_text_ad AFTER DELETE ON site_alert_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- topic
CREATE TRIGGER content_gen_topic_ai AFTER INSERT ON topic BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_topic_au AFTER UPDATE ON topic BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_topic_ad AFTER DELETE ON topic BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- topic_text
CREATE TRIGGER content_gen_topic_text_ai AFTER INSERT ON topic_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_topic_text_au AFTER UPDATE ON topic_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_topic_text_ad AFTER DELETE ON topic_text BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;

-- community_block: only what is published (a draft saved is nobody's page yet)
CREATE TRIGGER content_gen_community_block_ai AFTER INSERT ON community_block WHEN new.published IS NOT NULL BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_community_block_au AFTER UPDATE OF published ON community_block BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER content_gen_community_block_ad AFTER DELETE ON community_block WHEN old.published IS NOT NULL BEGIN
  UPDATE content_generation SET gen = gen + 1 WHERE id = 1;
END;
