//! Case studies (études de cas, `cases/*.json`): the situation from practice
//! a candidate works on, the tasks put to them, what examiners expect in a
//! good answer, and what the case assesses.
//!
//! A case is a versioned document like a rubric: a session pins the version
//! each candidate sat, and a pinned version never changes (an edit is a new
//! version). Its life in a board's case bank (draft, ready, used, released)
//! is not part of the document: the store keeps it beside the text.
//!
//! A case may leave out criteria of the rubric its positions are scored
//! with (`not_assessed`): such a criterion is *not assessable by design*
//! for every candidate who sat that case, so the maximum is the same for
//! all of them and no examiner decides it alone.

use crate::message::{Message, MessageCode};
use std::collections::HashSet;

use grille_competence::{Catalogue, Problem, Translations};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::blueprint::Blueprint;
use crate::decimal::{self, check_not_blank};
use crate::rubric::Rubric;

/// The largest attachment a case may carry, in bytes (10 MiB): exam
/// documents are scanned pages and plans, not videos.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// A whole case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    /// A stable identifier, e.g. `cas-2-atelier-bois`.
    pub id: String,
    /// The version of this case. A session pins the version a candidate
    /// sat; change it whenever the text changes.
    pub version: String,
    /// The language the case is written in: `fr`, `de` or `it`. A
    /// translation is a case of its own (same situation, another id).
    pub language: CaseLanguage,
    /// The exam year the case was written for, if any (for the bank's
    /// filters and usage history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// The case's title, in its language.
    pub title: String,
    /// The situation from practice, in Markdown (rendered without raw
    /// HTML).
    pub situation: String,
    /// The tasks or questions put to the candidate, in order.
    pub tasks: Vec<CaseTask>,
    /// Files handed to the candidate with the case (PDF, images), by the
    /// SHA-256 of their bytes; the bytes are stored once, beside the case.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Ids of the catalogue competences the case assesses, e.g. `["B2"]`.
    #[serde(default)]
    pub competences: Vec<String>,
    /// Ids of the catalogue criteria the case assesses, e.g. `["B2.p1"]`.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Ids of the blueprint positions the case can serve, e.g. `["2"]`.
    pub positions: Vec<String>,
    /// The id of the rubric the case is scored with, when it is not the
    /// rubric of the position in the blueprint (the session pins its
    /// version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<String>,
    /// Rubric criteria this case does not give the candidate the occasion
    /// to show: not assessable by design, for every candidate who sat it.
    #[serde(default)]
    pub not_assessed: Vec<NotAssessed>,
    /// Usernames of the examiners who wrote or reviewed the case. They
    /// know its expected answers by heart and may have drawn it from their
    /// own workplace, so they should not score a candidate who sits it:
    /// the draw avoids such pairs, and assignments say when one remains.
    /// Never shown to candidates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// For a case translated from another one: who translated it into the
    /// case's language and whether the board has checked the translation,
    /// under that language (`{"de": {"by": "grille", "checked_by_board":
    /// false, "source": {"id": "cas-2-atelier-bois", "version": "1"}}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<Translations>,
}

/// The language a case is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaseLanguage {
    /// French.
    Fr,
    /// German.
    De,
    /// Italian.
    It,
}

impl CaseLanguage {
    /// Every language, in the order the pages list them.
    pub const ALL: [CaseLanguage; 3] = [CaseLanguage::Fr, CaseLanguage::De, CaseLanguage::It];

    /// The code stored and sent (`fr`, `de`, `it`).
    pub fn code(self) -> &'static str {
        match self {
            CaseLanguage::Fr => "fr",
            CaseLanguage::De => "de",
            CaseLanguage::It => "it",
        }
    }

    /// The language of `code`, if it is one.
    pub fn parse(code: &str) -> Option<CaseLanguage> {
        CaseLanguage::ALL.into_iter().find(|language| language.code() == code)
    }
}

/// One task (question) of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseTask {
    /// A stable identifier, unique in the case, e.g. `t1`.
    pub id: String,
    /// What the candidate is asked, in Markdown.
    pub prompt: String,
    /// For examiners only: the elements a good answer contains. Candidates
    /// never see them.
    #[serde(default)]
    pub examiner_notes: Vec<String>,
}

/// A file handed out with a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The file name shown, e.g. `plan-atelier.pdf`.
    pub name: String,
    /// The type found in the bytes (not the name): `application/pdf`,
    /// `image/png` or `image/jpeg`.
    pub media_type: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// The size in bytes.
    pub size: u64,
}

/// A rubric criterion a case leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotAssessed {
    /// The rubric criterion id, e.g. `k3`.
    pub criterion: String,
    /// Why the case gives no occasion to observe it (shown in the
    /// explanation of every grade of the case).
    pub reason: String,
}

/// The media types an attachment may have.
pub const ATTACHMENT_TYPES: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];

/// The media type of a file judged by its first bytes (its signature), not
/// by its name: `None` for anything but a PDF, PNG or JPEG.
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

impl CaseStudy {
    /// Parses a case and checks it against `catalogue`: JSON, schema, then
    /// meaning. Every problem is returned at once.
    pub fn from_json(source: &str, catalogue: &Catalogue) -> Result<CaseStudy, Vec<Problem>> {
        let case: CaseStudy = decimal::load(source)?;
        let problems = case.check(catalogue);
        if problems.is_empty() { Ok(case) } else { Err(problems) }
    }

    /// Every problem of meaning that the case shows on its own or against
    /// the catalogue, each with its JSON pointer.
    pub fn check(&self, catalogue: &Catalogue) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_not_blank(&mut problems, "/id", &self.id, MessageCode::FieldCaseId);
        check_not_blank(&mut problems, "/version", &self.version, MessageCode::FieldCaseVersion);
        check_not_blank(&mut problems, "/title", &self.title, MessageCode::FieldCaseTitle);
        check_not_blank(&mut problems, "/situation", &self.situation, MessageCode::FieldSituation);
        if let Some(year) = self.year
            && !(2000..=2100).contains(&year)
        {
            problems.push(Problem::new(
                "/year",
                Message::new(MessageCode::CaseYear).with("year", year.to_string()),
            ));
        }
        if self.tasks.is_empty() {
            problems.push(Problem::new("/tasks", Message::new(MessageCode::CaseNoTask)));
        }
        crate::translation::check(&mut problems, self.translation.as_ref(), false);
        for (code, _) in crate::translation::notes(self.translation.as_ref()) {
            if code != self.language.code() {
                problems.push(Problem::new(
                    format!("/translation/{code}"),
                    Message::new(MessageCode::CaseTranslationLanguage)
                        .with("language", self.language.code().to_string())
                        .with("code", code.to_string()),
                ));
            }
        }
        let mut task_ids = HashSet::new();
        for (index, task) in self.tasks.iter().enumerate() {
            let base = format!("/tasks/{index}");
            check_not_blank(&mut problems, &format!("{base}/id"), &task.id, MessageCode::FieldTaskId);
            if !task_ids.insert(task.id.as_str()) {
                problems.push(Problem::new(
                    format!("{base}/id"),
                    Message::new(MessageCode::CaseTaskDuplicate).with("task", task.id.to_string()),
                ));
            }
            check_not_blank(
                &mut problems,
                &format!("{base}/prompt"),
                &task.prompt,
                MessageCode::FieldTaskPrompt,
            );
            for (k, note) in task.examiner_notes.iter().enumerate() {
                check_not_blank(
                    &mut problems,
                    &format!("{base}/examiner_notes/{k}"),
                    note,
                    MessageCode::FieldExaminerNote,
                );
            }
        }
        let mut hashes = HashSet::new();
        for (index, attachment) in self.attachments.iter().enumerate() {
            let base = format!("/attachments/{index}");
            check_not_blank(
                &mut problems,
                &format!("{base}/name"),
                &attachment.name,
                MessageCode::FieldFileName,
            );
            if attachment.name.contains(['/', '\\']) || attachment.name.chars().any(char::is_control) {
                problems.push(Problem::new(
                    format!("{base}/name"),
                    Message::new(MessageCode::CaseFileNameCharacters),
                ));
            }
            if !ATTACHMENT_TYPES.contains(&attachment.media_type.as_str()) {
                problems.push(Problem::new(
                    format!("{base}/media_type"),
                    Message::new(MessageCode::CaseFileType)
                        .with("media_type", attachment.media_type.to_string()),
                ));
            }
            let is_hash = attachment.sha256.len() == 64
                && attachment.sha256.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
            if !is_hash {
                problems
                    .push(Problem::new(format!("{base}/sha256"), Message::new(MessageCode::CaseFileHash)));
            } else if !hashes.insert(attachment.sha256.as_str()) {
                problems
                    .push(Problem::new(format!("{base}/sha256"), Message::new(MessageCode::CaseFileTwice)));
            }
            if attachment.size == 0 || attachment.size > MAX_ATTACHMENT_BYTES {
                problems.push(Problem::new(
                    format!("{base}/size"),
                    Message::new(MessageCode::CaseFileSize)
                        .with("size", attachment.size.to_string())
                        .with("max", (MAX_ATTACHMENT_BYTES / (1024 * 1024)).to_string()),
                ));
            }
        }
        for (k, id) in self.competences.iter().enumerate() {
            let pointer = format!("/competences/{k}");
            match catalogue.competence(id) {
                None => problems.push(Problem::new(
                    &pointer,
                    Message::new(MessageCode::CompetenceUnknown).with("competence", id.to_string()),
                )),
                Some(found) if found.id != *id => problems.push(Problem::new(
                    &pointer,
                    Message::new(MessageCode::CompetenceSpelling)
                        .with("expected", found.id.to_string())
                        .with("competence", id.to_string()),
                )),
                Some(_) => {}
            }
            if self.competences[..k].contains(id) {
                problems.push(Problem::new(
                    pointer,
                    Message::new(MessageCode::CompetenceTwice).with("competence", id.to_string()),
                ));
            }
        }
        for (k, id) in self.criteria.iter().enumerate() {
            let pointer = format!("/criteria/{k}");
            if catalogue.criterion(id).is_none() {
                problems.push(Problem::new(
                    &pointer,
                    Message::new(MessageCode::CriterionUnknown).with("criterion", id.to_string()),
                ));
            }
            if self.criteria[..k].contains(id) {
                problems.push(Problem::new(
                    pointer,
                    Message::new(MessageCode::CriterionTwice).with("criterion", id.to_string()),
                ));
            }
        }
        if self.positions.is_empty() {
            problems.push(Problem::new("/positions", Message::new(MessageCode::CaseNoPosition)));
        }
        for (k, id) in self.positions.iter().enumerate() {
            check_not_blank(&mut problems, &format!("/positions/{k}"), id, MessageCode::FieldPosition);
            if self.positions[..k].contains(id) {
                problems.push(Problem::new(
                    format!("/positions/{k}"),
                    Message::new(MessageCode::PositionTwice).with("position", id.to_string()),
                ));
            }
        }
        if let Some(rubric) = &self.rubric {
            check_not_blank(&mut problems, "/rubric", rubric, MessageCode::FieldRubricId);
        }
        for (k, excluded) in self.not_assessed.iter().enumerate() {
            let base = format!("/not_assessed/{k}");
            check_not_blank(
                &mut problems,
                &format!("{base}/criterion"),
                &excluded.criterion,
                MessageCode::FieldCriterion,
            );
            check_not_blank(
                &mut problems,
                &format!("{base}/reason"),
                &excluded.reason,
                MessageCode::FieldReason,
            );
            if self.not_assessed[..k].iter().any(|other| other.criterion == excluded.criterion) {
                problems.push(Problem::new(
                    format!("{base}/criterion"),
                    Message::new(MessageCode::CaseCriterionLeftOutTwice)
                        .with("criterion", excluded.criterion.to_string()),
                ));
            }
        }
        for (k, author) in self.authors.iter().enumerate() {
            let pointer = format!("/authors/{k}");
            check_not_blank(&mut problems, &pointer, author, MessageCode::FieldAuthor);
            if self.authors[..k].contains(author) {
                problems.push(Problem::new(
                    pointer,
                    Message::new(MessageCode::CaseAuthorTwice).with("author", author.to_string()),
                ));
            }
        }
        problems
    }

    /// Whether `examiner` (a username) wrote or reviewed the case.
    pub fn written_by(&self, examiner: &str) -> bool {
        self.authors.iter().any(|author| author == examiner)
    }

    /// Problems of the case against the exam it is used in: every position
    /// it names exists in `blueprint`, and every criterion it leaves out
    /// exists in the rubric of each position it serves (`rubric_of` gives
    /// the pinned rubric of a rubric id) and is not the last one left.
    pub fn check_against<'r>(
        &self,
        blueprint: &Blueprint,
        rubric_of: impl Fn(&str) -> Option<&'r Rubric>,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (k, id) in self.positions.iter().enumerate() {
            let Some((_, position)) = blueprint.position(id) else {
                problems.push(Problem::new(
                    format!("/positions/{k}"),
                    Message::new(MessageCode::PositionNotInNamedBlueprint)
                        .with("position", id.to_string())
                        .with("blueprint", blueprint.id.to_string()),
                ));
                continue;
            };
            let rubric_id = self.rubric.as_deref().unwrap_or(&position.rubric);
            let Some(rubric) = rubric_of(rubric_id) else {
                if self.rubric.is_some() {
                    problems.push(Problem::new(
                        "/rubric",
                        Message::new(MessageCode::CaseRubricNotPinned).with("rubric", rubric_id.to_string()),
                    ));
                }
                continue;
            };
            for (n, excluded) in self.not_assessed.iter().enumerate() {
                if rubric.criterion(&excluded.criterion).is_none() {
                    problems.push(Problem::new(
                        format!("/not_assessed/{n}/criterion"),
                        Message::new(MessageCode::CaseLeftOutUnknown)
                            .with("criterion", excluded.criterion.to_string())
                            .with("rubric", rubric.id.to_string())
                            .with("position", id.to_string()),
                    ));
                }
            }
            let left = rubric.criteria.iter().filter(|criterion| !self.leaves_out(&criterion.id)).count();
            if left == 0 {
                problems.push(Problem::new(
                    "/not_assessed",
                    Message::new(MessageCode::CaseLeavesAllOut).with("rubric", rubric.id.to_string()),
                ));
            }
        }
        problems
    }

    /// Whether the case leaves out the rubric criterion `criterion`.
    pub fn leaves_out(&self, criterion: &str) -> bool {
        self.not_assessed.iter().any(|excluded| excluded.criterion == criterion)
    }

    /// Whether the case can serve the blueprint position `position`.
    pub fn serves(&self, position: &str) -> bool {
        self.positions.iter().any(|id| id == position)
    }

    /// The case without what candidates must not see: the examiner notes.
    pub fn for_candidates(&self) -> CaseStudy {
        let mut case = self.clone();
        for task in &mut case.tasks {
            task.examiner_notes.clear();
        }
        case.authors.clear();
        case
    }
}
