-- grille: the language of an examiner's justification when they confirm a
-- joint evaluation.
--
-- Like the remarks of an evaluation (0024), the justification is free text
-- in the language the examiner wrote it in, and the pages mark that
-- language (`lang="de"`) where it is not the page's. The server records it
-- from the request, else the caller's language: `fr`, `de` or `it`; NULL
-- where it is unknown (every confirmation given before this migration) or
-- where there is no justification. A CHECK on the new column refuses any
-- other value on SQLite and PostgreSQL alike (the file translates as is).

ALTER TABLE agreed_confirmations ADD COLUMN justification_language TEXT
    CHECK (justification_language IS NULL OR justification_language IN ('fr', 'de', 'it'));
