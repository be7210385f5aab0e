-- grille: 0005_session_revision.sql for PostgreSQL (same rule, PL/pgSQL).
--
-- The SQLite file writes one trigger body per table; here three functions
-- carry the rule and each table's triggers call them:
-- * grille_exam_session_revision: an update of a session that does not
--   set `revision` itself bumps it (BEFORE UPDATE, so the row is written
--   once; SQLite's AFTER trigger updates it a second time);
-- * grille_bump_session_revision: a row of a table with a `session_id`
--   inserted, updated or deleted bumps that session;
-- * grille_bump_candidate_sessions: a candidate's personal data changed
--   bumps every session the candidate is enrolled in.

ALTER TABLE exam_sessions ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION grille_exam_session_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END;
$$;

CREATE FUNCTION grille_bump_session_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id;
    ELSE
        UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION grille_bump_candidate_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    candidate BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        candidate := OLD.candidate_id;
    ELSE
        candidate := NEW.candidate_id;
    END IF;
    UPDATE exam_sessions SET revision = revision + 1
        WHERE id IN (SELECT session_id FROM enrolments WHERE candidate_id = candidate);
    RETURN NULL;
END;
$$;

CREATE TRIGGER exam_sessions_revision BEFORE UPDATE ON exam_sessions
    FOR EACH ROW EXECUTE FUNCTION grille_exam_session_revision();

CREATE TRIGGER session_documents_revision_insert AFTER INSERT ON session_documents
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();

CREATE TRIGGER enrolments_revision AFTER INSERT OR UPDATE OR DELETE ON enrolments
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
CREATE TRIGGER assignments_revision AFTER INSERT OR UPDATE OR DELETE ON examiner_assignments
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
CREATE TRIGGER evaluations_revision AFTER INSERT OR UPDATE OR DELETE ON evaluations
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
CREATE TRIGGER agreed_revision AFTER INSERT OR UPDATE OR DELETE ON agreed_evaluations
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
CREATE TRIGGER session_results_revision AFTER INSERT OR UPDATE OR DELETE ON session_results
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
CREATE TRIGGER corrections_revision_insert AFTER INSERT ON result_corrections
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();

CREATE TRIGGER identities_revision AFTER INSERT OR UPDATE OR DELETE ON candidate_identities
    FOR EACH ROW EXECUTE FUNCTION grille_bump_candidate_sessions();

CREATE INDEX evaluations_examiner ON evaluations (examiner_id, session_id);
CREATE INDEX assignments_examiner ON examiner_assignments (examiner_id, session_id);
