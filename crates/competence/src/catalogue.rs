//! The validated catalogue and its look-ups.

use std::collections::HashMap;

use crate::document::{self, Problem};
use crate::model::{CatalogueFile, Category, Competence, Criterion, Domain, Profile};
use crate::search::fold;
use crate::validate;

/// The qualification profile shipped with grille, embedded at build time.
pub const EMBEDDED_CATALOGUE_JSON: &str =
    include_str!("../../../catalogue/profil-de-qualification-2017-01-24.json");

/// A catalogue that has passed every check: a value of this type always has
/// unique, well-formed ids and non-empty texts. The only way to get one is
/// [`Catalogue::from_json`] (or [`Catalogue::from_file`]).
#[derive(Debug, Clone)]
pub struct Catalogue {
    file: CatalogueFile,
    /// Competence id -> (domain index, competence index).
    competence_index: HashMap<String, (usize, usize)>,
    /// Criterion id -> (domain index, competence index, criterion index).
    criterion_index: HashMap<String, (usize, usize, usize)>,
}

/// Where a search matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchField {
    /// The domain title.
    DomainTitle,
    /// A competence title or short title.
    CompetenceTitle,
    /// A competence's work situation.
    Situation,
    /// A criterion's text.
    Criterion,
}

/// One search result: the id of what matched and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit<'a> {
    /// A domain, competence or criterion id.
    pub id: &'a str,
    /// Which field matched.
    pub field: SearchField,
    /// The whole French text that matched.
    pub text: &'a str,
}

impl Catalogue {
    /// Parses and validates a catalogue: JSON syntax, then the schema, then
    /// meaning. Every problem found is returned at once.
    pub fn from_json(source: &str) -> Result<Catalogue, Vec<Problem>> {
        let file: CatalogueFile = document::load(source)?;
        Catalogue::from_file(file)
    }

    /// Validates the meaning of an already deserialized catalogue.
    pub fn from_file(file: CatalogueFile) -> Result<Catalogue, Vec<Problem>> {
        let problems = validate::check(&file);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut competence_index = HashMap::new();
        let mut criterion_index = HashMap::new();
        for (d, domain) in file.domains.iter().enumerate() {
            for (c, competence) in domain.competences.iter().enumerate() {
                competence_index.insert(competence.id.clone(), (d, c));
                for (k, criterion) in competence.criteria.iter().enumerate() {
                    criterion_index.insert(criterion.id.clone(), (d, c, k));
                }
            }
        }
        Ok(Catalogue { file, competence_index, criterion_index })
    }

    /// The catalogue shipped with grille (the 2017 qualification profile).
    ///
    /// Returns the problems if the embedded file is broken, which the test
    /// suite rules out for every release.
    ///
    /// The embedded text is deserialised directly, without compiling and
    /// running the JSON Schema (half of a `grille catalogue list`): it is
    /// part of the program, and a test checks that it passes the schema.
    /// Its checks of meaning still run. A text that does not deserialise
    /// goes through [`Catalogue::from_json`] to be explained.
    pub fn embedded() -> Result<Catalogue, Vec<Problem>> {
        match serde_json::from_str::<CatalogueFile>(EMBEDDED_CATALOGUE_JSON) {
            Ok(file) => Catalogue::from_file(file),
            Err(_) => Catalogue::from_json(EMBEDDED_CATALOGUE_JSON),
        }
    }

    /// The catalogue as a file value, e.g. for export.
    pub fn file(&self) -> &CatalogueFile {
        &self.file
    }

    /// The catalogue as pretty JSON that follows the schema.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The profile's identity and introductory sections.
    pub fn profile(&self) -> &Profile {
        &self.file.profile
    }

    /// The domains in order.
    pub fn domains(&self) -> &[Domain] {
        &self.file.domains
    }

    /// A domain by its letter.
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.file.domains.iter().find(|domain| domain.id == id)
    }

    /// All competences, domain by domain.
    pub fn competences(&self) -> impl Iterator<Item = &Competence> {
        self.file.domains.iter().flat_map(|domain| domain.competences.iter())
    }

    /// A competence by id (`A7`); case-insensitive.
    pub fn competence(&self, id: &str) -> Option<&Competence> {
        let &(d, c) = self.competence_index.get(&id.to_ascii_uppercase())?;
        Some(&self.file.domains[d].competences[c])
    }

    /// The domain a competence belongs to.
    pub fn domain_of(&self, competence_id: &str) -> Option<&Domain> {
        let &(d, _) = self.competence_index.get(&competence_id.to_ascii_uppercase())?;
        Some(&self.file.domains[d])
    }

    /// A criterion by id (`A1.k3`), with its competence.
    pub fn criterion(&self, id: &str) -> Option<(&Competence, &Criterion)> {
        let &(d, c, k) = self.criterion_index.get(id)?;
        let competence = &self.file.domains[d].competences[c];
        Some((competence, &competence.criteria[k]))
    }

    /// All criteria with their competence, in catalogue order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Competence, &Criterion)> {
        self.competences()
            .flat_map(|competence| competence.criteria.iter().map(move |criterion| (competence, criterion)))
    }

    /// The criteria of one competence in one category.
    pub fn criteria_in<'a>(
        &'a self,
        competence: &'a Competence,
        category: Category,
    ) -> impl Iterator<Item = &'a Criterion> {
        competence.criteria.iter().filter(move |criterion| criterion.category == category)
    }

    /// Case- and accent-insensitive search over domain and competence
    /// titles, work situations and criteria (French texts). An empty or
    /// blank query matches nothing.
    pub fn search(&self, query: &str) -> Vec<SearchHit<'_>> {
        let needle = fold(query.trim());
        if needle.is_empty() {
            return Vec::new();
        }
        let matches = |text: &str| fold(text).contains(&needle);
        let mut hits = Vec::new();
        for domain in &self.file.domains {
            if matches(&domain.title.fr) {
                hits.push(SearchHit {
                    id: &domain.id,
                    field: SearchField::DomainTitle,
                    text: &domain.title.fr,
                });
            }
            for competence in &domain.competences {
                if matches(&competence.title.fr) {
                    hits.push(SearchHit {
                        id: &competence.id,
                        field: SearchField::CompetenceTitle,
                        text: &competence.title.fr,
                    });
                } else if let Some(short) = competence.short_title.as_ref().filter(|t| matches(&t.fr)) {
                    hits.push(SearchHit {
                        id: &competence.id,
                        field: SearchField::CompetenceTitle,
                        text: &short.fr,
                    });
                }
                if matches(&competence.situation.fr) {
                    hits.push(SearchHit {
                        id: &competence.id,
                        field: SearchField::Situation,
                        text: &competence.situation.fr,
                    });
                }
                for criterion in &competence.criteria {
                    if matches(&criterion.text.fr) {
                        hits.push(SearchHit {
                            id: &criterion.id,
                            field: SearchField::Criterion,
                            text: &criterion.text.fr,
                        });
                    }
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_passes_its_schema_and_loads_the_same_both_ways() {
        let value = document::parse_json(EMBEDDED_CATALOGUE_JSON).expect("JSON");
        assert_eq!(document::schema_problems_of::<CatalogueFile>(&value), Vec::new());
        let checked = Catalogue::from_json(EMBEDDED_CATALOGUE_JSON).expect("the checked load");
        let direct = Catalogue::embedded().expect("the direct load");
        assert_eq!(checked.to_json(), direct.to_json());
    }
}
