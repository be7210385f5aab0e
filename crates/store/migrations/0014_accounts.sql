-- Accounts the board disables keep their history (audit entries, the
-- evaluations they wrote) but can no longer log in: a time, not a
-- deletion. NULL: active.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- The browser a login session was opened from (its User-Agent, cut to
-- 200 characters), so that a user recognises their own devices in the
-- list of their sessions. NULL when the client sent none.
ALTER TABLE auth_sessions ADD COLUMN user_agent TEXT;
