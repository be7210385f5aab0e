//! Training schools, managed by the board: they own mock exam sessions
//! (examens blancs), their trainers and their cohorts' candidate numbers.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, School};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Board;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::reply::Created;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "écoles";
    ApiRouter::new()
        .api_route(
            "/api/schools",
            post_with(create, |op| op.tag(tag).summary("Créer une école de formation (commission)"))
                .get_with(list, |op| op.tag(tag).summary("Lister les écoles de formation (commission)")),
        )
        .api_route(
            "/api/schools/{id}",
            get_with(one, |op| op.tag(tag).summary("Une école, ses formateur·trice·s et ses examens blancs"))
                .put_with(rename, |op| op.tag(tag).summary("Renommer une école (commission)"))
                .delete_with(delete, |op| {
                    op.tag(tag)
                        .summary("Supprimer une école sans utilisateur, session ni candidat·e (commission)")
                }),
        )
}

/// A school id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SchoolPath {
    /// The school id.
    id: i64,
}

/// A school to create or rename.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SchoolRequest {
    /// Name, 1 to 200 characters, unique.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    name: String,
}

/// A training school.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SchoolView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

impl From<School> for SchoolView {
    fn from(school: School) -> Self {
        SchoolView { id: school.id, name: school.name, created_at: school.created_at }
    }
}

/// A school with its trainers and mock sessions (their description only:
/// the board does not see a mock exam's cohort, marks or results).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct SchoolDetail {
    /// The school.
    school: SchoolView,
    /// Usernames of its trainers.
    trainers: Vec<String>,
    /// Its mock sessions: id, name, workflow state.
    mock_sessions: Vec<serde_json::Value>,
}

fn checked_name(request: &SchoolRequest) -> Result<String, ApiError> {
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/name",
            Message::new(MessageCode::SchoolNameLength),
        )]));
    }
    Ok(name)
}

async fn create(
    State(state): State<AppState>,
    board: Board,
    ApiJson(request): ApiJson<SchoolRequest>,
) -> Result<Created<SchoolView>, ApiError> {
    let name = checked_name(&request)?;
    let actor = Actor::user(&board.current.user);
    let school = state.db(move |store| store.create_school(&actor, &name)).await?;
    Ok(Created(SchoolView::from(school)))
}

async fn list(State(state): State<AppState>, _board: Board) -> Result<Json<Vec<SchoolView>>, ApiError> {
    let schools = state.db(|store| store.schools()).await?;
    Ok(Json(schools.into_iter().map(SchoolView::from).collect()))
}

async fn one(
    State(state): State<AppState>,
    _board: Board,
    ApiPath(path): ApiPath<SchoolPath>,
) -> Result<Json<SchoolDetail>, ApiError> {
    let (school, users, sessions) = state
        .db(move |store| {
            Ok((store.school(path.id)?, store.school_users(path.id)?, store.school_sessions(path.id)?))
        })
        .await?;
    let school = school.ok_or(ApiError::NotFound("École"))?;
    Ok(Json(SchoolDetail {
        school: SchoolView::from(school),
        trainers: users
            .into_iter()
            .filter(|user| user.role == grille_store::Role::Trainer)
            .map(|user| user.username)
            .collect(),
        mock_sessions: sessions
            .into_iter()
            .map(|session| {
                serde_json::json!({ "id": session.id, "name": session.name, "state": session.workflow_state })
            })
            .collect(),
    }))
}

async fn rename(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SchoolPath>,
    ApiJson(request): ApiJson<SchoolRequest>,
) -> Result<Json<SchoolView>, ApiError> {
    let name = checked_name(&request)?;
    let actor = Actor::user(&board.current.user);
    let school = state.db(move |store| store.rename_school(&actor, path.id, &name)).await?;
    Ok(Json(SchoolView::from(school)))
}

/// The school was deleted.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Deleted {
    /// The id it had.
    id: i64,
    /// Always `true`.
    deleted: bool,
}

async fn delete(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SchoolPath>,
) -> Result<Json<Deleted>, ApiError> {
    let actor = Actor::user(&board.current.user);
    state.db(move |store| store.delete_school(&actor, path.id)).await?;
    Ok(Json(Deleted { id: path.id, deleted: true }))
}
