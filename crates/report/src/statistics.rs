//! Statistics of a scored exam session, computed from its
//! [`SessionResult`] alone (plus the pinned rubrics, to turn points into
//! levels): grade distributions, the pass rate, mean achievement by
//! competence, domain or criterion category, and agreement between
//! examiners.
//!
//! Every number is exact ([`Decimal`]); rates and means are divided once
//! and rounded only for display by the pages. A statistic without data is
//! [`Statistic::NotDefined`].
//!
//! - **Pass rate** = passed / (passed + failed). Pending candidates and
//!   candidates without result (excused withdrawal) are not decided and are
//!   left out of the rate, but counted.
//! - **Grade distributions** take the overall grade of every candidate who
//!   has one, and the grade of each part scored in this session (parts
//!   carried forward from an earlier attempt are left out).
//! - **Mean achievement** of a competence (domain, category) = the mean,
//!   over the candidates whose profile has that entry with a positive
//!   maximum, of `points / maximum × 100`, computed from the exact points
//!   (not from the profile's rounded percentages), rounded half up to one
//!   decimal.
//! - **Agreement between examiners** (see [`crate::agreement`]): for every
//!   position evaluated by two or more examiners, every pair of examiners,
//!   every rubric criterion: the pair of levels (the index of the chosen
//!   level among the criterion's levels sorted by points, 0 = lowest). A
//!   criterion marked "not assessable" or left missing by either examiner,
//!   or whose points are no level of the pinned rubric, is excluded and
//!   counted. The pairs are pooled per pair of examiners (over all
//!   positions and candidates) and per rubric (over all pairs of
//!   examiners). Agreed evaluations are not examiners' marks and are not
//!   counted.

use std::collections::BTreeMap;

use grille_scoring::{CandidateResult, EvaluationResult, Mark, Outcome, ProfileEntry, Rubric, SessionResult};
use rust_decimal::Decimal;

use crate::agreement::{Agreement, Statistic, agreement};

/// The decided and undecided candidates of a session and the pass rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassRate {
    /// Candidates who passed.
    pub passed: usize,
    /// Candidates who failed (with or without grades).
    pub failed: usize,
    /// Candidates whose result is pending.
    pub pending: usize,
    /// Candidates without a result (excused withdrawal).
    pub no_result: usize,
    /// passed / (passed + failed), in [0, 1].
    pub rate: Statistic,
}

/// The pass rate of a session.
pub fn pass_rate(result: &SessionResult) -> PassRate {
    let count = |outcome: Outcome| result.candidates.iter().filter(|c| c.outcome == outcome).count();
    let (passed, failed) = (count(Outcome::Passed), count(Outcome::Failed));
    PassRate {
        passed,
        failed,
        pending: count(Outcome::Pending),
        no_result: count(Outcome::NoResult),
        rate: ratio(passed, passed + failed),
    }
}

fn ratio(numerator: usize, denominator: usize) -> Statistic {
    if denominator == 0 {
        Statistic::NotDefined
    } else {
        Statistic::Defined(Decimal::from(numerator) / Decimal::from(denominator))
    }
}

/// The overall grades of the candidates who have one, in session order.
pub fn overall_grades(result: &SessionResult) -> Vec<Decimal> {
    result.candidates.iter().filter_map(|c| c.overall.as_ref().map(|overall| overall.value)).collect()
}

/// The grades of part `part` scored in this session (carried parts left
/// out), in session order.
pub fn part_grades(result: &SessionResult, part: &str) -> Vec<Decimal> {
    result
        .candidates
        .iter()
        .flat_map(|c| c.parts.iter())
        .filter(|p| p.part == part && p.carried.is_none())
        .filter_map(|p| p.grade)
        .collect()
}

/// The arithmetic mean of `values`, if there are any.
pub fn mean(values: &[Decimal]) -> Statistic {
    if values.is_empty() {
        return Statistic::NotDefined;
    }
    let sum: Decimal = values.iter().copied().sum();
    Statistic::Defined(sum / Decimal::from(values.len()))
}

/// Which entries of the candidates' competence profiles to average.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileDimension {
    /// By competence id (`A1` … `E4`).
    Competences,
    /// By domain letter.
    Domains,
    /// By category key (`performance`, `knowledge`, `attitudes`,
    /// `metacognition`).
    Categories,
}

fn entries(candidate: &CandidateResult, dimension: ProfileDimension) -> &[ProfileEntry] {
    match dimension {
        ProfileDimension::Competences => &candidate.profile.competences,
        ProfileDimension::Domains => &candidate.profile.domains,
        ProfileDimension::Categories => &candidate.profile.categories,
    }
}

/// The mean achievement of one profile entry over the candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeanAchievement {
    /// The id of the entry.
    pub id: String,
    /// How many candidates' profiles have the entry with a positive
    /// maximum.
    pub candidates: usize,
    /// The mean of their `points / maximum × 100`, rounded half up to one
    /// decimal; not defined when no candidate has the entry.
    pub percent: Statistic,
}

/// The mean achievement of each id of `ids` (in that order, e.g. the
/// catalogue's order of competences) over the candidates of `result`.
pub fn mean_achievement<'a>(
    result: &SessionResult,
    dimension: ProfileDimension,
    ids: impl IntoIterator<Item = &'a str>,
) -> Vec<MeanAchievement> {
    let mut sums: BTreeMap<&str, (Decimal, usize)> = BTreeMap::new();
    for candidate in &result.candidates {
        for entry in entries(candidate, dimension) {
            if entry.max_points <= Decimal::ZERO {
                continue;
            }
            let share = entry.points * Decimal::ONE_HUNDRED / entry.max_points;
            let sum = sums.entry(entry.id.as_str()).or_insert((Decimal::ZERO, 0));
            sum.0 += share;
            sum.1 += 1;
        }
    }
    ids.into_iter()
        .map(|id| {
            let (sum, count) = sums.get(id).copied().unwrap_or((Decimal::ZERO, 0));
            let percent = if count == 0 {
                Statistic::NotDefined
            } else {
                let mean = sum / Decimal::from(count);
                Statistic::Defined(
                    mean.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
                )
            };
            MeanAchievement { id: id.to_owned(), candidates: count, percent }
        })
        .collect()
}

/// The agreement of one group of paired marks (one pair of examiners, or
/// one rubric).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRow {
    /// The group: `"exp-01 / exp-02"` (examiner ids in sorted order) or a
    /// rubric id.
    pub label: String,
    /// The version of the rubric (empty for a pair of examiners).
    pub version: String,
    /// Criteria marked by both examiners with a level, i.e. the pairs
    /// analysed.
    pub compared: usize,
    /// Criteria left out: "not assessable" or missing for either examiner,
    /// or points that are no level of the rubric.
    pub excluded: usize,
    /// The statistics over the compared pairs (levels numbered from 0).
    pub agreement: Agreement,
}

/// Agreement between examiners, by pair of examiners and by rubric.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExaminerAgreement {
    /// One row per pair of examiners who evaluated the same positions,
    /// sorted by the pair.
    pub by_pair: Vec<AgreementRow>,
    /// One row per rubric used by double-marked positions, in the order of
    /// `result.rubrics`.
    pub by_rubric: Vec<AgreementRow>,
}

#[derive(Default)]
struct Pool {
    levels: usize,
    pairs: Vec<(usize, usize)>,
    excluded: usize,
}

impl Pool {
    fn finish(self, label: String, version: String) -> AgreementRow {
        // `agreement` only fails on fewer than two levels or a level out of
        // range, which `levels.max(2)` and the pooling rule exclude.
        let statistics = agreement(self.levels.max(2), &self.pairs).unwrap_or(Agreement {
            pairs: 0,
            exact: Statistic::NotDefined,
            adjacent: Statistic::NotDefined,
            kappa_linear: Statistic::NotDefined,
            kappa_quadratic: Statistic::NotDefined,
            table: Vec::new(),
        });
        AgreementRow {
            label,
            version,
            compared: self.pairs.len(),
            excluded: self.excluded,
            agreement: statistics,
        }
    }
}

/// The level index of `mark` for criterion `id` of `rubric` and the number
/// of levels of that criterion, or `None` when the mark is no level.
fn level_of(rubric: Option<&Rubric>, id: &str, mark: Mark) -> Option<(usize, usize)> {
    let Mark::Points(points) = mark else { return None };
    let criterion = rubric?.criterion(id)?;
    let mut levels: Vec<Decimal> = criterion.levels.iter().map(|level| level.points).collect();
    levels.sort_unstable();
    let index = levels.iter().position(|level| *level == points)?;
    Some((index, levels.len()))
}

/// Computes the agreement between examiners over every double-marked
/// position of `result`, using the pinned `rubrics` to number the levels.
pub fn examiner_agreement(result: &SessionResult, rubrics: &[Rubric]) -> ExaminerAgreement {
    let mut by_pair: BTreeMap<(String, String), Pool> = BTreeMap::new();
    let mut by_rubric: BTreeMap<(String, String), Pool> = BTreeMap::new();
    let positions =
        result.candidates.iter().flat_map(|c| c.parts.iter()).flat_map(|part| part.positions.iter());
    for position in positions {
        let reference = &position.rubric;
        let rubric = rubrics.iter().find(|r| r.id == reference.id && r.version == reference.version);
        let examined: Vec<(&str, &EvaluationResult)> = position
            .evaluations
            .iter()
            .filter_map(|evaluation| evaluation.examiner.as_deref().map(|examiner| (examiner, evaluation)))
            .collect();
        for (index, (first, first_evaluation)) in examined.iter().enumerate() {
            for (second, second_evaluation) in &examined[index + 1..] {
                let (a, b, a_evaluation, b_evaluation) = if first <= second {
                    (*first, *second, first_evaluation, second_evaluation)
                } else {
                    (*second, *first, second_evaluation, first_evaluation)
                };
                let pair = by_pair.entry((a.to_owned(), b.to_owned())).or_default();
                let per_rubric =
                    by_rubric.entry((reference.id.clone(), reference.version.clone())).or_default();
                for score in &a_evaluation.criteria {
                    let other = b_evaluation.criteria.iter().find(|s| s.criterion == score.criterion);
                    let levels = (
                        level_of(rubric, &score.criterion, score.mark),
                        other.and_then(|other| level_of(rubric, &other.criterion, other.mark)),
                    );
                    for pool in [&mut *pair, &mut *per_rubric] {
                        match levels {
                            (Some((x, count)), Some((y, _))) => {
                                pool.levels = pool.levels.max(count);
                                pool.pairs.push((x, y));
                            }
                            _ => pool.excluded += 1,
                        }
                    }
                }
            }
        }
    }
    let by_pair =
        by_pair.into_iter().map(|((a, b), pool)| pool.finish(format!("{a} / {b}"), String::new())).collect();
    let mut rubric_rows: Vec<AgreementRow> =
        by_rubric.into_iter().map(|((id, version), pool)| pool.finish(id, version)).collect();
    let order =
        |row: &AgreementRow| result.rubrics.iter().position(|r| r.id == row.label).unwrap_or(usize::MAX);
    rubric_rows.sort_by_key(order);
    ExaminerAgreement { by_pair, by_rubric: rubric_rows }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use grille_competence::LocalizedText;
    use grille_scoring::{
        CandidateStatus, CompetenceProfile, CriterionScore, DocumentRef, Level, PartResult, PositionResult,
        RubricCriterion,
    };
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn reference(id: &str) -> DocumentRef {
        DocumentRef { id: id.to_owned(), version: "1".to_owned() }
    }

    fn text(fr: &str) -> LocalizedText {
        serde_json::from_value(serde_json::json!({ "fr": fr })).unwrap()
    }

    /// A rubric whose criteria `c1`… have levels 0, 1, 2, 3.
    pub(crate) fn rubric(id: &str, criteria: usize) -> Rubric {
        Rubric {
            id: id.to_owned(),
            version: "1".to_owned(),
            title: text(id),
            criteria: (1..=criteria)
                .map(|n| RubricCriterion {
                    id: format!("c{n}"),
                    title: text(&format!("critère {n}")),
                    catalogue_criteria: Vec::new(),
                    competences: Vec::new(),
                    levels: (0..4)
                        .map(|points| Level { points: Decimal::from(points), descriptor: text("niveau") })
                        .collect(),
                    weight: Decimal::ONE,
                    not_assessable_allowed: true,
                })
                .collect(),
            translation: None,
        }
    }

    /// `marks` as written: a digit is that level's points, `n` not
    /// assessable, `-` missing.
    fn evaluation(examiner: &str, marks: &str) -> EvaluationResult {
        EvaluationResult {
            remark_language: None,
            examiner: Some(examiner.to_owned()),
            criteria: marks
                .chars()
                .enumerate()
                .map(|(index, mark)| CriterionScore {
                    criterion: format!("c{}", index + 1),
                    mark: match mark {
                        'n' => Mark::NotAssessable,
                        '-' => Mark::Missing,
                        digit => Mark::Points(Decimal::from(digit.to_digit(10).unwrap())),
                    },
                    weight: Decimal::ONE,
                    points: Decimal::ZERO,
                    max_points: Decimal::ZERO,
                    remark: None,
                })
                .collect(),
            points: Decimal::ZERO,
            max_points: Decimal::ZERO,
            grade: None,
            incomplete: Vec::new(),
            incomplete_messages: Vec::new(),
            remark: None,
        }
    }

    fn position(rubric: &str, evaluations: Vec<EvaluationResult>) -> PositionResult {
        PositionResult {
            position: "1.1".to_owned(),
            title: "position".to_owned(),
            weight: Decimal::ONE,
            rubric: reference(rubric),
            case: None,
            evaluations,
            agreed: None,
            arbiter: None,
            comparison: None,
            reconciliation: None,
            grade: None,
            grade_source: None,
            grade_source_message: None,
            pending: Vec::new(),
            pending_messages: Vec::new(),
        }
    }

    fn part(id: &str, grade: Option<&str>, positions: Vec<PositionResult>) -> PartResult {
        PartResult {
            part: id.to_owned(),
            title: format!("épreuve {id}"),
            weight: Decimal::ONE,
            grade: grade.map(d),
            calculation: None,
            carried: None,
            carried_message: None,
            positions,
            pending: Vec::new(),
            pending_messages: Vec::new(),
        }
    }

    fn candidate(number: &str, outcome: Outcome, parts: Vec<PartResult>) -> CandidateResult {
        CandidateResult {
            number: number.to_owned(),
            status: CandidateStatus::Present,
            attempt: 1,
            outcome,
            decision: String::new(),
            decision_message: None,
            pending: Vec::new(),
            pending_messages: Vec::new(),
            parts,
            overall: None,
            conditions: Vec::new(),
            profile: CompetenceProfile::default(),
            warnings: Vec::new(),
            warning_messages: Vec::new(),
        }
    }

    fn session(candidates: Vec<CandidateResult>) -> SessionResult {
        SessionResult {
            session: "s".to_owned(),
            scheme: reference("scheme"),
            blueprint: reference("blueprint"),
            rubrics: vec![reference("r1"), reference("r2")],
            assumptions: Vec::new(),
            candidates,
        }
    }

    fn shown(statistic: Statistic) -> String {
        match statistic {
            Statistic::Defined(value) => value.round_dp(4).normalize().to_string(),
            Statistic::NotDefined => "not defined".to_owned(),
        }
    }

    #[test]
    fn pass_rate_leaves_undecided_candidates_out() {
        for (outcomes, expected) in [
            (vec![Outcome::Passed, Outcome::Failed, Outcome::Passed, Outcome::Pending], "0.6667"),
            (vec![Outcome::Passed, Outcome::NoResult], "1"),
            (vec![Outcome::Pending, Outcome::NoResult], "not defined"),
            (vec![], "not defined"),
        ] {
            let result = session(
                outcomes.iter().enumerate().map(|(n, o)| candidate(&n.to_string(), *o, Vec::new())).collect(),
            );
            assert_eq!(shown(pass_rate(&result).rate), expected, "{outcomes:?}");
        }
        let result = session(vec![
            candidate("1", Outcome::Passed, Vec::new()),
            candidate("2", Outcome::Pending, Vec::new()),
            candidate("3", Outcome::NoResult, Vec::new()),
        ]);
        let rate = pass_rate(&result);
        assert_eq!((rate.passed, rate.failed, rate.pending, rate.no_result), (1, 0, 1, 1));
    }

    #[test]
    fn part_grades_skip_carried_and_missing_grades() {
        let mut carried = part("1", Some("5.5"), Vec::new());
        carried.carried = Some("2025".to_owned());
        let result = session(vec![
            candidate(
                "1",
                Outcome::Passed,
                vec![part("1", Some("4.5"), Vec::new()), part("2", Some("3"), Vec::new())],
            ),
            candidate("2", Outcome::Pending, vec![part("1", None, Vec::new())]),
            candidate("3", Outcome::Passed, vec![carried]),
        ]);
        assert_eq!(part_grades(&result, "1"), vec![d("4.5")]);
        assert_eq!(part_grades(&result, "2"), vec![d("3")]);
        assert_eq!(shown(mean(&[d("4.5"), d("3.5"), d("5")])), "4.3333");
        assert_eq!(shown(mean(&[])), "not defined");
    }

    #[test]
    fn mean_achievement_averages_exact_shares() {
        let entry = |id: &str, points: &str, max: &str| ProfileEntry {
            id: id.to_owned(),
            points: d(points),
            max_points: d(max),
            percent: Decimal::ZERO,
        };
        let mut first = candidate("1", Outcome::Passed, Vec::new());
        first.profile.competences = vec![entry("A1", "2", "3"), entry("B1", "0", "0")];
        let mut second = candidate("2", Outcome::Passed, Vec::new());
        second.profile.competences = vec![entry("A1", "1", "1")];
        let result = session(vec![first, second]);
        // A1: (2/3 × 100 + 100) / 2 = 83.333… → 83.3; B1 has no maximum;
        // C1 appears in no profile.
        let means = mean_achievement(&result, ProfileDimension::Competences, ["A1", "B1", "C1"]);
        let rows: Vec<(String, usize, String)> =
            means.into_iter().map(|m| (m.id, m.candidates, shown(m.percent))).collect();
        assert_eq!(
            rows,
            vec![
                ("A1".to_owned(), 2, "83.3".to_owned()),
                ("B1".to_owned(), 0, "not defined".to_owned()),
                ("C1".to_owned(), 0, "not defined".to_owned()),
            ]
        );
    }

    #[test]
    fn examiner_agreement_pools_by_pair_and_rubric() {
        let rubrics = [rubric("r1", 4), rubric("r2", 2)];
        // Candidate 1, rubric r1, exp-b listed first: pairs are put in the
        // order (exp-a, exp-b). Levels (a, b): (3,3) (2,1) (0,0), c4 not
        // assessable by exp-a: excluded.
        // Candidate 2, rubric r1: (1,1) (2,0) (3,3) (1,1).
        // Candidate 2, rubric r2, exp-a and exp-c: (2,2), c2 missing.
        let result = session(vec![
            candidate(
                "1",
                Outcome::Passed,
                vec![part(
                    "1",
                    None,
                    vec![position("r1", vec![evaluation("exp-b", "3102"), evaluation("exp-a", "320n")])],
                )],
            ),
            candidate(
                "2",
                Outcome::Passed,
                vec![
                    part(
                        "1",
                        None,
                        vec![position("r1", vec![evaluation("exp-a", "1231"), evaluation("exp-b", "1031")])],
                    ),
                    part(
                        "2",
                        None,
                        vec![position("r2", vec![evaluation("exp-a", "2-"), evaluation("exp-c", "22")])],
                    ),
                ],
            ),
        ]);
        let report = examiner_agreement(&result, &rubrics);
        let summary = |row: &AgreementRow| {
            (
                row.label.clone(),
                row.compared,
                row.excluded,
                [
                    shown(row.agreement.exact),
                    shown(row.agreement.adjacent),
                    shown(row.agreement.kappa_linear),
                    shown(row.agreement.kappa_quadratic),
                ],
            )
        };
        // exp-a / exp-b: 7 pairs (3,3) (2,1) (0,0) (1,1) (2,0) (3,3) (1,1).
        // Exact 5/7, adjacent 6/7. Rows (a): levels 0:1, 1:2, 2:2, 3:2;
        // columns (b): 0:2, 1:3, 2:0, 3:2. Linear: observed |2−1| + |2−0|
        // = 3; expected Σ r_i c_j |i−j| = r0(0·2+1·3+2·0+3·2) + r1(1·2+0+
        // 1·0+2·2) + r2(2·2+1·3+0+1·2) + r3(3·2+2·3+1·0+0) = 1·9 + 2·6 +
        // 2·9 + 2·12 = 63; κ = 1 − 7·3/63 = 2/3. Quadratic: observed 1 + 4
        // = 5; expected r0(0+3+0+18) + r1(2+0+0+8) + r2(8+3+0+2) + r3(18+12
        // +0+0) = 21 + 20 + 26 + 60 = 127; κ = 1 − 35/127 = 92/127 ≈ 0.7244.
        // exp-a / exp-c: one pair (2,2), one excluded: κ not defined.
        let pairs: Vec<_> = report.by_pair.iter().map(summary).collect();
        assert_eq!(
            pairs,
            vec![
                (
                    "exp-a / exp-b".to_owned(),
                    7,
                    1,
                    ["0.7143".into(), "0.8571".into(), "0.6667".into(), "0.7244".into()]
                ),
                (
                    "exp-a / exp-c".to_owned(),
                    1,
                    1,
                    ["1".into(), "1".into(), "not defined".into(), "not defined".into()]
                ),
            ]
        );
        let by_rubric: Vec<_> =
            report.by_rubric.iter().map(|row| (row.label.clone(), row.compared, row.excluded)).collect();
        assert_eq!(by_rubric, vec![("r1".to_owned(), 7, 1), ("r2".to_owned(), 1, 1)]);
    }

    #[test]
    fn points_that_are_no_level_are_excluded() {
        let rubrics = [rubric("r1", 2)];
        let result = session(vec![candidate(
            "1",
            Outcome::Passed,
            vec![part("1", None, vec![position("r1", vec![evaluation("x", "17"), evaluation("y", "19")])])],
        )]);
        let report = examiner_agreement(&result, &rubrics);
        assert_eq!((report.by_pair[0].compared, report.by_pair[0].excluded), (1, 1));
        // Without the rubric nothing can be compared.
        let report = examiner_agreement(&result, &[]);
        assert_eq!((report.by_pair[0].compared, report.by_pair[0].excluded), (0, 2));
    }
}
