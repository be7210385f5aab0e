-- grille: the positions for which candidates hand in their own work
-- (a written report, as a PDF) through their account, and until when.
-- The organiser opens a window per position with its deadline (UTC); a
-- candidate's upload is taken while the deadline is ahead and the
-- position has no evaluation. Without a window only the organiser uploads.

CREATE TABLE submission_windows (
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    position TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);

CREATE TRIGGER submission_windows_revision_insert AFTER INSERT ON submission_windows
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER submission_windows_revision_update AFTER UPDATE ON submission_windows
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER submission_windows_revision_delete AFTER DELETE ON submission_windows
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;
