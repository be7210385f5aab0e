//! The French text of an engine [`Message`], kept only so that the JSON
//! results go on carrying the sentences their existing consumers read
//! (`decision`, `pending`, `explanation`, ...), byte for byte as before
//! the messages existed. It is the one place of this crate where an
//! engine message becomes words; readers of other languages render the
//! message through the report crate's catalogue instead (`engine.<code>`,
//! whose French texts say the same).

use crate::message::{ListSeparator, Message, MessageArg, MessageCode};

/// The argument `name` of `message` in French: text as it is, a nested
/// message rendered, a list rendered item by item and joined.
fn arg(message: &Message, name: &str) -> String {
    match message.arg(name) {
        None => String::new(),
        Some(MessageArg::Text(text)) => text.clone(),
        Some(MessageArg::Message(inner)) => render(inner),
        Some(MessageArg::List(items)) => {
            let separator = match ListSeparator::of(name) {
                ListSeparator::Semicolon => " ; ",
                ListSeparator::Comma => ", ",
            };
            items.iter().map(render).collect::<Vec<_>>().join(separator)
        }
    }
}

/// The French sentence of `message`.
pub fn render(message: &Message) -> String {
    let a = |name: &str| arg(message, name);
    match message.code {
        MessageCode::DecisionPassed => {
            format!("examen réussi : note globale {}, toutes les conditions de réussite sont remplies", a("grade"))
        }
        MessageCode::DecisionFailed => format!(
            "examen échoué (note globale {}) : condition(s) non remplie(s) : {}",
            a("grade"),
            a("conditions")
        ),
        MessageCode::DecisionWithdrawnUnexcused => {
            "retrait sans motif valable : l'examen est considéré comme échoué, sans notes".to_owned()
        }
        MessageCode::DecisionExcluded => {
            "exclusion de l'examen : l'examen est considéré comme échoué, sans notes".to_owned()
        }
        MessageCode::DecisionWithdrawnExcused => {
            "retrait pour motif valable : pas de résultat, la tentative ne compte pas".to_owned()
        }
        MessageCode::DecisionAbsent => {
            "absence : pas de résultat tant que la commission n'a pas statué sur le motif (retrait excusé ou non)"
                .to_owned()
        }
        MessageCode::DecisionPartGradeMissing => {
            "résultat en attente : au moins une note d'épreuve manque".to_owned()
        }
        MessageCode::DecisionOverallIncalculable => format!("note globale incalculable : {}", a("error")),
        MessageCode::WarningEvaluationsIgnored => format!(
            "des évaluations sont saisies (point(s) {}) alors que le statut est « {} » : elles sont conservées mais ignorées pour la note",
            a("positions"),
            a("status")
        ),
        MessageCode::StatusPresent => "présent·e".to_owned(),
        MessageCode::StatusWithdrawnExcused => "retrait pour motif valable".to_owned(),
        MessageCode::StatusWithdrawnUnexcused => "retrait sans motif valable".to_owned(),
        MessageCode::StatusExcluded => "exclusion".to_owned(),
        MessageCode::StatusAbsent => "absence".to_owned(),
        MessageCode::PendingPart => format!("épreuve {} : {}", a("part"), a("reason")),
        MessageCode::PendingPosition => format!("point {} : {}", a("position"), a("reason")),
        MessageCode::PendingPartIncalculable => format!("note d'épreuve incalculable : {}", a("error")),
        MessageCode::PendingRubricMissing => format!("la grille {} n'est pas fournie", a("rubric")),
        MessageCode::PendingNoEvaluation => "aucune évaluation saisie".to_owned(),
        MessageCode::PendingAwaitingConfirmation => {
            format!("évaluation commune en attente de la confirmation de {}", a("names"))
        }
        MessageCode::PendingAgreedIncomplete => format!("évaluation commune incomplète : {}", a("reason")),
        MessageCode::PendingEvaluationIncomplete => {
            format!("évaluation de {} incomplète : {}", a("examiner"), a("reason"))
        }
        MessageCode::PendingEvaluationsExpected => {
            format!("{} évaluation(s) attendue(s), {} saisie(s)", a("expected"), a("entered"))
        }
        MessageCode::PendingIdenticalNeedsAgreement => {
            "évaluations identiques, mais le barème exige une évaluation commune explicite".to_owned()
        }
        MessageCode::PendingOpenDiscrepancy => {
            "les évaluations diffèrent et aucune évaluation commune n'est saisie : divergence ouverte".to_owned()
        }
        MessageCode::PendingArbiterIncomplete => {
            format!("évaluation de l'arbitre {} incomplète : {}", a("arbiter"), a("reason"))
        }
        MessageCode::PendingArbiterMissing => {
            format!("arbitrage nécessaire ({}) : l'évaluation de l'arbitre manque", a("flags"))
        }
        MessageCode::PendingMeanIncalculable => format!("moyenne des notes incalculable : {}", a("error")),
        MessageCode::ReconciliationAwaitingConfirmation => {
            format!("évaluation commune saisie, en attente de la confirmation de {}", a("names"))
        }
        MessageCode::ReconciliationAgreed => "évaluation commune des expert·e·s".to_owned(),
        MessageCode::ReconciliationAgreedIncomplete => "évaluation commune incomplète".to_owned(),
        MessageCode::ReconciliationAwaitingEvaluations => {
            "les évaluations des expert·e·s ne sont pas toutes complètes".to_owned()
        }
        MessageCode::ReconciliationSingle => "évaluation unique (une seule personne experte prévue)".to_owned(),
        MessageCode::ReconciliationIdentical => "évaluations identiques : accord automatique".to_owned(),
        MessageCode::ReconciliationNeedsExplicitAgreement => {
            "le barème exige une évaluation commune explicite".to_owned()
        }
        MessageCode::ReconciliationAwaitingAgreement => {
            "les évaluations diffèrent : une évaluation commune est attendue".to_owned()
        }
        MessageCode::ReconciliationMean => format!(
            "mode moyenne : moyenne des notes des expert·e·s ({}) = {} → {}",
            a("grades"),
            a("unrounded"),
            a("grade")
        ),
        MessageCode::ReconciliationMeanNoFlag => format!(
            "mode arbitrage, aucun signalement d'écart : moyenne des notes des expert·e·s ({}) = {} → {}",
            a("grades"),
            a("unrounded"),
            a("grade")
        ),
        MessageCode::ReconciliationMeanNoFlagArbiterUnused => format!(
            "mode arbitrage, aucun signalement d'écart : moyenne des notes des expert·e·s ({}) = {} → {} ; l'évaluation de l'arbitre n'est pas utilisée (aucun écart signalé)",
            a("grades"),
            a("unrounded"),
            a("grade")
        ),
        MessageCode::ReconciliationArbiter => {
            format!("arbitrage : {} ; l'évaluation de l'arbitre {} est officielle", a("flags"), a("arbiter"))
        }
        MessageCode::ReconciliationArbiterIncomplete => {
            format!("arbitrage nécessaire : {} ; l'évaluation de l'arbitre est incomplète", a("flags"))
        }
        MessageCode::ReconciliationArbiterAwaited => {
            format!("arbitrage nécessaire : {} ; l'évaluation de l'arbitre est attendue", a("flags"))
        }
        MessageCode::ReconciliationMeanIncalculable => format!("moyenne incalculable : {}", a("error")),
        MessageCode::FlagStep => format!(
            "les notes diffèrent de {} (de {} à {}) : écart d'au moins {}",
            a("gap"),
            a("lowest"),
            a("highest"),
            a("step")
        ),
        MessageCode::FlagStraddle => format!(
            "les notes {} et {} sont de part et d'autre de la note suffisante {}",
            a("lowest"),
            a("highest"),
            a("pass")
        ),
        MessageCode::ConditionMinOverall => {
            format!("note globale {} {} {} exigé", a("grade"), a("relation"), a("minimum"))
        }
        MessageCode::ConditionMaxInsufficientParts => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ; au plus {} admise(s)",
            a("count"),
            a("pass"),
            a("max")
        ),
        MessageCode::ConditionMaxInsufficientPartsListed => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ({}) ; au plus {} admise(s)",
            a("count"),
            a("pass"),
            a("parts"),
            a("max")
        ),
        MessageCode::ConditionMinPartGradeMet => {
            format!("aucune note d'épreuve inférieure à {}", a("minimum"))
        }
        MessageCode::ConditionMinPartGradeUnmet => {
            format!("note(s) d'épreuve inférieure(s) à {} : {}", a("minimum"), a("parts"))
        }
        MessageCode::ConditionMaxShortfallSum => {
            format!("somme des écarts sous {} : {} ; au plus {} admis", a("pass"), a("sum"), a("max"))
        }
        MessageCode::ConditionRequiredPart => {
            format!("l'épreuve {} doit atteindre {} : note {}", a("part"), a("pass"), a("grade"))
        }
        MessageCode::ConditionRequiredPartAbsent => {
            format!("l'épreuve {} doit atteindre {} : note absente", a("part"), a("pass"))
        }
        MessageCode::ConditionMaxPartsBelow => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ; au plus {} admise(s)",
            a("count"),
            a("below"),
            a("max")
        ),
        MessageCode::ConditionMaxPartsBelowListed => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ({}) ; au plus {} admise(s)",
            a("count"),
            a("below"),
            a("parts"),
            a("max")
        ),
        MessageCode::ConditionPartMinimum => {
            format!("l'épreuve {} doit atteindre {} : note {}", a("part"), a("minimum"), a("grade"))
        }
        MessageCode::ConditionPartMinimumAbsent => {
            format!("l'épreuve {} doit atteindre {} : note absente", a("part"), a("minimum"))
        }
        MessageCode::ConditionMinPositionGradeMet => {
            format!("aucune note de point d'appréciation inférieure à {}", a("minimum"))
        }
        MessageCode::ConditionMinPositionGradeUnmet => format!(
            "note(s) de point d'appréciation inférieure(s) à {} : {}",
            a("minimum"),
            a("positions")
        ),
        MessageCode::ConditionPositionMinimum => format!(
            "le point d'appréciation {} doit atteindre {} : note {}",
            a("position"),
            a("minimum"),
            a("grade")
        ),
        MessageCode::ConditionPositionMinimumAbsent => format!(
            "le point d'appréciation {} doit atteindre {} : note absente",
            a("position"),
            a("minimum")
        ),
        MessageCode::ConditionPositionMinimumCarried => format!(
            "le point d'appréciation {} doit atteindre {} : non jugé, son épreuve est reportée d'une tentative précédente",
            a("position"),
            a("minimum")
        ),
        MessageCode::PartGrade => format!("épreuve {} : {}", a("part"), a("grade")),
        MessageCode::PositionGrade => format!("point {} : {}", a("position"), a("grade")),
        MessageCode::CarriedFromSession => {
            format!("note reportée de la session {} (épreuve réussie)", a("session"))
        }
        MessageCode::CarriedEarlierAttempt => {
            "note reportée d'une tentative précédente (épreuve réussie)".to_owned()
        }
        MessageCode::CaseAllAssessed => format!(
            "cas {} (version {}) : tous les critères de la grille sont évalués",
            a("case"),
            a("version")
        ),
        MessageCode::CaseLeftOut => format!(
            "cas {} (version {}) : critère(s) non évaluable(s) par conception du cas : {} ; ils sortent des points et du maximum, le même pour tou·te·s les candidat·e·s de ce cas",
            a("case"),
            a("version"),
            a("criteria")
        ),
        MessageCode::AnswerUnknownCriterion => {
            format!("le critère {} n'existe pas dans la grille {}", a("criterion"), a("rubric"))
        }
        MessageCode::AnswerDuplicate => format!("le critère {} a deux réponses", a("criterion")),
        MessageCode::AnswerPointsOnLeftOut => format!(
            "le critère {} est écarté par le cas (non évaluable par conception) mais a des points",
            a("criterion")
        ),
        MessageCode::AnswerPointsAndNotAssessable => {
            format!("le critère {} a à la fois des points et « non évaluable »", a("criterion"))
        }
        MessageCode::AnswerNotAssessableRefused => {
            format!("le critère {} ne peut pas être marqué « non évaluable » selon la grille", a("criterion"))
        }
        MessageCode::AnswerNoSuchLevel => format!(
            "le critère {} : {} point(s) ne correspond à aucun niveau (niveaux : {})",
            a("criterion"),
            a("points"),
            a("levels")
        ),
        MessageCode::AnswerUnanswered => format!("le critère {} n'a pas de réponse", a("criterion")),
        MessageCode::EvaluationNoMaximum => {
            "aucun critère n'a pu être évalué : pas de maximum de points, donc pas de note".to_owned()
        }
        MessageCode::EvaluationIncalculable => format!("note incalculable : {}", a("error")),
        MessageCode::ConversionLinear => "linéaire".to_owned(),
        MessageCode::ConversionTwoPiece => {
            format!("deux segments linéaires, note {} à {} du maximum", a("pass"), a("fraction"))
        }
        MessageCode::ConversionTable => "tableau de seuils".to_owned(),
        MessageCode::FormulaTablePoints => format!("{} point(s) sur {}", a("points"), a("max")),
        MessageCode::FormulaTablePointsScaled => format!(
            "{} point(s) sur {}, ramené(s) au tableau sur {} : {} × {} / {} = {}",
            a("points"),
            a("max"),
            a("table"),
            a("points"),
            a("table"),
            a("max"),
            a("scaled")
        ),
        MessageCode::FormulaTableReached => {
            format!("{} ; seuil {} atteint → note {}", a("points"), a("threshold"), a("grade"))
        }
        MessageCode::FormulaTableNoneReached => {
            format!("{} ; aucun seuil atteint → note minimale {}", a("points"), a("grade"))
        }
        MessageCode::CalcMaxNotPositive => {
            format!("le maximum de points ({}) doit être supérieur à 0", a("max"))
        }
        MessageCode::CalcPointsOutOfRange => {
            format!("{} point(s) hors de l'intervalle de 0 à {}", a("points"), a("max"))
        }
        MessageCode::CalcEmptyMean => "moyenne impossible : aucune note".to_owned(),
        MessageCode::CalcLengthMismatch => {
            format!("{} note(s) mais {} pondération(s)", a("grades"), a("weights"))
        }
        MessageCode::CalcWeightNotPositive => {
            format!("la pondération {} doit être supérieure à 0", a("weight"))
        }
        MessageCode::CalcStepNotPositive => format!("le pas d'arrondi {} doit être supérieur à 0", a("step")),
        MessageCode::CalcOverflow => "dépassement de capacité du calcul décimal".to_owned(),
        MessageCode::RoundingHalfUpHalf => "arrondi à la demi-note, demi vers le haut".to_owned(),
        MessageCode::RoundingHalfUpTenth => "arrondi au dixième, demi vers le haut".to_owned(),
        MessageCode::RoundingHalfUpWhole => "arrondi à l'entier, demi vers le haut".to_owned(),
        MessageCode::RoundingHalfUpStep => format!("arrondi au multiple de {}, demi vers le haut", a("step")),
        MessageCode::RoundingUpHalf => "arrondi à la demi-note supérieure".to_owned(),
        MessageCode::RoundingUpTenth => "arrondi au dixième supérieur".to_owned(),
        MessageCode::RoundingUpWhole => "arrondi à l'entier supérieur".to_owned(),
        MessageCode::RoundingUpStep => format!("arrondi au multiple de {} supérieur", a("step")),
        MessageCode::RoundingDownHalf => "arrondi à la demi-note inférieure".to_owned(),
        MessageCode::RoundingDownTenth => "arrondi au dixième inférieur".to_owned(),
        MessageCode::RoundingDownWhole => "arrondi à l'entier inférieur".to_owned(),
        MessageCode::RoundingDownStep => format!("arrondi au multiple de {} inférieur", a("step")),
    }
}
