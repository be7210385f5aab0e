//! Standard setting of a session for its organiser: the board's
//! (`/board/sessions/{id}/standard-setting`) and a trainer's for a mock
//! session of their school (`/trainer/sessions/{id}/standard-setting`),
//! one page and one set of handlers mounted twice ([`routes`], generic
//! over the [`Organiser`]): the modified-Angoff panel as
//! one table (rows: the positions or criteria of the pinned blueprint and
//! rubrics; columns: the panellists, named freely; four rows of Hofstee
//! ranges), saved with `If-Match` its version; the panel from a CSV file
//! (preview, then confirm); the results (each panellist's cut score, the
//! panel's with its standard error, Hofstee against the session's scores,
//! a chart with its table and a sentence saying what it means); and the
//! draft conversion for next year, downloaded as JSON or saved as a draft
//! into the organiser's document bank (the board's, or the school's),
//! never applied to the session.
//!
//! Every number and rule is the API's, who may read and record included (`/api/sessions/{id}/standard-setting`,
//! read as [`StandardSettingView`]).

use axum::extract::{FromRequest, Multipart, Path, Query, Request};
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use grille_report::board::{Page, render_page as render_page_html};
use grille_report::i18n;
use grille_report::pages::AccountLayout;
use grille_report::standard_setting::{FailRateChart, HofsteeBox, fail_rate_chart};
use grille_server::{
    AngoffBasis, BankDocumentDetail, CsvEncoding, EstimateUnit, ExamDocumentKind, HofsteeMissing,
    HofsteeRanges, NewBankDocument, PanelPreview, PanelRequest, PanellistRequest, StandardSettingResults,
    StandardSettingView, decode_csv,
};
use serde::{Deserialize, Serialize};

use super::{SessionHeader, field, refusal_lines};
use crate::WebState;
use crate::auth_pages::see_other;
use crate::page::{BoardAccount, Notice, PageError, TrainerAccount, Visit};

/// Who organises a session and so sets its standard: the board (official
/// sessions) or a school's trainer (their mock sessions). The API decides
/// who may read or record; this says where the pages live.
pub(crate) trait Organiser:
    std::ops::Deref<Target = Visit>
    + axum::extract::FromRequestParts<WebState, Rejection = PageError>
    + Send
    + 'static
{
    /// The root of the organiser's pages.
    const ROOT: &'static str;
    /// Whether the page shows the board's session navigation.
    const BOARD: bool;
}

impl Organiser for BoardAccount {
    const ROOT: &'static str = "/board";
    const BOARD: bool = true;
}

impl Organiser for TrainerAccount {
    const ROOT: &'static str = "/trainer";
    const BOARD: bool = false;
}

/// The page and its forms under `{ROOT}/sessions/{id}/standard-setting`.
pub(crate) fn routes<A: Organiser>() -> axum::Router<WebState> {
    use axum::routing::{get, post};
    let base = format!("{}/sessions/{{id}}/standard-setting", A::ROOT);
    axum::Router::new()
        .route(&base, get(page::<A>).post(save::<A>))
        .route(&format!("{base}/csv/preview"), post(csv_preview::<A>))
        .route(&format!("{base}/csv/confirm"), post(csv_confirm::<A>))
        .route(&format!("{base}/draft"), post(save_draft::<A>))
}

/// The session's pages for organiser `A`: `{ROOT}/sessions/{id}`.
fn base<A: Organiser>(id: i64) -> String {
    format!("{}/sessions/{id}", A::ROOT)
}

const RANGE_FIELDS: [&str; 4] = ["min_cut", "max_cut", "min_fail_rate", "max_fail_rate"];

/// The panel's columns at least (three members is a usual small panel).
const MIN_COLUMNS: usize = 3;

#[derive(Debug, Serialize)]
struct PartOption {
    id: String,
    title: String,
    selected: bool,
}

#[derive(Debug, Serialize, Clone)]
struct Column {
    index: usize,
    name: String,
}

#[derive(Debug, Serialize, Clone)]
struct Cell {
    column: usize,
    value: String,
}

#[derive(Debug, Serialize)]
struct ItemRow {
    index: usize,
    id: String,
    title: String,
    max: String,
    cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
struct RangeRow {
    field: &'static str,
    key: String,
    cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
struct PanelForm {
    version: Option<i64>,
    part: String,
    basis: &'static str,
    unit: &'static str,
    columns: Vec<Column>,
    rows: Vec<ItemRow>,
    ranges: Vec<RangeRow>,
    errors: Vec<String>,
    updated: Option<String>,
}

#[derive(Debug, Serialize)]
struct PanellistLine {
    name: String,
    cut_score: String,
    percent: String,
}

#[derive(Debug, Serialize)]
struct AngoffLines {
    cut_score: String,
    max_total: String,
    percent: String,
    standard_error: Option<String>,
    standard_deviation: Option<String>,
    range_low: String,
    range_high: String,
    panellists: Vec<PanellistLine>,
}

#[derive(Debug, Serialize)]
struct HofsteeLines {
    sentence: String,
    min_cut: String,
    max_cut: String,
    min_fail_rate: String,
    max_fail_rate: String,
}

#[derive(Debug, Serialize)]
struct DistributionLine {
    from: String,
    to: String,
    candidates: usize,
    fail_rate_below: String,
}

#[derive(Debug, Serialize)]
struct DistributionLines {
    candidates: usize,
    rows: Vec<DistributionLine>,
}

#[derive(Debug, Serialize)]
struct DraftLine {
    cut: &'static str,
    title_key: String,
    points_at_pass_mark: String,
    max_total: String,
    pass_fraction: String,
    grade_min: String,
    grade_pass: String,
    grade_max: String,
    file_name: String,
    scheme_version: String,
}

#[derive(Debug, Serialize)]
struct ResultLines {
    sentence: String,
    distribution_sentence: String,
    chart: String,
    angoff: AngoffLines,
    hofstee: Option<HofsteeLines>,
    hofstee_missing_key: Option<String>,
    distribution: DistributionLines,
    drafts: Vec<DraftLine>,
}

#[derive(Debug, Serialize)]
struct ProblemLine {
    line: Option<u64>,
    field: Option<String>,
    detail: String,
}

#[derive(Debug, Serialize)]
struct PreviewRow {
    item: String,
    values: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PreviewLines {
    csv: String,
    encoding: Option<String>,
    part: String,
    unit: &'static str,
    replaces: Option<i64>,
    errors: Vec<ProblemLine>,
    columns: Vec<String>,
    rows: Vec<PreviewRow>,
}

#[derive(Debug, Serialize)]
struct StandardSettingPage {
    account: AccountLayout,
    /// The session, for the board's navigation (none on a trainer's page).
    session: Option<SessionHeader>,
    /// The session whose standard is set.
    setting_session: SessionHeader,
    /// The session's pages: `/board/sessions/{id}` or `/trainer/sessions/{id}`.
    base: String,
    may_record: bool,
    parts: Vec<PartOption>,
    form: PanelForm,
    results: Option<ResultLines>,
    preview: Option<PreviewLines>,
    notice: Option<Notice>,
}

/// What the page's address may say.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    part: Option<String>,
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    columns: Option<usize>,
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    draft: Option<i64>,
}

fn format(board: &Visit, key: &str, arguments: &[(&str, String)]) -> String {
    i18n::format(&board.tr(key), arguments)
}

fn basis_code(basis: AngoffBasis) -> &'static str {
    match basis {
        AngoffBasis::Position => "position",
        AngoffBasis::Criterion => "criterion",
    }
}

fn unit_code(unit: EstimateUnit) -> &'static str {
    match unit {
        EstimateUnit::Points => "points",
        EstimateUnit::Probability => "probability",
    }
}

fn number(text: &str) -> f64 {
    text.trim().replace(',', ".").parse().unwrap_or(0.0)
}

/// The form: the panel shown (as recorded, or as posted after a refusal)
/// over the items the API lists.
fn form_of(
    board: &Visit,
    view: &StandardSettingView,
    shown: Option<&PanelRequest>,
    columns_wanted: usize,
) -> PanelForm {
    let language = board.language.language;
    let panellists: &[PanellistRequest] = shown.map(|panel| panel.panellists.as_slice()).unwrap_or(&[]);
    let count = columns_wanted.max(panellists.len() + usize::from(!panellists.is_empty())).clamp(1, 30);
    let columns: Vec<Column> = (0..count)
        .map(|index| Column {
            index,
            name: panellists.get(index).map(|p| p.name.clone()).unwrap_or_default(),
        })
        .collect();
    let rows = view
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let title = match &item.criterion_title {
                Some(criterion) => criterion.get(language.code()).to_owned(),
                None => item.position_title.get(language.code()).to_owned(),
            };
            ItemRow {
                index,
                id: item.id.clone(),
                title,
                max: item.max.clone(),
                cells: (0..count)
                    .map(|column| Cell {
                        column,
                        value: panellists
                            .get(column)
                            .and_then(|p| p.estimates.get(&item.id).cloned())
                            .unwrap_or_default(),
                    })
                    .collect(),
            }
        })
        .collect();
    let ranges = RANGE_FIELDS
        .iter()
        .map(|field| RangeRow {
            field,
            key: format!("standard_setting.range.{field}"),
            cells: (0..count)
                .map(|column| Cell {
                    column,
                    value: panellists
                        .get(column)
                        .and_then(|p| p.ranges.as_ref())
                        .map(|r| match *field {
                            "min_cut" => r.min_cut.clone(),
                            "max_cut" => r.max_cut.clone(),
                            "min_fail_rate" => r.min_fail_rate.clone(),
                            _ => r.max_fail_rate.clone(),
                        })
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let record = view.panel.as_ref();
    PanelForm {
        version: record.map(|record| record.version),
        part: view.part.clone().unwrap_or_default(),
        basis: basis_code(view.basis),
        unit: unit_code(shown.map(|panel| panel.unit).unwrap_or_default()),
        columns,
        rows,
        ranges,
        errors: Vec::new(),
        updated: record.map(|record| {
            format(
                board,
                "standard_setting.panel.updated",
                &[
                    ("version", record.version.to_string()),
                    ("at", grille_workflow::time::swiss_display(&record.updated_at)),
                    ("by", record.updated_by.clone()),
                ],
            )
        }),
    }
}

fn results_of(board: &Visit, results: &StandardSettingResults) -> ResultLines {
    let angoff = &results.angoff;
    let se = angoff.standard_error.clone();
    let sentence = {
        let spread = se.as_deref().map(number).unwrap_or(0.0);
        let cut = number(&angoff.cut_score);
        format(
            board,
            "standard_setting.sentence.angoff",
            &[
                ("cut", angoff.cut_score.clone()),
                ("max", angoff.max_total.clone()),
                ("percent", angoff.percent.clone()),
                ("se", se.clone().unwrap_or_else(|| "0".to_owned())),
                ("low", format!("{:.2}", (cut - 2.0 * spread).max(0.0))),
                ("high", format!("{:.2}", (cut + 2.0 * spread).min(number(&angoff.max_total)))),
            ],
        )
    };
    let distribution = &results.distribution;
    let distribution_sentence = match &distribution.angoff_fail_rate {
        Some(rate) if distribution.candidates > 0 => format(
            board,
            "standard_setting.sentence.distribution",
            &[("rate", rate.clone()), ("count", distribution.candidates.to_string())],
        ),
        _ => board.tr("standard_setting.sentence.no_scores"),
    };
    let hofstee = results.hofstee.as_ref().map(|view| {
        let key = format!("standard_setting.hofstee.outcome.{}", view.outcome);
        HofsteeLines {
            sentence: format(
                board,
                &key,
                &[
                    ("cut", view.cut_score.clone().unwrap_or_default()),
                    ("rate", view.fail_rate.clone().unwrap_or_default()),
                ],
            ),
            min_cut: view.min_cut.clone(),
            max_cut: view.max_cut.clone(),
            min_fail_rate: view.min_fail_rate.clone(),
            max_fail_rate: view.max_fail_rate.clone(),
        }
    });
    let hofstee_missing_key = results.hofstee_missing.map(|missing| {
        let code = match missing {
            HofsteeMissing::NoRanges => "no_ranges",
            HofsteeMissing::NoScores => "no_scores",
            HofsteeMissing::Degenerate => "degenerate",
        };
        format!("standard_setting.hofstee.missing.{code}")
    });
    let scores: Vec<f64> = distribution.scores.iter().map(|score| number(score)).collect();
    let title = board.tr("standard_setting.chart.title");
    let (points, rate) =
        (board.tr("standard_setting.chart.points"), board.tr("standard_setting.chart.fail_rate"));
    let (angoff_legend, hofstee_legend) =
        (board.tr("standard_setting.angoff.cut"), board.tr("standard_setting.hofstee.heading"));
    let chart = fail_rate_chart(&FailRateChart {
        title: &title,
        axes: (&points, &rate),
        legends: (&angoff_legend, &hofstee_legend),
        scores: &scores,
        max_total: number(&angoff.max_total),
        angoff: number(&angoff.cut_score),
        hofstee: results.hofstee.as_ref().map(|view| HofsteeBox {
            min_cut: number(&view.min_cut),
            max_cut: number(&view.max_cut),
            min_fail_rate: number(&view.min_fail_rate) / 100.0,
            max_fail_rate: number(&view.max_fail_rate) / 100.0,
            cut: view.cut_score.as_deref().map(number),
        }),
    });
    ResultLines {
        sentence,
        distribution_sentence,
        chart,
        angoff: AngoffLines {
            cut_score: angoff.cut_score.clone(),
            max_total: angoff.max_total.clone(),
            percent: angoff.percent.clone(),
            standard_error: se,
            standard_deviation: angoff.standard_deviation.clone(),
            range_low: angoff.range.0.clone(),
            range_high: angoff.range.1.clone(),
            panellists: angoff
                .panellists
                .iter()
                .map(|p| PanellistLine {
                    name: p.name.clone(),
                    cut_score: p.cut_score.clone(),
                    percent: p.percent.clone(),
                })
                .collect(),
        },
        hofstee,
        hofstee_missing_key,
        distribution: DistributionLines {
            candidates: distribution.candidates,
            rows: distribution
                .rows
                .iter()
                .map(|row| DistributionLine {
                    from: row.from.clone(),
                    to: row.to.clone(),
                    candidates: row.candidates,
                    fail_rate_below: row.fail_rate_below.clone(),
                })
                .collect(),
        },
        drafts: results
            .drafts
            .iter()
            .map(|draft| {
                let cut = match draft.cut {
                    grille_server::CutChoice::Angoff => "angoff",
                    grille_server::CutChoice::Hofstee => "hofstee",
                };
                DraftLine {
                    cut,
                    title_key: format!("standard_setting.draft.{cut}"),
                    points_at_pass_mark: draft.points_at_pass_mark.clone(),
                    max_total: draft.max_total.clone(),
                    pass_fraction: draft.pass_fraction.clone(),
                    grade_min: draft.grades.0.clone(),
                    grade_pass: draft.grades.1.clone(),
                    grade_max: draft.grades.2.clone(),
                    file_name: format!("{}-{}.json", draft.scheme_id, draft.scheme_version),
                    scheme_version: draft.scheme_version.clone(),
                }
            })
            .collect(),
    }
}

/// What the page shows besides the recorded panel.
#[derive(Default)]
struct Shown {
    /// The panel as posted (a refused save), shown instead of the stored.
    posted: Option<PanelRequest>,
    errors: Vec<String>,
    preview: Option<PreviewLines>,
    notice: Option<Notice>,
}

fn query_uri(id: i64, part: Option<&str>, basis: Option<&str>) -> String {
    let mut uri = format!("/api/sessions/{id}/standard-setting");
    let mut params = Vec::new();
    if let Some(part) = part.filter(|part| !part.is_empty() && part.len() <= 32) {
        params.push(format!("part={}", urlencode(part)));
    }
    if let Some(basis) = basis.filter(|basis| matches!(*basis, "position" | "criterion")) {
        params.push(format!("basis={basis}"));
    }
    if !params.is_empty() {
        uri.push('?');
        uri.push_str(&params.join("&"));
    }
    uri
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn render_page<A: Organiser>(
    board: &Visit,
    id: i64,
    status: StatusCode,
    query: &PageQuery,
    shown: Shown,
) -> Result<Response, PageError> {
    let session: grille_server::SessionView = board.get(&format!("/api/sessions/{id}")).await?;
    let posted_scope = shown.posted.as_ref().map(|panel| (panel.part.clone(), basis_code(panel.basis)));
    let (part, basis) = match &posted_scope {
        Some((part, basis)) => (part.clone(), Some(*basis)),
        None => (query.part.clone(), query.basis.as_deref()),
    };
    let view: StandardSettingView = board.get(&query_uri(id, part.as_deref(), basis)).await?;
    let language = board.language.language;
    let stored = view.panel.as_ref().map(|record| &record.panel);
    let same_scope = stored.is_some_and(|panel| panel.part == view.part && panel.basis == view.basis);
    let shown_panel = shown.posted.as_ref().or(stored.filter(|_| same_scope));
    let mut form = form_of(board, &view, shown_panel, query.columns.unwrap_or(MIN_COLUMNS).max(MIN_COLUMNS));
    form.errors = shown.errors;
    let page = StandardSettingPage {
        account: board.account.view(),
        session: A::BOARD.then(|| SessionHeader::from(&session)),
        setting_session: SessionHeader::from(&session),
        base: base::<A>(id),
        may_record: view.may_record,
        parts: view
            .parts
            .iter()
            .map(|part| PartOption {
                id: part.id.clone(),
                title: part.title.get(language.code()).to_owned(),
                selected: view.part.as_deref() == Some(part.id.as_str()),
            })
            .collect(),
        form,
        results: view.results.as_ref().map(|results| results_of(board, results)),
        preview: shown.preview,
        notice: shown.notice,
    };
    let language = board.language;
    let html = render_page_html(&board.state.environment, Page::StandardSetting, &page, language.language);
    Ok(language.respond(status, html))
}

pub(crate) async fn page<A: Organiser>(
    board: A,
    Path(id): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let notice = if query.saved.is_some() {
        Some(Notice::success(board.tr("standard_setting.notice.saved")))
    } else {
        query.draft.map(|_| Notice::success(board.tr("standard_setting.draft.saved")))
    };
    render_page::<A>(&board, id, StatusCode::OK, &query, Shown { notice, ..Shown::default() }).await
}

/// The panel as the form posted it: empty columns left out.
fn posted(fields: &[(String, String)]) -> PanelRequest {
    let text = |name: &str| field(fields, name).trim().to_owned();
    let columns: usize = text("columns").parse().unwrap_or(0).min(30);
    let rows: usize = text("rows").parse().unwrap_or(0).min(2000);
    let items: Vec<String> = (0..rows).map(|row| text(&format!("item.{row}"))).collect();
    let mut panellists = Vec::new();
    for column in 0..columns {
        let name = text(&format!("name.{column}"));
        let estimates: std::collections::BTreeMap<String, String> = items
            .iter()
            .enumerate()
            .map(|(row, item)| (item.clone(), text(&format!("est.{column}.{row}"))))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let range: Vec<String> = RANGE_FIELDS.iter().map(|f| text(&format!("range.{column}.{f}"))).collect();
        if name.is_empty() && estimates.is_empty() && range.iter().all(String::is_empty) {
            continue;
        }
        let ranges = (!range.iter().all(String::is_empty)).then(|| HofsteeRanges {
            min_cut: range[0].clone(),
            max_cut: range[1].clone(),
            min_fail_rate: range[2].clone(),
            max_fail_rate: range[3].clone(),
        });
        panellists.push(PanellistRequest { name, estimates, ranges });
    }
    let part = Some(text("part")).filter(|part| !part.is_empty());
    let basis = if text("basis") == "criterion" { AngoffBasis::Criterion } else { AngoffBasis::Position };
    let unit = if text("unit") == "probability" { EstimateUnit::Probability } else { EstimateUnit::Points };
    PanelRequest { part, basis, unit, panellists }
}

pub(crate) async fn save<A: Organiser>(
    board: A,
    Path(id): Path<i64>,
    axum::extract::Form(fields): axum::extract::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let request = posted(&fields);
    let version = field(&fields, "version").trim().to_owned();
    let if_match = Some(version.as_str()).filter(|version| !version.is_empty());
    let uri = format!("/api/sessions/{id}/standard-setting");
    let answer = board
        .send::<StandardSettingView>(Method::PUT, &uri, field(&fields, "csrf"), if_match, Some(&request))
        .await;
    match answer {
        Ok(_) => Ok(see_other(&format!("{}/standard-setting?saved=1", base::<A>(id)))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = refusal_lines(&board, &reply);
            let shown = Shown { posted: Some(request), errors, ..Shown::default() };
            render_page::<A>(&board, id, reply.status, &PageQuery::default(), shown).await
        }
    }
}

/// A CSV upload: the file (or the text of a confirmation) and the fields
/// beside it.
#[derive(Default)]
struct SentPanel {
    csrf: String,
    part: String,
    unit: String,
    version: String,
    bytes: Vec<u8>,
}

async fn read_upload(request: Request) -> Result<SentPanel, String> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    let mut sent = SentPanel::default();
    if !multipart {
        let axum::extract::Form(fields) =
            axum::extract::Form::<Vec<(String, String)>>::from_request(request, &())
                .await
                .map_err(|rejection| rejection.body_text())?;
        sent.csrf = field(&fields, "csrf").to_owned();
        sent.part = field(&fields, "part").trim().to_owned();
        sent.unit = field(&fields, "unit").trim().to_owned();
        sent.version = field(&fields, "version").trim().to_owned();
        sent.bytes = field(&fields, "csv").as_bytes().to_vec();
        return Ok(sent);
    }
    let mut multipart =
        Multipart::from_request(request, &()).await.map_err(|rejection| rejection.body_text())?;
    loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(error) => return Err(error.body_text()),
        };
        let name = part.name().unwrap_or_default().to_owned();
        if name == "file" {
            sent.bytes = part.bytes().await.map_err(|error| error.body_text())?.to_vec();
            continue;
        }
        let value = part.text().await.map_err(|error| error.body_text())?;
        match name.as_str() {
            "csrf" => sent.csrf = value,
            "part" => sent.part = value.trim().to_owned(),
            "unit" => sent.unit = value.trim().to_owned(),
            _ => {}
        }
    }
    Ok(sent)
}

fn csv_query(id: i64, sent: &SentPanel, path: &str) -> String {
    let unit = if sent.unit == "probability" { "probability" } else { "points" };
    let mut uri = format!("/api/sessions/{id}/standard-setting/{path}?unit={unit}");
    if !sent.part.is_empty() && sent.part.len() <= 32 {
        uri.push_str(&format!("&part={}", urlencode(&sent.part)));
    }
    uri
}

pub(crate) async fn csv_preview<A: Organiser>(
    board: A,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    let sent = match read_upload(request).await {
        Ok(sent) => sent,
        Err(reason) => {
            let preview = PreviewLines {
                csv: String::new(),
                encoding: None,
                part: String::new(),
                unit: "points",
                replaces: None,
                errors: vec![ProblemLine { line: None, field: None, detail: reason }],
                columns: Vec::new(),
                rows: Vec::new(),
            };
            let shown = Shown { preview: Some(preview), ..Shown::default() };
            return render_page::<A>(&board, id, StatusCode::BAD_REQUEST, &PageQuery::default(), shown).await;
        }
    };
    let text = decode_csv(&sent.bytes)
        .map(|(text, _)| text.trim_start_matches('\u{feff}').replace("\r\n", "\n"))
        .unwrap_or_default();
    let uri = csv_query(id, &sent, "csv/preview");
    let answer = board
        .send_file::<PanelPreview>(Method::POST, &uri, &sent.csrf, None, "text/csv", sent.bytes.clone())
        .await;
    let unit = if sent.unit == "probability" { "probability" } else { "points" };
    let (status, preview) = match answer {
        Ok(preview) => {
            let encoding: CsvEncoding = preview.encoding;
            let columns: Vec<String> = preview.panel.panellists.iter().map(|p| p.name.clone()).collect();
            let rows = preview
                .items
                .iter()
                .map(|item| PreviewRow {
                    item: item.id.clone(),
                    values: preview
                        .panel
                        .panellists
                        .iter()
                        .map(|p| p.estimates.get(&item.id).cloned().unwrap_or_default())
                        .collect(),
                })
                .collect();
            (
                StatusCode::OK,
                PreviewLines {
                    csv: text,
                    encoding: Some(board.tr(encoding.key())),
                    part: sent.part.clone(),
                    unit,
                    replaces: preview.replaces,
                    errors: Vec::new(),
                    columns,
                    rows,
                },
            )
        }
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
                reply
                    .problem()
                    .errors
                    .into_iter()
                    .map(|error| ProblemLine {
                        detail: crate::api::error_text(&error, board.language.language),
                        line: error.line,
                        field: error.field,
                    })
                    .collect()
            } else {
                refusal_lines(&board, &reply)
                    .into_iter()
                    .map(|detail| ProblemLine { line: None, field: None, detail })
                    .collect()
            };
            (
                reply.status,
                PreviewLines {
                    csv: text,
                    encoding: None,
                    part: sent.part.clone(),
                    unit,
                    replaces: None,
                    errors,
                    columns: Vec::new(),
                    rows: Vec::new(),
                },
            )
        }
    };
    let query =
        PageQuery { part: Some(sent.part.clone()).filter(|part| !part.is_empty()), ..PageQuery::default() };
    render_page::<A>(&board, id, status, &query, Shown { preview: Some(preview), ..Shown::default() }).await
}

pub(crate) async fn csv_confirm<A: Organiser>(
    board: A,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    let sent = read_upload(request)
        .await
        .map_err(|reason| board.error(StatusCode::BAD_REQUEST, "board.error.internal", reason))?;
    let uri = csv_query(id, &sent, "csv");
    let if_match = Some(sent.version.as_str()).filter(|version| !version.is_empty());
    let answer = board
        .send_file::<StandardSettingView>(
            Method::POST,
            &uri,
            &sent.csrf,
            if_match,
            "text/csv; charset=utf-8",
            sent.bytes.clone(),
        )
        .await;
    match answer {
        Ok(_) => Ok(see_other(&format!("{}/standard-setting?saved=1", base::<A>(id)))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = refusal_lines(&board, &reply);
            render_page::<A>(
                &board,
                id,
                reply.status,
                &PageQuery::default(),
                Shown { errors, ..Shown::default() },
            )
            .await
        }
    }
}

/// Saves the draft scheme of the chosen cut score into the organiser's
/// bank (the API puts a trainer's into their school's).
pub(crate) async fn save_draft<A: Organiser>(
    board: A,
    Path(id): Path<i64>,
    axum::extract::Form(fields): axum::extract::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let cut = if field(&fields, "cut") == "hofstee" { "hofstee" } else { "angoff" };
    let scheme: serde_json::Value =
        board.get(&format!("/api/sessions/{id}/standard-setting/draft-scheme?cut={cut}")).await?;
    let request = NewBankDocument { kind: ExamDocumentKind::Scheme, document: scheme };
    let answer = board
        .send::<BankDocumentDetail>(
            Method::POST,
            "/api/documents",
            field(&fields, "csrf"),
            None,
            Some(&request),
        )
        .await;
    match answer {
        Ok(created) => {
            Ok(see_other(&format!("{}/standard-setting?draft={}", base::<A>(id), created.summary.id)))
        }
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let notice = Some(Notice::error(refusal_lines(&board, &reply).join(" ")));
            render_page::<A>(
                &board,
                id,
                reply.status,
                &PageQuery::default(),
                Shown { notice, ..Shown::default() },
            )
            .await
        }
    }
}
