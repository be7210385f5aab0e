-- grille: initial schema.
--
-- Portable SQL: only types and constraints that PostgreSQL also accepts
-- (TEXT, INTEGER, CHECK, UNIQUE, REFERENCES). Two SQLite-isms remain and
-- are the only lines a PostgreSQL migration would change: `INTEGER PRIMARY
-- KEY` for generated ids (PostgreSQL: `BIGINT GENERATED ALWAYS AS IDENTITY
-- PRIMARY KEY`) and nothing else. Times are RFC 3339 UTC text, decimals
-- (grades) are text such as `4.5`, JSON documents are text.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'examiner', 'trainer', 'candidate')),
    created_at TEXT NOT NULL
);

-- Login sessions (not exam sessions). Only a SHA-256 hash of the bearer
-- token is stored, so a copy of the database does not let anyone log in.
CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Content-addressed documents (catalogue, blueprint, grading scheme,
-- rubric). A row is never updated: an edited document is a new row.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('catalogue', 'blueprint', 'scheme', 'rubric')),
    document_id TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, sha256)
);

CREATE TABLE exam_sessions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    exam_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id)
);

-- Which document versions a session uses. `slot` is `catalogue`,
-- `blueprint`, `scheme` or `rubric:<part>`.
CREATE TABLE session_documents (
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    slot TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    PRIMARY KEY (session_id, slot)
);

-- A candidate is known everywhere by the candidate number only.
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    candidate_number TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Personal data, for the board only; a row can be deleted (erasure) while
-- the anonymous candidate and their results stay.
CREATE TABLE candidate_identities (
    candidate_id INTEGER PRIMARY KEY REFERENCES candidates (id),
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    email TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE enrolments (
    session_id INTEGER NOT NULL REFERENCES exam_sessions (id),
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    enrolled_at TEXT NOT NULL,
    PRIMARY KEY (session_id, candidate_id)
);

CREATE TABLE examiner_assignments (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    part TEXT NOT NULL,
    examiner_id INTEGER NOT NULL REFERENCES users (id),
    assigned_at TEXT NOT NULL,
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id),
    UNIQUE (session_id, candidate_id, part, examiner_id)
);

-- One examiner's scoring of one position. `version` starts at 1 and grows
-- by one on every write: a write that names an older version is refused.
CREATE TABLE evaluations (
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
    UNIQUE (session_id, candidate_id, part, position, examiner_id)
);

-- The examiners' joint scoring of a position.
CREATE TABLE agreed_evaluations (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    part TEXT NOT NULL,
    position TEXT NOT NULL,
    content TEXT NOT NULL,
    grade TEXT,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id),
    UNIQUE (session_id, candidate_id, part, position)
);

-- The board's result for a candidate in a session.
CREATE TABLE results (
    session_id INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL,
    part_grades TEXT NOT NULL,
    overall_grade TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'passed', 'failed', 'withdrawn', 'excluded')),
    version INTEGER NOT NULL,
    decided_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    FOREIGN KEY (session_id, candidate_id) REFERENCES enrolments (session_id, candidate_id),
    PRIMARY KEY (session_id, candidate_id)
);

-- Append-only: the store has no method that updates or deletes a row here.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT
);

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
