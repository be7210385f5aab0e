//! The page "Qualité de l'examen / Prüfungsqualität": the quality
//! statistics of a session (examiner severity, candidates' fair measures,
//! criterion analysis, intraclass correlations) as the server computes them
//! (`GET /api/sessions/{id}/quality`, grille-server's `QualityView`), with
//! a plain-language explanation of each measure, flagged examiners and the
//! criteria to rewrite first, and a CSV link per table.
//!
//! The web crate reads the API's typed answer and hands it here as JSON;
//! this module formats the numbers, translates the sentences and renders
//! the template. Every number is information: no grade changes by it.

use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde::Serialize;
use serde_json::Value as Json;

use crate::i18n::{self, Language};
use crate::pages::{AccountLayout, PageError, render};

/// The template of the page.
pub const TEMPLATES: [(&str, &str); 1] =
    [("session_quality.html", include_str!("../templates/session_quality.html"))];

/// The keys this module builds from the data (a problem's kind, a concern,
/// an exclusion's reason), listed so that a test checks each exists in
/// every language.
pub const CODE_KEYS: [&str; 25] = [
    "quality.flag.severe",
    "quality.flag.lenient",
    "quality.flag.effect",
    "quality.problem.disconnected",
    "quality.problem.confounded",
    "quality.problem.nothing_to_estimate",
    "quality.problem.input",
    "quality.concern.low_discrimination",
    "quality.concern.no_variance",
    "quality.concern.frequent_disagreement",
    "quality.concern.often_not_assessable",
    "quality.concern.never_rated",
    "quality.exclusion.no_ratings",
    "quality.exclusion.no_ratings_left",
    "quality.exclusion.all_lowest",
    "quality.exclusion.all_highest",
    "quality.exclusion.single_level",
    "quality.exclusion.single_category_used",
    "quality.facet.candidate",
    "quality.facet.criterion",
    "quality.facet.examiner",
    "quality.icc_problem.too_small",
    "quality.icc_problem.no_variance",
    "quality.icc_problem.other",
    "quality.not_converged",
];

/// Where the page sits: the board's frame of a session, or a trainer's
/// mock session.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// The session's page (`/board/sessions/1`, `/trainer/sessions/3`).
    pub base: String,
    /// The board's frame (session navigation) rather than a trainer's way
    /// back.
    pub board: bool,
}

/// A number with `decimals` decimals, or "—".
fn number(value: &Json, decimals: usize) -> String {
    value
        .as_f64()
        .map(|value| format!("{value:.decimals$}"))
        .map(|text| clean_zero(&text))
        .unwrap_or_else(dash)
}

/// A signed number (`+0.27`, `−0.30`).
fn signed(value: &Json, decimals: usize) -> String {
    match value.as_f64() {
        Some(value) => clean_zero(&format!("{value:+.decimals$}")).replace('-', "−"),
        None => dash(),
    }
}

/// `-0.00` is `0.00`.
fn clean_zero(text: &str) -> String {
    let stripped = text.trim_start_matches(['-', '+']);
    if stripped.chars().all(|c| c == '0' || c == '.') { stripped.to_owned() } else { text.to_owned() }
}

fn dash() -> String {
    "—".to_owned()
}

/// A `Stat` of the API (`{"value": …, "not_estimable": …}`).
fn stat(value: &Json, decimals: usize) -> String {
    number(&value["value"], decimals)
}

/// A share (0–1) in per cent.
fn percent(value: &Json) -> String {
    value.as_f64().map(|value| format!("{:.0} %", value * 100.0)).unwrap_or_else(dash)
}

fn text(value: &Json) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// A localized text of the API (`{"fr": …, "de": …}`) in `language`,
/// French when not translated.
fn localized(value: &Json, language: Language) -> String {
    value[language.code()]
        .as_str()
        .filter(|text| !text.trim().is_empty())
        .or_else(|| value["fr"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// `prefix.kind` translated, or `prefix.fallback` when the kind is unknown.
fn keyed(language: Language, prefix: &str, kind: &str, fallback: &str) -> String {
    i18n::lookup(language, &format!("{prefix}.{kind}"))
        .map(str::to_owned)
        .unwrap_or_else(|| i18n::translate(language, &format!("{prefix}.{fallback}")))
}

#[derive(Serialize)]
struct ExaminerRow {
    examiner: String,
    ratings: u64,
    not_assessable: u64,
    observed: String,
    severity: String,
    standard_error: String,
    infit: String,
    outfit: String,
    effect: String,
    flag: Option<String>,
    misfit: bool,
    excluded: Option<String>,
}

#[derive(Serialize)]
struct CandidateRow {
    number: String,
    official: String,
    observed: String,
    ability: String,
    standard_error: String,
    fair_share: String,
    fair_grade: String,
    differs: bool,
    excluded: Option<String>,
}

#[derive(Serialize)]
struct PartView {
    part: String,
    title: String,
    ratings: u64,
    not_assessable: u64,
    estimated: bool,
    problem: Option<String>,
    groups: Vec<String>,
    converged: bool,
    iterations: u64,
    examiners: Vec<ExaminerRow>,
    candidates: Vec<CandidateRow>,
    exclusions: Vec<String>,
    disordered: bool,
}

#[derive(Serialize)]
struct CriterionRow {
    criterion: String,
    title: String,
    concerns: Vec<String>,
    mean_level: String,
    max_level: u64,
    distribution: String,
    difficulty: String,
    rasch_difficulty: String,
    discrimination: String,
    alpha_if_deleted: String,
    disagreement: String,
    pairs: u64,
    not_assessable: String,
}

#[derive(Serialize)]
struct RubricView {
    part: String,
    position: String,
    rubric: String,
    version: String,
    title: String,
    alpha: String,
    complete: u64,
    incomplete: u64,
    criteria: Vec<CriterionRow>,
    concerns: usize,
}

#[derive(Serialize)]
struct IccView {
    position: Option<String>,
    targets: u64,
    values: Vec<String>,
    problem: Option<String>,
}

/// The sentence of a flagged examiner in `language`.
fn flag_sentence(examiner: &Json, part: &str, language: Language) -> Option<String> {
    let flag = examiner.get("flag").filter(|flag| flag.is_object())?;
    let key = if flag["direction"] == "severe" { "quality.flag.severe" } else { "quality.flag.lenient" };
    let mut sentence = i18n::format(
        &i18n::translate(language, key),
        &[
            ("examiner", text(&examiner["examiner"])),
            ("part", part.to_owned()),
            ("logits", signed(&flag["difference"], 2)),
            ("z", number(&flag["z"].as_f64().map(f64::abs).into(), 1)),
        ],
    );
    if examiner["grade_effect"].is_number() {
        sentence.push(' ');
        sentence.push_str(&i18n::format(
            &i18n::translate(language, "quality.flag.effect"),
            &[("effect", signed(&examiner["grade_effect"], 2))],
        ));
    }
    Some(sentence)
}

fn misfit(fit: &Json) -> bool {
    fit["value"].as_f64().is_some_and(|value| !(0.5..=1.5).contains(&value))
}

fn part_view(part: &Json, language: Language, flagged: &mut Vec<String>) -> PartView {
    let id = text(&part["part"]);
    let exclusion =
        |reason: &Json| keyed(language, "quality.exclusion", reason.as_str().unwrap_or(""), "no_ratings");
    let examiners = part["examiners"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let flag = flag_sentence(e, &id, language);
            if let Some(sentence) = &flag {
                flagged.push(sentence.clone());
            }
            ExaminerRow {
                examiner: text(&e["examiner"]),
                ratings: e["ratings"].as_u64().unwrap_or(0),
                not_assessable: e["not_assessable"].as_u64().unwrap_or(0),
                observed: percent(&e["observed_share"]),
                severity: signed(&e["severity"], 2),
                standard_error: stat(&e["standard_error"], 2),
                infit: stat(&e["infit"], 2),
                outfit: stat(&e["outfit"], 2),
                effect: signed(&e["grade_effect"], 2),
                flag,
                misfit: misfit(&e["infit"]) || misfit(&e["outfit"]),
                excluded: e.get("excluded").filter(|r| r.is_string()).map(exclusion),
            }
        })
        .collect();
    let candidates = part["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let official = text(&c["official_grade"]);
            let fair = text(&c["fair_grade"]);
            CandidateRow {
                number: text(&c["number"]),
                differs: !official.is_empty()
                    && !fair.is_empty()
                    && match (official.parse::<f64>(), fair.parse::<f64>()) {
                        (Ok(a), Ok(b)) => (a - b).abs() >= 0.5,
                        _ => false,
                    },
                official: if official.is_empty() { dash() } else { official },
                observed: percent(&c["observed_share"]),
                ability: signed(&c["ability"], 2),
                standard_error: stat(&c["standard_error"], 2),
                fair_share: percent(&c["fair_share"]),
                fair_grade: if fair.is_empty() { dash() } else { fair },
                excluded: c.get("excluded").filter(|r| r.is_string()).map(exclusion),
            }
        })
        .collect();
    let problem = part.get("problem").filter(|p| p.is_object());
    PartView {
        title: localized(&part["title"], language),
        ratings: part["ratings"].as_u64().unwrap_or(0),
        not_assessable: part["not_assessable"].as_u64().unwrap_or(0),
        estimated: part["estimated"].as_bool().unwrap_or(false),
        problem: problem
            .map(|p| keyed(language, "quality.problem", p["kind"].as_str().unwrap_or(""), "input")),
        groups: problem
            .and_then(|p| p["groups"].as_array())
            .into_iter()
            .flatten()
            .map(|group| group.as_array().into_iter().flatten().map(text).collect::<Vec<_>>().join(", "))
            .collect(),
        converged: part["convergence"]["converged"].as_bool().unwrap_or(true),
        iterations: part["convergence"]["iterations"].as_u64().unwrap_or(0),
        examiners,
        candidates,
        exclusions: part["exclusions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                format!(
                    "{} {} : {}",
                    keyed(language, "quality.facet", x["facet"].as_str().unwrap_or(""), "candidate"),
                    text(&x["element"]),
                    exclusion(&x["reason"])
                )
            })
            .collect(),
        disordered: part["disordered_scales"].as_array().is_some_and(|scales| !scales.is_empty()),
        part: id,
    }
}

fn rubric_view(rubric: &Json, language: Language) -> RubricView {
    let criteria: Vec<CriterionRow> = rubric["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| CriterionRow {
            criterion: text(&c["criterion"]),
            title: localized(&c["title"], language),
            concerns: c["concerns"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|kind| keyed(language, "quality.concern", kind.as_str().unwrap_or(""), "no_variance"))
                .collect(),
            mean_level: stat(&c["mean_level"], 2),
            max_level: c["max_level"].as_u64().unwrap_or(0),
            distribution: c["distribution"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|count| count.as_u64().unwrap_or(0).to_string())
                .collect::<Vec<_>>()
                .join(" / "),
            difficulty: stat(&c["difficulty"], 2),
            rasch_difficulty: signed(&c["rasch_difficulty"], 2),
            discrimination: stat(&c["discrimination"], 2),
            alpha_if_deleted: stat(&c["alpha_if_deleted"], 2),
            disagreement: percent(&c["disagreement"]["value"]),
            pairs: c["pairs"].as_u64().unwrap_or(0),
            not_assessable: percent(&c["not_assessable_rate"]["value"]),
        })
        .collect();
    RubricView {
        part: text(&rubric["part"]),
        position: text(&rubric["position"]),
        rubric: text(&rubric["rubric"]),
        version: text(&rubric["version"]),
        title: localized(&rubric["title"], language),
        alpha: stat(&rubric["alpha"], 2),
        complete: rubric["complete_candidates"].as_u64().unwrap_or(0),
        incomplete: rubric["incomplete_candidates"].as_u64().unwrap_or(0),
        concerns: criteria.iter().filter(|c| !c.concerns.is_empty()).count(),
        criteria,
    }
}

fn icc_view(row: &Json, language: Language) -> IccView {
    let value = |coefficient: &Json| {
        let point = stat(&coefficient["value"], 2);
        match (coefficient["lower"].as_f64(), coefficient["upper"].as_f64()) {
            (Some(lower), Some(upper)) => format!("{point} [{lower:.2} ; {upper:.2}]"),
            _ => point,
        }
    };
    IccView {
        position: row["position"].as_str().map(str::to_owned),
        targets: row["targets"].as_u64().unwrap_or(0),
        values: ["icc1_1", "icc2_1", "icc3_1"].iter().map(|name| value(&row[*name])).collect(),
        problem: row["problem"].as_str().map(|kind| keyed(language, "quality.icc_problem", kind, "other")),
    }
}

/// Renders the page from the API's answer (`quality`, grille-server's
/// `QualityView` as JSON).
pub fn quality_page(
    environment: &Environment<'_>,
    quality: &Json,
    frame: &Frame,
    account: &AccountLayout,
    language: Language,
) -> Result<String, PageError> {
    let mut flagged = Vec::new();
    let parts: Vec<PartView> = quality["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|part| part_view(part, language, &mut flagged))
        .collect();
    let rubrics: Vec<RubricView> =
        quality["rubrics"].as_array().into_iter().flatten().map(|r| rubric_view(r, language)).collect();
    // The criteria to rewrite first, across rubrics.
    let mut worst: Vec<(String, String, String, Vec<String>)> = rubrics
        .iter()
        .flat_map(|rubric| {
            rubric.criteria.iter().filter(|c| !c.concerns.is_empty()).map(move |c| {
                (rubric.position.clone(), c.criterion.clone(), c.title.clone(), c.concerns.clone())
            })
        })
        .collect();
    worst.sort_by_key(|row| std::cmp::Reverse(row.3.len()));
    let icc: Vec<IccView> =
        quality["icc"].as_array().into_iter().flatten().map(|row| icc_view(row, language)).collect();
    let id = quality["session_id"].as_i64().unwrap_or(0);
    let limits = &quality["limits"];
    let csv = |table: &str| format!("/api/sessions/{id}/quality/csv?table={table}");
    let view = minijinja::context! {
        account => Value::from(Serde(account)),
        // The board's layout shows the session's navigation when it has
        // the session.
        session => if frame.board { minijinja::context! { id => id, name => text(&quality["name"]) } } else { Value::UNDEFINED },
        quality_session => minijinja::context! { id => id, name => text(&quality["name"]), mock => quality["kind"] == "mock", official => quality["final"].as_bool().unwrap_or(false) },
        frame => Value::from(Serde(frame)),
        ratings => quality["ratings"].as_u64().unwrap_or(0),
        not_assessable => quality["not_assessable"].as_u64().unwrap_or(0),
        threshold => number(&limits["severity_threshold"], 1),
        significance => number(&limits["significance"], 1),
        min_discrimination => number(&limits["min_discrimination"], 2),
        max_disagreement => percent(&limits["max_disagreement"]),
        max_not_assessable => percent(&limits["max_not_assessable"]),
        flagged => flagged,
        parts => Value::from(Serde(&parts)),
        rubrics => Value::from(Serde(&rubrics)),
        worst => Value::from(Serde(&worst)),
        icc => Value::from(Serde(&icc)),
        csv => minijinja::context! { severity => csv("severity"), candidates => csv("candidates"), criteria => csv("criteria"), icc => csv("icc") },
        json => format!("/api/sessions/{id}/quality"),
    };
    render(environment, "session_quality.html", language, "session_quality", view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(number(&serde_json::json!(0.7054), 2), "0.71");
        assert_eq!(number(&Json::Null, 2), "—");
        assert_eq!(signed(&serde_json::json!(-0.3), 2), "−0.30");
        assert_eq!(signed(&serde_json::json!(-0.0001), 2), "0.00");
        assert_eq!(signed(&serde_json::json!(0.27), 2), "+0.27");
        assert_eq!(percent(&serde_json::json!(0.784)), "78 %");
    }

    #[test]
    fn a_flag_reads_as_a_sentence_in_each_language() {
        let examiner = serde_json::json!({
            "examiner": "exp-05", "grade_effect": 0.27,
            "flag": {"direction": "lenient", "difference": -1.32, "z": -2.26, "sentence": ""}
        });
        let fr = flag_sentence(&examiner, "3", Language::Fr).unwrap();
        assert!(fr.starts_with("exp-05 ") && fr.contains("−1.32") && fr.contains("+0.27"), "{fr}");
        let de = flag_sentence(&examiner, "3", Language::De).unwrap();
        assert!(de.contains("exp-05") && de.contains("Prüfungsteil 3"), "{de}");
        assert!(flag_sentence(&serde_json::json!({"examiner": "x"}), "1", Language::Fr).is_none());
    }

    #[test]
    fn the_page_renders_in_every_language_with_every_key() {
        // The API's answer for the worked example (two parts, one rubric).
        let quality: Json = serde_json::from_str(include_str!("testdata/quality.json")).unwrap();
        let environment = crate::pages::environment();
        let account =
            AccountLayout { username: "admin".into(), role: "admin", csrf: "token".into(), home: "/board" };
        for board in [true, false] {
            let frame = Frame { base: "/board/sessions/1".into(), board };
            for language in Language::ALL {
                let page = quality_page(&environment, &quality, &frame, &account, language).unwrap();
                assert!(!page.contains('⟦'), "{language:?}: a key is missing: {page}");
                assert!(page.contains(r#"id="severity-1""#) && page.contains(r#"id="icc-table""#));
                assert!(page.contains("exp-05"), "the flagged examiner");
                assert!(page.contains("quality&#x2f;csv?table=severity"), "{page}");
            }
        }
        let fr = quality_page(
            &environment,
            &quality,
            &Frame { base: "/board/sessions/1".into(), board: true },
            &account,
            Language::Fr,
        )
        .unwrap();
        assert!(fr.contains("Qualité de l&#x27;examen") || fr.contains("Qualité de l'examen"), "{fr}");
        assert!(fr.contains("exp-05 note plus généreusement"), "{fr}");
    }
}
