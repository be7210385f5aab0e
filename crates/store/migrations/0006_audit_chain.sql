-- grille: a tamper-evident audit log (OWASP ASVS V7, log protection).
--
-- Every entry carries the hash of the entry before it (`previous_hash`)
-- and its own `hash`:
--
--     hash = SHA-256(previous_hash || canonical serialisation of the entry)
--
-- in lowercase hex, the first entry chaining to 64 zeros. The canonical
-- serialisation is the compact JSON array
-- [id, at, actor_id, actor, action, entity, entity_id, before_value,
--  after_value] of the stored values (integers as numbers, texts as JSON
-- strings, absent values as null); see `grille_store::audit`. Editing an
-- entry breaks its own hash; deleting or inserting one breaks the link of
-- the entry after it. `grille audit verify` walks the chain.
--
-- SQLite has no SHA-256 function by default, so the entries already in the
-- log are chained in Rust (`audit::chain_existing`), right after this file
-- runs and inside the same transaction (see `migrate::apply`): a database
-- upgraded from migration 5 verifies, and a failure leaves it at 5.
-- ALTER TABLE ... ADD COLUMN is portable SQL, as in 0001.

ALTER TABLE audit_log ADD COLUMN previous_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
