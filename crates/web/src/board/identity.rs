//! The exam body's identity and a session's official documents, for the
//! board:
//!
//! * `GET|POST /board/identity`: name, address, seat, signatories, canton,
//!   holidays, postal delivery days, the wording of the legal remedies;
//!   `POST /board/identity/logo` (multipart) and `.../logo/delete`;
//! * `GET|POST /board/sessions/{id}/official`: the exam's days and places,
//!   the notification day and the appeal deadline that follows, links to
//!   the grade sheets, the decision letters and the list of successful
//!   candidates;
//! * `GET /board/sessions/{id}/decisions` (every letter, a page each) and
//!   `.../decisions/{number}` (one), with `?notified=` to print them for
//!   another notification day.
//!
//! Everything goes through the API (`/api/board/identity`,
//! `/api/sessions/{id}/particulars`, `/api/sessions/{id}/decisions`) in
//! the server's types; the appeal deadline is computed there.

use axum::Router;
use axum::extract::{Form, Multipart, Path, RawQuery};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use grille_report::exam::BoardFrame;
use grille_report::i18n::{self, Language};
use grille_report::official::{
    self, CandidateLine, CantonOption, HolidayChoice, IdentityForm, IdentityPage, LanguageChoice, Letterhead,
    LogoLine, NoticeLine, Notification, Official, OfficialPage, Person, RemedyField, SessionRef,
    SignatoryLine, SittingField, SittingLine,
};
use grille_server::{
    AppealView, CANTONS, DecisionsView, IdentityRequest, IdentityView, MAX_LOGO_BYTES, NotificationSource,
    ParticularsDto, SessionView, SignatoryDto, SittingDto, Texts,
};
use grille_workflow::appeal::{Date, Holiday};
use serde::de::IgnoredAny;

use super::field;
use crate::WebState;
use crate::api::Reply;
use crate::auth_pages::see_other;
use crate::page::{BoardAccount, PageError};

/// Rows of days and places the official page offers.
const SITTING_ROWS: usize = 4;

/// The routes of this module, merged into [`super::routes`].
pub(crate) fn routes() -> Router<WebState> {
    let session = "/board/sessions/{id}";
    Router::new()
        .route("/board/identity", get(identity_page).post(identity_post))
        .route("/board/identity/logo", post(logo_post).layer(crate::cases::upload_limit()))
        .route("/board/identity/logo/delete", post(logo_delete))
        .route(&format!("{session}/official"), get(official_page).post(official_post))
        .route(&format!("{session}/decisions"), get(all_letters))
        .route(&format!("{session}/decisions/{{number}}"), get(one_letter))
}

// ---------------------------------------------------------------- shared

/// `2027-07-01` as `01.07.2027`; other text as it is.
fn swiss(iso: &str) -> String {
    Date::parse(iso).map(Date::swiss).unwrap_or_else(|_| iso.to_owned())
}

/// Today in Switzerland, `01.07.2027`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0);
    let utc = grille_workflow::time::utc_of_seconds(seconds);
    grille_workflow::time::utc_to_swiss_local(&utc)
        .and_then(|local| local.split('T').next().map(swiss))
        .unwrap_or_default()
}

/// The problems of a refused form, each with the field it concerns in
/// the reader's words.
fn problems(board: &BoardAccount, reply: &Reply) -> Vec<String> {
    if reply.status != StatusCode::UNPROCESSABLE_ENTITY {
        return super::refusal_lines(board, reply);
    }
    let problem = reply.problem();
    if problem.errors.is_empty() {
        return super::refusal_lines(board, reply);
    }
    problem
        .errors
        .iter()
        .map(|error| {
            match error.pointer.as_deref().map(|pointer| field_label(board.language.language, pointer)) {
                Some(Some(label)) => grille_report::i18n::labelled(
                    board.language.language,
                    &label,
                    &crate::api::error_text(error, board.language.language),
                ),
                _ => crate::api::error_text(error, board.language.language),
            }
        })
        .collect()
}

/// The label of the form field a JSON pointer of the API names.
fn field_label(language: Language, pointer: &str) -> Option<String> {
    let tr = |key: &str| i18n::translate(language, key);
    let numbered = |key: &str, index: &str| {
        let n = index.parse::<usize>().map(|index| index + 1).unwrap_or(1);
        i18n::format(&tr(key), &[("n", n.to_string())])
    };
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    Some(match parts.as_slice() {
        ["name"] => tr("identity.name"),
        ["address", ..] => tr("identity.address"),
        ["seat"] => tr("identity.seat"),
        ["signatories"] => tr("identity.signatories"),
        ["signatories", index, "name"] => numbered("identity.signatory_name", index),
        ["signatories", index, "function"] => numbered("identity.signatory_function", index),
        ["canton"] => tr("identity.canton"),
        ["postal_days"] => tr("identity.postal_days"),
        ["remedy", code] => {
            i18n::format(&tr("identity.remedy_in"), &[("language", tr(&format!("identity.language.{code}")))])
        }
        ["sittings", index, "date"] => {
            format!("{} {}", tr("official.page.date"), index.parse::<usize>().ok()? + 1)
        }
        ["sittings", index, "place"] => {
            format!("{} {}", tr("official.page.place"), index.parse::<usize>().ok()? + 1)
        }
        ["notified_on"] => tr("official.page.notified_on"),
        _ => return None,
    })
}

/// The letterhead, days and places, people and remedies of a session's
/// documents, from the API's answer.
pub(crate) fn official_of(view: &DecisionsView) -> Official {
    let identity = &view.identity;
    Official {
        letterhead: letterhead_of(identity),
        sittings: view
            .sittings
            .iter()
            .map(|sitting| SittingLine { date: swiss(&sitting.date), place: sitting.place.clone() })
            .collect(),
        people: view
            .candidates
            .iter()
            .map(|candidate| Person {
                number: candidate.number.clone(),
                family_name: candidate.family_name.clone(),
                given_name: candidate.given_name.clone(),
                date_of_birth: candidate.date_of_birth.as_deref().map(swiss),
                place_of_origin: candidate.place_of_origin.clone(),
                address: candidate.address.clone(),
                language: candidate.language.as_deref().and_then(Language::parse),
                notification: candidate
                    .canton
                    .as_ref()
                    .map(|_| notification_with(view, candidate.appeal.as_ref())),
                canton: candidate.canton.clone(),
            })
            .collect(),
        remedies: [
            identity.remedy_in(Language::Fr),
            identity.remedy_in(Language::De),
            identity.remedy_in(Language::It),
        ],
    }
}

fn letterhead_of(identity: &IdentityView) -> Letterhead {
    Letterhead {
        name: identity.name.clone(),
        address: identity.address.clone(),
        seat: identity.seat.clone(),
        logo: identity.logo.as_ref().map(|logo| logo.url.clone()),
        signatories: identity
            .signatories
            .iter()
            .map(|signatory| SignatoryLine {
                name: signatory.name.clone(),
                function: signatory.function.clone(),
            })
            .collect(),
    }
}

/// The notification and appeal deadline the letters print.
fn notification_of(view: &DecisionsView) -> Notification {
    notification_with(view, view.notification.appeal.as_ref())
}

/// The session's notification with the appeal period `appeal` (a
/// candidate's own, counted with their canton's holidays).
fn notification_with(view: &DecisionsView, appeal: Option<&AppealView>) -> Notification {
    let notification = &view.notification;
    let source = match notification.source {
        NotificationSource::Asked => "asked",
        NotificationSource::Entered => "entered",
        NotificationSource::Publication => "publication",
        NotificationSource::Unknown => "unknown",
    };
    Notification {
        dated: notification.published_on.as_deref().map(swiss).unwrap_or_else(today),
        notified_on: appeal.map(|appeal| swiss(&appeal.notified_on)),
        source_key: format!("official.notification.{source}"),
        published_on: notification.published_on.as_deref().map(swiss),
        postal_days: notification.postal_days,
        last_day: appeal.map(|appeal| swiss(&appeal.last_day)),
        last_weekday_key: appeal.map(|appeal| format!("official.weekday.{}", appeal.last_weekday)),
        stood_still_keys: appeal
            .map(|appeal| {
                appeal.stood_still.iter().map(|code| format!("official.stand_still.{code}")).collect()
            })
            .unwrap_or_default(),
    }
}

/// The board's official documents of session `id`, or `None` where there
/// are none (not final yet, a mock exam): the grade sheet then stays a
/// plain one.
pub(crate) async fn official_for_sheets(board: &BoardAccount, id: i64) -> Option<Official> {
    let uri = format!("/api/sessions/{id}/decisions");
    board.api.get::<DecisionsView>(&uri, &board.reading()).await.ok().map(|view| official_of(&view))
}

fn render(board: &BoardAccount, status: StatusCode, name: &str, view: &impl serde::Serialize) -> Response {
    let language = board.language;
    let environment = board.state.environment_for(None, Some(&board.account));
    language.respond(status, official::render_board_page(&environment, name, view, language.language))
}

// ---------------------------------------------------------------- identity

fn identity_form(identity: &IdentityView, language: Language) -> IdentityForm {
    let mut signatories: Vec<SignatoryLine> = identity
        .signatories
        .iter()
        .map(|signatory| SignatoryLine { name: signatory.name.clone(), function: signatory.function.clone() })
        .collect();
    signatories.resize(3, SignatoryLine { name: String::new(), function: String::new() });
    IdentityForm {
        name: identity.name.clone(),
        address: identity.address.join("\n"),
        seat: identity.seat.clone(),
        signatories,
        canton: identity.canton.clone().unwrap_or_default(),
        holidays: holiday_choices(&identity.holidays),
        postal_days: identity.postal_days.to_string(),
        remedies: Language::ALL
            .iter()
            .map(|code| RemedyField {
                code: code.code(),
                language: i18n::translate(language, &format!("identity.language.{}", code.code())),
                text: identity.remedy.get(*code).unwrap_or_default().to_owned(),
                default: identity.remedy_default.get(*code).unwrap_or_default().to_owned(),
            })
            .collect(),
        version: identity.version.to_string(),
    }
}

fn holiday_choices(chosen: &[Holiday]) -> Vec<HolidayChoice> {
    Holiday::ALL
        .iter()
        .map(|holiday| HolidayChoice {
            code: holiday.code(),
            key: format!("official.holiday.{}", holiday.code()),
            checked: chosen.contains(holiday),
        })
        .collect()
}

/// The cantons of the form, each with the holidays the API proposes.
fn canton_options(identity: &IdentityView) -> Vec<CantonOption> {
    CANTONS
        .iter()
        .map(|code| CantonOption {
            code,
            holidays: proposal(identity, code)
                .iter()
                .map(|holiday| holiday.code())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect()
}

/// The holidays proposed for `canton` (none for an unknown code).
fn proposal<'a>(identity: &'a IdentityView, canton: &str) -> &'a [Holiday] {
    identity
        .canton_holidays
        .iter()
        .find(|each| each.canton.eq_ignore_ascii_case(canton))
        .map_or(&[], |each| each.holidays.as_slice())
}

fn size_text(bytes: i64, language: Language) -> String {
    let (byte, kib) = if language == Language::Fr { ("o", "Kio") } else { ("B", "KiB") };
    if bytes < 1024 { format!("{bytes} {byte}") } else { format!("{} {kib}", (bytes + 1023) / 1024) }
}

async fn render_identity(
    board: &BoardAccount,
    status: StatusCode,
    form: Option<IdentityForm>,
    errors: Vec<String>,
    notice: Option<NoticeLine>,
) -> Result<Response, PageError> {
    let identity: IdentityView = board.get("/api/board/identity").await?;
    let language = board.language.language;
    // A form refused for a version saved meanwhile is shown as posted,
    // with the new version and the refusal: sent again, it replaces it.
    let form = form.map(|mut form| {
        if status == StatusCode::CONFLICT {
            form.version = identity.version.to_string();
        }
        form
    });
    let updated = match (&identity.updated_by, &identity.updated_at) {
        (Some(by), Some(at)) => Some(i18n::format(
            &i18n::translate(language, "identity.updated"),
            &[("by", by.clone()), ("at", grille_workflow::time::swiss_display(at))],
        )),
        _ => None,
    };
    let view = IdentityPage {
        account: board.account.view(),
        form: form.unwrap_or_else(|| identity_form(&identity, language)),
        cantons: canton_options(&identity),
        logo: identity.logo.as_ref().map(|logo| LogoLine {
            url: logo.url.clone(),
            media_type: logo.media_type.clone(),
            size: size_text(logo.size, language),
        }),
        max_logo_kib: MAX_LOGO_BYTES / 1024,
        errors,
        notice,
        updated,
    };
    Ok(render(board, status, "board_identity", &view))
}

/// What the last action did, from the query (`?saved=identity`).
fn saved_notice(board: &BoardAccount, query: Option<&str>) -> Option<NoticeLine> {
    let key = match crate::query_pairs(query)
        .iter()
        .find(|(name, _)| name == "saved")
        .map(|(_, value)| value.as_str())
    {
        Some("identity") => "identity.saved",
        Some("logo") => "identity.logo_saved",
        Some("logo_removed") => "identity.logo_removed",
        Some("particulars") => "official.page.saved",
        _ => return None,
    };
    Some(NoticeLine { kind: "success", text: board.tr(key) })
}

pub(crate) async fn identity_page(
    board: BoardAccount,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let notice = saved_notice(&board, query.as_deref());
    render_identity(&board, StatusCode::OK, None, Vec::new(), notice).await
}

/// The form as posted, kept to show it again with its problems.
fn posted_identity(fields: &[(String, String)], language: Language) -> (IdentityForm, IdentityRequest) {
    let text = |name: &str| field(fields, name).to_owned();
    let holidays: Vec<Holiday> = fields
        .iter()
        .filter(|(name, _)| name == "holiday")
        .filter_map(|(_, code)| Holiday::from_code(code))
        .collect();
    let signatories: Vec<SignatoryLine> = (1..=3)
        .map(|n| SignatoryLine {
            name: text(&format!("signatory_name_{n}")),
            function: text(&format!("signatory_function_{n}")),
        })
        .collect();
    let remedy = |code: &str| Some(text(&format!("remedy_{code}"))).filter(|text| !text.trim().is_empty());
    let postal_days = text("postal_days");
    let request = IdentityRequest {
        name: text("name"),
        address: text("address").lines().map(str::to_owned).filter(|line| !line.trim().is_empty()).collect(),
        seat: text("seat"),
        signatories: signatories
            .iter()
            .filter(|signatory| !signatory.name.trim().is_empty() || !signatory.function.trim().is_empty())
            .map(|signatory| SignatoryDto {
                name: signatory.name.clone(),
                function: signatory.function.clone(),
            })
            .collect(),
        canton: Some(text("canton")).filter(|code| !code.is_empty()),
        holidays: Some(holidays.clone()),
        // A number the API cannot take (too large) is refused there.
        postal_days: postal_days.trim().parse().unwrap_or(u32::MAX),
        remedy: Texts { fr: remedy("fr"), de: remedy("de"), it: remedy("it") },
    };
    let defaults: Vec<RemedyField> = Language::ALL
        .iter()
        .map(|code| RemedyField {
            code: code.code(),
            language: i18n::translate(language, &format!("identity.language.{}", code.code())),
            text: text(&format!("remedy_{}", code.code())),
            default: i18n::translate(*code, "official.remedy.default"),
        })
        .collect();
    let form = IdentityForm {
        name: request.name.clone(),
        address: text("address"),
        seat: request.seat.clone(),
        signatories,
        canton: text("canton"),
        holidays: holiday_choices(&holidays),
        postal_days,
        remedies: defaults,
        version: text("version").trim().to_owned(),
    };
    (form, request)
}

pub(crate) async fn identity_post(
    board: BoardAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (mut form, request) = posted_identity(&fields, board.language.language);
    if field(&fields, "action") == "propose_holidays" {
        // The canton's holidays ticked in the form as posted, nothing saved
        // (the page's script does the same without a round trip).
        let identity: IdentityView = board.get("/api/board/identity").await?;
        if form.canton.is_empty() {
            let errors = vec![board.tr("identity.holidays_no_canton")];
            return render_identity(&board, StatusCode::UNPROCESSABLE_ENTITY, Some(form), errors, None).await;
        }
        form.holidays = holiday_choices(proposal(&identity, &form.canton));
        let text = i18n::format(&board.tr("identity.holidays_proposed"), &[("canton", form.canton.clone())]);
        let notice = NoticeLine { kind: "info", text };
        return render_identity(&board, StatusCode::OK, Some(form), Vec::new(), Some(notice)).await;
    }
    let csrf = field(&fields, "csrf");
    let if_match = Some(form.version.as_str()).filter(|version| !version.is_empty());
    match board.send::<IdentityView>(Method::PUT, "/api/board/identity", csrf, if_match, Some(&request)).await
    {
        Ok(_) => Ok(see_other("/board/identity?saved=identity")),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = problems(&board, &reply);
            render_identity(&board, reply.status, Some(form), errors, None).await
        }
    }
}

pub(crate) async fn logo_post(board: BoardAccount, multipart: Multipart) -> Result<Response, PageError> {
    let uploaded = match crate::cases::read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            return render_identity(&board, StatusCode::BAD_REQUEST, None, vec![reason], None).await;
        }
    };
    let csrf = field(&uploaded.fields, "csrf").to_owned();
    let Some((_, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let errors = vec![board.tr("identity.no_file")];
        return render_identity(&board, StatusCode::UNPROCESSABLE_ENTITY, None, errors, None).await;
    };
    let uri = "/api/board/identity/logo";
    match board
        .send_file::<IdentityView>(Method::PUT, uri, &csrf, None, "application/octet-stream", bytes)
        .await
    {
        Ok(_) => Ok(see_other("/board/identity?saved=logo")),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = super::refusal_lines(&board, &reply);
            render_identity(&board, reply.status, None, errors, None).await
        }
    }
}

pub(crate) async fn logo_delete(
    board: BoardAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = field(&fields, "csrf");
    match board.send::<IgnoredAny>(Method::DELETE, "/api/board/identity/logo", csrf, None, None::<&()>).await
    {
        Ok(_) => Ok(see_other("/board/identity?saved=logo_removed")),
        Err(refusal) => Err(board.refused(refusal)),
    }
}

// ---------------------------------------------------------------- a session's documents

async fn render_official(
    board: &BoardAccount,
    id: i64,
    status: StatusCode,
    typed: Option<(Vec<SittingField>, String)>,
    errors: Vec<String>,
    notice: Option<NoticeLine>,
) -> Result<Response, PageError> {
    let session: SessionView = board.get(&format!("/api/sessions/{id}")).await?;
    let particulars: ParticularsDto = board.get(&format!("/api/sessions/{id}/particulars")).await?;
    let identity: IdentityView = board.get("/api/board/identity").await?;
    let is_final = session.state.is_final();
    let (notification, candidates) = if is_final {
        let decisions: DecisionsView = board.get(&format!("/api/sessions/{id}/decisions")).await?;
        let results =
            board.api.session_results(id, &board.reading()).await.map_err(|reply| board.refused(reply))?;
        let official = official_of(&decisions);
        let candidates = results
            .view
            .candidates
            .iter()
            .map(|result| {
                let person = official.person(&result.number);
                let name = [person.given_name, person.family_name]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                CandidateLine {
                    number: result.number.clone(),
                    name: Some(name).filter(|name| !name.trim().is_empty()),
                    outcome_key: grille_report::board::outcome_key(&result.outcome),
                }
            })
            .collect();
        (notification_of(&decisions), candidates)
    } else {
        (Notification::default(), Vec::new())
    };
    let (mut sittings, notified_on) = typed.unwrap_or_else(|| {
        let sittings = particulars
            .sittings
            .iter()
            .map(|sitting| SittingField { date: swiss(&sitting.date), place: sitting.place.clone() })
            .collect();
        (sittings, particulars.notified_on.as_deref().map(swiss).unwrap_or_default())
    });
    let rows = (sittings.len() + 1).max(SITTING_ROWS);
    sittings.resize(rows, SittingField::default());
    let view = OfficialPage {
        account: board.account.view(),
        session: SessionRef { id, name: session.name.clone() },
        identity_configured: identity.configured,
        errors,
        notice,
        sittings,
        notified_on,
        postal_days: identity.postal_days,
        is_final,
        notification,
        list_languages: Language::ALL
            .iter()
            .map(|language| LanguageChoice {
                code: language.code(),
                name: i18n::translate(*language, "language.name"),
            })
            .collect(),
        candidates,
    };
    Ok(render(board, status, "board_official", &view))
}

pub(crate) async fn official_page(
    board: BoardAccount,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let notice = saved_notice(&board, query.as_deref());
    render_official(&board, id, StatusCode::OK, None, Vec::new(), notice).await
}

pub(crate) async fn official_post(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed: Vec<SittingField> = (1..=20)
        .map(|n| SittingField {
            date: field(&fields, &format!("date_{n}")).trim().to_owned(),
            place: field(&fields, &format!("place_{n}")).trim().to_owned(),
        })
        .collect();
    let typed: Vec<SittingField> =
        typed.into_iter().filter(|row| !row.date.is_empty() || !row.place.is_empty()).collect();
    let notified_on = field(&fields, "notified_on").trim().to_owned();
    let request = ParticularsDto {
        sittings: typed
            .iter()
            .map(|row| SittingDto { date: row.date.clone(), place: row.place.clone() })
            .collect(),
        notified_on: Some(notified_on.clone()).filter(|text| !text.is_empty()),
    };
    let csrf = field(&fields, "csrf");
    let uri = format!("/api/sessions/{id}/particulars");
    match board.send::<ParticularsDto>(Method::PUT, &uri, csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other(&format!("/board/sessions/{id}/official?saved=particulars"))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let errors = problems(&board, &reply);
            render_official(&board, id, reply.status, Some((typed, notified_on)), errors, None).await
        }
    }
}

async fn letters(
    board: BoardAccount,
    id: i64,
    number: Option<String>,
    query: Option<String>,
) -> Result<Response, PageError> {
    let notified = crate::query_pairs(query.as_deref())
        .into_iter()
        .find(|(name, _)| name == "notified")
        .map(|(_, value)| value)
        .filter(|value| !value.trim().is_empty());
    let uri = match &notified {
        Some(day) => format!("/api/sessions/{id}/decisions?notified={}", crate::auth_pages::encode(day)),
        None => format!("/api/sessions/{id}/decisions"),
    };
    let decisions: DecisionsView = board.get(&uri).await?;
    let results =
        board.api.session_results(id, &board.reading()).await.map_err(|reply| board.refused(reply))?;
    let exam = board.api.pinned_exam(id).ok_or_else(|| {
        board.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "board.error.internal",
            board.tr("board.error.documents"),
        )
    })?;
    let (result, _) = results.session_result(id, &exam, true);
    let official = official_of(&decisions);
    let title = grille_competence::LocalizedText::fr(decisions.session_name.clone());
    let mut documents = crate::session_pages::exam_documents(&board.state.catalogue, &exam, Some(&title));
    documents.official = Some(&official);
    let base = format!("/board/sessions/{id}");
    let links = crate::session_pages::links(&base).with_board(BoardFrame {
        session_page: base,
        official: true,
        username: board.account.username.clone(),
        home: super::HOME.to_owned(),
        csrf: board.account.csrf.clone(),
    });
    let frame = minijinja::context! { account => minijinja::Value::from(minijinja::value::Serde(board.account.view())) };
    let environment = board.state.environment_for(query.as_deref(), Some(&board.account));
    let language = board.language;
    let notification = notification_of(&decisions);
    let page = official::decision_letters(
        &environment,
        &documents,
        &links,
        result,
        &official,
        &notification,
        number.as_deref(),
        language.language,
        &frame,
    );
    match page {
        Ok(Some(html)) => Ok(language.respond(StatusCode::OK, Ok(html))),
        Ok(None) => Err(board.not_found()),
        Err(error) => Ok(language.respond(StatusCode::OK, Err(error))),
    }
}

pub(crate) async fn all_letters(
    board: BoardAccount,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    letters(board, id, None, query).await
}

pub(crate) async fn one_letter(
    board: BoardAccount,
    Path((id, number)): Path<(i64, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    if !super::plain(&number) {
        return Err(board.not_found());
    }
    letters(board, id, Some(number), query).await
}
