-- grille: the exam body's identity, printed on every official document
-- (grade sheets, decision letters), and what each session's documents
-- say about the exam itself.
--
-- `board_identity` has one row at most (id 1): the texts as JSON
-- (name, address lines, signatories, seat, canton, the holidays that
-- end an appeal period on the next working day, postal delivery days,
-- the wording of the legal remedies per language), and the logo's bytes
-- with their media type, checked by content before they are stored.
-- The logo is kept here rather than in `attachments`, whose rows are
-- removed when no case or submission holds them any more.

CREATE TABLE board_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    content TEXT NOT NULL,
    logo_media_type TEXT CHECK (logo_media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
    logo_sha256 TEXT,
    logo BLOB,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK ((logo IS NULL) = (logo_media_type IS NULL) AND (logo IS NULL) = (logo_sha256 IS NULL))
);

-- Per session: the days and places of the exam (JSON list of
-- {date, place}), and the day its decisions count as notified (ISO
-- date; NULL: the publication date plus the postal delivery days).
CREATE TABLE session_particulars (
    session_id INTEGER PRIMARY KEY REFERENCES exam_sessions (id),
    sittings TEXT NOT NULL,
    notified_on TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
