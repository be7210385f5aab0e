-- grille: a revision number per exam session, bumped by the database
-- itself in the same transaction as every write that changes what the
-- session's pages and results are computed from. The server keeps computed
-- results keyed by (session, revision): a reader that sees revision N is
-- guaranteed every write acknowledged before it is included, without
-- re-reading the session's evaluations.
--
-- Triggers are SQLite syntax (a PostgreSQL backend writes the same rule as
-- a trigger function); no method of the store sets `revision` by hand.

ALTER TABLE exam_sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER exam_sessions_revision AFTER UPDATE ON exam_sessions
    WHEN NEW.revision = OLD.revision
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.id; END;

CREATE TRIGGER session_documents_revision_insert AFTER INSERT ON session_documents
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;

CREATE TRIGGER enrolments_revision_insert AFTER INSERT ON enrolments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER enrolments_revision_update AFTER UPDATE ON enrolments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER enrolments_revision_delete AFTER DELETE ON enrolments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;

CREATE TRIGGER assignments_revision_insert AFTER INSERT ON examiner_assignments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER assignments_revision_update AFTER UPDATE ON examiner_assignments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER assignments_revision_delete AFTER DELETE ON examiner_assignments
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;

CREATE TRIGGER evaluations_revision_insert AFTER INSERT ON evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER evaluations_revision_update AFTER UPDATE ON evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER evaluations_revision_delete AFTER DELETE ON evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;

CREATE TRIGGER agreed_revision_insert AFTER INSERT ON agreed_evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER agreed_revision_update AFTER UPDATE ON agreed_evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER agreed_revision_delete AFTER DELETE ON agreed_evaluations
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;

CREATE TRIGGER session_results_revision_insert AFTER INSERT ON session_results
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER session_results_revision_update AFTER UPDATE ON session_results
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER session_results_revision_delete AFTER DELETE ON session_results
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;

CREATE TRIGGER corrections_revision_insert AFTER INSERT ON result_corrections
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;

-- Names are shown beside results: a change or an erasure of personal data
-- changes every session the candidate is enrolled in.
CREATE TRIGGER identities_revision_insert AFTER INSERT ON candidate_identities
    BEGIN UPDATE exam_sessions SET revision = revision + 1
          WHERE id IN (SELECT session_id FROM enrolments WHERE candidate_id = NEW.candidate_id); END;
CREATE TRIGGER identities_revision_update AFTER UPDATE ON candidate_identities
    BEGIN UPDATE exam_sessions SET revision = revision + 1
          WHERE id IN (SELECT session_id FROM enrolments WHERE candidate_id = NEW.candidate_id); END;
CREATE TRIGGER identities_revision_delete AFTER DELETE ON candidate_identities
    BEGIN UPDATE exam_sessions SET revision = revision + 1
          WHERE id IN (SELECT session_id FROM enrolments WHERE candidate_id = OLD.candidate_id); END;

-- An examiner's own rows across a session, for reads focused on one
-- candidate and one examiner (saving an evaluation in a large session).
CREATE INDEX evaluations_examiner ON evaluations (examiner_id, session_id);
CREATE INDEX assignments_examiner ON examiner_assignments (examiner_id, session_id);
