//! Integration tests of the HTTP API: one binary, one module per concern.

// Spawning the app over a fresh database, requests and logins.
mod support;

// Every kind of bad input gets its 4xx with the problem shape.
mod problems;
// CSV as Excel writes it, query parameters, If-Match, all JSON problems.
mod input_forms;
// CSV uploads in UTF-8, UTF-16 and Windows-1252; files that are no text.
mod csv_encodings;
// The CSV exports' columns and words in the reader's language.
mod csv_languages;
// The catalogue's Moodle and CASE exports.
mod catalogue_exports;
// Login, logout, cookies, bearer tokens, CSRF, slowdown, roles.
mod auth;
// Exam sessions, enrolment (JSON and CSV), assignments, audit log.
mod sessions;
// Examiner assignments from CSV files.
mod assignments;
// The worked example from enrolment to published results, races,
// restarts, bad input to the workflow routes.
mod remark_language;
mod workflow;
// Refusals and conflicts carry a stable code and its arguments.
mod refusal_codes;
// The API's own sentences and generic problems carry a code said in German.
mod server_sentences;
// The access table: every workflow route × role and assignment situation.
mod access;
// Mock exams of training schools: a trainer's run, reach, access table.
mod mock;
// The OpenAPI document covers every route.
mod openapi;
// The HTML pages served beside the API (fallback split).
mod pages;
// A real socket on port 0, and graceful shutdown.
mod smoke;
// A candidate's self-assessment kept on the server.
mod self_assessment;
// Cached documents and results are never older than an acknowledged write.
mod freshness;
// Two instances on one database; PostgreSQL stopped under a running server.
mod instances;
// Security headers and the cache policy on every kind of answer.
mod headers;
// CSV uploads fuzzed: any text gets a 4xx or a preview, never a 5xx.
mod fuzz_csv;
// The password policy and Unicode normalisation of passwords.
mod passwords;
// Login sessions: idle timeout, listing, ending one or all.
mod login_sessions;
// The board's administration of accounts: disable, role, CSV import.
mod accounts;
// The second factor: TOTP enrolment, login with a code, recovery codes,
// enforcement by role.
mod second_factor;
// The document bank: schemes, blueprints and rubrics written, pinned, compared.
mod documents;
// The case bank: access by bank and state, bad input with pointers,
// attachments, export/import, the seeded draw.
mod cases;
// The work candidates hand in: upload, access by role, bad input.
mod submissions;
// The quality of an exam: severity, criteria, ICCs, CSV, access.
mod quality;
// The board's what-if simulation: edits, flips, nothing stored, bad edits.
mod what_if;
// An examiner's severity across sessions: rows, summary, CSV, access.
mod examiner_history;
// Standard setting: Angoff panel, Hofstee, draft conversion.
mod standard_setting;
// The exam body's identity, a session's official documents.
mod identity;
// The candidate register: master data, exam language, accommodations.
mod registry;
// E-mail through an SMTP relay (a fake one on loopback): addresses,
// reminders, temporary passwords, failures reported, nothing without a
// relay.
mod mail;
mod relay;
