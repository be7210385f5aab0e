//! The translation keys of the engine's reconciliation modes and rules
//! (`Part::reconciliation`, `PositionResult::reconciliation`), shown on the
//! comparison page, the arbiter's page, the board's progress and the result
//! pages.

use grille_scoring::{Reconciliation, ReconciliationRule};

/// The key naming a part's reconciliation mode.
pub fn mode_key(mode: Reconciliation) -> &'static str {
    match mode {
        Reconciliation::Agreed => "reconciliation.mode.agreed",
        Reconciliation::Mean => "reconciliation.mode.mean",
        Reconciliation::Arbitration => "reconciliation.mode.arbitration",
    }
}

/// The key saying which rule made (or will make) a position's grade.
pub fn rule_key(rule: ReconciliationRule) -> &'static str {
    match rule {
        ReconciliationRule::Single => "reconciliation.rule.single",
        ReconciliationRule::Identical => "reconciliation.rule.identical",
        ReconciliationRule::Agreed => "reconciliation.rule.agreed",
        ReconciliationRule::Mean => "reconciliation.rule.mean",
        ReconciliationRule::Arbiter => "reconciliation.rule.arbiter",
        ReconciliationRule::AwaitingEvaluations => "reconciliation.rule.awaiting_evaluations",
        ReconciliationRule::AwaitingAgreement => "reconciliation.rule.awaiting_agreement",
        ReconciliationRule::AwaitingConfirmation => "reconciliation.rule.awaiting_confirmation",
        ReconciliationRule::AwaitingArbiter => "reconciliation.rule.awaiting_arbiter",
    }
}

/// Every key of this module, for the test that every key exists in every
/// language.
pub fn code_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Reconciliation::ALL.into_iter().map(mode_key).collect();
    keys.extend(ReconciliationRule::ALL.into_iter().map(rule_key));
    keys
}
