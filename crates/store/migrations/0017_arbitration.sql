-- grille: moderation as boards run it. The third examiner (chief expert,
-- arbiter) of a part reconciled by arbitration, their evaluations, and the
-- examiners' confirmations of a joint (agreed) evaluation.

-- The arbiter the board names for a part ('' position: every position of
-- the part) or for one position (which then takes precedence).
CREATE TABLE arbiter_assignments (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    part TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    examiner_id INTEGER NOT NULL REFERENCES users (id),
    assigned_at TEXT NOT NULL,
    UNIQUE (session_id, part, position)
);

-- The arbiter's evaluation of a candidate's position, versioned like an
-- examiner's evaluation (draft, then submitted and locked).
CREATE TABLE arbiter_evaluations (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    part TEXT NOT NULL,
    position TEXT NOT NULL,
    examiner_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    content TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id),
    UNIQUE (session_id, candidate_id, position)
);

-- An examiner's confirmation of the joint evaluation of a position, given
-- on one version of it: a confirmation on an older version no longer
-- counts (the joint evaluation changed since).
CREATE TABLE agreed_confirmations (
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    position TEXT NOT NULL,
    examiner_id INTEGER NOT NULL REFERENCES users (id),
    agreed_version INTEGER NOT NULL,
    justification TEXT,
    confirmed_at TEXT NOT NULL,
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id),
    PRIMARY KEY (session_id, candidate_id, position, examiner_id)
);

CREATE TRIGGER arbiter_assignments_revision_insert AFTER INSERT ON arbiter_assignments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER arbiter_assignments_revision_update AFTER UPDATE ON arbiter_assignments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER arbiter_assignments_revision_delete AFTER DELETE ON arbiter_assignments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;
CREATE TRIGGER arbiter_evaluations_revision_insert AFTER INSERT ON arbiter_evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER arbiter_evaluations_revision_update AFTER UPDATE ON arbiter_evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER agreed_confirmations_revision_insert AFTER INSERT ON agreed_confirmations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER agreed_confirmations_revision_update AFTER UPDATE ON agreed_confirmations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
