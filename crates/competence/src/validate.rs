//! Checks of meaning on a catalogue that already conforms to its schema.

use std::collections::HashSet;

use crate::document::Problem;
use crate::model::{CatalogueFile, Category, LocalizedText};

/// Every problem of meaning in `file`, in document order.
pub(crate) fn check(file: &CatalogueFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    let profile = &file.profile;

    check_text(&mut problems, "/profile/title", &profile.title);
    if !is_iso_date(&profile.version) {
        problems.push(Problem::new(
            "/profile/version",
            format!("la version « {} » n'est pas une date AAAA-MM-JJ", profile.version),
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
                format!("le domaine {} est défini deux fois", domain.id),
            ));
        }
        check_text(&mut problems, &format!("{domain_pointer}/title"), &domain.title);
        check_text(&mut problems, &format!("{domain_pointer}/criteria_subject"), &domain.criteria_subject);
        if domain.competences.is_empty() {
            problems.push(Problem::new(
                format!("{domain_pointer}/competences"),
                format!("le domaine {} n'a aucune compétence", domain.id),
            ));
        }

        for (competence_index, competence) in domain.competences.iter().enumerate() {
            let competence_pointer = format!("{domain_pointer}/competences/{competence_index}");
            let expected_id = format!("{}{}", domain.id, competence_index + 1);
            if !competence_ids.insert(competence.id.as_str()) {
                problems.push(Problem::new(
                    format!("{competence_pointer}/id"),
                    format!("la compétence {} est définie deux fois", competence.id),
                ));
            } else if !competence.id.starts_with(domain.id.as_str())
                || !competence.id[domain.id.len()..].chars().all(|c| c.is_ascii_digit())
            {
                problems.push(Problem::new(
                    format!("{competence_pointer}/id"),
                    format!(
                        "la compétence {} n'appartient pas au domaine {} : son identifiant doit commencer par {}",
                        competence.id, domain.id, domain.id
                    ),
                ));
            } else if competence.id != expected_id {
                problems.push(Problem::new(
                    format!("{competence_pointer}/id"),
                    format!(
                        "numérotation interrompue : la compétence n° {} du domaine {} devrait s'appeler {expected_id}, pas {}",
                        competence_index + 1,
                        domain.id,
                        competence.id
                    ),
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
                    format!("la compétence {} n'a aucun critère", competence.id),
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
                            format!(
                                "le critère {} est hors de l'ordre des catégories (réalisation, connaissances, attitudes, métacognition)",
                                criterion.id
                            ),
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
                        format!("le critère {} est défini deux fois", criterion.id),
                    ));
                } else if criterion.id != expected_id {
                    problems.push(Problem::new(
                        format!("{criterion_pointer}/id"),
                        format!(
                            "le critère {} devrait s'appeler {expected_id} (compétence {}, catégorie « {} », position {})",
                            criterion.id,
                            competence.id,
                            criterion.category.label_fr(),
                            position_in_category
                        ),
                    ));
                }
                check_text(&mut problems, &format!("{criterion_pointer}/text"), &criterion.text);
                if criterion.seed_text.as_deref().is_some_and(|seed| seed.trim().is_empty()) {
                    problems.push(Problem::new(
                        format!("{criterion_pointer}/seed_text"),
                        "le texte d'origine est vide : omettez le champ s'il n'y a pas de correction",
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
            problems.push(Problem::new(format!("{pointer}/{language}"), "le texte est vide"));
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
