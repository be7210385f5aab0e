//! Reminders to the examiners while the scoring runs: per examiner, the
//! evaluations not submitted (not started or a draft) and the
//! discrepancies to settle with the partner. The board reads them
//! (`GET …/reminders`, the progress page shows each as a message to copy)
//! and, where an SMTP relay is configured ([`crate::mail`]), sends them by
//! e-mail (`POST …/reminders/send`) to the examiners whose account has an
//! address. grille-workflow decides who may (`Action::ViewProgress` to
//! read, `Action::SendReminders` to send: the board, a school's trainers
//! on its mock exam, during the scoring); each send is audited with the
//! usernames reached and not reached, never the addresses.

use std::collections::BTreeMap;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_report::i18n::Language;
use grille_report::reminders::{self, Owed};
use grille_scoring::{DiscrepancyStatus, Message, MessageCode};
use grille_store::Actor;
use grille_workflow::Action;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_evaluations::{Progress, compute_progress};
use crate::api_results::SessionPath;
use crate::auth::Staff;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "évaluations";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/reminders",
            get_with(read_reminders, |op| {
                op.tag(tag)
                    .summary("Ce que chaque expert·e doit encore faire (commission, pendant l'évaluation)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/reminders/send",
            post_with(send_reminders, |op| {
                op.tag(tag).summary(
                    "Envoyer les rappels par courriel (serveur SMTP configuré ; expert·e·s avec une adresse)",
                )
            }),
        )
}

/// What an examiner still owes on one candidate's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OwedKind {
    /// The evaluation is not started.
    Missing,
    /// A draft is saved, not submitted.
    Draft,
    /// Both submitted and their grades differ: a joint evaluation to agree.
    Discrepancy,
}

impl OwedKind {
    /// The report crate's words for it.
    pub fn owed(self) -> Owed {
        match self {
            OwedKind::Missing => Owed::Missing,
            OwedKind::Draft => Owed::Draft,
            OwedKind::Discrepancy => Owed::Discrepancy,
        }
    }
}

/// One thing an examiner still owes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct OwedItem {
    /// The candidate number.
    pub number: String,
    /// The position.
    pub position: String,
    /// What is owed.
    pub kind: OwedKind,
    /// The other examiners of the position.
    pub partners: Vec<String>,
}

/// What one examiner still owes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ExaminerReminder {
    /// The examiner's username.
    pub examiner: String,
    /// Whether their account has an e-mail address.
    pub has_email: bool,
    /// What they owe, in candidate order.
    pub items: Vec<OwedItem>,
}

/// The reminders of a session.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Reminders {
    /// The session id.
    pub session_id: i64,
    /// The session's name (the messages name it).
    pub session_name: String,
    /// Whether an SMTP relay is configured: the reminders can be e-mailed.
    pub mail: bool,
    /// Per examiner who owes something, by username.
    pub examiners: Vec<ExaminerReminder>,
}

/// Which reminders to send, and in which language.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendReminders {
    /// The examiners to remind, by username; empty: every examiner who owes
    /// something.
    #[serde(default)]
    pub examiners: Vec<String>,
    /// The language of the message (`fr` by default).
    #[serde(default)]
    pub language: Option<String>,
}

/// What was sent.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RemindersSent {
    /// The examiners an e-mail went to.
    pub sent: Vec<String>,
    /// The examiners whose account has no e-mail address.
    pub without_address: Vec<String>,
    /// The examiners the relay did not take, with its answer.
    pub failed: Vec<SendFailure>,
}

/// A reminder the relay did not take.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SendFailure {
    /// The examiner's username.
    pub examiner: String,
    /// What the relay (or the connection) answered.
    pub reason: String,
}

/// Per examiner who owes something, what they owe: from the session's
/// progress, in candidate order.
fn owed_by_examiner(progress: &Progress) -> BTreeMap<String, Vec<OwedItem>> {
    let mut owed: BTreeMap<String, Vec<OwedItem>> = BTreeMap::new();
    for candidate in &progress.candidates {
        for position in &candidate.positions {
            for examiner in &position.assigned {
                let kind = if position.drafts.contains(examiner) {
                    OwedKind::Draft
                } else if !position.submitted.contains(examiner) {
                    OwedKind::Missing
                } else if position.discrepancy == DiscrepancyStatus::Open {
                    OwedKind::Discrepancy
                } else {
                    continue;
                };
                owed.entry(examiner.clone()).or_default().push(OwedItem {
                    number: candidate.number.clone(),
                    position: position.position.clone(),
                    kind,
                    partners: position.assigned.iter().filter(|name| *name != examiner).cloned().collect(),
                });
            }
        }
    }
    owed
}

/// The reminders of a session, with the addresses of the accounts (read
/// once: the send needs them too).
async fn reminders_of(
    state: &AppState,
    staff: &Staff,
    id: i64,
    action: Action,
) -> Result<(Reminders, BTreeMap<String, String>), ApiError> {
    let (data, exam) = scope::load_for(state, &staff.current.user, id, action).await?;
    let scored = compute_progress(state.catalogue(), &data, &exam)?;
    let emails = state.db(|store| store.user_emails()).await?;
    let examiners = owed_by_examiner(&scored.0)
        .into_iter()
        .map(|(examiner, items)| ExaminerReminder {
            has_email: emails.contains_key(&examiner),
            examiner,
            items,
        })
        .collect();
    let reminders = Reminders {
        session_id: id,
        session_name: data.session.name.clone(),
        mail: state.config().mail.is_some(),
        examiners,
    };
    Ok((reminders, emails))
}

async fn read_reminders(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Reminders>, ApiError> {
    reminders_of(&state, &staff, path.id, Action::ViewProgress).await.map(|(reminders, _)| Json(reminders))
}

/// The message of one examiner's reminder, in `language`: the same words
/// as the progress page shows to copy.
pub fn reminder_text(language: Language, session_name: &str, reminder: &ExaminerReminder) -> String {
    reminders::message(language, &reminder.examiner, session_name, &reminder_lines(language, reminder))
}

/// Each line of one examiner's reminder, in `language`.
pub fn reminder_lines(language: Language, reminder: &ExaminerReminder) -> Vec<String> {
    reminder
        .items
        .iter()
        .map(|item| reminders::item(language, item.kind.owed(), &item.number, &item.position, &item.partners))
        .collect()
}

async fn send_reminders(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<SendReminders>,
) -> Result<Json<RemindersSent>, ApiError> {
    let language = crate::mail::mail_language(request.language.as_deref())?;
    let (reminders, emails) = reminders_of(&state, &staff, path.id, Action::SendReminders).await?;
    let Some(mail) = state.config().mail.clone() else {
        return Err(ApiError::ConflictSaid(Message::new(MessageCode::ReminderNoSmtp)));
    };
    let unknown: Vec<FieldError> = request
        .examiners
        .iter()
        .enumerate()
        .filter(|(_, name)| !reminders.examiners.iter().any(|reminder| &reminder.examiner == *name))
        .map(|(index, name)| {
            FieldError::said_at(
                format!("/examiners/{index}"),
                Message::new(MessageCode::ReminderNothingPending).with("name", name.as_str()),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Invalid(unknown));
    }
    let subject = reminders::subject(language, &reminders.session_name);
    let mut outcome = RemindersSent { sent: Vec::new(), without_address: Vec::new(), failed: Vec::new() };
    let chosen = reminders
        .examiners
        .iter()
        .filter(|reminder| request.examiners.is_empty() || request.examiners.contains(&reminder.examiner));
    for reminder in chosen {
        let Some(address) = emails.get(&reminder.examiner) else {
            outcome.without_address.push(reminder.examiner.clone());
            continue;
        };
        let text = reminder_text(language, &reminders.session_name, reminder);
        match mail.send(address, &subject, text).await {
            Ok(()) => outcome.sent.push(reminder.examiner.clone()),
            Err(reason) => outcome.failed.push(SendFailure { examiner: reminder.examiner.clone(), reason }),
        }
    }
    let actor = Actor::user(&staff.current.user);
    let sent = outcome.sent.clone();
    let not_sent: Vec<String> = outcome
        .without_address
        .iter()
        .cloned()
        .chain(outcome.failed.iter().map(|failure| failure.examiner.clone()))
        .collect();
    let id = path.id;
    state.db(move |store| store.record_reminders(&actor, id, &sent, &not_sent)).await?;
    Ok(Json(outcome))
}
