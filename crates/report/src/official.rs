//! The exam body's official documents, print-ready on A4: the letterhead
//! (name, address, logo) and signature lines the grade sheet prints when
//! the board reads it ([`Official`], through
//! [`crate::exam::ExamDocuments::official`]), the exam decision letters
//! (décision / Verfügung / decisione) with the legal remedies and the
//! appeal deadline, and the board's pages around them: the exam body's
//! identity and a session's official documents.
//!
//! Each letter is written in its candidate's exam language where it is
//! known, in the reader's otherwise; a batch of letters is one page with a
//! page break before each letter. The engine's texts (the decision, the
//! conditions' explanations) are written in the letter's language from
//! their messages (see [`crate::messages`]).

use grille_scoring::decimal::display_grade;
use grille_scoring::{CandidateResult, Outcome, SessionResult};
use minijinja::Environment;
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::exam::{ExamDocuments, Links};
use crate::i18n::{self, Language};
use crate::messages::EngineText;
use crate::templates::{PageError, render};

/// Translation keys built at run time (weekdays, stand-still periods,
/// holidays, notification sources), for the catalogue test.
pub const CODE_KEYS: [&str; 45] = [
    "official.letter.result.passed",
    "official.letter.result.failed",
    "official.letter.result.pending",
    "official.letter.result.no_result",
    "identity.language.fr",
    "identity.language.de",
    "identity.language.it",
    "official.weekday.monday",
    "official.weekday.tuesday",
    "official.weekday.wednesday",
    "official.weekday.thursday",
    "official.weekday.friday",
    "official.weekday.saturday",
    "official.weekday.sunday",
    "official.stand_still.easter",
    "official.stand_still.summer",
    "official.stand_still.winter",
    "official.notification.asked",
    "official.notification.entered",
    "official.notification.publication",
    "official.notification.unknown",
    "official.holiday.new_year",
    "official.holiday.berchtold",
    "official.holiday.epiphany",
    "official.holiday.st_joseph",
    "official.holiday.good_friday",
    "official.holiday.easter_monday",
    "official.holiday.labour_day",
    "official.holiday.ascension",
    "official.holiday.whit_monday",
    "official.holiday.corpus_christi",
    "official.holiday.national_day",
    "official.holiday.assumption",
    "official.holiday.fast_monday",
    "official.holiday.all_saints",
    "official.holiday.immaculate_conception",
    "official.holiday.christmas",
    "official.holiday.st_stephen",
    "official.holiday.jeune_genevois",
    "official.holiday.restoration",
    "official.holiday.neuchatel_republic",
    "official.holiday.jura_plebiscite",
    "official.holiday.peter_and_paul",
    "official.holiday.naefelser_fahrt",
    "official.holiday.brother_klaus",
];

/// One who signs the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatoryLine {
    /// Full name.
    pub name: String,
    /// Function.
    pub function: String,
}

/// The exam body as the head and foot of its documents show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Letterhead {
    /// The exam body's name (empty: not written yet).
    pub name: String,
    /// Its postal address, one line per item.
    pub address: Vec<String>,
    /// Where its letters are signed.
    pub seat: String,
    /// The logo's address, if there is one.
    pub logo: Option<String>,
    /// Who signs (a line each; two blank lines when nobody is named).
    pub signatories: Vec<SignatoryLine>,
}

/// A day and place of the exam, as printed (`03.05.2027`, `Olten`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SittingLine {
    /// The day, Swiss form.
    pub date: String,
    /// Where (may be empty).
    pub place: String,
}

/// A candidate as the documents name them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The candidate number.
    pub number: String,
    /// Family name, where the store holds it.
    pub family_name: Option<String>,
    /// Given names.
    pub given_name: Option<String>,
    /// Date of birth, Swiss form, where the store holds it.
    pub date_of_birth: Option<String>,
    /// Place of origin, where the store holds it.
    pub place_of_origin: Option<String>,
    /// Postal address, one line per item (empty: not held).
    pub address: Vec<String>,
    /// The exam language, where known: the candidate's documents follow it.
    #[serde(skip)]
    pub language: Option<Language>,
    /// The canton where the candidate lives, where known: their letter
    /// counts the appeal period with its holidays.
    #[serde(skip)]
    pub canton: Option<String>,
    /// The candidate's own notification and appeal deadline, where their
    /// canton of domicile is known (otherwise the session's).
    #[serde(skip)]
    pub notification: Option<Notification>,
}

impl Person {
    fn full_name(&self) -> Option<String> {
        let name = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!name.is_empty()).then_some(name)
    }
}

/// What the official documents of a session print besides the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Official {
    /// The exam body.
    pub letterhead: Letterhead,
    /// The days and places of the exam.
    pub sittings: Vec<SittingLine>,
    /// The candidates, by number.
    pub people: Vec<Person>,
    /// The legal remedies in French, German and Italian (the body's
    /// wording or the default).
    pub remedies: [String; 3],
}

impl Official {
    /// The candidate with this number (an empty one when unknown).
    pub fn person(&self, number: &str) -> Person {
        self.people
            .iter()
            .find(|person| person.number == number)
            .cloned()
            .unwrap_or_else(|| Person { number: number.to_owned(), ..Person::default() })
    }

    /// The legal remedies in `language`.
    pub fn remedy(&self, language: Language) -> &str {
        match language {
            Language::Fr => &self.remedies[0],
            Language::De => &self.remedies[1],
            Language::It => &self.remedies[2],
        }
    }
}

/// A person as a template shows them.
#[derive(Debug, Serialize)]
pub(crate) struct PersonView {
    number: String,
    name: Option<String>,
    date_of_birth: Option<String>,
    place_of_origin: Option<String>,
    address: Vec<String>,
}

pub(crate) fn person_view(person: &Person) -> PersonView {
    PersonView {
        number: person.number.clone(),
        name: person.full_name(),
        date_of_birth: person.date_of_birth.clone(),
        place_of_origin: person.place_of_origin.clone(),
        address: person.address.clone(),
    }
}

/// The context the grade sheet adds when it is an official document.
pub(crate) fn sheet_context(official: &Official, candidates: &[&CandidateResult]) -> Value {
    let people: Vec<PersonView> =
        candidates.iter().map(|candidate| person_view(&official.person(&candidate.number))).collect();
    context! {
        letterhead => Value::from(Serde(&official.letterhead)),
        sittings => Value::from(Serde(&official.sittings)),
        people => Value::from(Serde(people)),
    }
}

/// When the decisions count as notified and the appeal deadline that
/// follows, as the letters print it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// The day the letters are dated (Swiss form).
    pub dated: String,
    /// The day of notification (Swiss form), if known.
    pub notified_on: Option<String>,
    /// How it was set: `official.notification.*` key.
    pub source_key: String,
    /// The publication day (Swiss form), if the session was published.
    pub published_on: Option<String>,
    /// Postal delivery days added to the publication day.
    pub postal_days: u32,
    /// The last day to appeal (Swiss form), if the notification is known.
    pub last_day: Option<String>,
    /// Its day of the week: `official.weekday.*` key.
    pub last_weekday_key: Option<String>,
    /// The stand-still periods that lengthened the period:
    /// `official.stand_still.*` keys.
    pub stood_still_keys: Vec<String>,
}

#[derive(Serialize)]
struct GradeLine {
    label: String,
    grade: Option<String>,
    below: bool,
}

#[derive(Serialize)]
struct ReasonLine {
    label: String,
    explanation: EngineText,
}

#[derive(Serialize)]
struct LetterView {
    number: String,
    person: PersonView,
    outcome: &'static str,
    result_key: String,
    attempt: u32,
    grades: Vec<GradeLine>,
    overall: Option<String>,
    overall_below: bool,
    reasons: Vec<ReasonLine>,
    decision: EngineText,
    remedy: String,
}

fn outcome_code(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Pending => "pending",
        Outcome::NoResult => "no_result",
    }
}

fn letter_view(
    documents: &ExamDocuments<'_>,
    official: &Official,
    candidate: &CandidateResult,
    language: Language,
) -> LetterView {
    let pass_mark = documents.scheme.scale.pass_mark;
    let grades = documents
        .blueprint
        .parts
        .iter()
        .map(|part| {
            let grade =
                candidate.parts.iter().find(|result| result.part == part.id).and_then(|result| result.grade);
            GradeLine {
                label: format!(
                    "{} — {}",
                    i18n::format(&i18n::translate(language, "exam.part_label"), &[("id", part.id.clone())]),
                    part.title.get(language.code())
                ),
                grade: grade.map(display_grade),
                below: grade.is_some_and(|grade| grade < pass_mark),
            }
        })
        .collect();
    let reasons = candidate
        .conditions
        .iter()
        .filter(|condition| !condition.satisfied)
        .map(|condition| ReasonLine {
            label: i18n::translate(language, &crate::exam::condition_key(&condition.condition)),
            explanation: EngineText::of(
                condition.explanation_message.as_ref(),
                &condition.explanation,
                language,
            ),
        })
        .collect();
    LetterView {
        number: candidate.number.clone(),
        person: person_view(&official.person(&candidate.number)),
        outcome: outcome_code(candidate.outcome),
        result_key: format!("official.letter.result.{}", outcome_code(candidate.outcome)),
        attempt: candidate.attempt,
        grades,
        overall: candidate.overall.as_ref().map(|overall| display_grade(overall.value)),
        overall_below: candidate.overall.as_ref().is_some_and(|overall| overall.value < pass_mark),
        reasons,
        decision: EngineText::of(candidate.decision_message.as_ref(), &candidate.decision, language),
        remedy: official.remedy(language).to_owned(),
    }
}

/// The decision letter of each of `candidates` (all of the session's
/// when `None`), each in its candidate's language where known and in
/// `language` otherwise, on one page with a page break before each
/// letter. `Ok(None)` when a candidate named is not in the result.
#[allow(clippy::too_many_arguments)]
pub fn decision_letters(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    official: &Official,
    notification: &Notification,
    candidate: Option<&str>,
    language: Language,
    frame: &Value,
) -> Result<Option<String>, PageError> {
    let chosen: Vec<&CandidateResult> = match candidate {
        Some(number) => match result.candidates.iter().find(|c| c.number == number) {
            Some(found) => vec![found],
            None => return Ok(None),
        },
        None => result.candidates.iter().collect(),
    };
    let mut letters = Vec::with_capacity(chosen.len());
    for candidate in &chosen {
        let person = official.person(&candidate.number);
        let letter_language = person.language.unwrap_or(language);
        let own_notification = person.notification.as_ref().unwrap_or(notification);
        let view = letter_view(documents, official, candidate, letter_language);
        let title = documents.session_title.map(|title| i18n::localized(title, letter_language));
        let html = render(
            environment,
            "official_letter.html",
            letter_language,
            "official_letter",
            context! {
                letter => Value::from(Serde(&view)),
                letterhead => Value::from(Serde(&official.letterhead)),
                sittings => Value::from(Serde(&official.sittings)),
                notification => Value::from(Serde(own_notification)),
                holidays_canton => person.canton.as_deref().filter(|_| person.notification.is_some()),
                session_title => title.map(|title| title.text),
                session_title_lang => title.and_then(|title| title.lang),
                single => candidate_single(&chosen),
            },
        )?;
        letters.push(Value::from_safe_string(html));
    }
    let page = render(
        environment,
        "official_letters.html",
        language,
        "official_letters",
        context! {
            letters => letters,
            single => candidate_single(&chosen),
            number => chosen.first().map(|candidate| candidate.number.clone()),
            session_page => links.board.as_ref().map(|board| board.session_page.clone()),
            notification => Value::from(Serde(notification)),
            ..frame.clone()
        },
    )?;
    Ok(Some(page))
}

fn candidate_single(chosen: &[&CandidateResult]) -> bool {
    chosen.len() == 1
}

/// Renders one of the board's pages of this module (`board_identity`,
/// `board_official`) with its `view`.
pub fn render_board_page(
    environment: &Environment<'_>,
    name: &str,
    view: &impl Serialize,
    language: Language,
) -> Result<String, PageError> {
    render(environment, &format!("{name}.html"), language, name, Value::from(Serde(view)))
}

// ---------------------------------------------------------------- the board's pages

/// A notice above a page (`success` or `error`).
#[derive(Debug, Clone, Serialize)]
pub struct NoticeLine {
    /// `success` or `error`.
    pub kind: &'static str,
    /// The sentence, in the reader's language.
    pub text: String,
}

/// One holiday offered on the identity form.
#[derive(Debug, Clone, Serialize)]
pub struct HolidayChoice {
    /// Its code (`good_friday`).
    pub code: &'static str,
    /// Its name's translation key.
    pub key: String,
    /// Whether the board counts it.
    pub checked: bool,
}

/// The wording of the legal remedies in one language, on the form.
#[derive(Debug, Clone, Serialize)]
pub struct RemedyField {
    /// `fr`, `de` or `it`.
    pub code: &'static str,
    /// The language's name, in the reader's language.
    pub language: String,
    /// The body's own text, as typed (empty: the default).
    pub text: String,
    /// The default text of that language.
    pub default: String,
}

/// The identity form as shown (or as posted, with its problems).
#[derive(Debug, Clone, Serialize)]
pub struct IdentityForm {
    /// The exam body's name.
    pub name: String,
    /// The address, one line per item.
    pub address: String,
    /// Where letters are signed.
    pub seat: String,
    /// Three signatory rows (empty ones unused).
    pub signatories: Vec<SignatoryLine>,
    /// The canton's code, or empty.
    pub canton: String,
    /// Every holiday with whether it counts.
    pub holidays: Vec<HolidayChoice>,
    /// Postal delivery days, as typed.
    pub postal_days: String,
    /// The legal remedies per language.
    pub remedies: Vec<RemedyField>,
    /// The version of the identity the form was filled from, sent back
    /// as If-Match so that a stale tab does not overwrite a newer save.
    pub version: String,
}

/// The logo as the identity page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LogoLine {
    /// Where it is served.
    pub url: String,
    /// Its media type.
    pub media_type: String,
    /// Its size, in words (`12 Kio`).
    pub size: String,
}

/// The board's page of the exam body's identity.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityPage {
    /// Who is logged in.
    pub account: crate::pages::AccountLayout,
    /// The form.
    pub form: IdentityForm,
    /// The cantons offered, each with the holidays grille proposes.
    pub cantons: Vec<CantonOption>,
    /// The logo, if any.
    pub logo: Option<LogoLine>,
    /// The largest logo, in KiB.
    pub max_logo_kib: usize,
    /// Problems of the last post.
    pub errors: Vec<String>,
    /// The outcome of the last action.
    pub notice: Option<NoticeLine>,
    /// Who changed it last, when.
    pub updated: Option<String>,
}

/// A canton in the identity form's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CantonOption {
    /// Its two-letter code.
    pub code: &'static str,
    /// The codes of the holidays proposed for it, separated by spaces
    /// (read by the page's script to tick them).
    pub holidays: String,
}

/// A session as the official page names it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRef {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// A language offered for the list of successful candidates.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageChoice {
    /// `fr`, `de` or `it`.
    pub code: &'static str,
    /// Its name in itself.
    pub name: String,
}

/// A candidate on the official page.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateLine {
    /// The number.
    pub number: String,
    /// The name, where known.
    pub name: Option<String>,
    /// The outcome's translation key.
    pub outcome_key: &'static str,
}

/// A day and place as typed on the form.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SittingField {
    /// The day, as typed or stored (Swiss form).
    pub date: String,
    /// The place.
    pub place: String,
}

/// The board's page of a session's official documents.
#[derive(Debug, Clone, Serialize)]
pub struct OfficialPage {
    /// Who is logged in.
    pub account: crate::pages::AccountLayout,
    /// The session (for the board's navigation).
    pub session: SessionRef,
    /// Whether the exam body's identity was written.
    pub identity_configured: bool,
    /// Problems of the last post.
    pub errors: Vec<String>,
    /// The outcome of the last action.
    pub notice: Option<NoticeLine>,
    /// Rows of days and places (with empty ones to fill).
    pub sittings: Vec<SittingField>,
    /// The notification day as typed or stored (Swiss form), or empty.
    pub notified_on: String,
    /// The postal delivery days of the identity.
    pub postal_days: u32,
    /// Whether the results are final (the documents exist).
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The notification and the appeal deadline.
    pub notification: Notification,
    /// The languages of the list of successful candidates.
    pub list_languages: Vec<LanguageChoice>,
    /// The candidates.
    pub candidates: Vec<CandidateLine>,
}
