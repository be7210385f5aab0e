//! Checks of meaning on a catalogue that already conforms to its schema.

use std::collections::HashSet;

use crate::document::Problem;
use crate::message::{Message, MessageCode};
use crate::model::{CatalogueFile, Category, LocalizedText};

/// Every problem of meaning in `file`, in document order.
pub(crate) fn check(file: &CatalogueFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    let profile = &file.profile;

    check_text(&mut problems, "/profile/title", &profile.title);
    if !is_iso_date(&profile.version) {
        problems.push(Problem::new(
            "/profile/version",
            Message::new(MessageCode::CatalogueVersionNotDate).with("version", profile.version.clone()),
        ));
    }
    for (index, section) in profile.sections.iter().enumerate() {
        let base = format!("/profile/sections/{index}");
        check_text(&mut problems, &format!("{base}/title"), &section.title);
        check_text(&mut problems, &format!("{base}/text"), &section.text);
    }

    let mut domain_ids = HashSet::new();
    let mut competence_ids = HashSet::new();
    let mut criterion_ids = HashSet::new();
    for (domain_index, domain) in file.domains.iter().enumerate() {
        let domain_pointer = format!("/domains/{domain_index}");
        if !domain_ids.insert(domain.id.as_str()) {
            problems.push(Problem::new(
                format!("{domain_pointer}/id"),
                Message::new(MessageCode::CatalogueDomainDuplicate).with("domain", domain.id.clone()),
            ));
        }
        check_text(&mut problems, &format!("{domain_pointer}/title"), &domain.title);
        check_text(&mut problems, &format!("{domain_pointer}/criteria_subject"), &domain.criteria_subject);
        if domain.competences.is_empty() {
            problems.push(Problem::new(
                format!("{domain_pointer}/competences"),
                Message::new(MessageCode::CatalogueDomainEmpty).with("domain", domain.id.clone()),
            ));
        }

        for (competence_index, competence) in domain.competences.iter().enumerate() {
            let competence_pointer = format!("{domain_pointer}/competences/{competence_index}");
            let expected_id = format!("{}{}", domain.id, competence_index + 1);
            if !competence_ids.insert(competence.id.as_str()) {
                problems.push(Problem::new(
                    format!("{competence_pointer}/id"),
                    Message::new(MessageCode::CatalogueCompetenceDuplicate)
                        .with("competence", competence.id.clone()),
                ));
            } else if !competence.id.starts_with(domain.id.as_str())
                || !competence.id[domain.id.len()..].chars().all(|c| c.is_ascii_digit())
            {
                problems.push(Problem::new(
                    format!("{competence_pointer}/id"),
                    Message::new(MessageCode::CatalogueCompetenceOutsideDomain)
                        .with("competence", competence.id.clone())
                        .with("domain", domain.id.clone()),
                ));
            } else if competence.id != expected_id {
                problems.push(Problem::new(
                    format!("{competence_pointer}/id"),
                    Message::new(MessageCode::CatalogueCompetenceNumbering)
                        .with("number", (competence_index + 1).to_string())
                        .with("domain", domain.id.clone())
                        .with("expected", expected_id.clone())
                        .with("competence", competence.id.clone()),
                ));
            }
            check_text(&mut problems, &format!("{competence_pointer}/title"), &competence.title);
            if let Some(short_title) = &competence.short_title {
                check_text(&mut problems, &format!("{competence_pointer}/short_title"), short_title);
            }
            check_text(&mut problems, &format!("{competence_pointer}/situation"), &competence.situation);
            if competence.criteria.is_empty() {
                problems.push(Problem::new(
                    format!("{competence_pointer}/criteria"),
                    Message::new(MessageCode::CatalogueCompetenceEmpty)
                        .with("competence", competence.id.clone()),
                ));
            }

            let mut previous_category: Option<Category> = None;
            let mut position_in_category = 0;
            for (criterion_index, criterion) in competence.criteria.iter().enumerate() {
                let criterion_pointer = format!("{competence_pointer}/criteria/{criterion_index}");
                if previous_category != Some(criterion.category) {
                    if previous_category.is_some_and(|previous| previous > criterion.category) {
                        problems.push(Problem::new(
                            format!("{criterion_pointer}/category"),
                            Message::new(MessageCode::CatalogueCriterionOrder)
                                .with("criterion", criterion.id.clone()),
                        ));
                    }
                    previous_category = Some(criterion.category);
                    position_in_category = 0;
                }
                position_in_category += 1;
                let expected_id =
                    format!("{}.{}{}", competence.id, criterion.category.letter(), position_in_category);
                if !criterion_ids.insert(criterion.id.as_str()) {
                    problems.push(Problem::new(
                        format!("{criterion_pointer}/id"),
                        Message::new(MessageCode::CriterionDuplicate).with("criterion", criterion.id.clone()),
                    ));
                } else if criterion.id != expected_id {
                    problems.push(Problem::new(
                        format!("{criterion_pointer}/id"),
                        Message::new(MessageCode::CatalogueCriterionName)
                            .with("criterion", criterion.id.clone())
                            .with("expected", expected_id)
                            .with("competence", competence.id.clone())
                            .with_message("category", Message::new(criterion.category.message_code()))
                            .with("position", position_in_category.to_string()),
                    ));
                }
                check_text(&mut problems, &format!("{criterion_pointer}/text"), &criterion.text);
                if criterion.seed_text.as_deref().is_some_and(|seed| seed.trim().is_empty()) {
                    problems.push(Problem::new(
                        format!("{criterion_pointer}/seed_text"),
                        Message::new(MessageCode::CatalogueSeedTextEmpty),
                    ));
                }
            }
        }
    }
    problems
}

fn check_text(problems: &mut Vec<Problem>, pointer: &str, text: &LocalizedText) {
    let languages = [("fr", Some(&text.fr)), ("de", text.de.as_ref()), ("it", text.it.as_ref())];
    for (language, value) in languages {
        if value.is_some_and(|value| value.trim().is_empty()) {
            problems
                .push(Problem::new(format!("{pointer}/{language}"), Message::new(MessageCode::TextEmpty)));
        }
    }
}

fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return false };
    let digits = |part: &str, len: usize| part.len() == len && part.chars().all(|c| c.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return false;
    }
    let month: u32 = month.parse().unwrap_or(0);
    let day: u32 = day.parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}
