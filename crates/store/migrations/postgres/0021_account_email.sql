-- grille: 0021_account_email.sql for PostgreSQL (strpos for SQLite's instr).

ALTER TABLE users ADD COLUMN email TEXT
    CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254 AND strpos(email, '@') > 1));
