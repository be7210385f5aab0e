-- grille: the login throttle's failure counts, in the database.
--
-- The slowdown after failed logins was kept in each server process's
-- memory, so a second `grille serve` on the same PostgreSQL database did
-- not see the guesses made through the first. One row per throttled key
-- (an account, or an account from one client address): the failures
-- counted, when the last one was counted and until when logins on the key
-- wait, as milliseconds since 1970 (UTC, the instances' wall clocks). No
-- audit entry: operational counters, forgotten after a while, like a login
-- session's last use.

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_ms INTEGER NOT NULL,
    blocked_until_ms INTEGER NOT NULL
);

CREATE INDEX login_throttle_last ON login_throttle (last_ms);
