//! One Rasch model over several sessions: known severities recovered from
//! the pooled ratings, a smaller standard error than in any session alone,
//! and sessions that no examiner links reported by group.

use grille_statistics::rasch::pooled::{PooledError, SessionRatings, estimate_pooled, pool};
use grille_statistics::rasch::{RaschError, RaschOptions, estimate};
use grille_statistics::{Design, Facet, InputError};

use crate::sim::{SplitMix64, Truth, correlation_and_rmse, pooled_session, rated};

/// Six examiners (4 mildly lenient, 5 clearly severe), centred at 0.
const SEVERITIES: [f64; 6] = [-0.4, -0.2, 0.0, 0.1, -0.5, 1.0];
/// Eight criteria, centred at 0.
const DIFFICULTIES: [f64; 8] = [-1.0, -0.6, -0.3, 0.0, 0.1, 0.3, 0.6, 0.9];
const THRESHOLDS: [f64; 3] = [-1.5, 0.0, 1.5];

fn truth() -> Truth {
    Truth {
        abilities: Vec::new(),
        difficulties: DIFFICULTIES.to_vec(),
        severities: SEVERITIES.to_vec(),
        thresholds: THRESHOLDS.to_vec(),
    }
}

fn all_criteria() -> Vec<usize> {
    (0..DIFFICULTIES.len()).collect()
}

/// The severity and standard error of pooled examiner `examiner` in a
/// session estimated alone.
fn alone(session: &SessionRatings, examiner: usize) -> (f64, f64) {
    let design = Design {
        candidates: session.candidates,
        examiners: session.examiners.len(),
        criterion_max: vec![3; session.criteria.len()],
    };
    let fit = estimate(&design, &session.observations, &RaschOptions::default()).expect("estimable alone");
    let local = session.examiners.iter().position(|&e| e == examiner).expect("in the panel");
    let measure = fit.examiners.iter().find(|e| e.examiner == local).expect("estimated");
    (measure.severity, measure.standard_error.value().expect("a standard error"))
}

fn check_recovery(sessions: &[SessionRatings], rmse_limit: f64) {
    let fit = estimate_pooled(6, &[3; 8], sessions, &RaschOptions::default()).expect("estimable");
    let estimate = &fit.estimate;
    assert!(estimate.convergence.converged, "{:?}", estimate.convergence);
    assert_eq!(estimate.examiners.len(), 6);
    let (estimated, true_values): (Vec<f64>, Vec<f64>) =
        estimate.examiners.iter().map(|e| (e.severity, SEVERITIES[e.examiner])).unzip();
    let (r, rmse) = correlation_and_rmse(&estimated, &true_values);
    assert!(r > 0.97 && rmse < rmse_limit, "severities: r {r:.3}, RMSE {rmse:.3}: {estimated:?}");
    let (estimated, true_values): (Vec<f64>, Vec<f64>) =
        estimate.criteria.iter().map(|c| (c.difficulty, DIFFICULTIES[c.criterion])).unzip();
    let (r, rmse) = correlation_and_rmse(&estimated, &true_values);
    assert!(r > 0.97 && rmse < rmse_limit, "difficulties: r {r:.3}, RMSE {rmse:.3}");
    // The severe examiner is flagged severe, and the pooled candidates
    // stay distinct, session after session.
    let severe = estimate.examiners.iter().find(|e| e.examiner == 5).unwrap();
    assert!(severe.flag.is_some_and(|flag| flag.difference > 0.5), "{severe:?}");
    let total: usize = sessions.iter().map(|s| s.candidates).sum();
    assert_eq!(fit.origins.len(), total);
    assert_eq!(fit.origins[sessions[0].candidates].session, 1);
    assert_eq!(fit.origins[sessions[0].candidates].candidate, 0);
    assert_eq!(fit.ratings_per_session, sessions.iter().map(|s| s.observations.len()).collect::<Vec<_>>());
}

#[test]
fn two_sessions_linked_by_shared_examiners_recover_the_severities() {
    let (mut rng, truth) = (SplitMix64::new(31), truth());
    let sessions = [
        pooled_session(&mut rng, 120, &[0, 1, 2, 5], &all_criteria(), &truth),
        pooled_session(&mut rng, 120, &[2, 3, 4, 5], &all_criteria(), &truth),
    ];
    check_recovery(&sessions, 0.15);
}

#[test]
fn three_sessions_recover_the_severities_more_precisely_than_each_alone() {
    let (mut rng, truth) = (SplitMix64::new(77), truth());
    // Examiner 5 (severe) rates in all three sessions; the panels overlap.
    let sessions = [
        pooled_session(&mut rng, 90, &[0, 1, 5], &all_criteria(), &truth),
        pooled_session(&mut rng, 90, &[1, 2, 3, 5], &all_criteria(), &truth),
        pooled_session(&mut rng, 90, &[3, 4, 5], &all_criteria(), &truth),
    ];
    check_recovery(&sessions, 0.15);
    let fit = estimate_pooled(6, &[3; 8], &sessions, &RaschOptions::default()).unwrap();
    let pooled = fit.estimate.examiners.iter().find(|e| e.examiner == 5).unwrap();
    let pooled_se = pooled.standard_error.value().unwrap();
    for (index, session) in sessions.iter().enumerate() {
        let (_, se) = alone(session, 5);
        assert!(pooled_se < se, "session {index}: pooled SE {pooled_se:.3}, alone {se:.3}");
    }
    // The pooled severity relative to the panel is the true one.
    assert!((pooled.severity - 1.0).abs() < 0.2, "{pooled:?}");
}

#[test]
fn criteria_of_different_rubrics_stay_distinct() {
    // Session 1 uses another rubric for criteria 4–7 (pooled 8–11, with
    // the same true difficulties): still estimable, through the shared
    // criteria 0–3 and the shared examiners.
    let (mut rng, mut truth) = (SplitMix64::new(5), truth());
    truth.difficulties.extend_from_slice(&DIFFICULTIES[4..]);
    let sessions = [
        pooled_session(&mut rng, 80, &[0, 1, 2], &all_criteria(), &truth),
        pooled_session(&mut rng, 80, &[1, 2, 3], &[0, 1, 2, 3, 8, 9, 10, 11], &truth),
    ];
    let fit = estimate_pooled(4, &[3; 12], &sessions, &RaschOptions::default()).expect("estimable");
    assert_eq!(fit.estimate.criteria.len(), 12);
    let rated: Vec<usize> = fit.estimate.criteria.iter().map(|c| c.ratings).collect();
    // The shared criteria carry both sessions' ratings.
    assert_eq!(rated[0], 2 * rated[4], "{rated:?}");
    assert_eq!(rated[4], rated[8]);
}

#[test]
fn sessions_without_a_shared_examiner_are_reported_by_group() {
    let (mut rng, truth) = (SplitMix64::new(9), truth());
    // Different examiners and different criteria: disjoint subsets.
    let sessions = [
        pooled_session(&mut rng, 30, &[0, 1], &[0, 1, 2, 3], &truth),
        pooled_session(&mut rng, 30, &[2, 3], &[4, 5, 6, 7], &truth),
        pooled_session(&mut rng, 30, &[0, 4], &[0, 1, 2, 3], &truth),
    ];
    let error = estimate_pooled(6, &[3; 8], &sessions, &RaschOptions::default()).unwrap_err();
    let PooledError::Rasch { error: RaschError::Disconnected { subsets, .. }, session_groups } = &error
    else {
        panic!("{error:?}")
    };
    // Examiner 5 rated nowhere: a subset of its own, without sessions.
    assert!(subsets.len() >= 2);
    assert_eq!(session_groups, &vec![vec![0, 2], vec![1]]);
    assert!(error.to_string().contains("2 groups"), "{error}");

    // The same criteria but no shared examiner: linked through the
    // criteria, yet a severity difference between the panels cannot be
    // told from an ability difference between the sessions' candidates.
    let sessions = [
        pooled_session(&mut rng, 40, &[0, 1], &all_criteria(), &truth),
        pooled_session(&mut rng, 40, &[2, 3], &all_criteria(), &truth),
    ];
    let error = estimate_pooled(4, &[3; 8], &sessions, &RaschOptions::default()).unwrap_err();
    let PooledError::Rasch { error: RaschError::Confounded { .. }, session_groups } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(session_groups, &vec![vec![0], vec![1]]);
}

#[test]
fn bad_links_and_ratings_name_their_session() {
    let good = SessionRatings {
        candidates: 2,
        examiners: vec![0, 1],
        criteria: vec![0],
        observations: vec![rated(0, 0, 0, 1), rated(1, 0, 1, 2)],
    };
    let far = SessionRatings { examiners: vec![0, 7], ..good.clone() };
    let error = pool(2, &[3], &[good.clone(), far]).unwrap_err();
    assert_eq!(
        error,
        PooledError::Link { session: 1, facet: Facet::Examiner, local: 1, pooled: 7, count: 2 }
    );
    // A level above the pooled criterion's maximum, in session 1.
    let high = SessionRatings { observations: vec![rated(0, 0, 0, 4)], ..good.clone() };
    let error = pool(2, &[3], &[good.clone(), high]).unwrap_err();
    assert!(
        matches!(
            error,
            PooledError::Input { session: 1, problem: InputError::LevelAboveMaximum { level: 4, .. } }
        ),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("session 1:"), "{error}");
    let pooled = pool(2, &[3], &[good.clone(), good]).unwrap();
    assert_eq!(pooled.design.candidates, 4);
    assert_eq!(pooled.observations[2].candidate, 2);
}
