//! The board's pages (commission d'examen): sessions, enrolment with a CSV
//! preview, examiner assignments, progress, the confirmation of each step
//! of the session (open the scoring, finalise, publish), a candidate's
//! audit log with corrections after finalisation, and the exports.
//!
//! As for [`crate::examiner`], the web crate assembles each page's view
//! from the API's answers as a JSON value and this module renders it with
//! the page layout; every string comes from the translation catalogue
//! (keys `board.*`). The results, statistics, minutes, grade sheets and
//! appeal file of a stored session are the functions of [`crate::exam`],
//! framed by [`crate::exam::BoardFrame`].

use minijinja::Environment;
use minijinja::value::Value;

use crate::i18n::Language;
use crate::templates::{PageError, render};

/// The stylesheet of the board's pages, beside the examiner's.
pub const STYLESHEET: &str = include_str!("../assets/board.css");

/// The pages of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The list of sessions and the creation form.
    Sessions,
    /// One session: state, candidates, enrolment, assignments, documents.
    Session,
    /// The preview of a CSV enrolment (problems by line, or the rows).
    CsvPreview,
    /// Evaluations missing, drafts, discrepancies, per candidate.
    Progress,
    /// The confirmation of a step (open the scoring, finalise, publish).
    Confirm,
    /// A candidate's audit log and corrections.
    Candidate,
    /// The exports of a session.
    Exports,
    /// A session's own journal (workflow, assignments, cases, reopenings,
    /// corrections).
    Events,
    /// The candidate register of a session: master data, languages,
    /// accommodations, the CSV import.
    Register,
    /// One candidate's master data and accommodations.
    RegisterCandidate,
    /// The appeal register of a session.
    Appeals,
    /// Standard setting: the Angoff panel, its cut score, Hofstee, the
    /// draft conversion for next year.
    StandardSetting,
}

impl Page {
    fn template(self) -> (&'static str, &'static str) {
        match self {
            Page::Sessions => ("board_sessions.html", "board_sessions"),
            Page::Session => ("board_session.html", "board_session"),
            Page::CsvPreview => ("board_csv_preview.html", "board_csv_preview"),
            Page::Progress => ("board_progress.html", "board_progress"),
            Page::Confirm => ("board_confirm.html", "board_confirm"),
            Page::Candidate => ("board_candidate.html", "board_candidate"),
            Page::Exports => ("board_exports.html", "board_exports"),
            Page::Events => ("board_events.html", "board_events"),
            Page::Register => ("board_register.html", "board_register"),
            Page::RegisterCandidate => ("board_register_candidate.html", "board_register_candidate"),
            Page::Appeals => ("board_appeals.html", "board_appeals"),
            Page::StandardSetting => ("session_standard_setting.html", "session_standard_setting"),
        }
    }
}

/// Renders `page` with its `view` (a serializable struct; `account` holds
/// the logged-in board member's `username`, `home` and `csrf`).
pub fn render_page(
    environment: &Environment<'_>,
    page: Page,
    view: &impl serde::Serialize,
    language: Language,
) -> Result<String, PageError> {
    let (template, name) = page.template();
    render(environment, template, language, name, Value::from(minijinja::value::Serde(view)))
}

/// The translation key of a candidate's status in a session.
pub fn status_key(status: grille_scoring::CandidateStatus) -> &'static str {
    candidate_status_key(status.as_str())
}

/// The translation key of an outcome.
pub fn outcome_of_key(outcome: grille_scoring::Outcome) -> &'static str {
    match outcome {
        grille_scoring::Outcome::Passed => "exam.outcome.passed",
        grille_scoring::Outcome::Failed => "exam.outcome.failed",
        grille_scoring::Outcome::NoResult => "exam.outcome.no_result",
        grille_scoring::Outcome::Pending => "exam.outcome.pending",
    }
}

/// The translation key of a candidate's status named by its text.
pub fn candidate_status_key(status: &str) -> &'static str {
    match status {
        "withdrawn_excused" => "board.status.withdrawn_excused",
        "withdrawn_unexcused" => "board.status.withdrawn_unexcused",
        "excluded" => "board.status.excluded",
        "absent" => "board.status.absent",
        _ => "board.status.present",
    }
}

/// The statuses a candidate can be given, in the order of the form.
pub const CANDIDATE_STATUSES: [&str; 5] =
    ["present", "absent", "withdrawn_excused", "withdrawn_unexcused", "excluded"];

/// The translation key of an outcome (`passed`, `failed`, ...).
pub fn outcome_key(outcome: &str) -> &'static str {
    match outcome {
        "passed" => "exam.outcome.passed",
        "failed" => "exam.outcome.failed",
        "no_result" => "exam.outcome.no_result",
        _ => "exam.outcome.pending",
    }
}

/// The translation key of a document kind (`scheme`, `blueprint`, ...).
pub fn document_kind_key(kind: &str) -> &'static str {
    match kind {
        "catalogue" => "board.document.kind.catalogue",
        "scheme" => "board.document.kind.scheme",
        "blueprint" => "board.document.kind.blueprint",
        _ => "board.document.kind.rubric",
    }
}

/// The audit actions the board's log names, as translation keys; other
/// actions show as `board.audit.action.other`.
pub const AUDIT_ACTIONS: [&str; 29] = [
    "candidate.enrol",
    "candidate.status",
    "candidate.erase_identity",
    "candidate.master_data",
    "candidate.accommodation",
    "assignment.create",
    "evaluation.save",
    "agreed_evaluation.save",
    "result.correct",
    "result.correction_propose",
    "result.correction_reject",
    "result.correction_withdraw",
    "session.create",
    "session.scoring",
    "session.finalised",
    "session.published",
    "session.retention",
    "session.case.assign",
    "session.case.unassign",
    "submission_window.set",
    "evaluation.reopen",
    "arbiter.assign",
    "arbiter.remove",
    "arbitration.save",
    "arbitration.submit",
    "agreed_evaluation.confirm",
    "standard_setting.record",
    "session.reminders",
    "other",
];

/// The translation key of an audit action.
pub fn audit_action_key(action: &str) -> String {
    let known = AUDIT_ACTIONS.iter().find(|known| **known == action).copied().unwrap_or("other");
    format!("board.audit.action.{known}")
}

/// The fields of audit values that have a label (others show their key).
pub const AUDIT_FIELDS: [&str; 28] = [
    "answers",
    "assigned_at",
    "candidate_number",
    "status",
    "outcome",
    "overall_grade",
    "version",
    "position",
    "reason",
    "proposal",
    "part",
    "examiner",
    "grade",
    "state",
    "fields",
    "language",
    "extra_minutes",
    "aids_given",
    "note_given",
    "agreed_version",
    "justification",
    "basis",
    "unit",
    "panellists",
    "items",
    "sent",
    "not_sent",
    "ranges",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n;

    #[test]
    fn keys_chosen_in_code_exist_in_every_shipped_language() {
        let mut keys: Vec<String> =
            CANDIDATE_STATUSES.iter().map(|s| candidate_status_key(s).to_owned()).collect();
        keys.extend(AUDIT_ACTIONS.iter().map(|action| audit_action_key(action)));
        keys.extend(AUDIT_FIELDS.iter().map(|field| format!("board.audit.field.{field}")));
        keys.extend(["catalogue", "scheme", "blueprint", "rubric"].map(|k| document_kind_key(k).to_owned()));
        // The web crate names each step's texts after the step.
        for step in ["scoring", "finalise", "publish"] {
            for text in ["title", "confirm", "button", "unavailable"] {
                keys.push(format!("board.step.{step}.{text}"));
            }
        }
        for language in Language::SHIPPED {
            for key in &keys {
                assert!(
                    i18n::keys(language).any(|known| known == key),
                    "{key} missing in {}",
                    language.code()
                );
            }
        }
    }

    #[test]
    fn pages_render_with_landmarks_labels_and_no_missing_key() {
        let environment = crate::templates::environment();
        let account = serde_json::json!({"username": "commission", "home": "/board", "csrf": "tok"});
        let session = serde_json::json!({"id": 1, "name": "Session 2026", "state": "scoring", "kind": "official",
            "state_key": "examiner.session_state.scoring", "exam_date": "2026-06-01",
            "documents": [{"kind_key": "board.document.kind.scheme", "slot_detail": null, "id": "s", "version": "1", "sha256": "ab", "sha_short": "ab", "title": ""}]});
        // As `grille-web` describes its two CSV uploads.
        let enrol_csv = serde_json::json!({"kind": "enrolment", "prefix": "csv", "keys": "board.csv",
            "action": "/board/sessions/1/enrolment", "back": "/board/sessions/1", "csrf": "tok",
            "columns": [{"names": ["numero"], "key": "board.csv.column.number"}]});
        let assign_csv = serde_json::json!({"kind": "assignments", "prefix": "assign-csv", "keys": "board.assign_csv",
            "action": "/board/sessions/1/assignments", "back": "/board/sessions/1", "csrf": "tok",
            "columns": [{"names": ["expert 1", "expert 2"], "key": "board.assign_csv.column.pair"}]});
        let views = [
            (
                Page::Sessions,
                serde_json::json!({"account": account, "sessions": [{"id": 1, "name": "S", "kind": "official", "exam_date": null, "state": "scoring", "state_key": "examiner.session_state.scoring", "candidates": 3, "expected": 4, "submitted": 2, "open": 1}], "documents": [], "bank": {"schemes": [], "blueprints": [], "rubrics": []}, "form": {"name": "", "exam_date": ""}, "errors": ["x"]}),
            ),
            (
                Page::Session,
                serde_json::json!({"account": account, "session": session, "candidates": [{"number": "A1", "name": "X Y", "status": "present", "status_key": "board.status.present", "examiners": ["e1"]}], "parts": [{"id": "1", "title": "P"}], "examiners": ["e1"], "statuses": [{"value": "present", "key": "board.status.present"}], "can": {"enrol": true, "assign": true, "status": true}, "enrol": {"number": "", "family_name": "", "given_name": "", "email": "", "errors": ["x"]}, "assign": {"candidate_number": "", "part": "", "examiner": "", "errors": []}, "next": {"key": "board.next.scoring", "url": "/x", "button": "board.next.progress"}, "assignment_count": 1, "csv_text": "", "enrol_csv": enrol_csv, "assign_csv": assign_csv, "assign_csv_text": "", "notice": null, "consultation": false}),
            ),
            (
                Page::CsvPreview,
                serde_json::json!({"account": account, "session": session, "upload": enrol_csv, "csv": "a,b", "errors": [{"line": 3, "field": "number", "detail": "Bad", "row": "x"}], "rows": []}),
            ),
            (
                Page::CsvPreview,
                serde_json::json!({"account": account, "session": session, "upload": enrol_csv, "csv": "a,b", "errors": [], "rows": [{"number": "A1", "family_name": "X", "given_name": "Y"}]}),
            ),
            (
                Page::CsvPreview,
                serde_json::json!({"account": account, "session": session, "upload": assign_csv, "csv": "a,b", "errors": [{"line": 2, "field": "examiner_1", "detail": "Bad", "row": "x"}], "rows": []}),
            ),
            (
                Page::CsvPreview,
                serde_json::json!({"account": account, "session": session, "upload": assign_csv, "csv": "a,b", "errors": [], "rows": [{"line": 2, "candidate_number": "A1", "part": "1", "examiner": "e1"}]}),
            ),
            (
                Page::Progress,
                serde_json::json!({"account": account, "session": session, "session_id": 1, "summary": {"expected": 4, "submitted": 2, "missing": 2, "drafts": 0, "open": 1, "pending": 1, "ready": false}, "candidates": [{"number": "A1", "outcome": "pending", "outcome_key": "exam.outcome.pending", "status_key": "board.status.present", "positions": [{"position": "1.1", "examiners": "e1", "missing": "e2", "drafts": "", "discrepancy": "open"}]}]}),
            ),
            (
                Page::Confirm,
                serde_json::json!({"account": account, "session": session, "refusal": "Non.", "step": {"title": "board.step.finalise.title", "available": true, "effects": ["board.step.finalise.effect.compute"], "checks": [{"ok": false, "text": "x", "link": "/p"}], "blocked": true, "action": "/x", "confirm_label": "board.step.finalise.confirm", "button": "board.step.finalise.button", "unavailable": "board.step.finalise.unavailable"}}),
            ),
            (
                Page::Candidate,
                serde_json::json!({"account": account, "session": session, "number": "A1", "status_key": "board.status.present", "result": {"outcome_key": "exam.outcome.passed", "grade": "4.5", "version": 2}, "corrections": [{"at": "t", "by": "b", "position": "1.1", "reason": "r", "before": "4", "after": "5"}], "original": "o", "correction": {"positions": [{"id": "1.1", "title": "T"}], "position": "1.1", "version": 2, "source": "s", "reason": "", "errors": ["e"], "criteria": [{"id": "c1", "title": {"fr": "C"}, "levels": [{"points": "1", "descriptor": {"fr": "d"}, "input_id": "l1", "checked": true}], "not_assessable_allowed": true}]}, "audit": [{"at": "t", "actor": "a", "action": "result.correct", "action_key": "board.audit.action.result.correct", "before": [{"label": "l", "value": "v"}], "after": []}]}),
            ),
            (
                Page::Events,
                serde_json::json!({"account": account, "session": session, "kind": "workflow", "kinds": [{"value": "workflow", "key": "board.events.kind.workflow", "selected": true}], "events": [{"at": "t", "actor": "a", "action": "session.create", "action_key": "board.audit.action.session.create", "detail": null, "changes": [], "before": [], "after": [{"label": "l", "value": "v"}]}]}),
            ),
            (
                Page::Register,
                serde_json::json!({"account": account, "session": session, "entries": [{"number": "A1", "name": "Anna Muster", "date_of_birth": "31.12.1990", "place_of_origin": "Trub BE", "language_key": "identity.language.de", "accommodation": "30 min"}, {"number": "A2", "name": null, "date_of_birth": null, "place_of_origin": null, "language_key": null, "accommodation": null}], "upload": {"kind": "master_data", "prefix": "register-csv", "keys": "register.csv", "action": "/board/sessions/1/register", "csrf": "tok", "columns": [{"names": ["numero"], "key": "board.csv.column.number"}]}, "notice": null}),
            ),
            (
                Page::CsvPreview,
                serde_json::json!({"account": account, "session": session, "upload": {"kind": "master_data", "prefix": "register-csv", "keys": "register.csv", "action": "/board/sessions/1/register", "back": "/board/sessions/1/register", "csrf": "tok", "columns": []}, "csv": "a,b", "errors": [], "rows": [{"number": "A1", "family_name": "X", "given_name": "Y", "date_of_birth": "31.12.1990", "place_of_origin": "Bern", "address": ["a", "b"], "language_key": "identity.language.de"}]}),
            ),
            (
                Page::RegisterCandidate,
                serde_json::json!({"account": account, "session": session, "number": "A1", "master": {"family_name": "Muster", "given_name": "Anna", "date_of_birth": "31.12.1990", "place_of_origin": "Trub BE", "address": "a\nb", "exam_language": "de", "canton": "GE", "errors": ["x"]}, "accommodation": {"extra_minutes": "30", "aids": "Laptop", "note": "", "errors": []}, "exam_languages": [{"code": "fr", "name": "français"}, {"code": "de", "name": "allemand"}], "cantons": ["BE", "GE"], "notice": {"kind": "success", "text": "ok"}}),
            ),
            (
                Page::Appeals,
                serde_json::json!({"account": account, "session": session, "appeals": [{"id": 1, "version": 2, "candidate_number": "A1", "received_on": "16.05.2026", "deadline": "15.05.2026", "timeliness": "late", "status": "partly_upheld", "status_key": "appeals.status.partly_upheld", "decided_on": "30.06.2026", "corrections": "3", "consultation_requested_on": "20.05.2026", "consultation_held_on": "", "note": "", "errors": ["x"]}], "new": {"id": 0, "version": 0, "candidate_number": "", "received_on": "", "deadline": null, "timeliness": "unknown", "status": "received", "status_key": "appeals.status.received", "decided_on": "", "corrections": "", "consultation_requested_on": "", "consultation_held_on": "", "note": "", "errors": []}, "candidates": ["A1", "A2"], "statuses": [{"code": "received", "key": "appeals.status.received"}], "notice": null, "not_final": false}),
            ),
            (
                Page::StandardSetting,
                serde_json::json!({"account": account, "session": session, "setting_session": session, "base": "/board/sessions/1", "may_record": true,
                    "parts": [{"id": "1", "title": "Partie", "selected": true}],
                    "form": {"version": 2, "part": "1", "basis": "position", "unit": "points", "updated": "x", "errors": ["e"],
                        "columns": [{"index": 0, "name": "Anna"}, {"index": 1, "name": ""}],
                        "rows": [{"index": 0, "id": "1.1", "title": "Rapport", "max": "20", "cells": [{"column": 0, "value": "12"}, {"column": 1, "value": ""}]}],
                        "ranges": [{"field": "min_cut", "key": "standard_setting.range.min_cut", "cells": [{"column": 0, "value": "10"}, {"column": 1, "value": ""}]}]},
                    "preview": {"csv": "a;b", "encoding": "UTF-8", "part": "", "unit": "points", "replaces": 2,
                        "errors": [{"line": 3, "field": "Anna", "detail": "d"}], "columns": ["Anna"], "rows": [{"item": "1.1", "values": ["12"]}]},
                    "results": {"sentence": "s", "distribution_sentence": "d", "chart": "<svg></svg>", "hofstee_missing_key": null,
                        "angoff": {"cut_score": "12.00", "max_total": "20", "percent": "60.0", "standard_error": "0.58", "standard_deviation": "1.00", "range_low": "11.00", "range_high": "13.00",
                            "panellists": [{"name": "Anna", "cut_score": "12.00", "percent": "60.0"}]},
                        "hofstee": {"sentence": "h", "min_cut": "8", "max_cut": "16", "min_fail_rate": "5.0", "max_fail_rate": "40.0"},
                        "distribution": {"candidates": 4, "rows": [{"from": "0.0", "to": "2.0", "candidates": 1, "fail_rate_below": "25.0"}]},
                        "drafts": [{"cut": "angoff", "title_key": "standard_setting.draft.angoff", "points_at_pass_mark": "12", "max_total": "20", "pass_fraction": "0.6",
                            "grade_min": "1.0", "grade_pass": "4.0", "grade_max": "6.0", "file_name": "f.json", "scheme_version": "1.0-angoff-s1v2"}]}}),
            ),
            (
                Page::Exports,
                serde_json::json!({"account": account, "session": session, "official": true, "layouts": [{"value": "candidate", "key": "board.exports.layout.candidate", "hint": "board.exports.layout.candidate_hint"}], "candidates": ["A1"]}),
            ),
        ];
        for language in Language::SHIPPED {
            for (page, view) in &views {
                let html = render_page(&environment, *page, view, language)
                    .unwrap_or_else(|error| panic!("{page:?}: {error:#}"));
                assert!(!html.contains('⟦'), "{page:?} in {}: {html}", language.code());
                for needle in ["<main", "<nav", r#"id="logout""#] {
                    assert!(html.contains(needle), "{page:?}: {needle} missing");
                }
            }
        }
    }
}
