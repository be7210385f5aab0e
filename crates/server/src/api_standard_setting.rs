//! Standard setting for a session: the board (or a school's trainers on
//! their mock exam) records a modified-Angoff panel and gets the cut score,
//! a Hofstee compromise and a draft grading scheme for next year.
//!
//! * `GET|PUT /api/sessions/{id}/standard-setting`: the panel (panellists
//!   named freely, each one's estimate per position or per criterion of the
//!   pinned blueprint and rubrics, of the points a minimally competent
//!   candidate obtains, or the probability that they obtain an item's
//!   points; their acceptable cut-score and fail-rate ranges), the items it
//!   estimates and the results: each panellist's cut score, the panel's with
//!   its standard error, the Hofstee compromise against the session's score
//!   distribution, the draft conversion. `PUT` takes `If-Match` the version
//!   it replaces (absent: the first panel); a stale one is 409.
//! * `POST .../standard-setting/csv/preview` and `.../csv`: the same panel
//!   as a CSV file (one row per item, one column per panellist, four rows
//!   of ranges), checked line by line and column by column, then saved.
//! * `GET .../standard-setting/csv?table=panel|results|distribution`.
//! * `GET .../standard-setting/draft-scheme?cut=angoff|hofstee`: the
//!   session's pinned grading scheme with a two-piece conversion putting
//!   the pass mark exactly at the chosen cut score (as a share of the
//!   maximum, to four decimals), under a new version. It is a proposal for
//!   next year: nothing here ever changes the session's own scheme.
//!
//! The cut scores are computed in exact decimals from the estimates typed;
//! the standard error, the Hofstee compromise and the distribution use
//! grille-statistics (floating point, information only).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use grille_competence::LocalizedText;
use grille_report::i18n::{self, Language};
use grille_scoring::{
    CandidateResult, Conversion, EvaluationResult, GradingScheme, Message, MessageCode, PositionResult,
};
use grille_statistics::standard_setting::{self, AngoffUnit, HofsteeJudgement, HofsteeOutcome};
use grille_store::{Actor, PanelInput, PanelRanges, Panellist, StoredPanel, User};
use grille_workflow::{SessionKind, StandardSettingAction, standard_setting_permit};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive as _, ToPrimitive as _};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Staff;
use crate::csv_text::CsvEncoding;
use crate::error::{ApiError, FieldError};
use crate::exam::{self, PinnedExam, SessionData};
use crate::extract::{ApiJson, ApiPath, ApiQuery, CsvBody, CsvLayout, IfMatch};
use crate::reply::Download;
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "fixation du seuil";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/standard-setting",
            get_with(show, |op| {
                op.tag(tag).summary(
                    "Fixation du seuil (Angoff modifié, Hofstee) : le panel, les points estimés, le seuil et son erreur type, le compromis de Hofstee, la distribution des scores, le projet de conversion",
                )
            })
            .put_with(save, |op| {
                op.tag(tag).summary(
                    "Enregistrer le panel Angoff (If-Match : la version remplacée ; sans : le premier panel)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/standard-setting/csv/preview",
            post_with(csv_preview, |op| {
                op.tag(tag).summary("Aperçu d'un panel Angoff en CSV (une ligne par élément, une colonne par membre du panel), rien n'est enregistré")
            }),
        )
        .api_route(
            "/api/sessions/{id}/standard-setting/csv",
            get_with(csv_export, |op| {
                op.tag(tag).summary("Le panel, les résultats ou la distribution en CSV (UTF-8 avec BOM, ;)")
            })
            .post_with(csv_import, |op| {
                op.tag(tag).summary("Enregistrer le panel Angoff d'un fichier CSV (If-Match comme PUT)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/standard-setting/draft-scheme",
            get_with(draft_scheme, |op| {
                op.tag(tag).summary(
                    "Projet de barème pour l'an prochain : la conversion en deux segments avec 4.0 au seuil choisi (jamais appliqué à la session)",
                )
            }),
        )
}

// ------------------------------------------------------------------ types

/// What the panel's items are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AngoffBasis {
    /// One item per position of the blueprint (its rubric's maximum).
    #[default]
    Position,
    /// One item per criterion of each position's rubric, written
    /// `position:criterion` (the criterion's maximum level × its weight).
    Criterion,
}

impl AngoffBasis {
    fn code(self) -> &'static str {
        match self {
            AngoffBasis::Position => "position",
            AngoffBasis::Criterion => "criterion",
        }
    }
}

/// What an estimate is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EstimateUnit {
    /// Points a minimally competent candidate obtains (0 to the item's
    /// maximum).
    #[default]
    Points,
    /// The probability (0 to 1) that a minimally competent candidate
    /// obtains the item's points.
    Probability,
}

impl EstimateUnit {
    fn code(self) -> &'static str {
        match self {
            EstimateUnit::Points => "points",
            EstimateUnit::Probability => "probability",
        }
    }
}

/// One panellist's acceptable ranges (Hofstee): cut scores in points of
/// the panel's scope, fail rates in per cent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HofsteeRanges {
    /// Lowest acceptable cut score (points).
    #[schemars(regex(pattern = r"^\s*[+-]?[0-9]{1,9}([.,][0-9]{1,6})?\s*$"))]
    pub min_cut: String,
    /// Highest acceptable cut score (points).
    #[schemars(regex(pattern = r"^\s*[+-]?[0-9]{1,9}([.,][0-9]{1,6})?\s*$"))]
    pub max_cut: String,
    /// Lowest acceptable fail rate (per cent, 0 to 100).
    #[schemars(regex(pattern = r"^\s*[+-]?[0-9]{1,9}([.,][0-9]{1,6})?\s*$"))]
    pub min_fail_rate: String,
    /// Highest acceptable fail rate (per cent, 0 to 100).
    #[schemars(regex(pattern = r"^\s*[+-]?[0-9]{1,9}([.,][0-9]{1,6})?\s*$"))]
    pub max_fail_rate: String,
}

/// One panellist as the board writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PanellistRequest {
    /// Their name (free text: a board member, an invited expert).
    #[schemars(length(min = 1, max = 100))]
    pub name: String,
    /// Item id → estimate (`"12.5"`): every item of the panel, once.
    pub estimates: BTreeMap<String, String>,
    /// Their acceptable ranges for the Hofstee compromise, if given.
    #[serde(default)]
    pub ranges: Option<HofsteeRanges>,
}

/// A modified-Angoff panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelRequest {
    /// The exam part the panel is about (absent: the whole session).
    #[serde(default)]
    #[schemars(length(min = 1, max = 32))]
    pub part: Option<String>,
    /// What the items are (positions by default).
    #[serde(default)]
    pub basis: AngoffBasis,
    /// What the estimates are (points by default).
    #[serde(default)]
    pub unit: EstimateUnit,
    /// The panellists: at least one, at most 30.
    #[schemars(length(min = 1, max = 30))]
    pub panellists: Vec<PanellistRequest>,
}

/// An item a panel estimates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AngoffItem {
    /// `1.1` (a position) or `1.1:C1` (a criterion of its rubric).
    pub id: String,
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The position's title.
    pub position_title: LocalizedText,
    /// The criterion's title (criterion basis).
    pub criterion_title: Option<LocalizedText>,
    /// Its maximum points.
    pub max: String,
}

/// A part the panel may be about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PartChoice {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: LocalizedText,
}

/// The panel as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PanelRecord {
    /// What was recorded, as it would be sent again.
    pub panel: PanelRequest,
    /// Its version, for `If-Match`.
    pub version: i64,
    /// When last written (RFC 3339 UTC).
    pub updated_at: String,
    /// By whom.
    pub updated_by: String,
}

/// One panellist's cut score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PanellistCut {
    /// Their name.
    pub name: String,
    /// The sum of their estimates in points (two decimals).
    pub cut_score: String,
    /// In per cent of the maximum (one decimal).
    pub percent: String,
}

/// The modified-Angoff result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AngoffView {
    /// The highest possible total of the items.
    pub max_total: String,
    /// The panel's cut score: the mean of the panellists' (two decimals).
    pub cut_score: String,
    /// In per cent of the maximum (one decimal).
    pub percent: String,
    /// Standard deviation of the panellists' cut scores (two decimals;
    /// absent with one panellist).
    pub standard_deviation: Option<String>,
    /// Standard error of the cut score: SD / √panellists.
    pub standard_error: Option<String>,
    /// Lowest and highest panellist cut scores.
    pub range: (String, String),
    /// Each panellist's cut score.
    pub panellists: Vec<PanellistCut>,
    /// Each item's mean estimate in points (two decimals), in item order.
    pub item_means: Vec<String>,
}

/// The Hofstee compromise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HofsteeView {
    /// The panel's mean ranges.
    pub min_cut: String,
    /// Highest acceptable cut score (mean).
    pub max_cut: String,
    /// Lowest acceptable fail rate (per cent, mean).
    pub min_fail_rate: String,
    /// Highest acceptable fail rate (per cent, mean).
    pub max_fail_rate: String,
    /// `cut`, `too_many_fail` (even at the lowest acceptable cut score) or
    /// `too_few_fail` (even at the highest).
    pub outcome: String,
    /// The compromise cut score (two decimals), when there is one.
    pub cut_score: Option<String>,
    /// The fail rate it gives on this session (per cent, one decimal), or
    /// the one at the limit that was crossed.
    pub fail_rate: Option<String>,
}

/// Why there is no Hofstee compromise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HofsteeMissing {
    /// Not every panellist gave their ranges.
    NoRanges,
    /// No candidate of the session has a score on the panel's items yet.
    NoScores,
    /// The panel's mean ranges are a single value.
    Degenerate,
}

/// A step of the session's score distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DistributionRow {
    /// Lower bound of the band (points, inclusive).
    pub from: String,
    /// Upper bound (points, exclusive, inclusive for the last band).
    pub to: String,
    /// Candidates in the band.
    pub candidates: usize,
    /// Share of candidates below the band's upper bound, i.e. the fail
    /// rate of a cut score there (per cent, one decimal).
    pub fail_rate_below: String,
}

/// The session's observed scores on the panel's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DistributionView {
    /// Candidates with a score on every item's position.
    pub candidates: usize,
    /// The highest possible total.
    pub max_total: String,
    /// Every observed total, ascending (two decimals), for the chart.
    pub scores: Vec<String>,
    /// Ten bands of the maximum.
    pub rows: Vec<DistributionRow>,
    /// The fail rate the Angoff cut score would give (per cent).
    pub angoff_fail_rate: Option<String>,
}

/// Which cut score a draft conversion follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CutChoice {
    /// The panel's Angoff cut score.
    #[default]
    Angoff,
    /// The Hofstee compromise.
    Hofstee,
}

impl CutChoice {
    fn code(self) -> &'static str {
        match self {
            CutChoice::Angoff => "angoff",
            CutChoice::Hofstee => "hofstee",
        }
    }
}

/// A draft conversion for next year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DraftConversion {
    /// Which cut score it follows.
    pub cut: CutChoice,
    /// The cut score (points, two decimals).
    pub cut_score: String,
    /// The share of the maximum that gives the pass mark, to four
    /// decimals (the conversion's `pass_fraction`).
    pub pass_fraction: String,
    /// Where the pass mark then lies exactly: `pass_fraction` × maximum.
    pub points_at_pass_mark: String,
    /// The highest possible total.
    pub max_total: String,
    /// The scheme's grade at 0 points, the pass mark and the maximum.
    pub grades: (String, String, String),
    /// The id and version the draft scheme will have.
    pub scheme_id: String,
    /// Its version.
    pub scheme_version: String,
}

/// The results of a recorded panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StandardSettingResults {
    /// Modified Angoff.
    pub angoff: AngoffView,
    /// The Hofstee compromise, when it can be made.
    pub hofstee: Option<HofsteeView>,
    /// Why not, otherwise.
    pub hofstee_missing: Option<HofsteeMissing>,
    /// The session's scores on the panel's items.
    pub distribution: DistributionView,
    /// The draft conversions offered (Angoff, and Hofstee when there is a
    /// compromise).
    pub drafts: Vec<DraftConversion>,
}

/// The standard setting of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StandardSettingView {
    /// The session.
    pub session_id: i64,
    /// Whether the caller may record the panel.
    pub may_record: bool,
    /// The parts of the pinned blueprint.
    pub parts: Vec<PartChoice>,
    /// The part of the items listed (the panel's, or the one asked).
    pub part: Option<String>,
    /// Their basis.
    pub basis: AngoffBasis,
    /// The items, in blueprint and rubric order.
    pub items: Vec<AngoffItem>,
    /// The recorded panel.
    pub panel: Option<PanelRecord>,
    /// Its results.
    pub results: Option<StandardSettingResults>,
}

/// A panel read from a CSV file, not saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PanelPreview {
    /// The encoding the file was read in.
    pub encoding: CsvEncoding,
    /// The panel it holds, as it would be saved.
    pub panel: PanelRequest,
    /// Its items.
    pub items: Vec<AngoffItem>,
    /// The version a confirmation replaces (absent: no panel yet).
    pub replaces: Option<i64>,
}

// ------------------------------------------------------------------ paths

/// A session id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    id: i64,
}

/// Which items to list before a panel exists (or instead of its own).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShowQuery {
    /// A part of the pinned blueprint.
    #[serde(default)]
    #[schemars(length(min = 1, max = 32))]
    part: Option<String>,
    /// `position` or `criterion`.
    #[serde(default)]
    basis: Option<AngoffBasis>,
}

/// How to read a CSV panel.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsvImportQuery {
    /// A part of the pinned blueprint (absent: the whole session).
    #[serde(default)]
    #[schemars(length(min = 1, max = 32))]
    part: Option<String>,
    /// `points` (default) or `probability`.
    #[serde(default)]
    unit: EstimateUnit,
}

/// A table of the export.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StandardSettingTable {
    /// The panel, as the import reads it.
    Panel,
    /// Each panellist's cut score, the panel's, Hofstee and the drafts.
    Results,
    /// The score distribution in ten bands.
    Distribution,
}

/// Options of the CSV export.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsvExportQuery {
    /// `panel`, `results` or `distribution`.
    table: StandardSettingTable,
    /// `fr` (default), `de` or `it`.
    #[serde(default)]
    lang: Option<CsvLanguage>,
}

/// A language of the CSV.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum CsvLanguage {
    Fr,
    De,
    It,
}

/// Which cut score the draft follows.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DraftQuery {
    /// `angoff` (default) or `hofstee`.
    #[serde(default)]
    cut: CutChoice,
}

/// The CSV layout of a panel, for the OpenAPI document.
#[derive(Debug, Clone, Copy)]
pub struct PanelCsv;

impl CsvLayout for PanelCsv {
    fn columns() -> &'static [crate::csv_columns::Column] {
        &[(
            "item",
            grille_scoring::MessageCode::CsvColumnItem,
            &["element", "item", "element", "position", "critere", "kriterium"],
            true,
        )]
    }
    fn note() -> &'static str {
        " Puis une colonne par membre du panel (son nom en en-tête) ; une ligne par élément du plan d'examen \
         (point d'appréciation « 1.1 » ou critère « 1.1:C1 ») avec les points estimés ; facultativement quatre \
         lignes « min_cut », « max_cut » (points), « min_fail_rate », « max_fail_rate » (%) pour Hofstee."
    }
}

// ------------------------------------------------------------------ items

fn display(value: Decimal, decimals: u32) -> String {
    let rounded =
        value.round_dp_with_strategy(decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{rounded:.prec$}", prec = decimals as usize)
}

fn criterion_max(criterion: &grille_scoring::RubricCriterion) -> Decimal {
    criterion.max_points() * criterion.weight
}

/// The items of a panel on `part` (all parts when `None`).
fn items_of(exam: &PinnedExam, part: Option<&str>, basis: AngoffBasis) -> Vec<AngoffItem> {
    let mut items = Vec::new();
    for blueprint_part in exam.blueprint.parts.iter().filter(|p| part.is_none_or(|id| p.id == id)) {
        for position in &blueprint_part.positions {
            let Some(rubric) = exam.rubrics.iter().find(|rubric| rubric.id == position.rubric) else {
                continue;
            };
            match basis {
                AngoffBasis::Position => items.push(AngoffItem {
                    id: position.id.clone(),
                    part: blueprint_part.id.clone(),
                    position: position.id.clone(),
                    position_title: position.title.clone(),
                    criterion_title: None,
                    max: rubric.criteria.iter().map(criterion_max).sum::<Decimal>().normalize().to_string(),
                }),
                AngoffBasis::Criterion => {
                    for criterion in &rubric.criteria {
                        items.push(AngoffItem {
                            id: format!("{}:{}", position.id, criterion.id),
                            part: blueprint_part.id.clone(),
                            position: position.id.clone(),
                            position_title: position.title.clone(),
                            criterion_title: Some(criterion.title.clone()),
                            max: criterion_max(criterion).normalize().to_string(),
                        });
                    }
                }
            }
        }
    }
    items
}

fn item_max(item: &AngoffItem) -> Decimal {
    item.max.parse().unwrap_or(Decimal::ZERO)
}

/// A decimal as typed (`12,5` too).
fn number(text: &str) -> Option<Decimal> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() || text.len() > 20 {
        return None;
    }
    text.parse::<Decimal>().ok()
}

// ------------------------------------------------------------------ checks

/// Where a problem of a panel lies, said as a JSON pointer or as a CSV
/// line and column.
enum Spot<'a> {
    Part,
    Panellists,
    Name(usize),
    Estimate(usize, &'a str),
    Ranges(usize, &'static str),
}

/// Checks a panel against the session's items: every error at once, each
/// placed by `at`.
fn check_panel(
    exam: &PinnedExam,
    request: &PanelRequest,
    at: &dyn Fn(Spot<'_>, Message) -> FieldError,
) -> Result<(Vec<AngoffItem>, PanelInput), ApiError> {
    let mut errors = Vec::new();
    let part = request.part.as_deref().map(str::trim).filter(|part| !part.is_empty());
    if let Some(part) = part
        && exam.blueprint.part(part).is_none()
    {
        let known: Vec<&str> = exam.blueprint.parts.iter().map(|part| part.id.as_str()).collect();
        errors.push(at(
            Spot::Part,
            Message::new(MessageCode::PanelPartUnknownListed)
                .with("part", part)
                .with("parts", known.join(", ")),
        ));
        return Err(ApiError::Invalid(errors));
    }
    let items = items_of(exam, part, request.basis);
    if request.panellists.is_empty() {
        errors.push(at(Spot::Panellists, Message::new(MessageCode::PanelEmpty)));
    }
    let mut names = BTreeSet::new();
    let mut panellists = Vec::new();
    for (index, panellist) in request.panellists.iter().enumerate() {
        let name = panellist.name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            errors.push(at(Spot::Name(index), Message::new(MessageCode::PanelNameForm)));
        } else if !names.insert(name.to_lowercase()) {
            errors.push(at(Spot::Name(index), Message::new(MessageCode::PanelNameTwice).with("name", name)));
        }
        for key in panellist.estimates.keys() {
            if !items.iter().any(|item| &item.id == key) {
                let code = match request.basis {
                    AngoffBasis::Position => MessageCode::PanelItemNotPosition,
                    AngoffBasis::Criterion => MessageCode::PanelItemNotCriterion,
                };
                errors.push(at(Spot::Estimate(index, key), Message::new(code).with("item", key)));
            }
        }
        let mut estimates = BTreeMap::new();
        for item in &items {
            let Some(text) = panellist.estimates.get(&item.id) else {
                errors.push(at(
                    Spot::Estimate(index, &item.id),
                    Message::new(MessageCode::PanelEstimateMissingEach).with("item", &item.id),
                ));
                continue;
            };
            let max = item_max(item);
            let limit = match request.unit {
                EstimateUnit::Points => max,
                EstimateUnit::Probability => Decimal::ONE,
            };
            match number(text) {
                None => errors.push(at(
                    Spot::Estimate(index, &item.id),
                    Message::new(MessageCode::PanelNotNumber).with("text", text.trim()),
                )),
                Some(value) if value < Decimal::ZERO => errors.push(at(
                    Spot::Estimate(index, &item.id),
                    Message::new(MessageCode::PanelNegative).with("text", text.trim()),
                )),
                Some(value) if value > limit => errors.push(at(
                    Spot::Estimate(index, &item.id),
                    match request.unit {
                        EstimateUnit::Points => Message::new(MessageCode::PanelAboveMax)
                            .with("text", text.trim())
                            .with("item", &item.id)
                            .with("max", item.max.to_string()),
                        EstimateUnit::Probability => {
                            Message::new(MessageCode::PanelProbability).with("text", text.trim())
                        }
                    },
                )),
                Some(value) => {
                    estimates.insert(item.id.clone(), value.normalize().to_string());
                }
            }
        }
        let ranges =
            panellist.ranges.as_ref().and_then(|ranges| check_ranges(index, ranges, &items, at, &mut errors));
        panellists.push(Panellist { name: name.to_owned(), estimates, ranges });
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok((
        items,
        PanelInput {
            part: part.map(str::to_owned),
            basis: request.basis.code().to_owned(),
            unit: request.unit.code().to_owned(),
            panellists,
        },
    ))
}

fn check_ranges(
    index: usize,
    ranges: &HofsteeRanges,
    items: &[AngoffItem],
    at: &dyn Fn(Spot<'_>, Message) -> FieldError,
    errors: &mut Vec<FieldError>,
) -> Option<PanelRanges> {
    let max_total: Decimal = items.iter().map(item_max).sum();
    let before = errors.len();
    let mut value = |field: &'static str, text: &str, limit: Decimal, code: MessageCode| match number(text) {
        Some(value) if value >= Decimal::ZERO && value <= limit => Some(value),
        Some(_) => {
            errors.push(at(
                Spot::Ranges(index, field),
                Message::new(code).with("text", text.trim()).with("max", limit.to_string()),
            ));
            None
        }
        None => {
            errors.push(at(
                Spot::Ranges(index, field),
                Message::new(MessageCode::PanelRangeNotNumber).with("text", text.trim()),
            ));
            None
        }
    };
    let hundred = Decimal::ONE_HUNDRED;
    let min_cut = value("min_cut", &ranges.min_cut, max_total, MessageCode::PanelRangePoints);
    let max_cut = value("max_cut", &ranges.max_cut, max_total, MessageCode::PanelRangePoints);
    let min_fail = value("min_fail_rate", &ranges.min_fail_rate, hundred, MessageCode::PanelRangePercent);
    let max_fail = value("max_fail_rate", &ranges.max_fail_rate, hundred, MessageCode::PanelRangePercent);
    if let (Some(low), Some(high)) = (min_cut, max_cut)
        && low > high
    {
        errors.push(at(Spot::Ranges(index, "max_cut"), Message::new(MessageCode::PanelCutOrder)));
    }
    if let (Some(low), Some(high)) = (min_fail, max_fail)
        && low > high
    {
        errors.push(at(Spot::Ranges(index, "max_fail_rate"), Message::new(MessageCode::PanelFailOrder)));
    }
    if errors.len() > before {
        return None;
    }
    let text = |value: Option<Decimal>| value.unwrap_or_default().normalize().to_string();
    Some(PanelRanges {
        min_cut: text(min_cut),
        max_cut: text(max_cut),
        min_fail_rate: text(min_fail),
        max_fail_rate: text(max_fail),
    })
}

fn json_spot(spot: Spot<'_>, message: Message) -> FieldError {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    let pointer = match spot {
        Spot::Part => "/part".to_owned(),
        Spot::Panellists => "/panellists".to_owned(),
        Spot::Name(index) => format!("/panellists/{index}/name"),
        Spot::Estimate(index, item) => format!("/panellists/{index}/estimates/{}", escape(item)),
        Spot::Ranges(index, field) => format!("/panellists/{index}/ranges/{field}"),
    };
    FieldError::said_at(pointer, message)
}

// ------------------------------------------------------------------ stored

fn request_of(panel: &PanelInput) -> PanelRequest {
    PanelRequest {
        part: panel.part.clone(),
        basis: if panel.basis == "criterion" { AngoffBasis::Criterion } else { AngoffBasis::Position },
        unit: if panel.unit == "probability" { EstimateUnit::Probability } else { EstimateUnit::Points },
        panellists: panel
            .panellists
            .iter()
            .map(|panellist| PanellistRequest {
                name: panellist.name.clone(),
                estimates: panellist.estimates.clone(),
                ranges: panellist.ranges.as_ref().map(|ranges| HofsteeRanges {
                    min_cut: ranges.min_cut.clone(),
                    max_cut: ranges.max_cut.clone(),
                    min_fail_rate: ranges.min_fail_rate.clone(),
                    max_fail_rate: ranges.max_fail_rate.clone(),
                }),
            })
            .collect(),
    }
}

fn record_of(stored: &StoredPanel) -> PanelRecord {
    PanelRecord {
        panel: request_of(&stored.panel),
        version: stored.version,
        updated_at: stored.updated_at.clone(),
        updated_by: stored.updated_by.clone(),
    }
}

// ------------------------------------------------------------------ results

/// The points a candidate obtained on a position: the evaluation that
/// made the official grade (agreed, arbiter's, or the mean of the
/// examiners'), scaled to the position's nominal maximum (a case may have
/// left criteria out).
fn position_points(position: &PositionResult, nominal: Decimal) -> Option<Decimal> {
    position.grade?;
    let scaled = |evaluation: &EvaluationResult| {
        (evaluation.max_points > Decimal::ZERO).then(|| evaluation.points / evaluation.max_points * nominal)
    };
    if let Some(agreed) = &position.agreed {
        return scaled(agreed);
    }
    if let Some(arbiter) = &position.arbiter
        && position.grade_source.as_deref().is_some_and(|source| source.contains("arbit"))
    {
        return scaled(arbiter);
    }
    let shares: Vec<Decimal> =
        position.evaluations.iter().filter(|e| e.incomplete.is_empty()).filter_map(scaled).collect();
    (!shares.is_empty()).then(|| shares.iter().sum::<Decimal>() / Decimal::from(shares.len()))
}

/// Each candidate's total on the panel's positions, for candidates graded
/// on all of them.
fn observed_scores(results: &[CandidateResult], items: &[AngoffItem]) -> Vec<Decimal> {
    let mut nominal: BTreeMap<&str, Decimal> = BTreeMap::new();
    for item in items {
        *nominal.entry(item.position.as_str()).or_default() += item_max(item);
    }
    let mut scores = Vec::new();
    for result in results {
        let mut total = Decimal::ZERO;
        let mut found = 0;
        for part in &result.parts {
            for position in &part.positions {
                if let Some(max) = nominal.get(position.position.as_str()) {
                    match position_points(position, *max) {
                        Some(points) => {
                            total += points;
                            found += 1;
                        }
                        None => break,
                    }
                }
            }
        }
        if found == nominal.len() && found > 0 {
            scores.push(total);
        }
    }
    scores.sort();
    scores
}

fn percent(part: Decimal, whole: Decimal) -> String {
    if whole.is_zero() { "—".to_owned() } else { display(part / whole * Decimal::ONE_HUNDRED, 1) }
}

fn f64_of(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

fn decimal_of(value: f64) -> Decimal {
    Decimal::from_f64(value).unwrap_or_default()
}

/// The draft's version: the pinned one with the panel's mark, so that a
/// second save of the same panel is the same version (the bank says it
/// has it already).
fn draft_version(scheme: &GradingScheme, session_id: i64, panel_version: i64, cut: CutChoice) -> String {
    format!("{}-{}-s{session_id}v{panel_version}", scheme.version, cut.code())
}

fn draft_of(
    scheme: &GradingScheme,
    session_id: i64,
    panel_version: i64,
    cut: CutChoice,
    cut_score: Decimal,
    max_total: Decimal,
) -> Option<DraftConversion> {
    if max_total <= Decimal::ZERO {
        return None;
    }
    let fraction = (cut_score / max_total)
        .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if fraction <= Decimal::ZERO || fraction >= Decimal::ONE {
        return None;
    }
    Some(DraftConversion {
        cut,
        cut_score: display(cut_score, 2),
        pass_fraction: fraction.to_string(),
        points_at_pass_mark: (fraction * max_total).normalize().to_string(),
        max_total: max_total.normalize().to_string(),
        grades: (
            grille_scoring::decimal::display_grade(scheme.scale.min),
            grille_scoring::decimal::display_grade(scheme.scale.pass_mark),
            grille_scoring::decimal::display_grade(scheme.scale.max),
        ),
        scheme_id: scheme.id.clone(),
        scheme_version: draft_version(scheme, session_id, panel_version, cut),
    })
}

/// Everything a recorded panel gives.
fn results_of(
    exam: &PinnedExam,
    session_id: i64,
    stored: &StoredPanel,
    items: &[AngoffItem],
    candidates: &[CandidateResult],
) -> Result<StandardSettingResults, ApiError> {
    let panel = &stored.panel;
    let probability = panel.unit == "probability";
    let maxima: Vec<Decimal> = items.iter().map(item_max).collect();
    let max_total: Decimal = maxima.iter().sum();
    // Exact cut scores: the estimates as typed, in points.
    let points: Vec<Vec<Decimal>> = panel
        .panellists
        .iter()
        .map(|panellist| {
            items
                .iter()
                .zip(&maxima)
                .map(|(item, max)| {
                    let value =
                        panellist.estimates.get(&item.id).and_then(|text| number(text)).unwrap_or_default();
                    if probability { value * max } else { value }
                })
                .collect()
        })
        .collect();
    let cuts: Vec<Decimal> = points.iter().map(|row| row.iter().sum()).collect();
    let judges = Decimal::from(cuts.len().max(1));
    let cut_score = cuts.iter().sum::<Decimal>() / judges;
    let item_means: Vec<String> = (0..items.len())
        .map(|i| display(points.iter().map(|row| row[i]).sum::<Decimal>() / judges, 2))
        .collect();
    // The standard error from grille-statistics, on the same ratings.
    let ratings: Vec<Vec<f64>> = points.iter().map(|row| row.iter().copied().map(f64_of).collect()).collect();
    let statistics = standard_setting::angoff(
        &ratings,
        &maxima.iter().copied().map(f64_of).collect::<Vec<_>>(),
        AngoffUnit::Points,
    )
    .map_err(|error| ApiError::internal(format!("a checked panel was refused: {error}")))?;
    let stat =
        |estimate: grille_statistics::Estimate| estimate.value().map(|value| display(decimal_of(value), 2));
    let angoff = AngoffView {
        max_total: max_total.normalize().to_string(),
        cut_score: display(cut_score, 2),
        percent: percent(cut_score, max_total),
        standard_deviation: stat(statistics.standard_deviation),
        standard_error: stat(statistics.standard_error),
        range: (
            display(cuts.iter().copied().min().unwrap_or_default(), 2),
            display(cuts.iter().copied().max().unwrap_or_default(), 2),
        ),
        panellists: panel
            .panellists
            .iter()
            .zip(&cuts)
            .map(|(panellist, cut)| PanellistCut {
                name: panellist.name.clone(),
                cut_score: display(*cut, 2),
                percent: percent(*cut, max_total),
            })
            .collect(),
        item_means,
    };
    let scores = observed_scores(candidates, items);
    let below = |cut: Decimal| scores.iter().filter(|score| **score < cut).count();
    let share = |count: usize| percent(Decimal::from(count), Decimal::from(scores.len()));
    let band = max_total / Decimal::TEN;
    let rows = (0..10)
        .map(|index| {
            let from = band * Decimal::from(index);
            let to = if index == 9 { max_total } else { band * Decimal::from(index + 1) };
            let count =
                scores.iter().filter(|s| **s >= from && (**s < to || (index == 9 && **s <= to))).count();
            DistributionRow {
                from: display(from, 1),
                to: display(to, 1),
                candidates: count,
                fail_rate_below: if scores.is_empty() { "—".to_owned() } else { share(below(to)) },
            }
        })
        .collect();
    let distribution = DistributionView {
        candidates: scores.len(),
        max_total: max_total.normalize().to_string(),
        scores: scores.iter().map(|score| display(*score, 2)).collect(),
        rows,
        angoff_fail_rate: (!scores.is_empty()).then(|| share(below(cut_score))),
    };
    let all_ranges: Option<Vec<HofsteeJudgement>> = panel
        .panellists
        .iter()
        .map(|panellist| {
            panellist.ranges.as_ref().map(|ranges| HofsteeJudgement {
                min_cut: number(&ranges.min_cut).map(f64_of).unwrap_or_default(),
                max_cut: number(&ranges.max_cut).map(f64_of).unwrap_or_default(),
                min_fail_rate: number(&ranges.min_fail_rate).map(f64_of).unwrap_or_default() / 100.0,
                max_fail_rate: number(&ranges.max_fail_rate).map(f64_of).unwrap_or_default() / 100.0,
            })
        })
        .collect();
    let observed: Vec<f64> = scores.iter().copied().map(f64_of).collect();
    let (hofstee, hofstee_missing) = match all_ranges {
        None => (None, Some(HofsteeMissing::NoRanges)),
        Some(_) if observed.is_empty() => (None, Some(HofsteeMissing::NoScores)),
        Some(judgements) => match standard_setting::hofstee(&judgements, &observed) {
            Ok(result) => {
                let rate = |value: f64| display(decimal_of(value * 100.0), 1);
                let (outcome, cut, fail) = match result.outcome {
                    HofsteeOutcome::Cut { cut_score, fail_rate, .. } => {
                        ("cut", Some(display(decimal_of(cut_score), 2)), Some(rate(fail_rate)))
                    }
                    HofsteeOutcome::TooManyFailAtLowestCut { fail_rate } => {
                        ("too_many_fail", None, Some(rate(fail_rate)))
                    }
                    HofsteeOutcome::TooFewFailAtHighestCut { fail_rate } => {
                        ("too_few_fail", None, Some(rate(fail_rate)))
                    }
                };
                (
                    Some(HofsteeView {
                        min_cut: display(decimal_of(result.panel.min_cut), 2),
                        max_cut: display(decimal_of(result.panel.max_cut), 2),
                        min_fail_rate: rate(result.panel.min_fail_rate),
                        max_fail_rate: rate(result.panel.max_fail_rate),
                        outcome: outcome.to_owned(),
                        cut_score: cut,
                        fail_rate: fail,
                    }),
                    None,
                )
            }
            Err(_) => (None, Some(HofsteeMissing::Degenerate)),
        },
    };
    let mut drafts = Vec::new();
    drafts.extend(draft_of(
        &exam.scheme,
        session_id,
        stored.version,
        CutChoice::Angoff,
        cut_score,
        max_total,
    ));
    if let Some(cut) = hofstee.as_ref().and_then(|view| view.cut_score.as_deref()).and_then(number) {
        drafts.extend(draft_of(&exam.scheme, session_id, stored.version, CutChoice::Hofstee, cut, max_total));
    }
    Ok(StandardSettingResults { angoff, hofstee, hofstee_missing, distribution, drafts })
}

/// The draft grading scheme: the pinned one, a new version, the two-piece
/// conversion and a sentence saying where it comes from.
pub(crate) fn build_draft_scheme(
    scheme: &GradingScheme,
    draft: &DraftConversion,
    session_id: i64,
) -> GradingScheme {
    let mut next = scheme.clone();
    next.version = draft.scheme_version.clone();
    next.conversion =
        Conversion::TwoPiece { pass_fraction: draft.pass_fraction.parse().unwrap_or(Decimal::ONE) };
    let method = match draft.cut {
        CutChoice::Angoff => ("Angoff modifié", "modifiziertes Angoff-Verfahren", "Angoff modificato"),
        CutChoice::Hofstee => ("compromis de Hofstee", "Hofstee-Kompromiss", "compromesso di Hofstee"),
    };
    let length = next.assumptions.len();
    next.assumptions.push(format!(
        "Projet issu de la fixation du seuil de la session {session_id} ({}) : note suffisante à {} points sur {} \
         (fraction {}), conversion en deux segments ; HYPOTHÈSE à adopter par la commission, jamais appliquée à la \
         session d'origine.",
        method.0, draft.points_at_pass_mark, draft.max_total, draft.pass_fraction
    ));
    if let Some(translation) = next.translation.as_mut() {
        if let Some(de) = translation.de.as_mut().filter(|note| note.assumptions.len() == length) {
            de.assumptions.push(format!(
                "Entwurf aus der Festlegung der Bestehensgrenze der Session {session_id} ({}): genügend ab {} von {} \
                 Punkten (Anteil {}), Umrechnung in zwei linearen Abschnitten; ANNAHME, von der Prüfungskommission \
                 zu beschliessen, nie auf die Ausgangssession angewendet.",
                method.1, draft.points_at_pass_mark, draft.max_total, draft.pass_fraction
            ));
        }
        if let Some(it) = translation.it.as_mut().filter(|note| note.assumptions.len() == length) {
            it.assumptions.push(format!(
                "Progetto dalla determinazione della soglia della sessione {session_id} ({}): sufficiente da {} su {} \
                 punti (frazione {}), conversione in due segmenti lineari; IPOTESI da adottare dalla commissione, mai \
                 applicata alla sessione d'origine.",
                method.2, draft.points_at_pass_mark, draft.max_total, draft.pass_fraction
            ));
        }
    }
    next
}

// ------------------------------------------------------------------ routes

/// The session and its documents, once `action` is permitted.
async fn loaded(
    state: &AppState,
    user: &User,
    id: i64,
    action: StandardSettingAction,
) -> Result<(Arc<SessionData>, Arc<PinnedExam>), ApiError> {
    let session = scope::session_in_reach(state, user, id).await?;
    standard_setting_permit(action, exam::state_of(&session)?, &scope::subject(user, &session))?;
    let (data, pinned) = exam::load(state, id).await?;
    let mut subject = scope::subject(user, &data.session);
    subject.own_pending = scope::own_pending(&data, &pinned, user);
    standard_setting_permit(action, exam::state_of(&data.session)?, &subject)?;
    Ok((data, pinned))
}

async fn view_of(
    state: &AppState,
    user: &User,
    data: &Arc<SessionData>,
    pinned: &Arc<PinnedExam>,
    stored: Option<StoredPanel>,
    query: ShowQuery,
) -> Result<StandardSettingView, ApiError> {
    let session_id = data.session.id;
    let mut subject = scope::subject(user, &data.session);
    subject.own_pending = scope::own_pending(data, pinned, user);
    let may_record =
        standard_setting_permit(StandardSettingAction::Record, exam::state_of(&data.session)?, &subject)
            .is_ok();
    let panel_part = stored.as_ref().and_then(|stored| stored.panel.part.clone());
    let panel_basis = stored.as_ref().map(|stored| request_of(&stored.panel).basis);
    let part = match query.part {
        Some(part) if pinned.blueprint.part(&part).is_none() => {
            return Err(ApiError::Invalid(vec![FieldError::said_in_field(
                "part",
                Message::new(MessageCode::PanelPartUnknown).with("part", part),
            )]));
        }
        Some(part) => Some(part),
        None if query.basis.is_some() => None,
        None => panel_part.clone(),
    };
    let basis = query.basis.or(panel_basis).unwrap_or_default();
    let items = items_of(pinned, part.as_deref(), basis);
    let results = match &stored {
        Some(stored) => {
            let panel_items = items_of(pinned, stored.panel.part.as_deref(), request_of(&stored.panel).basis);
            let candidates = crate::api_evaluations::compute_progress(state.catalogue(), data, pinned)?;
            Some(results_of(pinned, session_id, stored, &panel_items, &candidates.1)?)
        }
        None => None,
    };
    Ok(StandardSettingView {
        session_id,
        may_record,
        parts: pinned
            .blueprint
            .parts
            .iter()
            .map(|part| PartChoice { id: part.id.clone(), title: part.title.clone() })
            .collect(),
        part,
        basis,
        items,
        panel: stored.as_ref().map(record_of),
        results,
    })
}

async fn stored_panel(state: &AppState, id: i64) -> Result<Option<StoredPanel>, ApiError> {
    state.db(move |store| store.standard_setting_panel(id)).await
}

async fn show(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<ShowQuery>,
) -> Result<Json<StandardSettingView>, ApiError> {
    let user = &staff.current.user;
    let (data, pinned) = loaded(&state, user, path.id, StandardSettingAction::Read).await?;
    let stored = stored_panel(&state, path.id).await?;
    Ok(Json(view_of(&state, user, &data, &pinned, stored, query).await?))
}

async fn write(
    state: &AppState,
    user: &User,
    data: &Arc<SessionData>,
    pinned: &Arc<PinnedExam>,
    expected: Option<i64>,
    panel: PanelInput,
) -> Result<StandardSettingView, ApiError> {
    let actor = Actor::user(user);
    let id = data.session.id;
    let saved =
        state.db(move |store| store.save_standard_setting_panel(&actor, id, expected, &panel)).await?;
    view_of(state, user, data, pinned, Some(saved), ShowQuery::default()).await
}

async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    IfMatch(expected): IfMatch,
    ApiJson(request): ApiJson<PanelRequest>,
) -> Result<Json<StandardSettingView>, ApiError> {
    let user = &staff.current.user;
    let (data, pinned) = loaded(&state, user, path.id, StandardSettingAction::Record).await?;
    let (_, panel) = check_panel(&pinned, &request, &json_spot)?;
    Ok(Json(write(&state, user, &data, &pinned, expected, panel).await?))
}

// --------------------------------------------------------------------- CSV

/// The names of the four rows of ranges, as the export writes them and
/// the import reads them.
const RANGE_ROWS: [&str; 4] = ["min_cut", "max_cut", "min_fail_rate", "max_fail_rate"];

/// Reads a panel from a CSV text: the request and where each of its
/// values came from (line of each item, column of each panellist).
struct CsvPanel {
    request: PanelRequest,
    item_lines: BTreeMap<String, u64>,
    range_lines: BTreeMap<&'static str, u64>,
    names: Vec<String>,
}

fn cell_error(line: u64, column: &str, message: Message) -> FieldError {
    FieldError::said_on_line(line, Some(column), message)
}

fn read_csv(text: &str, part: Option<String>, unit: EstimateUnit) -> Result<CsvPanel, ApiError> {
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    // The header is read as a record like the others: its cells are the
    // panellists' names, not column names of a known set.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => {
            return Err(ApiError::Invalid(vec![FieldError::said_on_line(
                1,
                None,
                Message::new(MessageCode::PanelHeaderUnreadable).with("error", error.to_string()),
            )]));
        }
        None => {
            return Err(ApiError::Invalid(vec![FieldError::said_on_line(
                1,
                None,
                Message::new(MessageCode::PanelFileEmpty),
            )]));
        }
    };
    let names: Vec<String> = header.iter().skip(1).map(|name| name.trim().to_owned()).collect();
    if names.is_empty() {
        errors.push(cell_error(1, "", Message::new(MessageCode::PanelNoMemberColumn)));
    }
    for (index, name) in names.iter().enumerate() {
        if name.is_empty() {
            errors.push(cell_error(
                1,
                &format!("{}", index + 2),
                Message::new(MessageCode::PanelMemberNameMissing),
            ));
        }
    }
    let mut panellists: Vec<PanellistRequest> = names
        .iter()
        .map(|name| PanellistRequest { name: name.clone(), estimates: BTreeMap::new(), ranges: None })
        .collect();
    let mut ranges: Vec<BTreeMap<&'static str, String>> = vec![BTreeMap::new(); names.len()];
    let mut item_lines = BTreeMap::new();
    let mut range_lines = BTreeMap::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|position| position.line()).unwrap_or(0);
                errors.push(FieldError::said_on_line(
                    line,
                    None,
                    Message::new(MessageCode::PanelLineUnreadable).with("error", error.to_string()),
                ));
                continue;
            }
        };
        let line = record.position().map(|position| position.line()).unwrap_or(0);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != names.len() + 1 {
            errors.push(cell_error(
                line,
                "",
                Message::new(MessageCode::PanelCellCount)
                    .with("count", record.len().to_string())
                    .with("expected", (names.len() + 1).to_string()),
            ));
            continue;
        }
        let item = record.get(0).unwrap_or_default().trim().to_owned();
        let first_column = header.get(0).unwrap_or("élément").trim().to_owned();
        if item.is_empty() {
            errors.push(cell_error(line, &first_column, Message::new(MessageCode::PanelItemMissing)));
            continue;
        }
        if let Some(row) = RANGE_ROWS.iter().find(|row| item.eq_ignore_ascii_case(row)) {
            if range_lines.insert(*row, line).is_some() {
                errors.push(cell_error(
                    line,
                    &first_column,
                    Message::new(MessageCode::PanelRowTwice).with("row", *row),
                ));
            }
            for (index, cell) in record.iter().skip(1).enumerate() {
                ranges[index].insert(row, cell.trim().to_owned());
            }
            continue;
        }
        if item_lines.insert(item.clone(), line).is_some() {
            errors.push(cell_error(
                line,
                &first_column,
                Message::new(MessageCode::PanelItemTwice).with("item", &item),
            ));
            continue;
        }
        for (index, cell) in record.iter().skip(1).enumerate() {
            if cell.trim().is_empty() {
                errors.push(cell_error(
                    line,
                    &names[index],
                    Message::new(MessageCode::PanelEstimateMissing).with("item", &item),
                ));
            } else {
                panellists[index].estimates.insert(item.clone(), cell.trim().to_owned());
            }
        }
    }
    if !range_lines.is_empty() {
        for (index, panellist) in panellists.iter_mut().enumerate() {
            let given = &ranges[index];
            if given.values().all(String::is_empty) {
                continue;
            }
            let mut missing = false;
            for row in RANGE_ROWS {
                if given.get(row).is_none_or(String::is_empty) {
                    missing = true;
                    let line = range_lines.get(row).copied().unwrap_or(0);
                    errors.push(cell_error(
                        line,
                        &names[index],
                        Message::new(MessageCode::PanelRangeMissing).with("row", row),
                    ));
                }
            }
            if !missing {
                panellist.ranges = Some(HofsteeRanges {
                    min_cut: given["min_cut"].clone(),
                    max_cut: given["max_cut"].clone(),
                    min_fail_rate: given["min_fail_rate"].clone(),
                    max_fail_rate: given["max_fail_rate"].clone(),
                });
            }
        }
    }
    if item_lines.is_empty() && errors.is_empty() {
        errors.push(cell_error(2, "", Message::new(MessageCode::PanelNoItem)));
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let basis = if item_lines.keys().all(|item| item.contains(':')) {
        AngoffBasis::Criterion
    } else {
        AngoffBasis::Position
    };
    Ok(CsvPanel { request: PanelRequest { part, basis, unit, panellists }, item_lines, range_lines, names })
}

/// Reads and checks a CSV panel, every problem with its line and column.
fn checked_csv(
    exam: &PinnedExam,
    text: &str,
    query: CsvImportQuery,
) -> Result<(PanelRequest, Vec<AngoffItem>, PanelInput), ApiError> {
    let part = query.part.clone();
    let csv = read_csv(text, part, query.unit)?;
    let at = |spot: Spot<'_>, detail: Message| match spot {
        Spot::Part => FieldError::said_in_field("part", detail),
        Spot::Panellists => cell_error(1, "", detail),
        Spot::Name(index) => cell_error(1, csv.names.get(index).map_or("", String::as_str), detail),
        Spot::Estimate(index, item) => cell_error(
            csv.item_lines.get(item).copied().unwrap_or(1),
            csv.names.get(index).map_or("", String::as_str),
            // A missing item has no line: the sentence names it.
            detail,
        ),
        Spot::Ranges(index, row) => cell_error(
            csv.range_lines.get(row).copied().unwrap_or(1),
            csv.names.get(index).map_or("", String::as_str),
            detail,
        ),
    };
    let (items, panel) = check_panel(exam, &csv.request, &at)?;
    Ok((csv.request, items, panel))
}

async fn csv_preview(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<CsvImportQuery>,
    CsvBody(text, encoding, _): CsvBody<PanelCsv>,
) -> Result<Json<PanelPreview>, ApiError> {
    let user = &staff.current.user;
    let (_, pinned) = loaded(&state, user, path.id, StandardSettingAction::Record).await?;
    let (panel, items, _) = checked_csv(&pinned, &text, query)?;
    let replaces = stored_panel(&state, path.id).await?.map(|stored| stored.version);
    Ok(Json(PanelPreview { encoding, panel, items, replaces }))
}

async fn csv_import(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    IfMatch(expected): IfMatch,
    ApiQuery(query): ApiQuery<CsvImportQuery>,
    CsvBody(text, _, _): CsvBody<PanelCsv>,
) -> Result<Json<StandardSettingView>, ApiError> {
    let user = &staff.current.user;
    let (data, pinned) = loaded(&state, user, path.id, StandardSettingAction::Record).await?;
    let (_, _, panel) = checked_csv(&pinned, &text, query)?;
    Ok(Json(write(&state, user, &data, &pinned, expected, panel).await?))
}

/// The rows of one exported table, header first.
pub(crate) fn csv_rows(
    view: &StandardSettingView,
    table: StandardSettingTable,
    language: Language,
) -> Vec<Vec<String>> {
    let tr = |key: &str| i18n::translate(language, key);
    let mut rows = Vec::new();
    let Some(record) = &view.panel else { return rows };
    let panel = &record.panel;
    let items = items_of_view(view, panel);
    match table {
        StandardSettingTable::Panel => {
            let mut header = vec![tr("standard_setting.csv.item")];
            header.extend(panel.panellists.iter().map(|p| p.name.clone()));
            rows.push(header);
            for item in &items {
                let mut row = vec![item.clone()];
                row.extend(
                    panel.panellists.iter().map(|p| p.estimates.get(item).cloned().unwrap_or_default()),
                );
                rows.push(row);
            }
            if panel.panellists.iter().any(|p| p.ranges.is_some()) {
                for name in RANGE_ROWS {
                    let mut row = vec![name.to_owned()];
                    row.extend(panel.panellists.iter().map(|p| {
                        p.ranges
                            .as_ref()
                            .map(|r| match name {
                                "min_cut" => r.min_cut.clone(),
                                "max_cut" => r.max_cut.clone(),
                                "min_fail_rate" => r.min_fail_rate.clone(),
                                _ => r.max_fail_rate.clone(),
                            })
                            .unwrap_or_default()
                    }));
                    rows.push(row);
                }
            }
        }
        StandardSettingTable::Results => {
            let Some(results) = &view.results else { return rows };
            rows.push(vec![
                tr("standard_setting.csv.what"),
                tr("standard_setting.csv.cut_score"),
                tr("standard_setting.csv.percent"),
            ]);
            for cut in &results.angoff.panellists {
                rows.push(vec![cut.name.clone(), cut.cut_score.clone(), cut.percent.clone()]);
            }
            let angoff = &results.angoff;
            rows.push(vec![
                tr("standard_setting.angoff.cut"),
                angoff.cut_score.clone(),
                angoff.percent.clone(),
            ]);
            rows.push(vec![
                tr("standard_setting.angoff.sd"),
                angoff.standard_deviation.clone().unwrap_or_default(),
                String::new(),
            ]);
            rows.push(vec![
                tr("standard_setting.angoff.se"),
                angoff.standard_error.clone().unwrap_or_default(),
                String::new(),
            ]);
            rows.push(vec![
                tr("standard_setting.angoff.max_total"),
                angoff.max_total.clone(),
                "100.0".to_owned(),
            ]);
            if let Some(hofstee) = &results.hofstee {
                rows.push(vec![
                    tr("standard_setting.hofstee.cut"),
                    hofstee.cut_score.clone().unwrap_or_default(),
                    hofstee.fail_rate.clone().unwrap_or_default(),
                ]);
            }
            for draft in &results.drafts {
                rows.push(vec![
                    tr(&format!("standard_setting.draft.{}", draft.cut.code())),
                    draft.points_at_pass_mark.clone(),
                    draft.pass_fraction.clone(),
                ]);
            }
        }
        StandardSettingTable::Distribution => {
            let Some(results) = &view.results else { return rows };
            rows.push(vec![
                tr("standard_setting.csv.from"),
                tr("standard_setting.csv.to"),
                tr("standard_setting.csv.candidates"),
                tr("standard_setting.csv.fail_rate_below"),
            ]);
            for row in &results.distribution.rows {
                rows.push(vec![
                    row.from.clone(),
                    row.to.clone(),
                    row.candidates.to_string(),
                    row.fail_rate_below.clone(),
                ]);
            }
        }
    }
    rows
}

/// The item ids of the panel, in blueprint order.
fn items_of_view(view: &StandardSettingView, panel: &PanelRequest) -> Vec<String> {
    let mut ids: Vec<String> = view.items.iter().map(|item| item.id.clone()).collect();
    if view.part != panel.part || view.basis != panel.basis || ids.is_empty() {
        ids = panel.panellists.first().map(|p| p.estimates.keys().cloned().collect()).unwrap_or_default();
    }
    ids
}

async fn csv_export(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<CsvExportQuery>,
) -> Result<Download, ApiError> {
    let user = &staff.current.user;
    let (data, pinned) = loaded(&state, user, path.id, StandardSettingAction::Read).await?;
    let stored = stored_panel(&state, path.id).await?;
    let view = view_of(&state, user, &data, &pinned, stored, ShowQuery::default()).await?;
    let language = match query.lang.unwrap_or(CsvLanguage::Fr) {
        CsvLanguage::Fr => Language::Fr,
        CsvLanguage::De => Language::De,
        CsvLanguage::It => Language::It,
    };
    let mut writer =
        csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(vec![0xEF, 0xBB, 0xBF]);
    for row in csv_rows(&view, query.table, language) {
        writer.write_record(&row).map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    let table = match query.table {
        StandardSettingTable::Panel => "panel",
        StandardSettingTable::Results => "seuil",
        StandardSettingTable::Distribution => "distribution",
    };
    let prefix = if data.session.kind == SessionKind::Mock { "examen-blanc" } else { "session" };
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("{prefix}-{}-angoff-{table}.csv", path.id),
        body,
    })
}

async fn draft_scheme_route(
    state: &AppState,
    user: &User,
    id: i64,
    cut: CutChoice,
) -> Result<GradingScheme, ApiError> {
    let (data, pinned) = loaded(state, user, id, StandardSettingAction::Read).await?;
    let stored = stored_panel(state, id)
        .await?
        .ok_or_else(|| ApiError::ConflictSaid(Message::new(MessageCode::PanelNone)))?;
    let view = view_of(state, user, &data, &pinned, Some(stored), ShowQuery::default()).await?;
    let draft = view
        .results
        .as_ref()
        .and_then(|results| results.drafts.iter().find(|draft| draft.cut == cut))
        .ok_or_else(|| {
            ApiError::ConflictSaid(Message::new(match cut {
                CutChoice::Angoff => MessageCode::PanelAngoffNoDraft,
                CutChoice::Hofstee => MessageCode::PanelHofsteeNoDraft,
            }))
        })?;
    Ok(build_draft_scheme(&pinned.scheme, draft, id))
}

async fn draft_scheme(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<DraftQuery>,
) -> Result<Json<GradingScheme>, ApiError> {
    Ok(Json(draft_scheme_route(&state, &staff.current.user, path.id, query.cut).await?))
}
