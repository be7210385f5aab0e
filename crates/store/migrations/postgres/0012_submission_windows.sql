-- grille: 0012_submission_windows.sql for PostgreSQL (triggers as in 0005).

CREATE TABLE submission_windows (
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    position TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);

CREATE TRIGGER submission_windows_revision AFTER INSERT OR UPDATE OR DELETE ON submission_windows
    FOR EACH ROW EXECUTE FUNCTION grille_bump_session_revision();
