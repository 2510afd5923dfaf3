-- Staff accounts, their community scope, second factor, sessions, sign-in throttling and the audit log.
-- Secrets are stored only as hashes: passwords (Argon2id), session tokens and recovery codes (BLAKE2b).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,          -- lower-cased by the application
  name          TEXT NOT NULL DEFAULT '',      -- "Display Name, credentials"
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reviewer', 'community_editor')),
  password_hash TEXT NOT NULL,                 -- crypto_pwhash_str (Argon2id)
  must_change   INTEGER NOT NULL DEFAULT 0,    -- a one-time password: change it at the next sign-in
  disabled      INTEGER NOT NULL DEFAULT 0,
  totp_secret   TEXT,                          -- base32; NULL until enrolled
  totp_step     INTEGER NOT NULL DEFAULT 0,    -- last time step accepted (a code is never used twice)
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A community editor's communities (there is no community table yet: the slug is the key).
CREATE TABLE user_community (
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  community_slug TEXT NOT NULL,
  PRIMARY KEY (user_id, community_slug)
);

-- Single-use recovery codes for the second factor, hashed.
CREATE TABLE recovery_code (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
);

-- A signed-in browser. stage 'code': the password was right, the second factor is still due.
-- Times are Unix seconds; the token itself is only in the visitor's cookie.
CREATE TABLE session (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf         TEXT NOT NULL,
  stage        TEXT NOT NULL CHECK (stage IN ('code', 'full')),
  created_at   INTEGER NOT NULL,
  seen_at      INTEGER NOT NULL,
  remote       TEXT NOT NULL DEFAULT '',
  totp_pending TEXT                           -- a secret shown for enrolment, not yet confirmed
);
CREATE INDEX session_user ON session(user_id);

-- Failed sign-ins per key ("account:<email>", "address:<ip>").
CREATE TABLE login_throttle (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  first_at     INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
);

-- Who did what, when: append-only (the triggers refuse UPDATE and DELETE).
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  user_id     INTEGER,
  actor_email TEXT,
  action      TEXT NOT NULL,
  object_type TEXT,
  object_id   TEXT,
  before      TEXT,
  after       TEXT,
  remote      TEXT
);
CREATE INDEX audit_at ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
  SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
  SELECT RAISE(ABORT, 'audit is append-only');
END;
