//! The presentation layer of grille: translations, HTML pages, charts and
//! the statistics shown on them. The crate does no I/O and knows nothing
//! of HTTP: callers hand it data and get strings back.
//!
//! - [`i18n`]: the one translation catalogue for every interface string
//!   (French first, German shipped complete, Italian in part, each missing
//!   Italian text falling back to French).
//! - [`pages`]: the minijinja environment with the embedded templates, and
//!   the view models of each page.
//! - [`charts`]: SVG charts drawn as strings (radar, bars, grade histogram).
//! - [`agreement`]: agreement between two examiners (exact and adjacent
//!   agreement, Cohen's weighted kappa).
//! - [`self_assessment`]: a candidate's ratings and the profile computed
//!   from them.
//! - [`exam`]: the pages of a scored exam session (results table,
//!   statistics, grade sheets, the appeal file, the grading-meeting
//!   minutes), pure functions of a `grille_scoring::SessionResult`.
//! - [`candidate`]: the candidate's pages (results, self-assessment saved
//!   on the server, self against external assessment) and the trainer's.
//! - [`quality`]: the page on the quality of an exam (examiner severity,
//!   criterion analysis, intraclass correlations) from the server's
//!   statistics, and in [`quality::model`] the types of the API's answer
//!   (`QualityView`), which the server builds.
//! - [`official`]: the exam body's official documents (letterhead and
//!   signatures of the grade sheet, decision letters with the legal
//!   remedies and the appeal deadline) and the board's pages around them.
//! - [`statistics`]: the numbers behind the session statistics (pass rate,
//!   grade distributions, mean achievement, agreement between examiners).
//!
//! ```
//! use grille_report::i18n::{Language, translate};
//!
//! assert_eq!(translate(Language::Fr, "nav.home"), "Accueil");
//! assert_eq!(translate(Language::De, "nav.home"), "Startseite");
//! assert_eq!(translate(Language::It, "nav.home"), "Pagina iniziale");
//! ```

pub mod agreement;
pub mod board;
pub mod candidate;
pub mod cases;
pub mod charts;
pub mod exam;
pub mod examiner;
pub mod i18n;
pub mod markdown;
pub mod official;
pub mod pages;
pub mod quality;
pub mod self_assessment;
pub mod statistics;
mod svg;

/// The stylesheet of every page (screen and print), served by the web crate.
pub const STYLESHEET: &str = include_str!("../assets/grille.css");

/// The stylesheet of the login and examiner pages, beside [`STYLESHEET`].
pub const EXAMINER_STYLESHEET: &str = include_str!("../assets/examiner.css");
