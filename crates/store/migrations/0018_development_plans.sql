-- grille: the candidate's loop. A development plan per candidate account
-- (competences to work on, goals, actions, dates, progress), which the
-- candidate may share with the trainers of their school, who comment on
-- it; and the board's switch that opens an official session's filled
-- rubrics to its candidates (consultation of the file, Akteneinsicht).
--
-- Portable SQL as in 0001. The plan's items are one JSON array (the
-- server checks them); `version` grows by one on every write of the
-- plan, and a write names the version it read (optimistic concurrency,
-- as for the self-assessment). Comments are appended, never edited.

CREATE TABLE development_plans (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    items TEXT NOT NULL,
    shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_at TEXT NOT NULL
);

CREATE TABLE development_plan_comments (
    id INTEGER PRIMARY KEY,
    plan_user_id INTEGER NOT NULL REFERENCES development_plans (user_id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX development_plan_comments_plan ON development_plan_comments (plan_user_id, id);

CREATE TABLE session_file_consultation (
    session_id INTEGER PRIMARY KEY REFERENCES exam_sessions (id),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    changed_at TEXT NOT NULL
);
