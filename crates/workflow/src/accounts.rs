//! Who may manage accounts: the board, and only the board. One guard
//! besides the role: a board member does not disable, re-role or strip the
//! second factor of their own account through the board's routes. For
//! disabling and re-roling, that keeps at least one active board account
//! (the caller is one, and they can only act on another); for the second
//! factor and the password, one's own go through one's own routes, which
//! ask for the current password or a code first.

use crate::{Denial, Role};

/// What the board does with accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountAction {
    /// List the accounts with their role, state, second factor, last login.
    List,
    /// Create one account.
    Create,
    /// Create accounts from a file (all or none).
    Import,
    /// Give a user a new password.
    ResetPassword,
    /// End every login session of a user.
    EndSessions,
    /// Remove a user's (lost) second factor.
    ResetSecondFactor,
    /// Disable an account: no login, its sessions end.
    Disable,
    /// Enable a disabled account again.
    Enable,
    /// Give an account another role.
    ChangeRole,
    /// Set or remove an account's e-mail address (every user sets their
    /// own in their account, without asking the board).
    SetEmail,
}

impl AccountAction {
    /// Every action.
    pub const ALL: [AccountAction; 10] = [
        AccountAction::List,
        AccountAction::Create,
        AccountAction::Import,
        AccountAction::ResetPassword,
        AccountAction::EndSessions,
        AccountAction::ResetSecondFactor,
        AccountAction::Disable,
        AccountAction::Enable,
        AccountAction::ChangeRole,
        AccountAction::SetEmail,
    ];

    /// Whether the action names one account that may be the caller's own.
    fn guards_own_account(self) -> bool {
        matches!(
            self,
            AccountAction::ResetPassword
                | AccountAction::ResetSecondFactor
                | AccountAction::Disable
                | AccountAction::ChangeRole
        )
    }
}

/// Who asks, and what the account acted on is to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AccountSubject {
    /// The caller's role.
    pub role: Role,
    /// The account acted on is the caller's own.
    pub own_account: bool,
}

/// Whether `subject` may do `action`: [`Denial::Role`] (403) for every
/// role but the board, then [`Denial::OwnAccount`] (409) for the actions
/// a board member does not do to their own account.
pub fn account_permit(action: AccountAction, subject: &AccountSubject) -> Result<(), Denial> {
    if subject.role != Role::Board {
        return Err(Denial::Role);
    }
    if subject.own_account && action.guards_own_account() {
        return Err(Denial::OwnAccount);
    }
    Ok(())
}
