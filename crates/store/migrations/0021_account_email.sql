-- grille: an e-mail address per account, where the board (or the user)
-- gives one, so that reminders and temporary passwords can be sent when the
-- server has an SMTP relay. Optional: nothing in grille needs e-mail to
-- work. Personal data: the audit log records that it changed, never the
-- address.

ALTER TABLE users ADD COLUMN email TEXT
    CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254 AND instr(email, '@') > 1));
