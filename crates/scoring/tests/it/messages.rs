//! Every engine message code, with arguments, and the French sentence the
//! results carried before the engine spoke in codes: the JSON's French
//! fields must not change for their existing readers.

use std::collections::BTreeSet;

use grille_scoring::{Message, MessageCode as C};

fn m(code: C, args: &[(&str, &str)]) -> Message {
    args.iter().fold(Message::new(code), |message, (name, value)| message.with(name, *value))
}

fn part(part: &str, grade: &str) -> Message {
    m(C::PartGrade, &[("part", part), ("grade", grade)])
}

fn step_flag() -> Message {
    m(C::FlagStep, &[("gap", "1.5"), ("lowest", "3.5"), ("highest", "5.0"), ("step", "1")])
}

fn straddle_flag() -> Message {
    m(C::FlagStraddle, &[("lowest", "3.5"), ("highest", "5.0"), ("pass", "4.0")])
}

fn cases() -> Vec<(Message, &'static str)> {
    let unmet = m(C::ConditionMinOverall, &[("grade", "3.8"), ("relation", "<"), ("minimum", "4.0")]);
    let unanswered = m(C::AnswerUnanswered, &[("criterion", "c2")]);
    vec![
        (
            m(C::DecisionPassed, &[("grade", "4.6")]),
            "examen réussi : note globale 4.6, toutes les conditions de réussite sont remplies",
        ),
        (
            m(C::DecisionFailed, &[("grade", "3.8")]).with_list(
                "conditions",
                vec![unmet.clone(), m(C::ConditionRequiredPartAbsent, &[("part", "2"), ("pass", "4.0")])],
            ),
            "examen échoué (note globale 3.8) : condition(s) non remplie(s) : note globale 3.8 < 4.0 exigé ; l'épreuve 2 doit atteindre 4.0 : note absente",
        ),
        (
            m(C::DecisionWithdrawnUnexcused, &[]),
            "retrait sans motif valable : l'examen est considéré comme échoué, sans notes",
        ),
        (
            m(C::DecisionExcluded, &[]),
            "exclusion de l'examen : l'examen est considéré comme échoué, sans notes",
        ),
        (
            m(C::DecisionWithdrawnExcused, &[]),
            "retrait pour motif valable : pas de résultat, la tentative ne compte pas",
        ),
        (
            m(C::DecisionAbsent, &[]),
            "absence : pas de résultat tant que la commission n'a pas statué sur le motif (retrait excusé ou non)",
        ),
        (m(C::DecisionPartGradeMissing, &[]), "résultat en attente : au moins une note d'épreuve manque"),
        (
            m(C::DecisionOverallIncalculable, &[("error", "moyenne impossible : aucune note")]),
            "note globale incalculable : moyenne impossible : aucune note",
        ),
        (
            m(C::WarningEvaluationsIgnored, &[("positions", "1.1, 2")])
                .with_message("status", m(C::StatusAbsent, &[])),
            "des évaluations sont saisies (point(s) 1.1, 2) alors que le statut est « absence » : elles sont conservées mais ignorées pour la note",
        ),
        (m(C::StatusPresent, &[]), "présent·e"),
        (m(C::StatusWithdrawnExcused, &[]), "retrait pour motif valable"),
        (m(C::StatusWithdrawnUnexcused, &[]), "retrait sans motif valable"),
        (m(C::StatusExcluded, &[]), "exclusion"),
        (m(C::StatusAbsent, &[]), "absence"),
        (
            m(C::PendingPart, &[("part", "2")]).with_message(
                "reason",
                m(C::PendingPosition, &[("position", "2.1")])
                    .with_message("reason", m(C::PendingNoEvaluation, &[])),
            ),
            "épreuve 2 : point 2.1 : aucune évaluation saisie",
        ),
        (
            m(C::PendingPosition, &[("position", "1.1")])
                .with_message("reason", m(C::PendingOpenDiscrepancy, &[])),
            "point 1.1 : les évaluations diffèrent et aucune évaluation commune n'est saisie : divergence ouverte",
        ),
        (
            m(C::PendingPartIncalculable, &[("error", "moyenne impossible : aucune note")]),
            "note d'épreuve incalculable : moyenne impossible : aucune note",
        ),
        (m(C::PendingRubricMissing, &[("rubric", "grille-2")]), "la grille grille-2 n'est pas fournie"),
        (m(C::PendingNoEvaluation, &[]), "aucune évaluation saisie"),
        (
            m(C::PendingAwaitingConfirmation, &[("names", "exp-01, exp-02")]),
            "évaluation commune en attente de la confirmation de exp-01, exp-02",
        ),
        (
            m(C::PendingAgreedIncomplete, &[]).with_message("reason", unanswered.clone()),
            "évaluation commune incomplète : le critère c2 n'a pas de réponse",
        ),
        (
            m(C::PendingEvaluationIncomplete, &[("examiner", "exp-01")])
                .with_message("reason", unanswered.clone()),
            "évaluation de exp-01 incomplète : le critère c2 n'a pas de réponse",
        ),
        (
            m(C::PendingEvaluationsExpected, &[("expected", "2"), ("entered", "1")]),
            "2 évaluation(s) attendue(s), 1 saisie(s)",
        ),
        (
            m(C::PendingIdenticalNeedsAgreement, &[]),
            "évaluations identiques, mais le barème exige une évaluation commune explicite",
        ),
        (
            m(C::PendingOpenDiscrepancy, &[]),
            "les évaluations diffèrent et aucune évaluation commune n'est saisie : divergence ouverte",
        ),
        (
            m(C::PendingArbiterIncomplete, &[("arbiter", "chef")]).with_message("reason", unanswered),
            "évaluation de l'arbitre chef incomplète : le critère c2 n'a pas de réponse",
        ),
        (
            m(C::PendingArbiterMissing, &[]).with_list("flags", vec![step_flag(), straddle_flag()]),
            "arbitrage nécessaire (les notes diffèrent de 1.5 (de 3.5 à 5.0) : écart d'au moins 1 ; les notes 3.5 et 5.0 sont de part et d'autre de la note suffisante 4.0) : l'évaluation de l'arbitre manque",
        ),
        (
            m(C::PendingMeanIncalculable, &[("error", "moyenne impossible : aucune note")]),
            "moyenne des notes incalculable : moyenne impossible : aucune note",
        ),
        (
            m(C::ReconciliationAwaitingConfirmation, &[("names", "exp-02")]),
            "évaluation commune saisie, en attente de la confirmation de exp-02",
        ),
        (m(C::ReconciliationAgreed, &[]), "évaluation commune des expert·e·s"),
        (m(C::ReconciliationAgreedIncomplete, &[]), "évaluation commune incomplète"),
        (
            m(C::ReconciliationAwaitingEvaluations, &[]),
            "les évaluations des expert·e·s ne sont pas toutes complètes",
        ),
        (m(C::ReconciliationSingle, &[]), "évaluation unique (une seule personne experte prévue)"),
        (m(C::ReconciliationIdentical, &[]), "évaluations identiques : accord automatique"),
        (m(C::ReconciliationNeedsExplicitAgreement, &[]), "le barème exige une évaluation commune explicite"),
        (
            m(C::ReconciliationAwaitingAgreement, &[]),
            "les évaluations diffèrent : une évaluation commune est attendue",
        ),
        (
            m(C::ReconciliationMean, &[("grades", "4.5, 3.5"), ("unrounded", "4"), ("grade", "4.0")]),
            "mode moyenne : moyenne des notes des expert·e·s (4.5, 3.5) = 4 → 4.0",
        ),
        (
            m(
                C::ReconciliationMeanNoFlag,
                &[("grades", "4.5, 4.0"), ("unrounded", "4.25"), ("grade", "4.5")],
            ),
            "mode arbitrage, aucun signalement d'écart : moyenne des notes des expert·e·s (4.5, 4.0) = 4.25 → 4.5",
        ),
        (
            m(
                C::ReconciliationMeanNoFlagArbiterUnused,
                &[("grades", "4.5, 4.0"), ("unrounded", "4.25"), ("grade", "4.5")],
            ),
            "mode arbitrage, aucun signalement d'écart : moyenne des notes des expert·e·s (4.5, 4.0) = 4.25 → 4.5 ; l'évaluation de l'arbitre n'est pas utilisée (aucun écart signalé)",
        ),
        (
            m(C::ReconciliationArbiter, &[("arbiter", "chef")]).with_list("flags", vec![straddle_flag()]),
            "arbitrage : les notes 3.5 et 5.0 sont de part et d'autre de la note suffisante 4.0 ; l'évaluation de l'arbitre chef est officielle",
        ),
        (
            m(C::ReconciliationArbiterIncomplete, &[]).with_list("flags", vec![step_flag()]),
            "arbitrage nécessaire : les notes diffèrent de 1.5 (de 3.5 à 5.0) : écart d'au moins 1 ; l'évaluation de l'arbitre est incomplète",
        ),
        (
            m(C::ReconciliationArbiterAwaited, &[]).with_list("flags", vec![step_flag()]),
            "arbitrage nécessaire : les notes diffèrent de 1.5 (de 3.5 à 5.0) : écart d'au moins 1 ; l'évaluation de l'arbitre est attendue",
        ),
        (
            m(C::ReconciliationMeanIncalculable, &[("error", "moyenne impossible : aucune note")]),
            "moyenne incalculable : moyenne impossible : aucune note",
        ),
        (step_flag(), "les notes diffèrent de 1.5 (de 3.5 à 5.0) : écart d'au moins 1"),
        (straddle_flag(), "les notes 3.5 et 5.0 sont de part et d'autre de la note suffisante 4.0"),
        (unmet, "note globale 3.8 < 4.0 exigé"),
        (
            m(C::ConditionMaxInsufficientParts, &[("count", "0"), ("pass", "4.0"), ("max", "1")]),
            "0 note(s) d'épreuve inférieure(s) à 4.0 ; au plus 1 admise(s)",
        ),
        (
            m(C::ConditionMaxInsufficientPartsListed, &[("count", "2"), ("pass", "4.0"), ("max", "1")])
                .with_list("parts", vec![part("1", "3.5"), part("3", "3.9")]),
            "2 note(s) d'épreuve inférieure(s) à 4.0 (épreuve 1 : 3.5, épreuve 3 : 3.9) ; au plus 1 admise(s)",
        ),
        (m(C::ConditionMinPartGradeMet, &[("minimum", "3.0")]), "aucune note d'épreuve inférieure à 3.0"),
        (
            m(C::ConditionMinPartGradeUnmet, &[("minimum", "3.0")])
                .with_list("parts", vec![part("2", "2.8")]),
            "note(s) d'épreuve inférieure(s) à 3.0 : épreuve 2 : 2.8",
        ),
        (
            m(C::ConditionMaxShortfallSum, &[("pass", "4.0"), ("sum", "0.7"), ("max", "1")]),
            "somme des écarts sous 4.0 : 0.7 ; au plus 1 admis",
        ),
        (
            m(C::ConditionRequiredPart, &[("part", "1"), ("pass", "4.0"), ("grade", "4.2")]),
            "l'épreuve 1 doit atteindre 4.0 : note 4.2",
        ),
        (
            m(C::ConditionRequiredPartAbsent, &[("part", "1"), ("pass", "4.0")]),
            "l'épreuve 1 doit atteindre 4.0 : note absente",
        ),
        (
            m(C::ConditionMaxPartsBelow, &[("count", "0"), ("below", "3.5"), ("max", "2")]),
            "0 note(s) d'épreuve inférieure(s) à 3.5 ; au plus 2 admise(s)",
        ),
        (
            m(C::ConditionMaxPartsBelowListed, &[("count", "1"), ("below", "3.5"), ("max", "2")])
                .with_list("parts", vec![part("2", "3.0")]),
            "1 note(s) d'épreuve inférieure(s) à 3.5 (épreuve 2 : 3.0) ; au plus 2 admise(s)",
        ),
        (
            m(C::ConditionPartMinimum, &[("part", "1"), ("minimum", "4.5"), ("grade", "4.4")]),
            "l'épreuve 1 doit atteindre 4.5 : note 4.4",
        ),
        (
            m(C::ConditionPartMinimumAbsent, &[("part", "1"), ("minimum", "4.5")]),
            "l'épreuve 1 doit atteindre 4.5 : note absente",
        ),
        (
            m(C::ConditionMinPositionGradeMet, &[("minimum", "3.0")]),
            "aucune note de point d'appréciation inférieure à 3.0",
        ),
        (
            m(C::ConditionMinPositionGradeUnmet, &[("minimum", "3.0")]).with_list(
                "positions",
                vec![
                    m(C::PositionGrade, &[("position", "1.1"), ("grade", "2.5")]),
                    m(C::PositionGrade, &[("position", "2"), ("grade", "2.0")]),
                ],
            ),
            "note(s) de point d'appréciation inférieure(s) à 3.0 : point 1.1 : 2.5, point 2 : 2.0",
        ),
        (
            m(C::ConditionPositionMinimum, &[("position", "2.1"), ("minimum", "3"), ("grade", "3.5")]),
            "le point d'appréciation 2.1 doit atteindre 3 : note 3.5",
        ),
        (
            m(C::ConditionPositionMinimumAbsent, &[("position", "2.1"), ("minimum", "3.0")]),
            "le point d'appréciation 2.1 doit atteindre 3.0 : note absente",
        ),
        (
            m(C::ConditionPositionMinimumCarried, &[("position", "2.1"), ("minimum", "3.0")]),
            "le point d'appréciation 2.1 doit atteindre 3.0 : non jugé, son épreuve est reportée d'une tentative précédente",
        ),
        (part("1", "4.5"), "épreuve 1 : 4.5"),
        (m(C::PositionGrade, &[("position", "1.2"), ("grade", "5.0")]), "point 1.2 : 5.0"),
        (
            m(C::CarriedFromSession, &[("session", "2025-automne")]),
            "note reportée de la session 2025-automne (épreuve réussie)",
        ),
        (m(C::CarriedEarlierAttempt, &[]), "note reportée d'une tentative précédente (épreuve réussie)"),
        (
            m(C::CaseAllAssessed, &[("case", "cas-1"), ("version", "2")]),
            "cas cas-1 (version 2) : tous les critères de la grille sont évalués",
        ),
        (
            m(C::CaseLeftOut, &[("case", "cas-1"), ("version", "2"), ("criteria", "c3 (pas de groupe)")]),
            "cas cas-1 (version 2) : critère(s) non évaluable(s) par conception du cas : c3 (pas de groupe) ; ils sortent des points et du maximum, le même pour tou·te·s les candidat·e·s de ce cas",
        ),
        (
            m(C::AnswerUnknownCriterion, &[("criterion", "x9"), ("rubric", "grille-1")]),
            "le critère x9 n'existe pas dans la grille grille-1",
        ),
        (m(C::AnswerDuplicate, &[("criterion", "c1")]), "le critère c1 a deux réponses"),
        (
            m(C::AnswerPointsOnLeftOut, &[("criterion", "c3")]),
            "le critère c3 est écarté par le cas (non évaluable par conception) mais a des points",
        ),
        (
            m(C::AnswerPointsAndNotAssessable, &[("criterion", "c1")]),
            "le critère c1 a à la fois des points et « non évaluable »",
        ),
        (
            m(C::AnswerNotAssessableRefused, &[("criterion", "c1")]),
            "le critère c1 ne peut pas être marqué « non évaluable » selon la grille",
        ),
        (
            m(C::AnswerNoSuchLevel, &[("criterion", "c1"), ("points", "2.5"), ("levels", "0, 1, 2, 3")]),
            "le critère c1 : 2.5 point(s) ne correspond à aucun niveau (niveaux : 0, 1, 2, 3)",
        ),
        (m(C::AnswerUnanswered, &[("criterion", "c1")]), "le critère c1 n'a pas de réponse"),
        (
            m(C::EvaluationNoMaximum, &[]),
            "aucun critère n'a pu être évalué : pas de maximum de points, donc pas de note",
        ),
        (
            m(C::EvaluationIncalculable, &[("error", "moyenne impossible : aucune note")]),
            "note incalculable : moyenne impossible : aucune note",
        ),
        (m(C::ConversionLinear, &[]), "linéaire"),
        (
            m(C::ConversionTwoPiece, &[("pass", "4"), ("fraction", "0.55")]),
            "deux segments linéaires, note 4 à 0.55 du maximum",
        ),
        (m(C::ConversionTable, &[]), "tableau de seuils"),
        (m(C::FormulaTablePoints, &[("points", "17"), ("max", "20")]), "17 point(s) sur 20"),
        (
            m(
                C::FormulaTablePointsScaled,
                &[("points", "17"), ("max", "40"), ("table", "20"), ("scaled", "8.5")],
            ),
            "17 point(s) sur 40, ramené(s) au tableau sur 20 : 17 × 20 / 40 = 8.5",
        ),
        (
            m(C::FormulaTableReached, &[("threshold", "16"), ("grade", "5.5")])
                .with_message("points", m(C::FormulaTablePoints, &[("points", "17"), ("max", "20")])),
            "17 point(s) sur 20 ; seuil 16 atteint → note 5.5",
        ),
        (
            m(C::FormulaTableNoneReached, &[("grade", "1")])
                .with_message("points", m(C::FormulaTablePoints, &[("points", "2"), ("max", "20")])),
            "2 point(s) sur 20 ; aucun seuil atteint → note minimale 1",
        ),
        // The calculator's errors, as their `#[error]` texts said them.
        (m(C::CalcMaxNotPositive, &[("max", "0")]), "le maximum de points (0) doit être supérieur à 0"),
        (
            m(C::CalcPointsOutOfRange, &[("points", "21"), ("max", "20")]),
            "21 point(s) hors de l'intervalle de 0 à 20",
        ),
        (m(C::CalcEmptyMean, &[]), "moyenne impossible : aucune note"),
        (m(C::CalcLengthMismatch, &[("grades", "2"), ("weights", "3")]), "2 note(s) mais 3 pondération(s)"),
        (m(C::CalcWeightNotPositive, &[("weight", "-1")]), "la pondération -1 doit être supérieure à 0"),
        (m(C::CalcStepNotPositive, &[("step", "0")]), "le pas d'arrondi 0 doit être supérieur à 0"),
        (m(C::CalcOverflow, &[]), "dépassement de capacité du calcul décimal"),
        // The rounding rules, as `calc::rounding_rule` wrote them.
        (m(C::RoundingHalfUpHalf, &[]), "arrondi à la demi-note, demi vers le haut"),
        (m(C::RoundingHalfUpTenth, &[]), "arrondi au dixième, demi vers le haut"),
        (m(C::RoundingHalfUpWhole, &[]), "arrondi à l'entier, demi vers le haut"),
        (m(C::RoundingHalfUpStep, &[("step", "0.25")]), "arrondi au multiple de 0.25, demi vers le haut"),
        (m(C::RoundingUpHalf, &[]), "arrondi à la demi-note supérieure"),
        (m(C::RoundingUpTenth, &[]), "arrondi au dixième supérieur"),
        (m(C::RoundingUpWhole, &[]), "arrondi à l'entier supérieur"),
        (m(C::RoundingUpStep, &[("step", "0.25")]), "arrondi au multiple de 0.25 supérieur"),
        (m(C::RoundingDownHalf, &[]), "arrondi à la demi-note inférieure"),
        (m(C::RoundingDownTenth, &[]), "arrondi au dixième inférieur"),
        (m(C::RoundingDownWhole, &[]), "arrondi à l'entier inférieur"),
        (m(C::RoundingDownStep, &[("step", "0.25")]), "arrondi au multiple de 0.25 inférieur"),
    ]
}

#[test]
fn a_calculation_error_is_a_message_whose_french_is_its_text() {
    use grille_scoring::CalcError;
    for (error, code, french) in [
        (
            CalcError::MaxNotPositive("0".into()),
            C::CalcMaxNotPositive,
            "le maximum de points (0) doit être supérieur à 0",
        ),
        (
            CalcError::PointsOutOfRange { points: "21".into(), max: "20".into() },
            C::CalcPointsOutOfRange,
            "21 point(s) hors de l'intervalle de 0 à 20",
        ),
        (CalcError::EmptyMean, C::CalcEmptyMean, "moyenne impossible : aucune note"),
        (
            CalcError::LengthMismatch { grades: 2, weights: 3 },
            C::CalcLengthMismatch,
            "2 note(s) mais 3 pondération(s)",
        ),
        (
            CalcError::WeightNotPositive("-1".into()),
            C::CalcWeightNotPositive,
            "la pondération -1 doit être supérieure à 0",
        ),
        (
            CalcError::StepNotPositive("0".into()),
            C::CalcStepNotPositive,
            "le pas d'arrondi 0 doit être supérieur à 0",
        ),
        (CalcError::Overflow, C::CalcOverflow, "dépassement de capacité du calcul décimal"),
    ] {
        assert_eq!(error.message().code, code, "{error:?}");
        assert_eq!(error.to_string(), french, "{error:?}");
    }
    // Inside an engine message, the error is a nested message.
    let pending =
        Message::new(C::PendingPartIncalculable).with_message("error", CalcError::EmptyMean.message());
    assert_eq!(pending.french(), "note d'épreuve incalculable : moyenne impossible : aucune note");
}

#[test]
fn a_rounding_step_names_its_rule_as_a_message() {
    use grille_scoring::calc::{explain_rounding_in, rounding_rule};
    use grille_scoring::scheme::RoundingDirection;
    use rust_decimal::Decimal;
    for direction in [RoundingDirection::HalfUp, RoundingDirection::Up, RoundingDirection::Down] {
        for step in [Decimal::new(5, 1), Decimal::new(1, 1), Decimal::ONE, Decimal::new(25, 2)] {
            let rounding = explain_rounding_in(Decimal::new(4321, 3), step, direction).unwrap();
            assert_eq!(rounding.rule_message().french(), rounding.rule, "{step} {direction:?}");
            assert_eq!(rounding.rule, rounding_rule(step, direction));
            // A result stored before the message existed names it anyway.
            let stored = grille_scoring::RoundingStep { rule_message: None, ..rounding.clone() };
            assert_eq!(stored.rule_message(), rounding.rule_message());
        }
    }
}

#[test]
fn every_code_has_the_french_sentence_of_the_results_before_messages() {
    let mut seen = BTreeSet::new();
    for (message, expected) in cases() {
        seen.insert(message.code);
        assert_eq!(message.french(), expected, "{}", message.code);
    }
    let untested: Vec<&str> = C::ALL
        .iter()
        .filter(|code| !code.is_problem() && !seen.contains(*code))
        .map(|code| code.as_str())
        .collect();
    assert!(untested.is_empty(), "codes without a French test: {untested:?}");
}

#[test]
fn a_message_goes_through_json_unchanged() {
    for (message, _) in cases() {
        let text = serde_json::to_string(&message).unwrap();
        let back: Message = serde_json::from_str(&text).unwrap();
        assert_eq!(back, message, "{text}");
    }
    let passed = m(C::DecisionPassed, &[("grade", "4.6")]);
    assert_eq!(
        serde_json::to_value(&passed).unwrap(),
        serde_json::json!({"code": "decision.passed", "args": {"grade": "4.6"}})
    );
}

#[test]
fn every_code_text_is_unique_and_dotted() {
    let mut texts = BTreeSet::new();
    for code in C::ALL.iter().filter(|code| !code.is_problem()) {
        assert!(code.as_str().contains('.'), "{code}");
        assert!(texts.insert(code.as_str()), "{code} twice");
    }
}
