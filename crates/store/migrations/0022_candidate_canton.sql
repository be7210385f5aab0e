-- grille: the canton where a candidate lives, as their master data.
--
-- An appeal period that ends on a public holiday moves to the next
-- working day, and the holidays that count are those of the canton where
-- the party (or their representative) lives (PA art. 20 al. 3). Where the
-- register holds it, a candidate's decision letter counts with that
-- canton's holidays instead of the board's. Personal data like the rest
-- of the row: erased with it.

ALTER TABLE candidate_identities ADD COLUMN canton TEXT
    CHECK (canton IS NULL OR (length(canton) = 2 AND canton = upper(canton)));
