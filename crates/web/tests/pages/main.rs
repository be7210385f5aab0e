//! The tests of the pages without a browser, one binary: the app composed
//! as `grille serve --demo` composes it (API + pages over one state, demo
//! data in a temporary database), driven with `oneshot`. The browser tests
//! are the other binary (`tests/browser`).

// The harness: the demo app, requests sent with `oneshot`, the login.
mod support;

// The account pages: the board's users, imports, the security page.
mod account_pages;
// The board's pages: strangers to the login, other roles refused, CSRF.
mod board_access;
// The candidate's and the trainer's pages, each role on its own.
mod candidate_access;
// The login and the examiner's pages.
mod examiner_access;
// The scoring form: the API's answer handed over typed, every save shown.
mod form_answers;
/// The joint grade confirmed by both examiners, without script.
mod moderation;
// The examiners' remarks marked with the language they were written in.
mod remark_languages;
// What every form does with the API's refusal: problems on the form, or the refusal page.
mod form_refusals;
// The API's refusals said in the reader's language.
mod refusals;
// The trainer's and the candidate's loops, and the ways through each role's pages.
mod loops;
// E-mail from the pages: addresses, reminders, temporary passwords.
mod mail_pages;
// The fake SMTP relay of the API tests.
#[path = "../../../server/tests/api/relay.rs"]
mod relay;
// The exam body's identity and a session's official documents.
mod official_pages;
// The candidate register: master data, CSV import, accommodations, exam language.
mod registry_pages;
// Standard setting: the Angoff panel table, the CSV import, the draft conversion.
mod standard_setting;
// The security headers and cache policy of every page and asset.
mod security_headers;
// The case bank, the documents, a session's cases and submitted work.
mod staff_access;
// The board's what-if simulation page: flips listed, bad values on the form.
mod what_if_pages;
// The engine's messages in German: no French engine sentence on the demo
// session's results, grade sheets, candidate files, minutes, decision
// letters and CSV.
mod engine_messages;
// A document's problems in the reader's language (document bank).
mod problem_messages;
// A bank document's title in the reader's language, or marked French.
mod document_titles;
// The API's own checks in German: CSV uploads (accounts, enrolment,
// assignments, master data) and a refused scoring form.
mod german_uploads;
