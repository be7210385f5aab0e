//! A candidate's own self-assessment, kept on the server so that a sitting
//! can continue on another device: `GET /api/me/self-assessment` and
//! `PUT /api/me/self-assessment` (If-Match: the version read; a stale
//! write is 409, never a silent overwrite).
//!
//! Only accounts of the role `candidate` have one, and only their own:
//! there is no user id in the path, the account is the logged-in one.
//! Ratings are checked against the server's catalogue: an unknown
//! criterion or a level other than 1 to 4 is a 422 whose pointer names
//! the rating (`/ratings/A1.p1`), and nothing is saved.

use std::collections::BTreeMap;

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::extract::State;
use grille_store::{Actor, Role, SelfAssessment};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use grille_scoring::{Message, MessageCode};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, IfMatch};
use crate::reply::Tagged;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "auto-évaluation";
    ApiRouter::new().api_route(
        "/api/me/self-assessment",
        get_with(mine, |op| {
            op.tag(tag).summary("Mon auto-évaluation enregistrée (candidat·e) ; version 0 s'il n'y en a pas")
        })
        .put_with(save, |op| {
            op.tag(tag).summary(
                "Enregistrer mon auto-évaluation (remplace toutes les réponses) ; If-Match : la version lue \
                 (0 ou absent pour la première), 409 si elle a changé entre-temps",
            )
        }),
    )
}

/// A self-assessment as the API shows it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SelfAssessmentView {
    /// The id of the catalogue (qualification profile) rated.
    pub catalogue: String,
    /// Level 1 (pas encore) to 4 (entièrement) by criterion id; criteria
    /// not rated are absent.
    pub ratings: BTreeMap<String, u8>,
    /// The number of rated criteria.
    pub rated: usize,
    /// The number of criteria in the catalogue.
    pub total: usize,
    /// The version (also the `ETag`); 0 when nothing was saved yet.
    pub version: i64,
    /// When it was last saved (RFC 3339), if ever.
    pub updated_at: Option<String>,
}

/// The ratings to save: every rating of the self-assessment, replacing
/// the stored ones.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SelfAssessmentInput {
    /// Level 1 to 4 by criterion id (`A1.p1`); leave a criterion out for
    /// "not rated".
    pub ratings: BTreeMap<String, serde_json::Value>,
}

/// The logged-in candidate, or 403 for the other roles (401 without login).
fn candidate(current: &CurrentUser) -> Result<i64, ApiError> {
    if current.user.role == Role::Candidate {
        Ok(current.user.id)
    } else {
        Err(ApiError::DeniedSaid(Message::new(MessageCode::SelfAssessmentCandidateOnly)))
    }
}

fn view(state: &AppState, stored: Option<SelfAssessment>) -> Tagged<SelfAssessmentView> {
    let catalogue = state.catalogue().profile().id.clone();
    let total = state.catalogue().criteria().count();
    let (ratings, version, updated_at) = match stored {
        Some(stored) => (stored.ratings, stored.version, Some(stored.updated_at)),
        None => (BTreeMap::new(), 0, None),
    };
    Tagged {
        version,
        body: SelfAssessmentView { catalogue, rated: ratings.len(), ratings, total, version, updated_at },
    }
}

async fn mine(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Tagged<SelfAssessmentView>, ApiError> {
    let user_id = candidate(&current)?;
    let catalogue = state.catalogue().profile().id.clone();
    let stored = state.db(move |store| store.self_assessment(user_id, &catalogue)).await?;
    Ok(view(&state, stored))
}

/// The ratings checked against the catalogue, or every problem at once.
fn check(
    catalogue: &grille_competence::Catalogue,
    input: &SelfAssessmentInput,
) -> Result<BTreeMap<String, u8>, Vec<FieldError>> {
    let mut ratings = BTreeMap::new();
    let mut errors = Vec::new();
    for (criterion, value) in &input.ratings {
        let pointer = format!("/ratings/{}", criterion.replace('~', "~0").replace('/', "~1"));
        if catalogue.criterion(criterion).is_none() {
            errors.push(FieldError::said_at(
                pointer,
                Message::new(MessageCode::SelfAssessmentCriterionUnknown).with("criterion", criterion),
            ));
            continue;
        }
        match value
            .as_u64()
            .filter(|level| (1..=4).contains(level))
            .and_then(|level| u8::try_from(level).ok())
        {
            Some(level) => {
                ratings.insert(criterion.clone(), level);
            }
            None => errors.push(FieldError::said_at(pointer, Message::new(MessageCode::SelfAssessmentLevel))),
        }
    }
    if errors.is_empty() { Ok(ratings) } else { Err(errors) }
}

async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    IfMatch(expected): IfMatch,
    ApiJson(input): ApiJson<SelfAssessmentInput>,
) -> Result<Tagged<SelfAssessmentView>, ApiError> {
    let user_id = candidate(&current)?;
    let ratings = check(state.catalogue(), &input).map_err(ApiError::Invalid)?;
    let catalogue = state.catalogue().profile().id.clone();
    let actor = Actor::user(&current.user);
    let saved = state
        .db(move |store| store.save_self_assessment(&actor, user_id, &catalogue, &ratings, expected))
        .await?;
    Ok(view(&state, Some(saved)))
}
