-- grille: 0010_submissions.sql for PostgreSQL (triggers as in 0005).

CREATE TABLE submissions (
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    position TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    file_name TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    PRIMARY KEY (session_id, candidate_id, position)
);

CREATE TRIGGER submissions_revision AFTER INSERT OR UPDATE OR DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
