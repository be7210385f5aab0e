//! A candidate's page for the board: their result, the corrections after
//! finalisation (with the form that makes one), and the audit log of
//! everything that touched them in the session.

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::board::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_report::pages::AccountLayout;
use grille_scoring::{CandidateResult, CandidateStatus, embedded};
use grille_server::{
    AnswerInput, AuditView, CandidateFile, CorrectionPreview, CorrectionRequest, EvaluationInput,
    ProposalNote, ProposalView, ResultView,
};
use grille_workflow::SessionState;
use serde::Serialize;
use serde_json::{Value, json};

use super::overview::CandidatePath;
use super::{Notice, SessionHeader, field, plain, refusal_lines, render, short};
use crate::auth_pages::{encode, see_other};
use crate::page::{BoardAccount, PageError};

/// A value of an audit entry in words: statuses and outcomes translated.
fn audit_value(language: Language, key: &str, value: &Value) -> String {
    match value {
        Value::String(text) if key == "status" && pages::CANDIDATE_STATUSES.contains(&text.as_str()) => {
            i18n::translate(language, pages::candidate_status_key(text))
        }
        Value::String(text) if key == "status" && (text == "draft" || text == "submitted") => {
            i18n::translate(language, &format!("examiner.state.{text}"))
        }
        Value::String(text) if key == "outcome" => i18n::translate(language, pages::outcome_key(text)),
        Value::String(text) if text.len() >= 16 && text.as_bytes().get(10) == Some(&b'T') => when(text),
        Value::String(text) => text.clone(),
        Value::Null => "—".to_owned(),
        Value::Bool(true) => i18n::translate(language, "board.audit.yes"),
        Value::Bool(false) => i18n::translate(language, "board.audit.no"),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => i18n::format(
            &i18n::translate(language, "board.audit.items"),
            &[("count", items.len().to_string())],
        ),
        Value::Object(_) => short(&value.to_string(), 120),
    }
}

/// The fields of an audit value as `label: value` pairs, without the
/// session id (the page is the session's).
fn audit_fields(language: Language, value: &Value) -> Vec<AuditField> {
    let Some(object) = value.as_object() else {
        return if value.is_null() {
            Vec::new()
        } else {
            vec![AuditField { label: String::new(), value: audit_value(language, "", value) }]
        };
    };
    let mut fields = Vec::new();
    for (key, value) in object {
        if key == "session_id" {
            continue;
        }
        if key == "assignment" && value.is_object() {
            fields.extend(audit_fields(language, value));
            continue;
        }
        let label = if pages::AUDIT_FIELDS.contains(&key.as_str()) {
            i18n::translate(language, &format!("board.audit.field.{key}"))
        } else {
            key.replace('_', " ")
        };
        fields.push(AuditField { label, value: audit_value(language, key, value) });
    }
    fields
}

/// `2026-05-04T09:12:33Z` as Swiss local time, `04.05.2026 11:12`.
pub(super) fn when(at: &str) -> String {
    grille_workflow::time::swiss_display(at)
}

/// A field of an audit value, as words.
#[derive(Debug, Serialize)]
pub(super) struct AuditField {
    pub(super) label: String,
    pub(super) value: String,
}

/// An audit entry as the page shows it.
#[derive(Debug, Serialize)]
pub(super) struct AuditRow {
    pub(super) at: String,
    pub(super) actor: String,
    pub(super) action: String,
    pub(super) action_key: String,
    pub(super) detail: Option<String>,
    /// For an evaluation: what changed, criterion by criterion.
    pub(super) changes: Vec<String>,
    pub(super) before: Vec<AuditField>,
    pub(super) after: Vec<AuditField>,
}

/// The answers of an evaluation's audit snapshot (its stored content), if
/// it has any.
fn snapshot_answers(value: Option<&Value>) -> Vec<grille_scoring::Answer> {
    value
        .and_then(|value| value.pointer("/content/answers").or_else(|| value.get("answers")))
        .and_then(|answers| serde_json::from_value(answers.clone()).ok())
        .unwrap_or_default()
}

/// What changed between two versions of an evaluation, criterion by
/// criterion: the level (points or "not assessable") and the remark.
fn criterion_changes(
    language: Language,
    before: &[grille_scoring::Answer],
    after: &[grille_scoring::Answer],
) -> Vec<String> {
    let level = |answer: Option<&grille_scoring::Answer>| match answer {
        Some(answer) if answer.not_assessable => i18n::translate(language, "examiner.not_assessable"),
        Some(grille_scoring::Answer { points: Some(points), .. }) => i18n::format(
            &i18n::translate(language, "board.correction.points"),
            &[("points", points.to_string())],
        ),
        _ => "—".to_owned(),
    };
    let remark = |answer: Option<&grille_scoring::Answer>| {
        answer.and_then(|answer| answer.remark.clone()).filter(|remark| !remark.trim().is_empty())
    };
    let mut criteria: Vec<&str> = after.iter().map(|answer| answer.criterion.as_str()).collect();
    for answer in before {
        if !criteria.contains(&answer.criterion.as_str()) {
            criteria.push(&answer.criterion);
        }
    }
    let mut changes = Vec::new();
    for criterion in criteria {
        let old = before.iter().find(|answer| answer.criterion == criterion);
        let new = after.iter().find(|answer| answer.criterion == criterion);
        let (was, now) = (level(old), level(new));
        if was != now {
            changes.push(i18n::format(
                &i18n::translate(language, "board.audit.change.level"),
                &[("criterion", criterion.to_owned()), ("before", was), ("after", now)],
            ));
        }
        match (remark(old), remark(new)) {
            (None, Some(_)) => changes.push(i18n::format(
                &i18n::translate(language, "board.audit.change.remark_added"),
                &[("criterion", criterion.to_owned())],
            )),
            (Some(_), None) => changes.push(i18n::format(
                &i18n::translate(language, "board.audit.change.remark_removed"),
                &[("criterion", criterion.to_owned())],
            )),
            (Some(a), Some(b)) if a != b => changes.push(i18n::format(
                &i18n::translate(language, "board.audit.change.remark_changed"),
                &[("criterion", criterion.to_owned())],
            )),
            _ => {}
        }
    }
    changes
}

/// The audit entries about candidate `number` in session `id`, newest first.
async fn candidate_audit(board: &BoardAccount, id: i64, number: &str) -> Result<Vec<AuditRow>, PageError> {
    let language = board.language.language;
    let mut entries: Vec<AuditView> = Vec::new();
    let prefix = format!("{id}/{number}/");
    let queries = [
        format!("/api/audit?entity=candidate&entity_id={}&limit=1000", encode(number)),
        format!("/api/audit?entity=result&entity_id={}&limit=1000", encode(&format!("{id}/{number}"))),
        "/api/audit?entity=evaluation&limit=1000".to_owned(),
        "/api/audit?entity=agreed_evaluation&limit=1000".to_owned(),
        "/api/audit?entity=examiner_assignment&limit=1000".to_owned(),
    ];
    for query in &queries {
        let listed: Vec<AuditView> = board.get(query).await?;
        for entry in listed {
            // Audit snapshots are the JSON of whatever was written: the one
            // place the pages read values by key, to show them as words.
            let null = Value::Null;
            let after = entry.after.as_ref().unwrap_or(&null);
            let before = entry.before.as_ref().unwrap_or(&null);
            let session_of = |value: &Value| value["session_id"].as_i64();
            let ours = match entry.entity.as_str() {
                "evaluation" | "agreed_evaluation" => entry.entity_id.starts_with(&prefix),
                "examiner_assignment" => {
                    session_of(after) == Some(id) && after["assignment"]["candidate_number"] == number
                }
                "candidate" => session_of(after).or(session_of(before)).is_none_or(|session| session == id),
                _ => true,
            };
            if ours {
                entries.push(entry);
            }
        }
    }
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.id));
    Ok(entries.iter().map(|entry| audit_row(language, entry)).collect())
}

/// An audit entry in words: the action, the candidate and position it is
/// about, what changed criterion by criterion, the values before and after.
pub(super) fn audit_row(language: Language, entry: &AuditView) -> AuditRow {
    let action = entry.action.as_str();
    let entity = entry.entity.as_str();
    let entity_id = entry.entity_id.as_str();
    let detail = match entity {
        "evaluation" | "agreed_evaluation" => {
            let mut parts = entity_id.split('/').skip(2);
            let part = parts.next().unwrap_or_default();
            let position = parts.next().unwrap_or_default();
            Some(i18n::format(
                &i18n::translate(language, "board.audit.position_detail"),
                &[("part", part.to_owned()), ("position", position.to_owned())],
            ))
        }
        // `{session}/{number}` and `{session}/{number}/{position}`.
        "result" | "session_case" => {
            let mut parts = entity_id.split('/').skip(1);
            let number = parts.next().unwrap_or_default().to_owned();
            Some(match parts.next() {
                Some(position) => i18n::format(
                    &i18n::translate(language, "board.audit.case_detail"),
                    &[("number", number), ("position", position.to_owned())],
                ),
                None => i18n::format(
                    &i18n::translate(language, "board.audit.candidate_detail"),
                    &[("number", number)],
                ),
            })
        }
        "submission_window" => entity_id.split('/').nth(1).map(|position| {
            i18n::format(
                &i18n::translate(language, "board.audit.window_detail"),
                &[("position", position.to_owned())],
            )
        }),
        _ => None,
    };
    // An evaluation's full content is in the appeal file; here its
    // state and version say what changed.
    let summarise = |value: &Value| -> Value {
        if matches!(entity, "evaluation" | "agreed_evaluation") && value.is_object() {
            let mut summary = serde_json::Map::new();
            for key in ["status", "version", "grade"] {
                if let Some(field) = value.get(key).filter(|field| !field.is_null()) {
                    summary.insert(key.to_owned(), field.clone());
                }
            }
            if let Some(answers) = value.pointer("/content/answers").or_else(|| value.get("answers")) {
                summary.insert("answers".to_owned(), answers.clone());
            }
            Value::Object(summary)
        } else {
            value.clone()
        }
    };
    let null = Value::Null;
    let changes = if matches!(entity, "evaluation" | "agreed_evaluation") {
        criterion_changes(
            language,
            &snapshot_answers(entry.before.as_ref()),
            &snapshot_answers(entry.after.as_ref()),
        )
    } else {
        Vec::new()
    };
    AuditRow {
        at: when(&entry.at),
        actor: entry.actor.clone(),
        action: action.to_owned(),
        action_key: pages::audit_action_key(action),
        detail,
        changes,
        before: audit_fields(language, &summarise(entry.before.as_ref().unwrap_or(&null))),
        after: audit_fields(language, &summarise(entry.after.as_ref().unwrap_or(&null))),
    }
}

/// The criteria of the chosen position's rubric, each level checked as in
/// the official evaluation (or as posted).
fn correction_criteria(
    exam: &embedded::ExamDocuments,
    explanation: &grille_scoring::CandidateResult,
    position_id: &str,
    posted: &BTreeMap<String, String>,
) -> Vec<CriterionRow> {
    let Some(position) =
        exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()).find(|p| p.id == position_id)
    else {
        return Vec::new();
    };
    let scored =
        explanation.parts.iter().flat_map(|part| part.positions.iter()).find(|p| p.position == position_id);
    let Some(rubric) = scored
        .and_then(|scored| {
            exam.rubrics.iter().find(|r| r.id == scored.rubric.id && r.version == scored.rubric.version)
        })
        .or_else(|| exam.rubrics.iter().find(|r| r.id == position.rubric))
    else {
        return Vec::new();
    };
    let official = scored.and_then(|scored| scored.agreed.as_ref().or(scored.evaluations.first()));
    rubric
        .criteria
        .iter()
        .map(|criterion| {
            let mark = official
                .and_then(|evaluation| evaluation.criteria.iter().find(|c| c.criterion == criterion.id))
                .map(|c| c.mark);
            let chosen: Option<String> = match posted.get(&criterion.id) {
                Some(value) => Some(value.clone()),
                None if posted.is_empty() => match mark {
                    Some(grille_scoring::Mark::Points(points)) => Some(points.normalize().to_string()),
                    Some(grille_scoring::Mark::NotAssessable) => Some("na".to_owned()),
                    _ => None,
                },
                None => None,
            };
            let levels = criterion
                .levels
                .iter()
                .map(|level| {
                    let points = level.points.normalize().to_string();
                    LevelRow {
                        checked: chosen.as_deref() == Some(points.as_str()),
                        input_id: format!("level-{}-{}", criterion.id, points),
                        descriptor: level.descriptor.clone(),
                        points,
                    }
                })
                .collect();
            CriterionRow {
                id: criterion.id.clone(),
                title: criterion.title.clone(),
                levels,
                not_assessable_allowed: criterion.not_assessable_allowed,
                na_checked: chosen.as_deref() == Some("na"),
            }
        })
        .collect()
}

/// A result in words: its outcome and overall grade.
fn result_text(language: Language, result: &CandidateResult) -> String {
    let outcome = i18n::translate(language, pages::outcome_of_key(result.outcome));
    let grade = result
        .overall
        .as_ref()
        .map(|overall| grille_scoring::decimal::display_grade(overall.value))
        .unwrap_or_else(|| "—".to_owned());
    i18n::format(
        &i18n::translate(language, "board.candidate.result_short"),
        &[("outcome", outcome), ("grade", grade)],
    )
}

/// What the correction form shows again after a refused post or a
/// preview.
#[derive(Debug, Default)]
struct CorrectionPosted {
    position: String,
    reason: String,
    answers: BTreeMap<String, String>,
    errors: Vec<String>,
    preview: Option<PreviewView>,
}

/// One line of a correction's preview: a grade or the decision, before and
/// after.
#[derive(Debug, Serialize)]
struct PreviewRow {
    /// `overall`, `decision`, `part` or `position` (the page indents by it).
    level: &'static str,
    label: String,
    before: String,
    after: String,
    changed: bool,
}

/// What a correction would change, shown before it is saved.
#[derive(Debug, Serialize)]
struct PreviewView {
    rows: Vec<PreviewRow>,
    decision_changes: bool,
    needs_second_approval: bool,
}

/// A proposed correction on the candidate's page.
#[derive(Debug, Serialize)]
struct ProposalRow {
    id: i64,
    position: String,
    reason: String,
    before: String,
    after: String,
    proposed_by: String,
    proposed_at: String,
    decision_key: Option<&'static str>,
    decision_note: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
    can_decide: bool,
    can_withdraw: bool,
}

fn grade_or_dash(grade: Option<rust_decimal::Decimal>) -> String {
    grade.map(grille_scoring::decimal::display_grade).unwrap_or_else(|| "—".to_owned())
}

/// The lines of a preview: the decision and overall grade first, then each
/// part and its positions, with the titles in the reader's language.
fn preview_view(
    language: Language,
    exam: Option<&embedded::ExamDocuments>,
    preview: &CorrectionPreview,
) -> PreviewView {
    let (before, after) = (&preview.before.explanation, &preview.after.explanation);
    let code = language.code();
    let part_title = |id: &str, fallback: &str| {
        exam.and_then(|exam| exam.blueprint.parts.iter().find(|part| part.id == id))
            .map(|part| part.title.get(code).to_owned())
            .unwrap_or_else(|| fallback.to_owned())
    };
    let position_title = |id: &str, fallback: &str| {
        exam.and_then(|exam| {
            exam.blueprint
                .parts
                .iter()
                .flat_map(|part| part.positions.iter())
                .find(|position| position.id == id)
        })
        .map(|position| position.title.get(code).to_owned())
        .unwrap_or_else(|| fallback.to_owned())
    };
    let outcome = |result: &CandidateResult| i18n::translate(language, pages::outcome_of_key(result.outcome));
    let overall =
        |result: &CandidateResult| grade_or_dash(result.overall.as_ref().map(|overall| overall.value));
    let mut rows = vec![
        PreviewRow {
            level: "decision",
            label: i18n::translate(language, "board.correction.preview.decision"),
            before: outcome(before),
            after: outcome(after),
            changed: before.outcome != after.outcome,
        },
        PreviewRow {
            level: "overall",
            label: i18n::translate(language, "board.correction.preview.overall"),
            before: overall(before),
            after: overall(after),
            changed: overall(before) != overall(after),
        },
    ];
    for part in &after.parts {
        let old = before.parts.iter().find(|old| old.part == part.part);
        let (was, now) = (grade_or_dash(old.and_then(|old| old.grade)), grade_or_dash(part.grade));
        rows.push(PreviewRow {
            level: "part",
            label: format!("{} {}", part.part, part_title(&part.part, &part.title)),
            changed: was != now,
            before: was,
            after: now,
        });
        for position in &part.positions {
            let old = old.and_then(|old| old.positions.iter().find(|old| old.position == position.position));
            let (was, now) = (grade_or_dash(old.and_then(|old| old.grade)), grade_or_dash(position.grade));
            rows.push(PreviewRow {
                level: "position",
                label: format!(
                    "{} {}",
                    position.position,
                    position_title(&position.position, &position.title)
                ),
                changed: was != now,
                before: was,
                after: now,
            });
        }
    }
    PreviewView {
        rows,
        decision_changes: preview.decision_changes,
        needs_second_approval: preview.needs_second_approval,
    }
}

fn proposal_row(language: Language, proposal: &ProposalView) -> ProposalRow {
    ProposalRow {
        id: proposal.id,
        position: proposal.position.clone(),
        reason: proposal.reason.clone(),
        before: result_text(language, &proposal.before),
        after: result_text(language, &proposal.after),
        proposed_by: proposal.proposed_by.clone(),
        proposed_at: when(&proposal.proposed_at),
        decision_key: proposal.decision.as_deref().map(|decision| match decision {
            "approved" => "board.proposal.decision.approved",
            "rejected" => "board.proposal.decision.rejected",
            _ => "board.proposal.decision.withdrawn",
        }),
        decision_note: proposal.decision_note.clone().filter(|note| !note.is_empty()),
        decided_by: proposal.decided_by.clone(),
        decided_at: proposal.decided_at.as_deref().map(when),
        can_decide: proposal.can_decide,
        can_withdraw: proposal.can_withdraw,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    position: Option<String>,
    #[serde(default)]
    corrected: Option<String>,
    /// What happened to a proposal: `proposed`, `approved`, `rejected`,
    /// `withdrawn`.
    #[serde(default)]
    proposal: Option<String>,
}

/// A level of a criterion in the correction form.
#[derive(Debug, Serialize)]
struct LevelRow {
    points: String,
    descriptor: grille_competence::LocalizedText,
    checked: bool,
    input_id: String,
}

/// A criterion of the correction form.
#[derive(Debug, Serialize)]
struct CriterionRow {
    id: String,
    title: grille_competence::LocalizedText,
    levels: Vec<LevelRow>,
    not_assessable_allowed: bool,
    na_checked: bool,
}

/// A position the board may correct.
#[derive(Debug, Serialize)]
struct PositionChoice {
    id: String,
    title: String,
    grade: Option<String>,
}

/// The correction form.
#[derive(Debug, Serialize)]
struct CorrectionForm {
    positions: Vec<PositionChoice>,
    position: String,
    version: i64,
    criteria: Vec<CriterionRow>,
    source: String,
    reason: String,
    errors: Vec<String>,
    preview: Option<PreviewView>,
    /// The levels the preview was computed for (see [`fingerprint`]).
    previewed: String,
}

/// A correction already made.
#[derive(Debug, Serialize)]
struct CorrectionRow {
    at: String,
    by: String,
    approved_by: Option<String>,
    position: String,
    reason: String,
    before: String,
    after: String,
}

/// The result line.
#[derive(Debug, Serialize)]
struct ResultLine {
    outcome_key: &'static str,
    grade: Option<String>,
    version: i64,
}

#[derive(Debug, Serialize)]
struct CandidatePage {
    account: AccountLayout,
    session: SessionHeader,
    number: String,
    status_key: &'static str,
    result: Option<ResultLine>,
    corrections: Vec<CorrectionRow>,
    original: String,
    /// Proposed corrections waiting for a second board member.
    open_proposals: Vec<ProposalRow>,
    /// Proposals approved, rejected or withdrawn.
    decided_proposals: Vec<ProposalRow>,
    correction: Option<CorrectionForm>,
    correction_unavailable: Option<&'static str>,
    audit: Vec<AuditRow>,
    notice: Option<Notice>,
}

/// The correction form of a final result, prefilled from the official
/// evaluation of the chosen position (or as posted).
fn correction_form(
    board: &BoardAccount,
    exam: &embedded::ExamDocuments,
    explanation: &CandidateResult,
    version: i64,
    posted: CorrectionPosted,
) -> CorrectionForm {
    let language = board.language.language;
    let scored_positions = || explanation.parts.iter().flat_map(|part| part.positions.iter());
    let positions = exam
        .blueprint
        .parts
        .iter()
        .flat_map(|part| part.positions.iter())
        .map(|position| PositionChoice {
            id: position.id.clone(),
            title: position.title.get(language.code()).to_owned(),
            grade: scored_positions()
                .find(|scored| scored.position == position.id)
                .and_then(|scored| scored.grade)
                .map(grille_scoring::decimal::display_grade),
        })
        .collect();
    let criteria = correction_criteria(exam, explanation, &posted.position, &posted.answers);
    let source = scored_positions()
        .find(|scored| scored.position == posted.position)
        .map(|scored| {
            if scored.agreed.is_some() {
                board.tr("board.correction.source.agreed")
            } else {
                scored.evaluations.first().and_then(|e| e.examiner.clone()).unwrap_or_default()
            }
        })
        .unwrap_or_default();
    CorrectionForm {
        positions,
        previewed: fingerprint(&posted.position, &posted.answers),
        position: posted.position,
        version,
        criteria,
        source,
        reason: posted.reason,
        errors: posted.errors,
        preview: posted.preview,
    }
}

/// The position and levels of a correction as one text: a save or a
/// proposal whose levels differ from those previewed shows the preview
/// again instead, so that nobody saves grades they have not seen.
fn fingerprint(position: &str, answers: &BTreeMap<String, String>) -> String {
    let levels: Vec<String> =
        answers.iter().map(|(criterion, points)| format!("{criterion}={points}")).collect();
    format!("{position}:{}", levels.join(";"))
}

async fn render_candidate(
    board: &BoardAccount,
    path: &CandidatePath,
    status: StatusCode,
    posted: CorrectionPosted,
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let language = board.language.language;
    let id = path.id;
    let session = board.session(id).await?;
    let file: CandidateFile =
        board.get(&format!("/api/sessions/{id}/candidates/{}/file", path.number)).await?;
    let corrections: Vec<CorrectionRow> = file
        .corrections
        .iter()
        .map(|correction| CorrectionRow {
            at: when(&correction.corrected_at),
            by: correction.corrected_by.clone(),
            approved_by: correction.approved_by.clone(),
            position: correction.position.clone(),
            reason: correction.reason.clone(),
            before: result_text(language, &correction.before),
            after: result_text(language, &correction.after),
        })
        .collect();
    let original =
        file.corrections.first().map(|first| result_text(language, &first.before)).unwrap_or_default();
    let final_result = matches!(file.state, SessionState::Finalised | SessionState::Published);
    let present = file.status == CandidateStatus::Present;
    let proposals: Vec<ProposalView> = if final_result {
        board.get(&format!("/api/sessions/{id}/corrections/proposals")).await?
    } else {
        Vec::new()
    };
    let (open_proposals, decided_proposals): (Vec<ProposalRow>, Vec<ProposalRow>) = proposals
        .iter()
        .filter(|proposal| proposal.number == path.number)
        .map(|proposal| proposal_row(language, proposal))
        .partition(|row| row.decision_key.is_none());
    let exam = board.pinned_exam(id);
    let correction = match (&exam, &file.result) {
        (Some(exam), Some(result)) if final_result && present => {
            Some(correction_form(board, exam, &result.explanation, result.version, posted))
        }
        _ => None,
    };
    let correction_unavailable = match (&correction, final_result) {
        (Some(_), _) => None,
        (None, false) => Some("board.correction.unavailable.not_final"),
        (None, true) => Some("board.correction.unavailable.absent"),
    };
    let view = CandidatePage {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        number: path.number.clone(),
        status_key: pages::status_key(file.status),
        result: file.result.as_ref().map(|result| ResultLine {
            outcome_key: pages::outcome_key(&result.outcome),
            grade: result.overall_grade.clone(),
            version: result.version,
        }),
        corrections,
        original,
        open_proposals,
        decided_proposals,
        correction,
        correction_unavailable,
        audit: candidate_audit(board, id, &path.number).await?,
        notice,
    };
    Ok(render(board, status, Page::Candidate, &view))
}

pub(crate) async fn candidate_page(
    board: BoardAccount,
    Path(path): Path<CandidatePath>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let posted =
        CorrectionPosted { position: query.position.unwrap_or_default(), ..CorrectionPosted::default() };
    let notice = match (query.corrected, query.proposal.as_deref()) {
        (Some(grade), _) => {
            Some(Notice::success(i18n::format(&board.tr("board.notice.corrected"), &[("grade", grade)])))
        }
        (None, Some(step @ ("proposed" | "approved" | "rejected" | "withdrawn"))) => {
            Some(Notice::success(board.tr(&format!("board.proposal.notice.{step}"))))
        }
        (None, _) => None,
    };
    render_candidate(&board, &path, StatusCode::OK, posted, notice).await
}

pub(crate) async fn correct(
    board: BoardAccount,
    Path(path): Path<CandidatePath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let position = field(&fields, "position").to_owned();
    let reason = field(&fields, "reason").to_owned();
    let answers: BTreeMap<String, String> = fields
        .iter()
        .filter_map(|(name, value)| name.strip_prefix("points-").map(|id| (id.to_owned(), value.clone())))
        .collect();
    let request = CorrectionRequest {
        position: position.clone(),
        reason: reason.clone(),
        evaluation: EvaluationInput {
            remark_language: None,
            answers: answers
                .iter()
                .map(|(criterion, value)| AnswerInput {
                    criterion: criterion.clone(),
                    points: (value != "na").then(|| json!(value)),
                    not_assessable: value == "na",
                    remark: None,
                })
                .collect(),
            remark: None,
        },
    };
    let uri = format!("/api/sessions/{}/candidates/{}/corrections", path.id, path.number);
    let (csrf, version) = (field(&fields, "csrf"), field(&fields, "version"));
    let audit = format!("/board/sessions/{}/candidates/{}/audit", path.id, encode(&path.number));
    // Without a step (or with `preview`), nothing is saved: the page shows
    // what the correction changes, with the buttons that save or propose it.
    // A save or a proposal of levels other than those previewed shows the
    // preview of the levels sent instead.
    let step = match field(&fields, "step") {
        step @ ("save" | "propose") if field(&fields, "previewed") == fingerprint(&position, &answers) => {
            step
        }
        _ => "preview",
    };
    let sent = match step {
        "save" => board
            .send::<ResultView>(Method::POST, &uri, csrf, Some(version), Some(&request))
            .await
            .map(|corrected| {
                let grade = corrected
                    .overall_grade
                    .as_deref()
                    .map(crate::grade_text)
                    .unwrap_or_else(|| "—".to_owned());
                see_other(&format!("{audit}?corrected={}", encode(&grade)))
            }),
        "propose" => board
            .send::<ProposalView>(
                Method::POST,
                &format!("{uri}/proposals"),
                csrf,
                Some(version),
                Some(&request),
            )
            .await
            .map(|_| see_other(&format!("{audit}?proposal=proposed#proposals-heading"))),
        _ => match board
            .send::<CorrectionPreview>(Method::POST, &format!("{uri}/preview"), csrf, None, Some(&request))
            .await
        {
            Ok(preview) => {
                let exam = board.pinned_exam(path.id);
                let preview = preview_view(board.language.language, exam.as_deref(), &preview);
                let posted = CorrectionPosted {
                    position,
                    reason,
                    answers,
                    errors: Vec::new(),
                    preview: Some(preview),
                };
                return render_candidate(&board, &path, StatusCode::OK, posted, None).await;
            }
            Err(refusal) => Err(refusal),
        },
    };
    match sent {
        Ok(response) => Ok(response),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = refusal_lines(&board, &reply);
            let notice =
                (reply.status != StatusCode::UNPROCESSABLE_ENTITY).then(|| Notice::error(errors.join(" ")));
            let posted = CorrectionPosted { position, reason, answers, errors, preview: None };
            render_candidate(&board, &path, reply.status, posted, notice).await
        }
    }
}

/// A proposal of a candidate's page in the path.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ProposalPath {
    id: i64,
    number: String,
    proposal: i64,
}

/// Approves, rejects or withdraws a proposed correction (the API decides
/// who may): back to the candidate's page with what happened.
pub(crate) async fn decide_proposal(
    board: BoardAccount,
    Path(path): Path<ProposalPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let step = match field(&fields, "decision") {
        "approve" => "approved",
        "reject" => "rejected",
        "withdraw" => "withdrawn",
        _ => return Err(board.not_found()),
    };
    let uri = format!(
        "/api/sessions/{}/corrections/proposals/{}/{}",
        path.id,
        path.proposal,
        field(&fields, "decision")
    );
    let csrf = field(&fields, "csrf");
    let candidate = CandidatePath { id: path.id, number: path.number.clone() };
    let sent = if step == "approved" {
        board.send::<ResultView>(Method::POST, &uri, csrf, None, None::<&()>).await.map(|_| ())
    } else {
        let note = ProposalNote { note: field(&fields, "note").to_owned() };
        board.send::<ProposalView>(Method::POST, &uri, csrf, None, Some(&note)).await.map(|_| ())
    };
    match sent {
        Ok(()) => Ok(see_other(&format!(
            "/board/sessions/{}/candidates/{}/audit?proposal={step}#proposals-heading",
            path.id,
            encode(&path.number)
        ))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let notice = Some(Notice::error(refusal_lines(&board, &reply).join(" ")));
            render_candidate(&board, &candidate, reply.status, CorrectionPosted::default(), notice).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_evaluation_change_is_told_criterion_by_criterion() {
        let answers =
            |value: Value| -> Vec<grille_scoring::Answer> { serde_json::from_value(value).unwrap() };
        let before = answers(json!([
            {"criterion": "c1", "points": "1"},
            {"criterion": "c2", "points": "2", "remark": "vu"},
            {"criterion": "c3", "points": "0", "remark": "absent"},
            {"criterion": "c4", "points": "3"},
        ]));
        let after = answers(json!([
            {"criterion": "c1", "points": "2"},
            {"criterion": "c2", "points": "2", "remark": "vu en entretien"},
            {"criterion": "c3", "not_assessable": true},
            {"criterion": "c4", "points": "3", "remark": "très clair"},
            {"criterion": "c5", "points": "1"},
        ]));
        let cases = [
            (
                Language::Fr,
                &before[..],
                &after[..],
                vec![
                    "c1 : 1 pt → 2 pt",
                    "c2 : remarque modifiée",
                    "c3 : 0 pt → Non évaluable",
                    "c3 : remarque supprimée",
                    "c4 : remarque ajoutée",
                    "c5 : — → 1 pt",
                ],
            ),
            (Language::De, &before[..1], &after[..1], vec!["c1: 1 P. → 2 P."]),
            (Language::Fr, &after[..], &after[..], vec![]),
        ];
        for (language, before, after, expected) in cases {
            assert_eq!(criterion_changes(language, before, after), expected);
        }
    }

    #[test]
    fn audit_values_read_as_words() {
        let fields = audit_fields(
            Language::Fr,
            &json!({"session_id": 1, "status": "absent", "outcome": "failed", "answers": [1, 2], "reason": "Recours"}),
        );
        let text: Vec<String> = fields.iter().map(|f| format!("{}={}", f.label, f.value)).collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text.iter().any(|t| t.ends_with("=absent·e (motif encore à décider)")), "{text:?}");
        assert!(text.iter().any(|t| t.ends_with("=échoué")), "{text:?}");
        assert_eq!(when("2026-05-04T09:12:33Z"), "04.05.2026 11:12");
        assert_eq!(when("2026-12-04T09:12:33Z"), "04.12.2026 10:12");
    }
}
