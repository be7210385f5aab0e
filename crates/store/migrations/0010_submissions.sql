-- grille: the work a candidate handed in for a position (a written
-- report, as a PDF), uploaded by the board (or the school's trainers for a
-- mock session) and read by the examiners of that candidate's part beside
-- the rubric. The bytes live once in `attachments` (by SHA-256); a row
-- here says whose work it is. One file per candidate and position: a new
-- upload replaces the row, while no evaluation of the position exists.

CREATE TABLE submissions (
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    position TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    file_name TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    PRIMARY KEY (session_id, candidate_id, position)
);

CREATE TRIGGER submissions_revision_insert AFTER INSERT ON submissions
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER submissions_revision_update AFTER UPDATE ON submissions
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER submissions_revision_delete AFTER DELETE ON submissions
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;
