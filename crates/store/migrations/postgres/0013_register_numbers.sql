-- grille: 0013_register_numbers.sql for PostgreSQL. SQLite rebuilds the
-- table to drop the column's UNIQUE; PostgreSQL drops the constraint.

ALTER TABLE candidates DROP CONSTRAINT candidates_candidate_number_key;
CREATE UNIQUE INDEX candidates_register_number ON candidates (COALESCE(school_id, 0), candidate_number);
CREATE INDEX candidates_number ON candidates (candidate_number);
