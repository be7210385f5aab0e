-- grille: training schools and their mock exams (examens blancs).
--
-- Portable SQL as in 0001. A column CHECK that names another column of the
-- same table is accepted by PostgreSQL too.

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Trainers belong to a school; so may the accounts of a cohort's
-- candidates. NULL: the board, examiners, official candidates.
ALTER TABLE users ADD COLUMN school_id INTEGER REFERENCES schools (id);

-- An official session is run by the board; a mock session by one school.
ALTER TABLE exam_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'official'
    CHECK (kind IN ('official', 'mock'));
ALTER TABLE exam_sessions ADD COLUMN school_id INTEGER REFERENCES schools (id)
    CHECK ((kind = 'mock' AND school_id IS NOT NULL) OR (kind = 'official' AND school_id IS NULL));

-- The register a candidate number belongs to: NULL for the board's
-- (official) candidates, a school for a cohort enrolled in its mock
-- sessions. A number never moves between registers, so a school cannot
-- overwrite the personal data of an official candidate (or another
-- school's) by enrolling the same number, and results never mix.
ALTER TABLE candidates ADD COLUMN school_id INTEGER REFERENCES schools (id);

CREATE INDEX exam_sessions_school ON exam_sessions (school_id);
CREATE INDEX users_school ON users (school_id);
