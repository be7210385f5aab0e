-- grille: candidate master data as federal exams need it, and the
-- accommodations decided for a candidate.
--
-- Everything here is personal data, so it goes into the erasable
-- `candidate_identities` row beside the names: erasing the row erases it
-- all, while the anonymous candidate and their results stay. The existing
-- revision triggers on that table keep bumping the sessions concerned.
--
-- * `date_of_birth`: ISO day (the API accepts 31.12.1990 too);
-- * `place_of_origin`: Heimatort / lieu d'origine, as on the certificate;
-- * `address`: postal address, one line per `\n`;
-- * `exam_language`: the language the candidate sits the exam in, which
--   their grade sheet, decision letter and own pages follow;
-- * `extra_minutes`, `aids`, `accommodation_note`: the compensation for
--   disadvantages (Nachteilsausgleich) shown to their examiners.

ALTER TABLE candidate_identities ADD COLUMN date_of_birth TEXT;
ALTER TABLE candidate_identities ADD COLUMN place_of_origin TEXT;
ALTER TABLE candidate_identities ADD COLUMN address TEXT;
ALTER TABLE candidate_identities ADD COLUMN exam_language TEXT
    CHECK (exam_language IS NULL OR exam_language IN ('fr', 'de', 'it'));
ALTER TABLE candidate_identities ADD COLUMN extra_minutes INTEGER
    CHECK (extra_minutes IS NULL OR (extra_minutes >= 0 AND extra_minutes <= 600));
ALTER TABLE candidate_identities ADD COLUMN aids TEXT;
ALTER TABLE candidate_identities ADD COLUMN accommodation_note TEXT;

-- Conflicts of interest an examiner declares in their own account (they
-- trained or employ the candidate, or another tie): an assignment of that
-- examiner to that candidate of the board's register is refused. The
-- number is kept as typed, not as a reference, so that declaring tells
-- the examiner nothing about which numbers exist.
CREATE TABLE conflict_declarations (
    id INTEGER PRIMARY KEY,
    examiner_id INTEGER NOT NULL REFERENCES users (id),
    candidate_number TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('trained', 'employs', 'other')),
    note TEXT,
    declared_at TEXT NOT NULL,
    UNIQUE (examiner_id, candidate_number)
);

-- The appeal register of a session: each appeal received (the day, which
-- the API checks against the appeal deadline), its status (received,
-- under review, then upheld, partly upheld, rejected or withdrawn), the
-- day it was decided, the correction proposals it led to (their ids, as
-- JSON), the candidate's request to consult the file and the day it took
-- place. Rows carry a version for optimistic concurrency.
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    received_on TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('received', 'under_review', 'upheld', 'partly_upheld', 'rejected', 'withdrawn')),
    decided_on TEXT,
    corrections TEXT NOT NULL DEFAULT '[]',
    consultation_requested_on TEXT,
    consultation_held_on TEXT,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX appeals_session ON appeals (session_id);
