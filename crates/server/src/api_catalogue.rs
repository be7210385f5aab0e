//! Health, the catalogue and its exports (Moodle, CASE), and the OpenAPI
//! document.

use std::sync::{LazyLock, OnceLock};

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use aide::generate::GenContext;
use aide::openapi::{MediaType, Operation, Response as ApiResponse, StatusCode as ApiStatus};
use aide::operation::OperationOutput;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grille_competence::export::{self, ExportLabels};
use grille_competence::{Catalogue, CatalogueFile, Category, Competence};
use grille_report::i18n::{self, Language};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
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
            "/api/catalogue/export/moodle.csv",
            get_with(moodle, |op| {
                op.tag("catalogue").summary("Le catalogue comme référentiel de compétences Moodle (CSV)").description(
                    "Les colonnes de l'import de référentiel de Moodle (admin/tool/lpimportcsv), dans son ordre : \
                     une ligne de référentiel (échelle, taxonomie domaine → compétence → indicateur), puis les \
                     domaines, les compétences (parent : le domaine) et les critères (parent : la compétence), \
                     identifiés par leur code ; la catégorie d'un critère est une note de sa description. \
                     Public et immuable ; `lang` choisit la langue des textes (le français là où le catalogue \
                     n'a pas de traduction).",
                )
            }),
        )
        .api_route(
            "/api/catalogue/export/case.json",
            get_with(case, |op| {
                op.tag("catalogue").summary("Le catalogue comme paquet 1EdTech CASE 1.1 (CFPackage)").description(
                    "CFDocument (le profil), CFItems des types domaine, compétence (situation de travail) et \
                     critère (définis dans CFDefinitions), associations isChildOf. Identifiants : UUID v5 \
                     dérivés du profil, de la langue et du code, les mêmes à chaque export. Public et immuable ; \
                     `lang` choisit la langue des textes.",
                )
            }),
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

/// The language of an export's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportLanguage {
    /// French, the catalogue's own text.
    #[default]
    Fr,
    /// German where the catalogue has a translation, else French.
    De,
    /// Italian where the catalogue has a translation, else French.
    It,
}

impl ExportLanguage {
    fn index(self) -> usize {
        match self {
            ExportLanguage::Fr => 0,
            ExportLanguage::De => 1,
            ExportLanguage::It => 2,
        }
    }

    fn interface(self) -> Language {
        match self {
            ExportLanguage::Fr => Language::Fr,
            ExportLanguage::De => Language::De,
            ExportLanguage::It => Language::It,
        }
    }

    /// The language code.
    pub fn code(self) -> &'static str {
        self.interface().code()
    }
}

/// A format the catalogue is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Moodle's competency-framework CSV.
    Moodle,
    /// A 1EdTech CASE 1.1 package (JSON).
    Case,
}

/// The words of an export that are not catalogue texts, in `language`,
/// from the translation catalogue.
pub fn export_labels(language: ExportLanguage) -> ExportLabels {
    let interface = language.interface();
    let tr = |key: &str| i18n::translate(interface, key);
    let kind = |name: &str| {
        (
            tr(&format!("catalogue.export.type.{name}")),
            tr(&format!("catalogue.export.type.{name}.description")),
        )
    };
    ExportLabels {
        language: language.code().to_owned(),
        domain: kind("domain"),
        competence: kind("competence"),
        criterion: kind("criterion"),
        categories: Category::ALL.map(|category| tr(&format!("category.{}", category.key()))),
        category_note: tr("catalogue.export.category_note"),
        version_note: tr("catalogue.export.version_note"),
        scale: ["level.not_yet", "level.partly", "level.largely", "level.fully"].map(tr).to_vec(),
        // "largement" and "entièrement" count as proficient.
        proficient_from: 3,
    }
}

/// The export of `catalogue` in `format` and `language`: its text, its
/// media type and the file name offered. The command line and the API
/// give the same bytes.
pub fn catalogue_export(
    catalogue: &Catalogue,
    format: ExportFormat,
    language: ExportLanguage,
) -> (String, &'static str, String) {
    let labels = export_labels(language);
    let profile = &catalogue.profile().id;
    let code = language.code();
    match format {
        ExportFormat::Moodle => (
            export::moodle_csv(catalogue, &labels),
            "text/csv; charset=utf-8",
            format!("{profile}-moodle-{code}.csv"),
        ),
        ExportFormat::Case => (
            export::case_package_json(catalogue, &labels),
            "application/json",
            format!("{profile}-case-{code}.json"),
        ),
    }
}

/// An export, computed once: its bytes, their strong `ETag`, its media
/// type and file name.
#[derive(Debug)]
struct ExportFile {
    bytes: axum::body::Bytes,
    etag: HeaderValue,
    content_type: &'static str,
    file_name: String,
}

/// The exports of the state's catalogue, each computed at its first
/// request (the catalogue never changes while the program runs).
#[derive(Debug, Default)]
pub(crate) struct Exports {
    moodle: [OnceLock<ExportFile>; 3],
    case: [OnceLock<ExportFile>; 3],
}

impl Exports {
    fn get(&self, catalogue: &Catalogue, format: ExportFormat, language: ExportLanguage) -> &ExportFile {
        let slot = match format {
            ExportFormat::Moodle => &self.moodle[language.index()],
            ExportFormat::Case => &self.case[language.index()],
        };
        slot.get_or_init(|| {
            let (text, content_type, file_name) = catalogue_export(catalogue, format, language);
            let etag = HeaderValue::from_str(&format!("\"{}\"", &grille_store::sha256_hex(&text)[..32]))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
            ExportFile { bytes: text.into(), etag, content_type, file_name }
        })
    }
}

/// The language of an export.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ExportQuery {
    /// `fr` (default), `de` or `it`: the language of the texts; a text the
    /// catalogue has not in that language is given in French.
    #[serde(default)]
    lang: ExportLanguage,
}

/// An export as a file to save, or `304` when the client has it.
#[derive(Debug)]
pub(crate) struct ExportAnswer {
    body: Option<axum::body::Bytes>,
    etag: HeaderValue,
    content_type: &'static str,
    file_name: String,
}

impl ExportAnswer {
    fn of(file: &ExportFile, headers: &HeaderMap) -> ExportAnswer {
        let fresh = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.trim_start_matches("W/").as_bytes() == file.etag.as_bytes()
            });
        ExportAnswer {
            body: (!fresh).then(|| file.bytes.clone()),
            etag: file.etag.clone(),
            content_type: file.content_type,
            file_name: file.file_name.clone(),
        }
    }
}

impl IntoResponse for ExportAnswer {
    fn into_response(self) -> Response {
        let mut response = match self.body {
            Some(bytes) => (StatusCode::OK, bytes).into_response(),
            None => StatusCode::NOT_MODIFIED.into_response(),
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag);
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", self.file_name)) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        response
    }
}

impl OperationOutput for ExportAnswer {
    type Inner = String;

    fn operation_response(_ctx: &mut GenContext, _operation: &mut Operation) -> Option<ApiResponse> {
        let mut response = ApiResponse {
            description: "Le fichier exporté (ETag fort ; 304 sur If-None-Match)".to_owned(),
            ..Default::default()
        };
        for media_type in ["text/csv", "application/json"] {
            response.content.insert(media_type.to_owned(), MediaType::default());
        }
        Some(response)
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(Some(ApiStatus::Code(200)), response)])
            .unwrap_or_default()
    }
}

/// The catalogue as Moodle's competency-framework CSV.
async fn moodle(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ExportQuery>,
    headers: HeaderMap,
) -> ExportAnswer {
    let file = state.catalogue_exports().get(state.catalogue(), ExportFormat::Moodle, query.lang);
    ExportAnswer::of(file, &headers)
}

/// The catalogue as a CASE 1.1 package.
async fn case(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ExportQuery>,
    headers: HeaderMap,
) -> ExportAnswer {
    let file = state.catalogue_exports().get(state.catalogue(), ExportFormat::Case, query.lang);
    ExportAnswer::of(file, &headers)
}
