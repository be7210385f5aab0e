//! Health, the catalogue, and the OpenAPI document.

use std::sync::LazyLock;

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use grille_competence::{CatalogueFile, Competence};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::reply::{Precomputed, PrecomputedAnswer};

pub(crate) fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route("/health", get_with(health, |op| op.tag("système").summary("État du service")))
        .api_route(
            "/openapi.json",
            get_with(openapi, |op| op.tag("système").summary("Ce document OpenAPI 3.1")),
        )
        .api_route(
            "/api/catalogue",
            get_with(catalogue, |op| op.tag("catalogue").summary("Le catalogue de compétences complet")),
        )
        .api_route(
            "/api/catalogue/competences/{id}",
            get_with(competence, |op| {
                op.tag("catalogue").summary("Une compétence opérationnelle (p. ex. A7)")
            }),
        )
}

/// The service is up.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    status: &'static str,
    /// The program version.
    version: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

/// The OpenAPI document, generated and serialised once per process (it
/// depends only on the program).
static OPENAPI: LazyLock<Precomputed<serde_json::Value>> =
    LazyLock::new(|| Precomputed::new(&crate::openapi()));

/// The OpenAPI document, as JSON.
async fn openapi(headers: HeaderMap) -> PrecomputedAnswer<serde_json::Value> {
    OPENAPI.answer(&headers)
}

/// The catalogue never changes while the program runs: the same bytes for
/// every request, `304` when the client has them.
async fn catalogue(State(state): State<AppState>, headers: HeaderMap) -> PrecomputedAnswer<CatalogueFile> {
    state.catalogue_answer().answer(&headers)
}

/// A competence id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct CompetencePath {
    /// The competence id, e.g. `A7` (case-insensitive).
    id: String,
}

async fn competence(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<CompetencePath>,
) -> Result<Json<Competence>, ApiError> {
    state.catalogue().competence(&path.id).cloned().map(Json).ok_or(ApiError::NotFound("Compétence"))
}
