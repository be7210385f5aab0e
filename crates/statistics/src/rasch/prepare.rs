//! From validated ratings to the data the estimation works on: the scale
//! groups and their categories, the elements excluded (and why), and
//! compact indexes for the elements that stay.

use std::collections::BTreeSet;

use crate::data::{Design, Facet, Observation, Rating};

use super::{Exclusion, ExclusionReason};

/// One rating as the estimation sees it, in compact indexes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Obs {
    pub(super) candidate: usize,
    pub(super) criterion: usize,
    pub(super) examiner: usize,
    /// The model category: the position of the level among the levels its
    /// scale group used.
    pub(super) category: usize,
    /// The level as given.
    pub(super) level: u32,
}

/// Criteria sharing a maximum share a set of thresholds.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) max: u32,
    /// The levels used, ascending: the model's categories.
    pub(super) levels: Vec<u32>,
    /// How often each used level was given.
    pub(super) counts: Vec<usize>,
    /// The criteria in the group (original indexes).
    pub(super) criteria: Vec<usize>,
}

/// The data ready for estimation.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub(super) obs: Vec<Obs>,
    pub(super) groups: Vec<Group>,
    /// Compact index → original index, per facet.
    pub(super) candidates: Vec<usize>,
    pub(super) criteria: Vec<usize>,
    pub(super) examiners: Vec<usize>,
    /// Group of each compact criterion.
    pub(super) criterion_group: Vec<usize>,
    pub(super) excluded: Vec<Exclusion>,
    /// "Not assessable" ratings per original element.
    pub(super) not_assessable: NotAssessable,
}

/// Counts of "not assessable" ratings, per facet and original index.
#[derive(Debug, Clone)]
pub(super) struct NotAssessable {
    pub(super) candidates: Vec<usize>,
    pub(super) criteria: Vec<usize>,
    pub(super) examiners: Vec<usize>,
    pub(super) total: usize,
}

/// Per facet, each element's exclusion reason, if any.
struct Status {
    candidates: Vec<Option<ExclusionReason>>,
    criteria: Vec<Option<ExclusionReason>>,
    examiners: Vec<Option<ExclusionReason>>,
}

impl Status {
    fn active(&self, o: &(usize, usize, usize, u32)) -> bool {
        self.candidates[o.0].is_none() && self.criteria[o.1].is_none() && self.examiners[o.2].is_none()
    }
}

/// Excludes, repeatedly until nothing changes, the elements that carry no
/// information for the model: those never rated, those whose ratings are all
/// at the lowest or all at the highest category of their scale, and the
/// criteria of a scale in which a single level was used. Each exclusion can
/// make others extreme, hence the loop (it ends: every round excludes at
/// least one element).
pub(super) fn prepare(design: &Design, observations: &[Observation]) -> Prepared {
    let mut not_assessable = NotAssessable {
        candidates: vec![0; design.candidates],
        criteria: vec![0; design.criterion_max.len()],
        examiners: vec![0; design.examiners],
        total: 0,
    };
    let mut ratings: Vec<(usize, usize, usize, u32)> = Vec::with_capacity(observations.len());
    for o in observations {
        match o.rating {
            Rating::Level(level) => ratings.push((o.candidate, o.criterion, o.examiner, level)),
            Rating::NotAssessable => {
                not_assessable.candidates[o.candidate] += 1;
                not_assessable.criteria[o.criterion] += 1;
                not_assessable.examiners[o.examiner] += 1;
                not_assessable.total += 1;
            }
        }
    }

    let mut status = Status {
        candidates: vec![Some(ExclusionReason::NoRatings); design.candidates],
        criteria: vec![Some(ExclusionReason::NoRatings); design.criterion_max.len()],
        examiners: vec![Some(ExclusionReason::NoRatings); design.examiners],
    };
    for &(n, i, j, _) in &ratings {
        status.candidates[n] = None;
        status.criteria[i] = None;
        status.examiners[j] = None;
    }
    for (i, &max) in design.criterion_max.iter().enumerate() {
        if max == 0 && status.criteria[i].is_none() {
            status.criteria[i] = Some(ExclusionReason::SingleLevel);
        }
    }

    loop {
        // The levels each scale group uses among the remaining ratings.
        let mut used: std::collections::BTreeMap<u32, BTreeSet<u32>> = Default::default();
        for o in ratings.iter().filter(|o| status.active(o)) {
            used.entry(design.criterion_max[o.1]).or_default().insert(o.3);
        }
        let mut changed = false;
        for (i, reason) in status.criteria.iter_mut().enumerate() {
            if reason.is_none() && used.get(&design.criterion_max[i]).is_none_or(|levels| levels.len() < 2) {
                *reason = Some(ExclusionReason::SingleCategoryUsed);
                changed = true;
            }
        }
        if changed {
            continue;
        }

        let lowest =
            |i: usize, level: u32| used.get(&design.criterion_max[i]).and_then(|l| l.first()) == Some(&level);
        let highest =
            |i: usize, level: u32| used.get(&design.criterion_max[i]).and_then(|l| l.last()) == Some(&level);
        let mut extremes = Extremes::new(design);
        for o in ratings.iter().filter(|o| status.active(o)) {
            let (low, high) = (lowest(o.1, o.3), highest(o.1, o.3));
            extremes.record(Facet::Candidate, o.0, low, high);
            extremes.record(Facet::Criterion, o.1, low, high);
            extremes.record(Facet::Examiner, o.2, low, high);
        }
        for (facet, reasons) in [
            (Facet::Candidate, &mut status.candidates),
            (Facet::Criterion, &mut status.criteria),
            (Facet::Examiner, &mut status.examiners),
        ] {
            for (index, reason) in reasons.iter_mut().enumerate() {
                if reason.is_none()
                    && let Some(why) = extremes.reason(facet, index)
                {
                    *reason = Some(why);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }

    let compact = |reasons: &[Option<ExclusionReason>]| -> (Vec<usize>, Vec<usize>) {
        let mut to_original = Vec::new();
        let mut to_compact = vec![usize::MAX; reasons.len()];
        for (index, reason) in reasons.iter().enumerate() {
            if reason.is_none() {
                to_compact[index] = to_original.len();
                to_original.push(index);
            }
        }
        (to_original, to_compact)
    };
    let (candidates, candidate_index) = compact(&status.candidates);
    let (criteria, criterion_index) = compact(&status.criteria);
    let (examiners, examiner_index) = compact(&status.examiners);

    let mut groups: Vec<Group> = Vec::new();
    let mut criterion_group = Vec::with_capacity(criteria.len());
    for &i in &criteria {
        let max = design.criterion_max[i];
        let g = match groups.iter().position(|g| g.max == max) {
            Some(g) => g,
            None => {
                groups.push(Group { max, levels: Vec::new(), counts: Vec::new(), criteria: Vec::new() });
                groups.len() - 1
            }
        };
        groups[g].criteria.push(i);
        criterion_group.push(g);
    }
    let mut obs = Vec::new();
    for o in ratings.iter().filter(|o| status.active(o)) {
        let g = criterion_group[criterion_index[o.1]];
        if let Err(position) = groups[g].levels.binary_search(&o.3) {
            groups[g].levels.insert(position, o.3);
            groups[g].counts.insert(position, 0);
        }
        obs.push(Obs {
            candidate: candidate_index[o.0],
            criterion: criterion_index[o.1],
            examiner: examiner_index[o.2],
            category: 0,
            level: o.3,
        });
    }
    for o in &mut obs {
        let g = &mut groups[criterion_group[o.criterion]];
        // Present: every level of an active rating was inserted above.
        o.category = g.levels.binary_search(&o.level).unwrap_or(0);
        g.counts[o.category] += 1;
    }

    let mut excluded = Vec::new();
    for (facet, reasons) in [
        (Facet::Candidate, &status.candidates),
        (Facet::Criterion, &status.criteria),
        (Facet::Examiner, &status.examiners),
    ] {
        for (index, reason) in reasons.iter().enumerate() {
            if let Some(reason) = reason {
                excluded.push(Exclusion { facet, index, reason: *reason });
            }
        }
    }
    Prepared { obs, groups, candidates, criteria, examiners, criterion_group, excluded, not_assessable }
}

/// Per element: how many remaining ratings, and whether all are at the
/// lowest, or all at the highest, category of their scale.
struct Extremes {
    counts: [Vec<(usize, bool, bool)>; 3],
}

impl Extremes {
    fn new(design: &Design) -> Self {
        let fresh = |n: usize| vec![(0, true, true); n];
        Extremes {
            counts: [fresh(design.candidates), fresh(design.criterion_max.len()), fresh(design.examiners)],
        }
    }

    fn slot(facet: Facet) -> usize {
        match facet {
            Facet::Candidate => 0,
            Facet::Criterion => 1,
            Facet::Examiner => 2,
        }
    }

    fn record(&mut self, facet: Facet, index: usize, low: bool, high: bool) {
        let entry = &mut self.counts[Self::slot(facet)][index];
        entry.0 += 1;
        entry.1 &= low;
        entry.2 &= high;
    }

    fn reason(&self, facet: Facet, index: usize) -> Option<ExclusionReason> {
        match self.counts[Self::slot(facet)][index] {
            (0, _, _) => Some(ExclusionReason::NoRatingsLeft),
            (_, true, _) => Some(ExclusionReason::AllLowest),
            (_, _, true) => Some(ExclusionReason::AllHighest),
            _ => None,
        }
    }
}
