-- grille: a candidate's self-assessment kept on the server, so that a
-- sitting can continue on another device.
--
-- Portable SQL as in 0001. One row per account and catalogue: the ratings
-- are a JSON object `criterion id -> level 1..4`; `version` grows by one on
-- every write, and a write names the version it read (optimistic
-- concurrency, as for evaluations).

CREATE TABLE self_assessments (
    user_id INTEGER NOT NULL REFERENCES users (id),
    catalogue_id TEXT NOT NULL,
    ratings TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, catalogue_id)
);
