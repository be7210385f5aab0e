//! The CSV uploads of a session's overview, which share one flow: a form
//! with the expected columns and a template, a preview that shows every
//! problem row before anything is saved, and a confirmation that saves all
//! or nothing.

use axum::extract::{Form, FromRequest, Multipart, Path, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grille_report::board::Page;
use grille_report::i18n;
use grille_report::pages::AccountLayout;
use grille_server::{
    AssignResponse, AssignmentsPreview, CandidateView, CsvDecodeError, CsvEncoding, CsvPreview,
    EnrolResponse, SessionView, decode_csv,
};
use serde::Serialize;

use super::{SessionHeader, field, parts_of, short};
use crate::api::{Refusal, Reply};
use crate::auth_pages::{Account, see_other};
use crate::page::{BoardAccount, PageError, Visit};

/// Whose pages the upload is on: the board's (official sessions) or a
/// trainer's (their school's mock sessions). The flow, the checks (the
/// API's) and the preview are the same; the address, the layout and the
/// session page to go back to differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// `/board/sessions/{id}/...`.
    Board,
    /// `/trainer/sessions/{id}/...`.
    Trainer,
}

impl Host {
    /// The session's page, and the prefix of its upload addresses.
    pub(crate) fn base(self, id: i64) -> String {
        match self {
            Host::Board => format!("/board/sessions/{id}"),
            Host::Trainer => format!("/trainer/sessions/{id}"),
        }
    }

    /// The session as the API shows it to the visitor (a trainer reaches
    /// only the mock sessions of their school; another kind is 404 here).
    async fn session(self, visit: &Visit, id: i64) -> Result<SessionView, PageError> {
        let session: SessionView = visit.get(&format!("/api/sessions/{id}")).await?;
        if self == Host::Trainer && session.kind != grille_workflow::SessionKind::Mock {
            return Err(visit.not_found());
        }
        Ok(session)
    }

    /// The preview page in the host's layout.
    fn render(self, visit: &Visit, status: StatusCode, view: &impl Serialize) -> Response {
        let language = visit.language;
        let environment = &visit.state.environment;
        match self {
            Host::Board => language.respond(
                status,
                grille_report::board::render_page(environment, Page::CsvPreview, view, language.language),
            ),
            Host::Trainer => language.respond(
                status,
                grille_report::candidate::render_page(
                    environment,
                    grille_report::candidate::Page::TrainerCsvPreview,
                    view,
                    language.language,
                ),
            ),
        }
    }
}

/// The two uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upload {
    /// Candidates (`/board/sessions/{id}/enrolment/...`).
    Enrolment,
    /// Examiner assignments (`/board/sessions/{id}/assignments/...`).
    Assignments,
    /// Candidates' master data (`/board/sessions/{id}/register/...`),
    /// written to the board's register.
    MasterData,
}

/// A column of an upload: its names in French (the template's) and in
/// German, each accepted in a header; a German page shows the German ones
/// first and marks the French ones `lang="fr"`.
#[derive(Debug, Serialize)]
struct Column {
    names: &'static [&'static str],
    de: &'static [&'static str],
    key: &'static str,
}

/// What the templates need of an upload: the form's address, its element
/// ids' prefix, its translation keys' prefix, the columns.
#[derive(Debug, Serialize)]
pub(crate) struct UploadForm {
    kind: &'static str,
    prefix: &'static str,
    keys: &'static str,
    action: String,
    /// The session page (the preview's "cancel").
    back: String,
    columns: Vec<Column>,
    csrf: String,
}

/// The rows an upload would save.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Rows {
    Candidates(Vec<CandidateView>),
    Assignments(Vec<grille_server::ProposedAssignment>),
    MasterData(Vec<MasterDataRow>),
}

/// A candidate's master data as the preview shows it.
#[derive(Debug, Serialize)]
struct MasterDataRow {
    number: String,
    family_name: Option<String>,
    given_name: Option<String>,
    date_of_birth: Option<String>,
    place_of_origin: Option<String>,
    address: Vec<String>,
    language_key: Option<String>,
    canton: Option<String>,
}

impl From<grille_server::RegisterEntryView> for MasterDataRow {
    fn from(entry: grille_server::RegisterEntryView) -> MasterDataRow {
        MasterDataRow {
            number: entry.number,
            family_name: entry.family_name,
            given_name: entry.given_name,
            date_of_birth: entry
                .date_of_birth
                .as_deref()
                .and_then(|iso| grille_workflow::appeal::Date::parse(iso).ok())
                .map(|date| date.swiss()),
            place_of_origin: entry.place_of_origin,
            address: entry.address,
            language_key: entry
                .exam_language
                .map(|language| format!("identity.language.{}", language.code())),
            canton: entry.canton,
        }
    }
}

/// A problem of the file, with its line's text.
#[derive(Debug, Serialize)]
struct RowProblem {
    line: Option<u64>,
    field: Option<String>,
    detail: String,
    row: String,
}

#[derive(Debug, Serialize)]
struct PreviewView<'a> {
    account: AccountLayout,
    session: SessionHeader,
    upload: UploadForm,
    csv: &'a str,
    /// The name of the encoding a chosen file was read in (none for text
    /// typed or pasted in the form).
    encoding: Option<String>,
    errors: Vec<RowProblem>,
    rows: Rows,
}

/// What an upload form sent: the CSRF token and the file chosen (its
/// bytes, read in whatever encoding Excel wrote them) or the text typed.
#[derive(Debug, Default)]
pub(crate) struct SentCsv {
    csrf: String,
    /// The text of the file (decoded) or of the form's text field.
    text: String,
    /// The file as it was sent, with the encoding it was read in, or why
    /// it is no CSV text.
    file: Option<(Vec<u8>, Result<CsvEncoding, CsvDecodeError>)>,
}

impl SentCsv {
    /// Reads a multipart form (a file field `file`, text fields `csrf` and
    /// `csv`) or a URL-encoded one (`csrf`, `csv`). A file chosen wins over
    /// the text field.
    pub(super) async fn read(request: Request) -> Result<SentCsv, String> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("multipart/form-data"));
        if !multipart {
            let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, &())
                .await
                .map_err(|rejection| rejection.body_text())?;
            return Ok(SentCsv {
                csrf: field(&fields, "csrf").to_owned(),
                text: clean_csv(field(&fields, "csv")),
                file: None,
            });
        }
        let mut multipart =
            Multipart::from_request(request, &()).await.map_err(|rejection| rejection.body_text())?;
        let mut sent = SentCsv::default();
        loop {
            let part = match multipart.next_field().await {
                Ok(Some(part)) => part,
                Ok(None) => break,
                Err(error) => return Err(error.body_text()),
            };
            match part.name().unwrap_or_default() {
                "file" => {
                    let bytes = part.bytes().await.map_err(|error| error.body_text())?;
                    if !bytes.is_empty() {
                        sent.file = Some((bytes.to_vec(), Ok(CsvEncoding::Utf8)));
                    }
                }
                "csrf" => sent.csrf = part.text().await.map_err(|error| error.body_text())?,
                "csv" => sent.text = clean_csv(&part.text().await.map_err(|error| error.body_text())?),
                _ => {}
            }
        }
        if let Some((bytes, encoding)) = &mut sent.file {
            match decode_csv(bytes) {
                Ok((text, read)) => {
                    sent.text = clean_csv(&text);
                    *encoding = Ok(read);
                }
                Err(error) => *encoding = Err(error),
            }
        }
        Ok(sent)
    }

    /// The body sent to the API: the file as it is (the API says which
    /// encoding it read), or the text typed.
    fn body(&self) -> Vec<u8> {
        match &self.file {
            Some((bytes, _)) => bytes.clone(),
            None => self.text.clone().into_bytes(),
        }
    }
}

impl Upload {
    /// The API route that saves the file (`/preview` checks it).
    fn api(self, id: i64) -> String {
        match self {
            Upload::Enrolment => format!("/api/sessions/{id}/candidates/csv"),
            Upload::Assignments => format!("/api/sessions/{id}/assignments/csv"),
            Upload::MasterData => "/api/candidates/master-data/csv".to_owned(),
        }
    }

    /// What the templates need.
    pub(super) fn form(self, id: i64, account: &Account) -> UploadForm {
        self.form_on(Host::Board, id, account)
    }

    /// What the templates need, on `host`'s pages.
    pub(crate) fn form_on(self, host: Host, id: i64, account: &Account) -> UploadForm {
        let base = host.base(id);
        let column = |names, de, key| Column { names, de, key };
        let (kind, prefix, keys, action, columns) = match self {
            Upload::Enrolment => (
                "enrolment",
                "csv",
                "board.csv",
                format!("{base}/enrolment"),
                vec![
                    column(&["numero"], &["Nummer"], "board.csv.column.number"),
                    column(&["nom"], &["Nachname"], "board.csv.column.family_name"),
                    column(&["prenom"], &["Vorname"], "board.csv.column.given_name"),
                    column(&["courriel"], &["E-Mail"], "board.csv.column.email"),
                ],
            ),
            Upload::Assignments => (
                "assignments",
                "assign-csv",
                "board.assign_csv",
                format!("{base}/assignments"),
                vec![
                    column(&["numero"], &["Nummer"], "board.assign_csv.column.number"),
                    column(&["epreuve"], &["Prüfungsteil"], "board.assign_csv.column.part"),
                    column(
                        &["expert 1", "expert 2"],
                        &["Experte 1", "Experte 2"],
                        "board.assign_csv.column.pair",
                    ),
                    column(&["expert"], &["Experte"], "board.assign_csv.column.examiner"),
                ],
            ),
            Upload::MasterData => (
                "master_data",
                "register-csv",
                "register.csv",
                format!("/board/sessions/{id}/register"),
                vec![
                    column(&["numero"], &["Nummer"], "board.csv.column.number"),
                    column(&["nom"], &["Nachname"], "register.csv.column.family_name"),
                    column(&["prenoms"], &["Vornamen"], "register.csv.column.given_name"),
                    column(&["date de naissance"], &["Geburtsdatum"], "register.csv.column.date_of_birth"),
                    column(&["lieu d'origine"], &["Heimatort"], "register.csv.column.place_of_origin"),
                    column(&["adresse"], &["Adresse"], "register.csv.column.address"),
                    column(&["langue"], &["Prüfungssprache"], "register.csv.column.exam_language"),
                    column(&["canton de domicile"], &["Wohnkanton"], "register.csv.column.canton"),
                ],
            ),
        };
        // The register's file is previewed from the register: cancelling
        // goes back there.
        let back = if matches!(self, Upload::MasterData) { action.clone() } else { base };
        UploadForm { kind, prefix, keys, action, back, columns, csrf: account.csrf.clone() }
    }

    /// The rows of the API's preview.
    fn preview_rows(self, reply: Reply) -> Result<Rows, Refusal> {
        Ok(match self {
            Upload::Enrolment => Rows::Candidates(reply.into_typed::<CsvPreview>("CSV upload")?.candidates),
            Upload::Assignments => {
                Rows::Assignments(reply.into_typed::<AssignmentsPreview>("CSV upload")?.assignments)
            }
            Upload::MasterData => Rows::MasterData(
                reply
                    .into_typed::<grille_server::MasterDataPreview>("CSV upload")?
                    .candidates
                    .into_iter()
                    .map(MasterDataRow::from)
                    .collect(),
            ),
        })
    }

    /// No rows (a refused file).
    fn no_rows(self) -> Rows {
        match self {
            Upload::Enrolment => Rows::Candidates(Vec::new()),
            Upload::Assignments => Rows::Assignments(Vec::new()),
            Upload::MasterData => Rows::MasterData(Vec::new()),
        }
    }

    /// Where the browser goes once the file is saved.
    fn done(self, host: Host, id: i64, reply: Reply) -> Result<String, Refusal> {
        let base = host.base(id);
        Ok(match self {
            Upload::Enrolment => {
                format!("{base}?enrolled={}", reply.into_typed::<EnrolResponse>("CSV upload")?.enrolled)
            }
            Upload::Assignments => {
                format!(
                    "{base}?assigned_count={}",
                    reply.into_typed::<AssignResponse>("CSV upload")?.assigned
                )
            }
            Upload::MasterData => format!(
                "/board/sessions/{id}/register?imported={}",
                reply.into_typed::<grille_server::MasterDataImported>("CSV upload")?.changed
            ),
        })
    }
}

/// The template offered for download: the expected columns and one
/// example row, UTF-8 with a BOM so that Excel reads the accents.
pub(crate) const CSV_TEMPLATE: &str =
    "\u{feff}numero,nom,prenom,courriel\r\n2026-101,Exemple,Anne,anne.exemple@example.ch\r\n";

/// A CSV file to download, UTF-8 with a BOM.
fn csv_download(text: String, filename: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

pub(crate) async fn csv_template(_board: BoardAccount) -> Response {
    template_download()
}

/// The enrolment template as a download.
pub(crate) fn template_download() -> Response {
    csv_download(CSV_TEMPLATE.to_owned(), "inscriptions-modele.csv")
}

/// The assignment template of a session: one row per enrolled candidate
/// and part of its blueprint, the two examiner cells to fill in.
fn assignment_template(numbers: &[&str], parts: &[&str]) -> String {
    let mut text = String::from("\u{feff}numero,epreuve,expert 1,expert 2\r\n");
    for number in numbers {
        for part in parts {
            text.push_str(&format!("{number},{part},,\r\n"));
        }
    }
    text
}

pub(crate) async fn assignment_csv_template(
    board: BoardAccount,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    board.session(id).await?;
    let candidates = board.candidates(id).await?;
    let numbers: Vec<&str> = candidates.iter().map(|candidate| candidate.number.as_str()).collect();
    let exam = board.pinned_exam(id);
    let parts = parts_of(exam.as_deref(), board.language.language);
    let parts: Vec<&str> = parts.iter().map(|part| part.id.as_str()).collect();
    Ok(csv_download(assignment_template(&numbers, &parts), "attributions-modele.csv"))
}

/// The text of line `line` (1 = header) of the uploaded CSV.
fn csv_line(text: &str, line: u64) -> String {
    let index = usize::try_from(line).unwrap_or(0);
    if index == 0 {
        return String::new();
    }
    text.lines().nth(index - 1).map(|row| short(row, 120)).unwrap_or_default()
}

/// The CSV as the form sent it, without a BOM and with `\n` line ends.
fn clean_csv(text: &str) -> String {
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n")
}

/// The preview page: the rows the API would save, or every problem with
/// its line. An expired login, a stale form or a session out of reach is
/// the refusal page.
fn render_preview(
    host: Host,
    board: &Visit,
    session: &SessionView,
    upload: Upload,
    sent: &SentCsv,
    checked: Result<Rows, Refusal>,
) -> Result<Response, PageError> {
    let language = board.language.language;
    let csv = sent.text.as_str();
    let encoding = match &sent.file {
        Some((_, Ok(encoding))) => Some(board.tr(encoding.key())),
        _ => None,
    };
    // A column is named in the reader's language; a header cell the file
    // wrote itself (an unknown column) as written.
    let column = |field: String| {
        i18n::lookup(language, &format!("board.csv.field.{field}")).map_or(field, str::to_owned)
    };
    let unreadable = match &sent.file {
        Some((_, Err(error))) => Some(*error),
        _ => None,
    };
    let (status, errors, rows) = match checked {
        _ if unreadable.is_some() => {
            let error = unreadable.unwrap_or(CsvDecodeError::Workbook);
            let mut arguments = error.arguments();
            if let Some(encoding) = error.encoding() {
                arguments.retain(|(name, _)| *name != "encoding");
                arguments.push(("encoding", board.tr(encoding.key())));
            }
            let detail = i18n::format(&board.tr(error.key()), &arguments);
            let problem = RowProblem {
                line: error.line(),
                field: None,
                row: error.line().map(|line| csv_line(csv, line)).unwrap_or_default(),
                detail,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, vec![problem], upload.no_rows())
        }
        Ok(rows) => (StatusCode::OK, Vec::new(), rows),
        Err(Refusal::Answer(reply)) if reply.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let errors = reply
                .problem()
                .errors
                .into_iter()
                .map(|error| RowProblem {
                    row: error.line.map(|line| csv_line(csv, line)).unwrap_or_default(),
                    line: error.line,
                    detail: crate::api::error_text(&error, language),
                    field: error.field.map(column),
                })
                .collect();
            (reply.status, errors, upload.no_rows())
        }
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let detail = super::refusal_lines(board, &reply).join(" ");
            let problem = RowProblem { line: None, field: None, detail, row: String::new() };
            (reply.status, vec![problem], upload.no_rows())
        }
    };
    let view = PreviewView {
        account: board.account.view(),
        session: SessionHeader::from(session),
        upload: upload.form_on(host, session.id, &board.account),
        csv,
        encoding,
        errors,
        rows,
    };
    Ok(host.render(board, status, &view))
}

/// Checks the posted file with the API's preview and shows the result.
pub(crate) async fn upload_preview(
    host: Host,
    board: &Visit,
    id: i64,
    request: Request,
    upload: Upload,
) -> Result<Response, PageError> {
    let session = host.session(board, id).await?;
    let sent = match SentCsv::read(request).await {
        Ok(sent) => sent,
        Err(reason) => {
            let problem = RowProblem { line: None, field: None, detail: reason, row: String::new() };
            return render_problems(host, board, &session, upload, &SentCsv::default(), problem);
        }
    };
    if matches!(&sent.file, Some((_, Err(_)))) {
        return render_preview(host, board, &session, upload, &sent, Ok(upload.no_rows()));
    }
    let credentials = board.writing(&sent.csrf);
    let uri = format!("{}/preview", upload.api(id));
    let reply = board.api.call_bytes(Method::POST, &uri, &credentials, None, "text/csv", sent.body()).await;
    render_preview(host, board, &session, upload, &sent, upload.preview_rows(reply))
}

/// The preview page with one problem of the form itself.
fn render_problems(
    host: Host,
    board: &Visit,
    session: &SessionView,
    upload: Upload,
    sent: &SentCsv,
    problem: RowProblem,
) -> Result<Response, PageError> {
    let view = PreviewView {
        account: board.account.view(),
        session: SessionHeader::from(session),
        upload: upload.form_on(host, session.id, &board.account),
        csv: &sent.text,
        encoding: None,
        errors: vec![problem],
        rows: upload.no_rows(),
    };
    Ok(host.render(board, StatusCode::BAD_REQUEST, &view))
}

/// Saves the posted file (all or nothing), or shows why not.
pub(crate) async fn upload_confirm(
    host: Host,
    board: &Visit,
    id: i64,
    fields: Vec<(String, String)>,
    upload: Upload,
) -> Result<Response, PageError> {
    let csv = clean_csv(field(&fields, "csv"));
    let credentials = board.writing(field(&fields, "csrf"));
    let reply = board
        .api
        .call_raw(Method::POST, &upload.api(id), &credentials, "text/csv; charset=utf-8", csv.clone())
        .await;
    match upload.done(host, id, reply) {
        Ok(location) => Ok(see_other(&location)),
        Err(refusal) => {
            let session = host.session(board, id).await?;
            let sent = SentCsv { csrf: String::new(), text: csv, file: None };
            render_preview(host, board, &session, upload, &sent, Err(refusal))
        }
    }
}

pub(crate) async fn csv_preview(
    board: BoardAccount,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    upload_preview(Host::Board, &board, id, request, Upload::Enrolment).await
}

pub(crate) async fn csv_confirm(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    upload_confirm(Host::Board, &board, id, fields, Upload::Enrolment).await
}

pub(crate) async fn assignment_csv_preview(
    board: BoardAccount,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    upload_preview(Host::Board, &board, id, request, Upload::Assignments).await
}

pub(crate) async fn assignment_csv_confirm(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    upload_confirm(Host::Board, &board, id, fields, Upload::Assignments).await
}

pub(crate) async fn register_csv_preview(
    board: BoardAccount,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    upload_preview(Host::Board, &board, id, request, Upload::MasterData).await
}

pub(crate) async fn register_csv_confirm(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    upload_confirm(Host::Board, &board, id, fields, Upload::MasterData).await
}

/// The master-data template: the columns and one example row.
pub(crate) const REGISTER_TEMPLATE: &str = "\u{feff}numero;nom;prenoms;date de naissance;lieu d'origine;adresse;langue\r\n2026-101;Exemple;Anne;31.12.1990;Trub BE;\"Bahnhofstrasse 1, 3000 Bern\";de\r\n";

pub(crate) async fn register_csv_template(_board: BoardAccount) -> Response {
    csv_download(REGISTER_TEMPLATE.to_owned(), "etat-civil-modele.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_helpers_read_lines_and_write_templates() {
        assert_eq!(csv_line("a\nb\nc", 2), "b");
        assert_eq!(csv_line("a\nb\nc", 0), "");
        assert_eq!(clean_csv("\u{feff}a\r\nb"), "a\nb");
        assert_eq!(
            assignment_template(&["A1", "A2"], &["1", "2"]),
            "\u{feff}numero,epreuve,expert 1,expert 2\r\nA1,1,,\r\nA1,2,,\r\nA2,1,,\r\nA2,2,,\r\n"
        );
    }
}
