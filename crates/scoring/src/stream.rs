//! Walking a session's JSON text without building its whole JSON tree: the
//! top-level fields other than `candidates` are collected (they are small),
//! and each candidate is handed over on its own, then dropped. A session of
//! 10,000 candidates then needs the memory of its text and of one
//! candidate, not of a tree many times the size of the file.

use std::fmt;

use grille_competence::Problem;

use serde::de::{DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// What a walk found besides the candidates.
#[derive(Debug, Clone)]
pub struct TopLevel {
    /// Every top-level field except `candidates`.
    pub fields: Map<String, Value>,
    /// Whether the file has a `candidates` field.
    pub has_candidates: bool,
}

/// Walks `text`; `each` gets every candidate with its index, or the
/// candidates are skipped when it is `None`. A syntax error becomes a
/// problem with its line and column.
pub fn walk(text: &str, each: Option<&mut dyn FnMut(usize, Value)>) -> Result<TopLevel, Problem> {
    // A byte-order mark (Windows editors) is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let top = deserializer.deserialize_map(TopLevelVisitor { each }).map_err(syntax_problem)?;
    deserializer.end().map_err(syntax_problem)?;
    Ok(top)
}

fn syntax_problem(error: serde_json::Error) -> Problem {
    let message = error.to_string().replace("a JSON object (the session)", "un objet JSON (la session)");
    Problem::new(
        "",
        format!(
            "JSON invalide à la ligne {}, colonne {} : {}",
            error.line(),
            error.column(),
            grille_competence::document::serde_message_fr(&message)
        ),
    )
}

struct TopLevelVisitor<'a> {
    each: Option<&'a mut dyn FnMut(usize, Value)>,
}

impl<'de> Visitor<'de> for TopLevelVisitor<'_> {
    type Value = TopLevel;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object (the session)")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut fields = Map::new();
        let mut has_candidates = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "candidates" {
                has_candidates = true;
                match self.each.as_deref_mut() {
                    Some(each) => map.next_value_seed(CandidatesSeed { each })?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            } else {
                let value: Value = map.next_value()?;
                fields.insert(key, value);
            }
        }
        Ok(TopLevel { fields, has_candidates })
    }
}

struct CandidatesSeed<'a> {
    each: &'a mut dyn FnMut(usize, Value),
}

impl<'de> DeserializeSeed<'de> for CandidatesSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CandidatesSeed<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(candidate) = seq.next_element::<Value>()? {
            (self.each)(index, candidate);
            index += 1;
        }
        Ok(())
    }
}
