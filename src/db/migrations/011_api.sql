-- API tokens: bearer tokens for scripts and partner systems, each acting as one staff account with
-- that account's role (checked again on every request). Only a hash of the token is kept (BLAKE2b,
-- as for sessions); the token itself is printed once, by `vrc token create`. Revoked tokens stay, for
-- the record.
CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  hint         TEXT NOT NULL,                  -- the token's first characters, to tell tokens apart
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  last_used_at TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_token_user ON api_token(user_id);

-- The API lists published resources in id order and by time of change ("updated since").
CREATE INDEX resource_status_updated ON resource(status, updated_at);
