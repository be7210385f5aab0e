-- Corrections that change a candidate's decision (pass <-> fail) wait for a
-- second board member: the four-eyes rule of grille-workflow. A proposal is
-- never deleted; its decision is set once (approved, rejected, withdrawn).
CREATE TABLE correction_proposals (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    position TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- The corrected evaluation of the position, as the direct route takes it.
    evaluation TEXT NOT NULL,
    -- The result's version the proposal was computed on: approving applies
    -- it only if the result has not changed since.
    result_version INTEGER NOT NULL,
    -- The result before and the result the correction gives (explanations).
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    proposed_by INTEGER NOT NULL REFERENCES users (id),
    decision TEXT CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
    decision_note TEXT,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id),
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id)
);

-- One open proposal per candidate of a session at a time.
CREATE UNIQUE INDEX correction_proposals_open
    ON correction_proposals (session_id, candidate_id) WHERE decision IS NULL;

-- Who approved a correction saved through a proposal (NULL: saved directly).
ALTER TABLE result_corrections ADD COLUMN approved_by INTEGER REFERENCES users (id);
ALTER TABLE result_corrections ADD COLUMN proposal_id INTEGER REFERENCES correction_proposals (id);
