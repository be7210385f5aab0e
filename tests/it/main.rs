//! grille's integration tests: one binary, features tested at the
//! boundaries a user sees (the CLI, the data files, the schemas).

/// `grille audit verify`: the audit log's hash chain, intact or tampered with.
mod audit_cli;
/// `grille backup` and `grille restore`: a checked copy and its restoration.
mod backup_cli;
/// `grille validate` on a case study and the attachments beside it.
mod case_cli;
/// `grille catalogue ...`: list, show, search, export and re-import.
mod catalogue_cli;
/// The hand count of criteria per competence and category, against the
/// embedded catalogue.
mod catalogue_counts;
/// Each kind of bad catalogue input and the problem (pointer, sentence) it gives.
mod catalogue_problems;
/// `grille catalogue translation template|import`: each kind of malformed
/// sheet refused with its line and column, nothing half-imported, and the
/// round trip template → fill → import → the pages, the API and the
/// exports in German.
mod catalogue_translation;
/// The language of the CLI's own messages: German with `GRILLE_LANG=de` or
/// a German locale, Italian likewise, French otherwise.
mod cli_language;
/// `grille serve` killed with SIGKILL under draft saves, on SQLite and on
/// PostgreSQL: every acknowledged save is there after the restart.
mod crash;
/// The shipped federal exam documents: they load, cover the catalogue, and
/// the example session scores as computed by hand.
mod federal_exam;
/// Every loader of data files, fuzzed (arbitrary text and JSON, mutated
/// shipped documents): problems, never a panic.
mod fuzz_loaders;
/// `grille grade ...`: the calculator, its boundaries and bad values.
mod grade_cli;
/// The committed JSON Schemas are the ones the Rust types generate.
mod schemas;
/// `grille score` and `grille blueprint coverage` on the worked example.
mod score_cli;
/// `grille serve` as a process: embedded defaults, demo, SIGTERM, restart.
mod serve_cli;
/// `grille serve --database postgres://…`: two processes on one
/// PostgreSQL database behave as one.
mod serve_postgres;
/// `grille store copy`: the demo board SQLite → PostgreSQL → SQLite, every
/// table equal; each refusal with its message.
mod store_copy_cli;
/// Shared helpers: running the binary, temporary files.
mod support;
/// Our own exam documents in German: every localized text has German, each
/// translated document carries its translation note, cases have their
/// German translation.
mod translations;
/// `grille score --what-if` and `--weight`: what another scheme or
/// weighting would change.
mod what_if_cli;
