//! A session's own journal: the events of the session as a whole (created,
//! opened for scoring, examiners assigned, cases given, submission windows,
//! evaluations reopened, finalised, published, corrections and their
//! proposals, retention), filterable by kind and exportable as CSV for
//! the minutes. Times are Swiss local time, as everywhere in the pages.

use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use grille_report::board::Page;
use grille_report::i18n::{self, Language};
use grille_report::pages::AccountLayout;
use grille_server::AuditView;
use serde::Serialize;
use serde_json::Value;

use super::SessionHeader;
use super::candidate::{AuditRow, audit_row};
use super::render;
use crate::page::{BoardAccount, PageError};

/// The kinds of events the journal filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Created, opened for scoring, finalised, published, retention,
    /// submission windows.
    Workflow,
    /// Examiners assigned.
    Assignments,
    /// Cases given to candidates.
    Cases,
    /// Evaluations reopened by the board.
    Reopenings,
    /// Corrections of final results and their proposals.
    Corrections,
}

impl Kind {
    const ALL: [Kind; 5] =
        [Kind::Workflow, Kind::Assignments, Kind::Cases, Kind::Reopenings, Kind::Corrections];

    fn name(self) -> &'static str {
        match self {
            Kind::Workflow => "workflow",
            Kind::Assignments => "assignments",
            Kind::Cases => "cases",
            Kind::Reopenings => "reopenings",
            Kind::Corrections => "corrections",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == text)
    }

    /// The audit entity (and action, where one entity holds several kinds)
    /// of this kind.
    fn entities(self) -> &'static [&'static str] {
        match self {
            Kind::Workflow => &["exam_session", "submission_window"],
            Kind::Assignments => &["examiner_assignment"],
            Kind::Cases => &["session_case"],
            Kind::Reopenings => &["evaluation"],
            Kind::Corrections => &["result"],
        }
    }
}

/// Whether an audit entry belongs to session `id` and to `kind`.
fn belongs(entry: &AuditView, id: i64, kind: Kind) -> bool {
    let prefix = format!("{id}/");
    match kind {
        Kind::Workflow if entry.entity == "exam_session" => entry.entity_id == id.to_string(),
        Kind::Workflow => entry.entity_id.starts_with(&prefix),
        // Audit snapshots are the JSON of what was written: the session of
        // an assignment is one of its fields.
        Kind::Assignments => [&entry.after, &entry.before]
            .iter()
            .filter_map(|value| value.as_ref())
            .any(|value| value.get("session_id").and_then(Value::as_i64) == Some(id)),
        Kind::Cases | Kind::Corrections => entry.entity_id.starts_with(&prefix),
        Kind::Reopenings => entry.action == "evaluation.reopen" && entry.entity_id.starts_with(&prefix),
    }
}

/// `?kind=...&format=csv`.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct EventsQuery {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// A choice of the filter.
#[derive(Debug, Serialize)]
struct KindChoice {
    value: &'static str,
    key: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct EventsView {
    account: AccountLayout,
    session: SessionHeader,
    kinds: Vec<KindChoice>,
    kind: Option<&'static str>,
    events: Vec<AuditRow>,
}

/// `GET /board/sessions/{id}/events`: the session's journal, newest first.
pub(crate) async fn events(
    board: BoardAccount,
    Path(id): Path<i64>,
    Query(query): Query<EventsQuery>,
) -> Result<Response, PageError> {
    let session = board.session(id).await?;
    let chosen = query.kind.as_deref().filter(|kind| !kind.is_empty() && *kind != "all");
    let kind = match chosen {
        Some(text) => Some(Kind::parse(text).ok_or_else(|| board.not_found())?),
        None => None,
    };
    let kinds: Vec<Kind> = kind.map_or_else(|| Kind::ALL.to_vec(), |kind| vec![kind]);
    let mut entries: Vec<AuditView> = Vec::new();
    for kind in &kinds {
        for entity in kind.entities() {
            let listed: Vec<AuditView> = board.get(&format!("/api/audit?entity={entity}&limit=1000")).await?;
            entries.extend(listed.into_iter().filter(|entry| belongs(entry, id, *kind)));
        }
    }
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.id));
    entries.dedup_by_key(|entry| entry.id);
    let language = board.language.language;
    let events: Vec<AuditRow> = entries.iter().map(|entry| audit_row(language, entry)).collect();
    if query.format.as_deref() == Some("csv") {
        return Ok(csv(language, id, &events));
    }
    let view = EventsView {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        kinds: Kind::ALL
            .iter()
            .map(|choice| KindChoice {
                value: choice.name(),
                key: format!("board.events.kind.{}", choice.name()),
                selected: Some(*choice) == kind,
            })
            .collect(),
        kind: kind.map(Kind::name),
        events,
    };
    Ok(render(&board, StatusCode::OK, Page::Events, &view))
}

/// The journal as CSV for Excel: `;`, UTF-8 with a BOM, headers in the
/// reader's language.
fn csv(language: Language, id: i64, events: &[AuditRow]) -> Response {
    let words = |fields: &[super::candidate::AuditField]| {
        fields
            .iter()
            .map(|field| {
                if field.label.is_empty() {
                    field.value.clone()
                } else {
                    format!("{}: {}", field.label, field.value)
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let header: Vec<String> = ["when", "who", "what", "detail", "changes", "before", "after"]
        .iter()
        .map(|column| i18n::translate(language, &format!("board.events.csv.{column}")))
        .collect();
    let mut rows = vec![header];
    for event in events {
        rows.push(vec![
            event.at.clone(),
            event.actor.clone(),
            i18n::translate(language, &event.action_key),
            event.detail.clone().unwrap_or_default(),
            event.changes.join(" · "),
            words(&event.before),
            words(&event.after),
        ]);
    }
    for row in &rows {
        // Writing into memory does not fail.
        let _ = writer.write_record(row);
    }
    let mut text = String::from("\u{feff}");
    text.push_str(&String::from_utf8_lossy(&writer.into_inner().unwrap_or_default()));
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"journal-session-{id}.csv\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
