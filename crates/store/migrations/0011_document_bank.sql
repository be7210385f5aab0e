-- grille: the exam documents a board (or a school) writes in the browser:
-- grading schemes, blueprints and rubrics, as drafts, then ready, then used
-- (pinned by a session: from then on the row never changes, an edit is a
-- new version). `school_id` NULL is the board's bank. A session pins a
-- used version through `documents` and `session_documents` as any other
-- document; this table keeps the authoring life beside it.

CREATE TABLE document_bank (
    id INTEGER PRIMARY KEY,
    school_id INTEGER REFERENCES schools (id),
    kind TEXT NOT NULL CHECK (kind IN ('scheme', 'blueprint', 'rubric')),
    document_id TEXT NOT NULL,
    version TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'ready', 'used')),
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX document_bank_version ON document_bank (COALESCE(school_id, 0), kind, document_id, version);

CREATE TRIGGER document_bank_pinned BEFORE UPDATE OF content ON document_bank
    WHEN OLD.state = 'used'
    BEGIN SELECT RAISE(ABORT, 'document version is pinned'); END;
