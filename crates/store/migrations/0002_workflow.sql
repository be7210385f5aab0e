-- grille: the session workflow, candidate statuses, finalised results,
-- corrections (appeals), retention of personal data, candidate accounts.
--
-- Portable SQL as in 0001 (ALTER TABLE ... ADD COLUMN is accepted by
-- PostgreSQL as written).

-- enrolment -> scoring -> finalised -> published (see grille-workflow).
ALTER TABLE exam_sessions ADD COLUMN workflow_state TEXT NOT NULL DEFAULT 'enrolment'
    CHECK (workflow_state IN ('enrolment', 'scoring', 'finalised', 'published'));
-- Personal data of this session's candidates is kept until this date
-- (YYYY-MM-DD), set by the board; NULL keeps it.
ALTER TABLE exam_sessions ADD COLUMN retention_until TEXT;

-- Whether the candidate sat the exam (the scoring crate's CandidateStatus).
ALTER TABLE enrolments ADD COLUMN candidate_status TEXT NOT NULL DEFAULT 'present'
    CHECK (candidate_status IN ('present', 'withdrawn_excused', 'withdrawn_unexcused', 'excluded', 'absent'));

-- A user with the role candidate is linked to their candidate number.
ALTER TABLE users ADD COLUMN candidate_id INTEGER REFERENCES candidates (id);

-- The results stored at finalisation: the scoring crate's explained
-- result as JSON, with the outcome and overall grade as plain columns.
-- A row changes only through a correction (result_corrections).
CREATE TABLE session_results (
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    overall_grade TEXT,
    explanation TEXT NOT NULL,
    version INTEGER NOT NULL,
    decided_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id),
    PRIMARY KEY (session_id, candidate_id)
);

-- Corrections after finalisation (appeals): append-only. The original
-- result stays in the first row's before_value.
CREATE TABLE result_corrections (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    position TEXT NOT NULL,
    reason TEXT NOT NULL,
    evaluation TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL,
    corrected_at TEXT NOT NULL,
    corrected_by INTEGER REFERENCES users (id),
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id)
);
