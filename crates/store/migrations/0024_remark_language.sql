-- grille: the language of an examiner's remarks.
--
-- An evaluation's remarks (the overall one and those on criteria) are free
-- text in the language the examiner wrote them in; the pages mark that
-- language (`lang="de"`) where it is not the page's, so that a screen
-- reader reads them right. The server records it in the evaluation's
-- content as `remark_language`: `fr`, `de` or `it`, or absent where it is
-- unknown (every evaluation written before this migration). The store
-- keeps the content as JSON text; these triggers refuse any other value,
-- whoever writes the row. PostgreSQL checks the same with CHECK
-- constraints (migrations/postgres/0024_remark_language.sql).

CREATE TRIGGER evaluations_remark_language_insert BEFORE INSERT ON evaluations
WHEN json_extract(NEW.content, '$.remark_language') IS NOT NULL
    AND json_extract(NEW.content, '$.remark_language') NOT IN ('fr', 'de', 'it')
BEGIN
    SELECT RAISE(ABORT, 'remark_language must be fr, de or it');
END;

CREATE TRIGGER evaluations_remark_language_update BEFORE UPDATE OF content ON evaluations
WHEN json_extract(NEW.content, '$.remark_language') IS NOT NULL
    AND json_extract(NEW.content, '$.remark_language') NOT IN ('fr', 'de', 'it')
BEGIN
    SELECT RAISE(ABORT, 'remark_language must be fr, de or it');
END;

CREATE TRIGGER agreed_evaluations_remark_language_insert BEFORE INSERT ON agreed_evaluations
WHEN json_extract(NEW.content, '$.remark_language') IS NOT NULL
    AND json_extract(NEW.content, '$.remark_language') NOT IN ('fr', 'de', 'it')
BEGIN
    SELECT RAISE(ABORT, 'remark_language must be fr, de or it');
END;

CREATE TRIGGER agreed_evaluations_remark_language_update BEFORE UPDATE OF content ON agreed_evaluations
WHEN json_extract(NEW.content, '$.remark_language') IS NOT NULL
    AND json_extract(NEW.content, '$.remark_language') NOT IN ('fr', 'de', 'it')
BEGIN
    SELECT RAISE(ABORT, 'remark_language must be fr, de or it');
END;

CREATE TRIGGER arbiter_evaluations_remark_language_insert BEFORE INSERT ON arbiter_evaluations
WHEN json_extract(NEW.content, '$.remark_language') IS NOT NULL
    AND json_extract(NEW.content, '$.remark_language') NOT IN ('fr', 'de', 'it')
BEGIN
    SELECT RAISE(ABORT, 'remark_language must be fr, de or it');
END;

CREATE TRIGGER arbiter_evaluations_remark_language_update BEFORE UPDATE OF content ON arbiter_evaluations
WHEN json_extract(NEW.content, '$.remark_language') IS NOT NULL
    AND json_extract(NEW.content, '$.remark_language') NOT IN ('fr', 'de', 'it')
BEGIN
    SELECT RAISE(ABORT, 'remark_language must be fr, de or it');
END;
