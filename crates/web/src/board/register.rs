//! The candidate register of a session for the board: each candidate's
//! master data (surname, given names, date of birth, place of origin,
//! address, exam language) and accommodations, the forms that edit one
//! candidate, and the CSV import (through [`super::upload`]'s preview →
//! confirm flow, [`Upload::MasterData`]).

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::board::Page;
use grille_report::pages::AccountLayout;
use grille_server::{AccommodationRequest, ExamLanguage, MasterDataRequest, RegisterEntryView};
use serde::{Deserialize, Serialize};

use super::overview::CandidatePath;
use super::upload::{Upload, UploadForm};
use super::{Notice, SessionHeader, field, plain, refusal_lines, render};
use crate::auth_pages::{encode, see_other};
use crate::page::{BoardAccount, PageError};

/// A candidate's line in the register.
#[derive(Debug, Serialize)]
struct EntryRow {
    number: String,
    name: Option<String>,
    date_of_birth: Option<String>,
    place_of_origin: Option<String>,
    language_key: Option<String>,
    /// The accommodations in a few words, if any.
    accommodation: Option<String>,
}

/// The register page of a session.
#[derive(Debug, Serialize)]
struct RegisterPage {
    account: AccountLayout,
    session: SessionHeader,
    entries: Vec<EntryRow>,
    upload: UploadForm,
    notice: Option<Notice>,
}

/// The master-data form as shown (or as posted).
#[derive(Debug, Default, Serialize)]
struct MasterForm {
    family_name: String,
    given_name: String,
    date_of_birth: String,
    place_of_origin: String,
    address: String,
    exam_language: String,
    canton: String,
    errors: Vec<String>,
}

/// The accommodation form as shown (or as posted).
#[derive(Debug, Default, Serialize)]
struct AccommodationForm {
    extra_minutes: String,
    aids: String,
    note: String,
    errors: Vec<String>,
}

/// One language offered on the form.
#[derive(Debug, Serialize)]
struct LanguageChoice {
    code: &'static str,
    name: String,
}

/// One candidate's register page.
#[derive(Debug, Serialize)]
struct CandidatePage {
    account: AccountLayout,
    session: SessionHeader,
    number: String,
    master: MasterForm,
    accommodation: AccommodationForm,
    exam_languages: Vec<LanguageChoice>,
    cantons: &'static [&'static str],
    notice: Option<Notice>,
}

/// `1990-12-31` as `31.12.1990`; anything else as it is.
fn swiss(iso: &str) -> String {
    grille_workflow::appeal::Date::parse(iso).map(|date| date.swiss()).unwrap_or_else(|_| iso.to_owned())
}

fn language_key(language: ExamLanguage) -> String {
    format!("identity.language.{}", language.code())
}

fn full_name(entry: &RegisterEntryView) -> Option<String> {
    let parts: Vec<&str> =
        [entry.given_name.as_deref(), entry.family_name.as_deref()].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn accommodation_summary(board: &BoardAccount, entry: &RegisterEntryView) -> Option<String> {
    let accommodation = &entry.accommodation;
    if accommodation.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(minutes) = accommodation.extra_minutes {
        parts.push(grille_report::i18n::format(
            &board.tr("register.accommodation.minutes"),
            &[("minutes", minutes.to_string())],
        ));
    }
    parts.extend(accommodation.aids.iter().cloned());
    parts.extend(accommodation.note.iter().cloned());
    Some(parts.join(" · "))
}

/// What the register page says after an import.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RegisterQuery {
    imported: Option<usize>,
}

pub(crate) async fn register_page(
    board: BoardAccount,
    Path(id): Path<i64>,
    Query(query): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    let notice = query.imported.map(|count| {
        Notice::success(grille_report::i18n::format(
            &board.tr("register.notice.imported"),
            &[("count", count.to_string())],
        ))
    });
    let session = board.session(id).await?;
    let entries: Vec<RegisterEntryView> = board.get(&format!("/api/sessions/{id}/register")).await?;
    let rows = entries
        .iter()
        .map(|entry| EntryRow {
            number: entry.number.clone(),
            name: full_name(entry),
            date_of_birth: entry.date_of_birth.as_deref().map(swiss),
            place_of_origin: entry.place_of_origin.clone(),
            language_key: entry.exam_language.map(language_key),
            accommodation: accommodation_summary(&board, entry),
        })
        .collect();
    let view = RegisterPage {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        entries: rows,
        upload: Upload::MasterData.form(id, &board.account),
        notice,
    };
    Ok(render(&board, StatusCode::OK, Page::Register, &view))
}

fn master_form(entry: &RegisterEntryView) -> MasterForm {
    MasterForm {
        family_name: entry.family_name.clone().unwrap_or_default(),
        given_name: entry.given_name.clone().unwrap_or_default(),
        date_of_birth: entry.date_of_birth.as_deref().map(swiss).unwrap_or_default(),
        place_of_origin: entry.place_of_origin.clone().unwrap_or_default(),
        address: entry.address.join("\n"),
        exam_language: entry.exam_language.map(|language| language.code().to_owned()).unwrap_or_default(),
        canton: entry.canton.clone().unwrap_or_default(),
        errors: Vec::new(),
    }
}

fn accommodation_form(entry: &RegisterEntryView) -> AccommodationForm {
    let accommodation = &entry.accommodation;
    AccommodationForm {
        extra_minutes: accommodation.extra_minutes.map(|minutes| minutes.to_string()).unwrap_or_default(),
        aids: accommodation.aids.clone().unwrap_or_default(),
        note: accommodation.note.clone().unwrap_or_default(),
        errors: Vec::new(),
    }
}

async fn render_candidate(
    board: &BoardAccount,
    path: &CandidatePath,
    status: StatusCode,
    posted: (Option<MasterForm>, Option<AccommodationForm>),
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let session = board.session(path.id).await?;
    // The candidate must be one of the session's (the register is the
    // board's, the page is the session's).
    let entries: Vec<RegisterEntryView> = board.get(&format!("/api/sessions/{}/register", path.id)).await?;
    let entry =
        entries.into_iter().find(|entry| entry.number == path.number).ok_or_else(|| board.not_found())?;
    let view = CandidatePage {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        number: path.number.clone(),
        master: posted.0.unwrap_or_else(|| master_form(&entry)),
        accommodation: posted.1.unwrap_or_else(|| accommodation_form(&entry)),
        exam_languages: [ExamLanguage::Fr, ExamLanguage::De, ExamLanguage::It]
            .into_iter()
            .map(|language| LanguageChoice { code: language.code(), name: board.tr(&language_key(language)) })
            .collect(),
        cantons: &grille_server::CANTONS,
        notice,
    };
    Ok(render(board, status, Page::RegisterCandidate, &view))
}

/// What the candidate page says after a save.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

pub(crate) async fn candidate_page(
    board: BoardAccount,
    Path(path): Path<CandidatePath>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let notice = match query.saved.as_deref() {
        Some(what @ ("master" | "accommodation")) => {
            Some(Notice::success(board.tr(&format!("register.notice.{what}"))))
        }
        _ => None,
    };
    render_candidate(&board, &path, StatusCode::OK, (None, None), notice).await
}

fn candidate_uri(path: &CandidatePath) -> String {
    format!("/board/sessions/{}/candidates/{}/register", path.id, encode(&path.number))
}

pub(crate) async fn save_master(
    board: BoardAccount,
    Path(path): Path<CandidatePath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let mut form = MasterForm {
        family_name: field(&fields, "family_name").to_owned(),
        given_name: field(&fields, "given_name").to_owned(),
        date_of_birth: field(&fields, "date_of_birth").trim().to_owned(),
        place_of_origin: field(&fields, "place_of_origin").to_owned(),
        address: field(&fields, "address").replace("\r\n", "\n"),
        exam_language: field(&fields, "exam_language").to_owned(),
        canton: field(&fields, "canton").to_owned(),
        errors: Vec::new(),
    };
    let exam_language = match form.exam_language.as_str() {
        "" => None,
        code => match ExamLanguage::from_code(code) {
            Some(language) => Some(language),
            None => {
                form.errors.push(board.tr("register.error.language"));
                return render_candidate(
                    &board,
                    &path,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    (Some(form), None),
                    None,
                )
                .await;
            }
        },
    };
    let request = MasterDataRequest {
        family_name: form.family_name.clone(),
        given_name: form.given_name.clone(),
        date_of_birth: Some(form.date_of_birth.clone()).filter(|day| !day.is_empty()),
        place_of_origin: Some(form.place_of_origin.clone()),
        address: form.address.lines().map(str::to_owned).collect(),
        exam_language,
        canton: Some(form.canton.clone()).filter(|code| !code.is_empty()),
    };
    let uri = format!("/api/candidates/{}/master-data", encode(&path.number));
    match board
        .send::<RegisterEntryView>(Method::PUT, &uri, field(&fields, "csrf"), None, Some(&request))
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?saved=master", candidate_uri(&path)))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            form.errors = refusal_lines(&board, &reply);
            render_candidate(&board, &path, reply.status, (Some(form), None), None).await
        }
    }
}

pub(crate) async fn save_accommodation(
    board: BoardAccount,
    Path(path): Path<CandidatePath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let mut form = AccommodationForm {
        extra_minutes: field(&fields, "extra_minutes").trim().to_owned(),
        aids: field(&fields, "aids").to_owned(),
        note: field(&fields, "note").to_owned(),
        errors: Vec::new(),
    };
    let extra_minutes = match form.extra_minutes.as_str() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(minutes) => Some(minutes),
            Err(_) => {
                form.errors.push(board.tr("register.error.minutes"));
                return render_candidate(
                    &board,
                    &path,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    (None, Some(form)),
                    None,
                )
                .await;
            }
        },
    };
    let text = |value: &str| Some(value.trim().to_owned()).filter(|value| !value.is_empty());
    let request = AccommodationRequest { extra_minutes, aids: text(&form.aids), note: text(&form.note) };
    let uri = format!("/api/candidates/{}/accommodation", encode(&path.number));
    match board
        .send::<RegisterEntryView>(Method::PUT, &uri, field(&fields, "csrf"), None, Some(&request))
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?saved=accommodation", candidate_uri(&path)))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            form.errors = refusal_lines(&board, &reply);
            render_candidate(&board, &path, reply.status, (None, Some(form)), None).await
        }
    }
}
