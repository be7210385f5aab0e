//! Walking a session's JSON text without building its whole JSON tree: the
//! top-level fields other than `candidates` are collected (they are small),
//! and each candidate is handed over on its own, then dropped. A session of
//! 10,000 candidates then needs the memory of its text and of one
//! candidate, not of a tree many times the size of the file.

use std::fmt;

use grille_competence::Problem;

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::case::CaseLanguage;
use crate::session::{
    AgreedEvaluation, Answer, Candidate, CandidateStatus, CarriedPart, CaseSitting, Evaluation,
    PositionScoring,
};

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
    let message = error.to_string();
    Problem::new(
        "",
        grille_competence::document::json_invalid(
            &error,
            grille_competence::document::serde_message(&message),
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

/// Why [`read_typed`] stopped before the end of the file. Either way the
/// caller reports nothing from the typed reading: it reads the file again
/// with [`walk`] and the JSON Schema, which explains every problem with its
/// pointer.
#[derive(Debug)]
pub enum Stopped {
    /// The text is not JSON, a candidate does not deserialize, or the
    /// session has no `candidates` array.
    Malformed(serde_json::Error),
    /// A callback refused to go on (the header or a candidate has
    /// problems).
    Refused,
    /// A top-level field comes after `candidates`: the header was not
    /// whole when the candidates began.
    FieldAfterCandidates,
}

/// Reads a session in one pass into typed values, without a JSON tree or a
/// schema validation: `start` gets the top-level fields other than
/// `candidates` (those written before it, which in a session written by
/// grille or by serde are all of them) when the `candidates` array begins,
/// then `each` gets every candidate, deserialized directly from the text,
/// with its index. Either may return `false` to stop. Returns the number of
/// candidates.
///
/// Every candidate is read into the same [`crate::Candidate`]: its ids
/// are first borrowed from the text (`CandidateText`, the same fields with
/// the same rules), then copied into the strings and lists of the candidate
/// before, so that reading a large session costs a few allocations per
/// candidate instead of one per string. `each` borrows it for the time of
/// its call, and may swap it for another candidate (whose memory the next
/// candidate then reuses) to keep it: `grille score` hands candidates to
/// other threads so.
///
/// This is the fast path of `grille score`: it succeeds for a valid
/// session, and stops at the first thing it cannot take, leaving the
/// explanation to [`walk`], [`crate::SessionLoader`] and the checks.
/// Candidates are at least as strictly read as through the schema
/// (decimals as strings of the schema's pattern or integers, unknown
/// fields refused), so that a file read here is one the schema accepts.
pub fn read_typed(
    text: &str,
    start: &mut dyn FnMut(Map<String, Value>) -> bool,
    each: &mut dyn FnMut(usize, &mut crate::Candidate) -> bool,
) -> Result<usize, Stopped> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stopped = None;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let visitor = TypedVisitor { start, each, stopped: &mut stopped };
    let read = deserializer.deserialize_map(visitor).and_then(|count| deserializer.end().map(|()| count));
    match (read, stopped) {
        (_, Some(stopped)) => Err(stopped),
        (Ok(Some(count)), None) => Ok(count),
        (Ok(None), None) => Err(Stopped::Malformed(serde::de::Error::missing_field("candidates"))),
        (Err(error), None) => Err(Stopped::Malformed(error)),
    }
}

/// A candidate with nothing in it, to be overwritten by [`read_typed`].
pub fn blank_candidate() -> crate::Candidate {
    crate::Candidate {
        number: String::new(),
        status: Default::default(),
        attempt: 1,
        carried_parts: Vec::new(),
        cases: Vec::new(),
        positions: Vec::new(),
    }
}

/// The top-level fields of a session written before its `candidates`
/// array (all of them in a session written by grille or by serde), read
/// without reading the candidates. Stops as [`read_typed`] does when the
/// text is malformed before the array or the session has no `candidates`.
pub fn read_header(text: &str) -> Result<Map<String, Value>, Stopped> {
    let mut header = None;
    let read = read_typed(
        text,
        &mut |fields| {
            header = Some(fields);
            // Stop here: the candidates are not wanted.
            false
        },
        &mut |_, _| false,
    );
    match (read, header) {
        (Err(Stopped::Refused), Some(fields)) => Ok(fields),
        (Err(stopped), _) => Err(stopped),
        (Ok(_), _) => Err(Stopped::Refused),
    }
}

struct TypedVisitor<'a, 'b> {
    start: &'a mut dyn FnMut(Map<String, Value>) -> bool,
    each: &'a mut dyn FnMut(usize, &mut crate::Candidate) -> bool,
    stopped: &'b mut Option<Stopped>,
}

impl<'de> Visitor<'de> for TypedVisitor<'_, '_> {
    /// The number of candidates, `None` without a `candidates` field.
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object (the session)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<usize>, A::Error> {
        let mut fields = Map::new();
        let mut count = None;
        while let Some(key) = map.next_key::<String>()? {
            if count.is_some() {
                *self.stopped = Some(Stopped::FieldAfterCandidates);
                return Err(serde::de::Error::custom("field after candidates"));
            }
            if key == "candidates" {
                if !(self.start)(std::mem::take(&mut fields)) {
                    *self.stopped = Some(Stopped::Refused);
                    return Err(serde::de::Error::custom("refused"));
                }
                let seed = TypedCandidates { each: &mut *self.each, stopped: &mut *self.stopped };
                count = Some(map.next_value_seed(seed)?);
            } else {
                let value: Value = map.next_value()?;
                fields.insert(key, value);
            }
        }
        Ok(count)
    }
}

struct TypedCandidates<'a, 'b> {
    each: &'a mut dyn FnMut(usize, &mut crate::Candidate) -> bool,
    stopped: &'b mut Option<Stopped>,
}

impl<'de> DeserializeSeed<'de> for TypedCandidates<'_, '_> {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TypedCandidates<'_, '_> {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut index = 0;
        // One candidate, overwritten by each of the array (or swapped by
        // `each` for another one whose memory it reuses).
        let mut candidate = blank_candidate();
        while let Some(text) = seq.next_element::<CandidateText<'de>>()? {
            text.copy_into(&mut candidate);
            if !(self.each)(index, &mut candidate) {
                *self.stopped = Some(Stopped::Refused);
                return Err(serde::de::Error::custom("refused"));
            }
            index += 1;
        }
        Ok(index)
    }
}

// The candidate types of `crate::session` as read from the text: the same
// fields, defaults and checks (so that the same texts are accepted), the
// ids written on every candidate borrowed from the text when they have no
// escape (`Cow`), the rarer texts owned as in `crate::session`.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateText<'a> {
    #[serde(borrow)]
    number: Cow<'a, str>,
    #[serde(default)]
    status: CandidateStatus,
    #[serde(default = "first_attempt")]
    attempt: u32,
    #[serde(default)]
    carried_parts: Vec<CarriedPart>,
    #[serde(default)]
    cases: Vec<CaseSitting>,
    #[serde(default, borrow)]
    positions: List<PositionText<'a>>,
}

fn first_attempt() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PositionText<'a> {
    #[serde(borrow)]
    position: Cow<'a, str>,
    #[serde(default, borrow)]
    evaluations: List<EvaluationText<'a>>,
    #[serde(default, borrow)]
    agreed: Option<AgreedText<'a>>,
    #[serde(default, borrow)]
    arbiter: Option<EvaluationText<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationText<'a> {
    #[serde(borrow)]
    examiner: Cow<'a, str>,
    #[serde(borrow)]
    answers: List<AnswerText<'a>>,
    #[serde(default)]
    remark: Option<String>,
    #[serde(default)]
    remark_language: Option<CaseLanguage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgreedText<'a> {
    #[serde(default)]
    examiners: Vec<String>,
    #[serde(borrow)]
    answers: List<AnswerText<'a>>,
    #[serde(default)]
    remark: Option<String>,
    #[serde(default)]
    remark_language: Option<CaseLanguage>,
    #[serde(default)]
    awaiting_confirmation: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerText<'a> {
    #[serde(borrow)]
    criterion: Cow<'a, str>,
    #[serde(default, deserialize_with = "crate::decimal::strict::optional_decimal")]
    points: Option<Decimal>,
    #[serde(default)]
    not_assessable: bool,
    #[serde(default)]
    remark: Option<String>,
}

/// A list of the text, read as serde reads a `Vec` but with room for
/// [`List::ROOM`] elements from the start: serde_json does not know a
/// list's length before reading it, and a `Vec` grown from empty would be
/// allocated three times for the six answers of an evaluation.
struct List<T>(Vec<T>);

impl<T> List<T> {
    const ROOM: usize = 8;
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<List<T>, D::Error> {
        struct ListVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::with_capacity(List::<T>::ROOM);
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(List(items))
            }
        }

        deserializer.deserialize_seq(ListVisitor(std::marker::PhantomData))
    }
}

/// `target` made equal to `source`, in its own buffer.
fn set(target: &mut String, source: &str) {
    target.clear();
    target.push_str(source);
}

/// `target` made as long as `source`, each element copied by `copy` into
/// the element already there or into a new one from `new`.
fn copy_list<S, T>(source: &[S], target: &mut Vec<T>, new: impl Fn() -> T, copy: impl Fn(&S, &mut T)) {
    target.truncate(source.len());
    for (index, item) in source.iter().enumerate() {
        match target.get_mut(index) {
            Some(existing) => copy(item, existing),
            None => {
                let mut fresh = new();
                copy(item, &mut fresh);
                target.push(fresh);
            }
        }
    }
}

impl CandidateText<'_> {
    fn copy_into(self, candidate: &mut Candidate) {
        set(&mut candidate.number, &self.number);
        candidate.status = self.status;
        candidate.attempt = self.attempt;
        candidate.carried_parts = self.carried_parts;
        candidate.cases = self.cases;
        copy_list(
            &self.positions.0,
            &mut candidate.positions,
            || PositionScoring {
                position: String::new(),
                evaluations: Vec::new(),
                agreed: None,
                arbiter: None,
            },
            PositionText::copy_into,
        );
    }
}

impl PositionText<'_> {
    fn copy_into(&self, position: &mut PositionScoring) {
        set(&mut position.position, &self.position);
        copy_list(&self.evaluations.0, &mut position.evaluations, new_evaluation, EvaluationText::copy_into);
        match &self.agreed {
            Some(agreed) => {
                let target = position.agreed.get_or_insert_with(|| AgreedEvaluation {
                    examiners: Vec::new(),
                    answers: Vec::new(),
                    remark: None,
                    remark_language: None,
                    awaiting_confirmation: Vec::new(),
                });
                target.examiners.clone_from(&agreed.examiners);
                copy_list(&agreed.answers.0, &mut target.answers, new_answer, AnswerText::copy_into);
                target.remark.clone_from(&agreed.remark);
                target.remark_language = agreed.remark_language;
                target.awaiting_confirmation.clone_from(&agreed.awaiting_confirmation);
            }
            None => position.agreed = None,
        }
        match &self.arbiter {
            Some(arbiter) => arbiter.copy_into(position.arbiter.get_or_insert_with(new_evaluation)),
            None => position.arbiter = None,
        }
    }
}

fn new_evaluation() -> Evaluation {
    Evaluation { examiner: String::new(), answers: Vec::new(), remark: None, remark_language: None }
}

fn new_answer() -> Answer {
    Answer { criterion: String::new(), points: None, not_assessable: false, remark: None }
}

impl EvaluationText<'_> {
    fn copy_into(&self, evaluation: &mut Evaluation) {
        set(&mut evaluation.examiner, &self.examiner);
        copy_list(&self.answers.0, &mut evaluation.answers, new_answer, AnswerText::copy_into);
        evaluation.remark.clone_from(&self.remark);
        evaluation.remark_language = self.remark_language;
    }
}

impl AnswerText<'_> {
    fn copy_into(&self, answer: &mut Answer) {
        set(&mut answer.criterion, &self.criterion);
        answer.points = self.points;
        answer.not_assessable = self.not_assessable;
        answer.remark.clone_from(&self.remark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<String>, Stopped> {
        let mut numbers = Vec::new();
        read_typed(text, &mut |_| true, &mut |_, candidate| {
            numbers.push(candidate.number.clone());
            true
        })
        .map(|_| numbers)
    }

    #[test]
    fn a_valid_session_is_read_in_one_pass() {
        let text = r#"{"id": "s", "candidates": [{"number": "1"}, {"number": "2", "positions": []}]}"#;
        let mut header = None;
        let count = read_typed(
            text,
            &mut |fields| {
                header = Some(fields);
                true
            },
            &mut |_, _| true,
        )
        .unwrap();
        assert_eq!(count, 2);
        assert_eq!(header.unwrap().get("id"), Some(&Value::String("s".to_owned())));
        assert_eq!(read(text).unwrap(), ["1", "2"]);
        assert_eq!(read(&format!("\u{feff}{text}")).unwrap(), ["1", "2"]);
    }

    #[test]
    fn anything_the_schema_would_refuse_stops_the_typed_reading() {
        for text in [
            r#"{"id": "s"}"#,
            r#"{"candidates": [], "id": "s"}"#,
            r#"{"candidates": [{"number": "1", "extra": 1}]}"#,
            r#"{"candidates": [{"number": "1", "number": "2"}]}"#,
            r#"{"candidates": [{"number": 1}]}"#,
            r#"{"candidates": [{"number": "1", "attempt": 1.0}]}"#,
            r#"{"candidates": [{"number": "1", "carried_parts": [{"part": "1", "grade": 4.5}]}]}"#,
            r#"{"candidates": [{"number": "1", "carried_parts": [{"part": "1", "grade": "4,5"}]}]}"#,
            r#"{"candidates": [{"number": "1", "positions": [{"position": "1.1", "evaluations": [{"examiner": "A", "answers": [{"criterion": "k", "points": 0.5}]}]}]}]}"#,
            r#"{"candidates": [{"number": "1"}] "#,
            r#"[]"#,
        ] {
            assert!(read(text).is_err(), "{text}");
        }
        let refused = read_typed(r#"{"candidates": [{"number": "1"}]}"#, &mut |_| true, &mut |_, _| false);
        assert!(matches!(refused, Err(Stopped::Refused)));
    }

    #[test]
    fn each_candidate_read_in_place_is_the_candidate_alone() {
        // A candidate with every field, then candidates that leave fields
        // out, have fewer or more elements, longer strings or escapes: each
        // must read as if it were deserialized on its own.
        let candidates = serde_json::json!([
            {"number": "1", "status": "present", "attempt": 2,
             "carried_parts": [{"part": "1", "grade": "4.5", "from_session": "2025"}],
             "cases": [{"position": "1.1", "case": "c"}],
             "positions": [
                {"position": "1.1",
                 "evaluations": [
                    {"examiner": "A", "answers": [{"criterion": "k1", "points": "2", "remark": "r"},
                                                  {"criterion": "k2", "not_assessable": true}],
                     "remark": "overall", "remark_language": "de"},
                    {"examiner": "B", "answers": [{"criterion": "k1", "points": 1}]}],
                 "agreed": {"examiners": ["A", "B"], "answers": [{"criterion": "k1", "points": "1.5"}],
                            "remark": "ok", "remark_language": "it", "awaiting_confirmation": ["B"]},
                 "arbiter": {"examiner": "C", "answers": []}},
                {"position": "1.2", "evaluations": []}]},
            {"number": "2"},
            {"number": "a much longer candidate number than the first", "status": "absent",
             "positions": [{"position": "2.1",
                            "evaluations": [{"examiner": "examiner with a long name",
                                             "answers": [{"criterion": "k1"}, {"criterion": "k2"},
                                                         {"criterion": "k3", "points": "3"}]}]}]},
            {"number": "4", "positions": [{"position": "1.1"}, {"position": "1.2"}, {"position": "3.1"}]},
            {"number": "5", "attempt": 3, "carried_parts": []},
            {"number": "6 \"six\"", "positions": [{"position": "1.é1", "agreed": {"answers": []},
             "evaluations": [{"examiner": "Ä\n", "answers": [{"criterion": "k\"1", "points": "1"}]}]}]}
        ]);
        let expected: Vec<crate::Candidate> = serde_json::from_value(candidates.clone()).unwrap();
        // The header before the candidates, as grille writes it.
        let text = format!(r#"{{"id": "s", "candidates": {candidates}}}"#);
        let mut read = Vec::new();
        read_typed(&text, &mut |_| true, &mut |_, candidate| {
            read.push(candidate.clone());
            true
        })
        .unwrap();
        assert_eq!(read, expected);
    }
}
