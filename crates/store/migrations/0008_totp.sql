-- grille: a second factor for logins, TOTP (RFC 6238) with recovery codes.
--
-- `secret` is the shared TOTP key in base32. It is as sensitive as a
-- password hash (whoever reads it can compute every future code), yet it
-- cannot be hashed: the server must compute the codes from it to check
-- them. Backups of the database must be kept as safe as the database.
-- `confirmed_at` is set once the user proved with a code that their
-- authenticator app holds the secret: only then is the code asked at login.
-- `last_step` is the last time step (Unix time / 30 s) accepted, so that
-- a code, once used, is refused (replay).
CREATE TABLE user_totp (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER
);

-- Recovery codes, each usable once, stored only as their SHA-256 (they are
-- random, 64 bits: no salt or slow hash needed, unlike passwords).
CREATE TABLE user_recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT
);

CREATE INDEX user_recovery_codes_user ON user_recovery_codes (user_id);
