//! Corrections of a finalised result (appeals) and the four-eyes rule: a
//! correction that leaves the decision as it was is saved by one board
//! member; a correction that turns a pass into a failure or a failure into
//! a pass is only proposed, and a second board member approves it (or
//! rejects it) before it changes anything. The proposer may withdraw their
//! own proposal but never approve it. A school's mock exam decides nothing
//! legally, and one trainer runs it: its corrections are always direct.

use crate::{Denial, SessionKind};

/// How a correction reaches the stored result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorrectionRoute {
    /// The decision stays: saved at once, by the board member who enters
    /// it.
    Direct,
    /// The decision changes: proposed, then approved by a second board
    /// member.
    SecondApproval,
}

/// The route of a correction in a session of `kind`, from the outcome
/// before to the outcome after (`passed`, `failed`, `pending`,
/// `no_result`, as the results name them).
pub fn correction_route(kind: SessionKind, outcome_before: &str, outcome_after: &str) -> CorrectionRoute {
    if kind == SessionKind::Mock || outcome_before == outcome_after {
        CorrectionRoute::Direct
    } else {
        CorrectionRoute::SecondApproval
    }
}

/// What a board member does with a proposed correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProposalAction {
    /// Save a correction directly (the route must be [`CorrectionRoute::Direct`]).
    SaveDirectly(CorrectionRoute),
    /// Approve a proposal: it is saved as the correction.
    Approve,
    /// Reject a proposal: nothing changes.
    Reject,
    /// Withdraw one's own proposal: nothing changes.
    Withdraw,
}

/// Whether a board member may do `action` on a proposal made by
/// `proposed_by` (`acting` is the caller's user id): approving or rejecting
/// one's own proposal is [`Denial::OwnProposal`], withdrawing another's is
/// [`Denial::OwnProposal`] as well (they reject it instead), and saving a
/// decision-changing correction directly is [`Denial::SecondApprovalNeeded`].
pub fn proposal_permit(action: ProposalAction, acting: i64, proposed_by: i64) -> Result<(), Denial> {
    match action {
        ProposalAction::SaveDirectly(CorrectionRoute::Direct) => Ok(()),
        ProposalAction::SaveDirectly(CorrectionRoute::SecondApproval) => Err(Denial::SecondApprovalNeeded),
        ProposalAction::Approve | ProposalAction::Reject if acting == proposed_by => Err(Denial::OwnProposal),
        ProposalAction::Withdraw if acting != proposed_by => Err(Denial::OwnProposal),
        ProposalAction::Approve | ProposalAction::Reject | ProposalAction::Withdraw => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_changed_decision_needs_a_second_board_member() {
        let cases = [
            ("passed", "passed", CorrectionRoute::Direct),
            ("failed", "failed", CorrectionRoute::Direct),
            ("failed", "passed", CorrectionRoute::SecondApproval),
            ("passed", "failed", CorrectionRoute::SecondApproval),
            ("pending", "passed", CorrectionRoute::SecondApproval),
        ];
        for (before, after, route) in cases {
            assert_eq!(correction_route(SessionKind::Official, before, after), route, "{before} → {after}");
            assert_eq!(correction_route(SessionKind::Mock, before, after), CorrectionRoute::Direct, "mock");
        }
    }

    #[test]
    fn nobody_approves_their_own_proposal_and_only_the_proposer_withdraws() {
        let (me, other) = (1, 2);
        let cases = [
            (ProposalAction::SaveDirectly(CorrectionRoute::Direct), me, me, Ok(())),
            (
                ProposalAction::SaveDirectly(CorrectionRoute::SecondApproval),
                me,
                me,
                Err(Denial::SecondApprovalNeeded),
            ),
            (ProposalAction::Approve, me, me, Err(Denial::OwnProposal)),
            (ProposalAction::Reject, me, me, Err(Denial::OwnProposal)),
            (ProposalAction::Approve, other, me, Ok(())),
            (ProposalAction::Reject, other, me, Ok(())),
            (ProposalAction::Withdraw, me, me, Ok(())),
            (ProposalAction::Withdraw, other, me, Err(Denial::OwnProposal)),
        ];
        for (action, acting, proposed_by, expected) in cases {
            assert_eq!(proposal_permit(action, acting, proposed_by), expected, "{action:?} by {acting}");
        }
    }
}
