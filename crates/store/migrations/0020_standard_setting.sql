-- grille: a session's standard-setting panel (modified Angoff, with the
-- Hofstee ranges of each panellist).
--
-- One panel per session, kept as the JSON the server checked (scope, the
-- items estimated, the unit, each panellist's name, estimates and
-- acceptable ranges), with a version for optimistic concurrency. The
-- panel is information for next year's grading scheme: it never changes
-- a grade, so writing it does not bump the session's revision.
CREATE TABLE standard_setting_panels (
    session_id INTEGER PRIMARY KEY REFERENCES exam_sessions (id),
    panel TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
