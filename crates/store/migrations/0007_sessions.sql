-- grille: login sessions get a stable public id, which their user sees and
-- may end one by (the token hash is never shown), and the time they were
-- last used, for the idle timeout. SQLite cannot add a primary key to a
-- table, so the table is rebuilt; AUTOINCREMENT keeps an ended session's id
-- from being given to a later one. Sessions open at the upgrade count as
-- used at the upgrade.

CREATE TABLE auth_sessions_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

INSERT INTO auth_sessions_new (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
    SELECT token_hash, user_id, csrf_token, created_at, expires_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM auth_sessions ORDER BY created_at;

DROP TABLE auth_sessions;
ALTER TABLE auth_sessions_new RENAME TO auth_sessions;

CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
