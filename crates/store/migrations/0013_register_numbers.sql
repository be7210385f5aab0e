-- grille: a candidate number is unique within its register (the board's,
-- or one school's cohort), no longer across all of them. A school may
-- then enrol any number without learning whether the board or another
-- school uses it (ASVS: no existence oracle), and each register's
-- candidates stay apart: every lookup by number names its register (the
-- session's) or goes through the session's enrolments.
--
-- SQLite cannot drop a column's UNIQUE: the table is rebuilt with the same
-- ids, the rows that reference them checked at commit.

PRAGMA defer_foreign_keys = ON;
CREATE TEMPORARY TABLE candidates_copy AS SELECT * FROM candidates;
DROP TABLE candidates;
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    candidate_number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    school_id INTEGER REFERENCES schools (id)
);
INSERT INTO candidates (id, candidate_number, created_at, school_id)
    SELECT id, candidate_number, created_at, school_id FROM candidates_copy;
DROP TABLE candidates_copy;
CREATE UNIQUE INDEX candidates_register_number ON candidates (COALESCE(school_id, 0), candidate_number);
CREATE INDEX candidates_number ON candidates (candidate_number);
