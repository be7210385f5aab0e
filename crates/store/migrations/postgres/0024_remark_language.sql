-- grille: 0024_remark_language.sql for PostgreSQL (CHECK constraints
-- where SQLite, which cannot add one to a table, uses triggers).
--
-- The language of an evaluation's remarks, kept in its JSON content as
-- `remark_language`: `fr`, `de`, `it` or absent (unknown).

ALTER TABLE evaluations ADD CONSTRAINT evaluations_remark_language
    CHECK ((content::jsonb ->> 'remark_language') IS NULL
        OR (content::jsonb ->> 'remark_language') IN ('fr', 'de', 'it'));

ALTER TABLE agreed_evaluations ADD CONSTRAINT agreed_evaluations_remark_language
    CHECK ((content::jsonb ->> 'remark_language') IS NULL
        OR (content::jsonb ->> 'remark_language') IN ('fr', 'de', 'it'));

ALTER TABLE arbiter_evaluations ADD CONSTRAINT arbiter_evaluations_remark_language
    CHECK ((content::jsonb ->> 'remark_language') IS NULL
        OR (content::jsonb ->> 'remark_language') IN ('fr', 'de', 'it'));
