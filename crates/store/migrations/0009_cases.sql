-- grille: case studies. A board (or a school) keeps a case bank: cases
-- being written (draft, ready) and the versions sessions have used. A
-- version a session uses is pinned like the other exam documents: its text
-- goes into `documents` (kind `case`) under the session slot
-- `case:<case id>`, and its bank row can no longer change.
--
-- `documents.kind` is a CHECK constraint, which SQLite cannot alter: the
-- table is rebuilt under its own name, so that the references of
-- `session_documents` keep naming it. Foreign keys are deferred to the
-- commit for this: the rows dropped with the old table are back, with the
-- same ids, before the transaction ends.

PRAGMA defer_foreign_keys = ON;
CREATE TEMPORARY TABLE documents_copy AS SELECT * FROM documents;
DROP TABLE documents;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('catalogue', 'blueprint', 'scheme', 'rubric', 'case')),
    document_id TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, sha256)
);
INSERT INTO documents (id, kind, document_id, version, sha256, content, created_at)
    SELECT id, kind, document_id, version, sha256, content, created_at FROM documents_copy;
DROP TABLE documents_copy;

-- The case bank. `school_id` NULL is the board's bank; a school's rows are
-- its trainers' mock cases. `row_version` is the optimistic-concurrency
-- version of the row (an edit names the version it started from).
-- `search_text` is the case's text folded (lowercase, no accents) for the
-- accent-insensitive search.
CREATE TABLE case_bank (
    id INTEGER PRIMARY KEY,
    school_id INTEGER REFERENCES schools (id),
    case_id TEXT NOT NULL,
    version TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'ready', 'used', 'released')),
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('fr', 'de', 'it')),
    year INTEGER,
    search_text TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX case_bank_version ON case_bank (COALESCE(school_id, 0), case_id, version);

-- A used or released version never changes (the store refuses it first;
-- this is the database's own guard).
CREATE TRIGGER case_bank_pinned BEFORE UPDATE OF content ON case_bank
    WHEN OLD.state IN ('used', 'released')
    BEGIN SELECT RAISE(ABORT, 'case version is pinned'); END;

-- Attachments of cases, stored once per SHA-256 of their bytes.
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Which case (pinned version) a candidate sits for a position.
CREATE TABLE session_cases (
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    position TEXT NOT NULL,
    case_bank_id INTEGER NOT NULL REFERENCES case_bank (id),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (session_id, candidate_id, position)
);
CREATE INDEX session_cases_case ON session_cases (case_bank_id);

CREATE TRIGGER session_cases_revision_insert AFTER INSERT ON session_cases
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER session_cases_revision_update AFTER UPDATE ON session_cases
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER session_cases_revision_delete AFTER DELETE ON session_cases
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;
CREATE TRIGGER session_documents_revision_delete AFTER DELETE ON session_documents
    BEGIN UPDATE exam_sessions SET revision = revision + 1 WHERE id = OLD.session_id; END;
