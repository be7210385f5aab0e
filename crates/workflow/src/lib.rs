//! The workflow of an exam session, as pure rules: the states of a session
//! and of an evaluation, the transitions between them, and who may do what
//! when. No HTTP, no SQL, no clock: the HTTP API (and later the pages and
//! the command line) ask these functions and map a [`Denial`] to their own
//! answer.
//!
//! # Session states
//!
//! ```text
//! Enrolment --start_scoring--> Scoring --finalise--> Finalised --publish--> Published
//! ```
//!
//! * **Enrolment** (inscriptions ouvertes): the board enrols candidates and
//!   assigns examiners.
//! * **Scoring** (évaluation): examiners save drafts and submit their
//!   evaluations; the two examiners of a part record the agreed evaluation;
//!   the board may still assign (a replacement examiner) but no longer
//!   enrol.
//! * **Finalised** (séance d'attribution des notes tenue): results are
//!   computed from the pinned documents, stored and locked; a grade changes
//!   only by a correction with a stated reason.
//! * **Published**: candidates see their own results; corrections (appeals)
//!   remain possible.
//!
//! # Evaluation states
//!
//! ```text
//! (none) --save--> Draft --save--> Draft --submit--> Submitted (locked)
//! ```
//!
//! # Official and mock sessions
//!
//! A session is either **official** (the federal exam, run by the board)
//! or a **mock** exam (examen blanc) owned by one training school. Both go
//! through the same states with the same rules; what differs is who they
//! exist for:
//!
//! * an official session: the board runs it, assigned examiners score it,
//!   its candidates read their published results; a trainer never sees it;
//! * a mock session: the trainers of its school do what the board does for
//!   an official one, and score it themselves where they are assigned (with
//!   the same blind double marking); its candidates read their published
//!   results; the board sees that it exists and which documents it pins,
//!   nothing about candidates, marks or results ([`Denial::SchoolOnly`]);
//!   anyone else is told it does not exist ([`Denial::Hidden`]).
//!
//! ```
//! use grille_workflow::{Action, Denial, Role, SessionState, Subject, permit};
//!
//! let examiner = Subject { role: Role::Examiner, assigned: true, ..Subject::default() };
//! assert_eq!(permit(Action::SaveOwnEvaluation, SessionState::Scoring, &examiner), Ok(()));
//! // The partner's evaluation stays hidden until one's own is submitted.
//! assert_eq!(
//!     permit(Action::ReadPartnerEvaluations, SessionState::Scoring, &examiner),
//!     Err(Denial::PartnerHidden)
//! );
//! ```

use std::fmt;

mod accounts;
pub mod appeal;
mod arbitration;
mod cases;
mod corrections;
mod official;
mod plans;
mod registry;
mod standard_setting;
pub mod time;
pub use accounts::{AccountAction, AccountSubject, account_permit};
pub use arbitration::{
    ArbiterAction, ArbiterSubject, arbiter_permit, arbitration_needed, awaiting_confirmation,
    confirmation_check, justification_required,
};
pub use cases::{CaseAction, CaseState, CaseSubject, case_permit};
pub use corrections::{CorrectionRoute, ProposalAction, correction_route, proposal_permit};
pub use official::{IdentityAction, documents_permit, identity_permit};
pub use plans::{PlanAction, PlanSubject, consultation_permit, filled_rubric_visible, plan_permit};
pub use registry::{ConflictReason, Declared, RegisterAction, assignment_conflict, register_permit};
pub use standard_setting::{StandardSettingAction, standard_setting_permit};

/// The state of an exam session.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SessionState {
    /// Candidates are enrolled and examiners assigned.
    Enrolment,
    /// Examiners evaluate.
    Scoring,
    /// The grading meeting is held: results are stored and locked.
    Finalised,
    /// Results are visible to the candidates.
    Published,
}

impl SessionState {
    /// Every state, in workflow order.
    pub const ALL: [SessionState; 4] =
        [SessionState::Enrolment, SessionState::Scoring, SessionState::Finalised, SessionState::Published];

    /// The name stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Enrolment => "enrolment",
            SessionState::Scoring => "scoring",
            SessionState::Finalised => "finalised",
            SessionState::Published => "published",
        }
    }

    /// The state named `text`, if any.
    pub fn parse(text: &str) -> Option<SessionState> {
        SessionState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Whether the results are stored and locked.
    pub fn is_final(self) -> bool {
        matches!(self, SessionState::Finalised | SessionState::Published)
    }
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change of session state, made by the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionTransition {
    /// Enrolment → Scoring.
    StartScoring,
    /// Scoring → Finalised (the grading meeting).
    Finalise,
    /// Finalised → Published.
    Publish,
}

impl SessionTransition {
    /// Every transition.
    pub const ALL: [SessionTransition; 3] =
        [SessionTransition::StartScoring, SessionTransition::Finalise, SessionTransition::Publish];

    /// The state this transition leaves from and the state it leads to.
    pub fn edge(self) -> (SessionState, SessionState) {
        match self {
            SessionTransition::StartScoring => (SessionState::Enrolment, SessionState::Scoring),
            SessionTransition::Finalise => (SessionState::Scoring, SessionState::Finalised),
            SessionTransition::Publish => (SessionState::Finalised, SessionState::Published),
        }
    }

    /// The action that performs this transition.
    pub fn action(self) -> Action {
        match self {
            SessionTransition::StartScoring => Action::StartScoring,
            SessionTransition::Finalise => Action::Finalise,
            SessionTransition::Publish => Action::Publish,
        }
    }
}

/// What the results look like when the board asks to finalise: only a
/// session with nothing pending can be finalised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readiness {
    /// Candidates whose outcome is still pending (evaluations missing or
    /// not submitted, open discrepancies, absences not qualified).
    pub pending_candidates: usize,
    /// Positions whose examiners differ with no agreed evaluation.
    pub open_discrepancies: usize,
    /// Evaluations in draft (saved, not submitted).
    pub drafts: usize,
}

/// Applies a transition to a state: the next state, or why not.
/// `readiness` matters only for [`SessionTransition::Finalise`].
pub fn transition(
    state: SessionState,
    transition: SessionTransition,
    readiness: Readiness,
) -> Result<SessionState, Denial> {
    let (from, to) = transition.edge();
    if state != from {
        return Err(Denial::WrongState { state, action: transition.action() });
    }
    if transition == SessionTransition::Finalise && readiness != Readiness::default() {
        return Err(Denial::NotReady(readiness));
    }
    Ok(to)
}

/// The state of one examiner's evaluation of one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvaluationState {
    /// Saved, still editable, visible to its examiner (and the board).
    Draft,
    /// Handed in: locked.
    Submitted,
}

/// What an examiner does to their own evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvaluationOp {
    /// Save a draft (creates it on the first save).
    Save,
    /// Submit: the evaluation becomes final.
    Submit,
}

/// Applies an operation to an evaluation that is in `current` (`None`: not
/// written yet): the next state, or why not. A submit needs a draft.
pub fn evaluation_transition(
    current: Option<EvaluationState>,
    op: EvaluationOp,
) -> Result<EvaluationState, Denial> {
    match (current, op) {
        (Some(EvaluationState::Submitted), _) => Err(Denial::Locked),
        (None | Some(EvaluationState::Draft), EvaluationOp::Save) => Ok(EvaluationState::Draft),
        (Some(EvaluationState::Draft), EvaluationOp::Submit) => Ok(EvaluationState::Submitted),
        (None, EvaluationOp::Submit) => Err(Denial::NothingToSubmit),
    }
}

/// Who runs a session.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// The federal exam, run by the board.
    #[default]
    Official,
    /// A mock exam (examen blanc) of one training school, run by its
    /// trainers with the same documents and rules.
    Mock,
}

impl SessionKind {
    /// Both kinds.
    pub const ALL: [SessionKind; 2] = [SessionKind::Official, SessionKind::Mock];

    /// The name stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Official => "official",
            SessionKind::Mock => "mock",
        }
    }

    /// The kind named `text`, if any.
    pub fn parse(text: &str) -> Option<SessionKind> {
        SessionKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

impl fmt::Display for SessionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The roles as the workflow sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Role {
    /// The exam board (commission d'examen).
    Board,
    /// An examiner (expert·e aux examens).
    Examiner,
    /// A trainer at a school: runs and scores the mock sessions of their
    /// school; no part in an official session.
    Trainer,
    /// A candidate.
    #[default]
    Candidate,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Board, Role::Examiner, Role::Trainer, Role::Candidate];
}

/// Who asks, with what they are to the thing asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Subject {
    /// The role.
    pub role: Role,
    /// For an examiner: assigned to the candidate's exam part concerned.
    pub assigned: bool,
    /// For an examiner: the state of their own evaluation of the position
    /// concerned (`None`: not written yet).
    pub own_evaluation: Option<EvaluationState>,
    /// For an examiner: every other examiner of the position has submitted
    /// (needed to record the agreed evaluation).
    pub partners_submitted: bool,
    /// For a candidate: the thing asked about is their own (their
    /// candidate number).
    pub own_candidate: bool,
    /// The kind of the session asked about.
    pub kind: SessionKind,
    /// For a trainer: the (mock) session belongs to their school.
    pub own_school: bool,
    /// For a trainer who also scores in the session: some of their own
    /// evaluations in it are not submitted yet, so views that show other
    /// examiners' marks stay closed to them while scoring (blind double
    /// marking holds for the trainer who runs the session too).
    pub own_pending: bool,
}

/// Everything a user can ask to do in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the session, its candidates and assignments (board).
    ViewSession,
    /// Enrol candidates.
    EnrolCandidates,
    /// Assign an examiner to a candidate's part.
    AssignExaminers,
    /// Record whether a candidate sat the exam (present, withdrawn,
    /// excluded, absent).
    RecordCandidateStatus,
    /// Open the scoring.
    StartScoring,
    /// See the progress: evaluations missing, discrepancies open.
    ViewProgress,
    /// Read one's own evaluation (examiner).
    ReadOwnEvaluation,
    /// Save one's own draft.
    SaveOwnEvaluation,
    /// Submit one's own evaluation.
    SubmitOwnEvaluation,
    /// Read the other examiners' evaluations and the comparison (blind
    /// double marking: only once one's own is submitted).
    ReadPartnerEvaluations,
    /// Record the evaluation the examiners agreed on.
    RecordAgreed,
    /// Hold the grading meeting: compute, store and lock the results.
    Finalise,
    /// Correct a finalised grade (appeal), with a reason.
    CorrectResult,
    /// Publish the results to the candidates.
    Publish,
    /// Read every result of the session (computed preview before
    /// finalisation, stored results after).
    ReadResults,
    /// Export the results (CSV, JSON) and candidate files.
    ExportResults,
    /// Read one's own result (candidate).
    ReadOwnResult,
    /// Set how long personal data is kept.
    SetRetention,
    /// Export one candidate's personal data.
    ExportPersonalData,
    /// Erase one candidate's personal data (after the retention period).
    ErasePersonalData,
    /// Hand in one's own work for a position (candidate), while the
    /// organiser keeps the submission open (see [`submission_open`]).
    SubmitOwnWork,
    /// Reopen an examiner's submitted evaluation, with a reason, while
    /// the scoring runs (the board; a school's trainers on its mock exam).
    ReopenEvaluation,
    /// Send the examiners by e-mail what they still owe, while the scoring
    /// runs (the board; a school's trainers on its mock exam).
    SendReminders,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 23] = [
        Action::ViewSession,
        Action::EnrolCandidates,
        Action::AssignExaminers,
        Action::RecordCandidateStatus,
        Action::StartScoring,
        Action::ViewProgress,
        Action::ReadOwnEvaluation,
        Action::SaveOwnEvaluation,
        Action::SubmitOwnEvaluation,
        Action::ReadPartnerEvaluations,
        Action::RecordAgreed,
        Action::Finalise,
        Action::CorrectResult,
        Action::Publish,
        Action::ReadResults,
        Action::ExportResults,
        Action::ReadOwnResult,
        Action::SetRetention,
        Action::ExportPersonalData,
        Action::ErasePersonalData,
        Action::SubmitOwnWork,
        Action::ReopenEvaluation,
        Action::SendReminders,
    ];
}

/// Why an action is refused. The comment on each variant says how the
/// HTTP API answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// 403: the role never allows this.
    Role,
    /// 403: the examiner is not assigned to this candidate's part.
    NotAssigned,
    /// 403: blind double marking; submit your own evaluation first.
    PartnerHidden,
    /// 409: not in this state of the session.
    WrongState {
        /// The session's state.
        state: SessionState,
        /// The action refused.
        action: Action,
    },
    /// 409: the evaluation is submitted and can no longer change.
    Locked,
    /// 409: the agreed evaluation needs every examiner's submitted
    /// evaluation first.
    PartnersPending,
    /// 409: a submit without a saved draft.
    NothingToSubmit,
    /// 409: finalisation while things are pending.
    NotReady(Readiness),
    /// 404: a candidate's result before publication (as if absent).
    NotPublished,
    /// 404: a session outside the caller's reach (an official session for
    /// a trainer, another school's mock session): as if it did not exist,
    /// so that its existence is not revealed.
    Hidden,
    /// 403: the board sees a mock session's description only; its
    /// candidates, marks and results belong to the school.
    SchoolOnly,
    /// 404: a candidate outside the caller's reach (a school's cohort for
    /// the board): as if the number did not exist, so that numbers cannot
    /// be enumerated.
    UnknownCandidate,
    /// 409: personal data kept until the retention period ends.
    RetentionRunning,
    /// 409: the case study's state does not allow this (a used version
    /// cannot be edited, a draft cannot be assigned...).
    CaseState(CaseState),
    /// 409: the organiser does not take candidates' work for this position
    /// (never opened, or its deadline has passed).
    SubmissionClosed,
    /// 409: a board member disables, re-roles or resets their own account
    /// through the board's routes (another board member does it; one's own
    /// password and second factor change on one's own page).
    OwnAccount,
    /// 409: a correction that changes the decision (pass ↔ fail) is
    /// proposed and approved by a second board member, not saved at once.
    SecondApprovalNeeded,
    /// 409: a board member approves or rejects another's proposed
    /// correction, never their own; only the proposer withdraws it.
    OwnProposal,
    /// 409: an examiner of the candidate's part cannot arbitrate it.
    ArbiterIsExaminer,
    /// 409: the position needs no arbitration (yet): both examiners have
    /// not submitted, or their grades raise no discrepancy flag.
    NoArbitration,
    /// 422: the joint grade and the examiner's own grade lie on both sides
    /// of the pass mark: a written justification is required to confirm.
    JustificationRequired,
}

impl Denial {
    /// One denial of each code, for tests and catalogues that must cover
    /// every code (the arguments are examples).
    pub fn examples() -> Vec<Denial> {
        vec![
            Denial::Role,
            Denial::NotAssigned,
            Denial::PartnerHidden,
            Denial::WrongState { state: SessionState::Finalised, action: Action::SaveOwnEvaluation },
            Denial::Locked,
            Denial::PartnersPending,
            Denial::NothingToSubmit,
            Denial::NotReady(Readiness { pending_candidates: 2, open_discrepancies: 1, drafts: 3 }),
            Denial::NotPublished,
            Denial::Hidden,
            Denial::SchoolOnly,
            Denial::UnknownCandidate,
            Denial::RetentionRunning,
            Denial::CaseState(CaseState::Draft),
            Denial::CaseState(CaseState::Ready),
            Denial::CaseState(CaseState::Used),
            Denial::SubmissionClosed,
            Denial::OwnAccount,
            Denial::SecondApprovalNeeded,
            Denial::OwnProposal,
            Denial::ArbiterIsExaminer,
            Denial::NoArbitration,
            Denial::JustificationRequired,
        ]
    }

    /// The stable code of this refusal, e.g. `denial.locked`: readers
    /// render it in their own language (the report crate's catalogue has
    /// a text for every code, with `{name}` placeholders for
    /// [`Denial::args`]).
    pub fn code(&self) -> &'static str {
        match self {
            Denial::Role => "denial.role",
            Denial::NotAssigned => "denial.not_assigned",
            Denial::PartnerHidden => "denial.partner_hidden",
            Denial::WrongState { .. } => "denial.wrong_state",
            Denial::Locked => "denial.locked",
            Denial::PartnersPending => "denial.partners_pending",
            Denial::NothingToSubmit => "denial.nothing_to_submit",
            Denial::NotReady(_) => "denial.not_ready",
            Denial::NotPublished => "denial.not_published",
            Denial::Hidden => "denial.hidden",
            Denial::SchoolOnly => "denial.school_only",
            Denial::UnknownCandidate => "denial.unknown_candidate",
            Denial::RetentionRunning => "denial.retention_running",
            Denial::CaseState(CaseState::Draft) => "denial.case_state.draft",
            Denial::CaseState(CaseState::Ready) => "denial.case_state.ready",
            Denial::CaseState(CaseState::Used | CaseState::Released) => "denial.case_state.used",
            Denial::SubmissionClosed => "denial.submission_closed",
            Denial::OwnAccount => "denial.own_account",
            Denial::SecondApprovalNeeded => "denial.second_approval_needed",
            Denial::OwnProposal => "denial.own_proposal",
            Denial::ArbiterIsExaminer => "denial.arbiter_is_examiner",
            Denial::NoArbitration => "denial.no_arbitration",
            Denial::JustificationRequired => "denial.justification_required",
        }
    }

    /// The values the refusal speaks of, by name: the session's `state`
    /// (its stored name, e.g. `finalised`) for a refusal in the wrong
    /// state, the counts of what is still pending for a finalisation
    /// refused. Empty for the others.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Denial::WrongState { state, .. } => vec![("state", state.as_str().to_owned())],
            Denial::NotReady(readiness) => vec![
                ("pending_candidates", readiness.pending_candidates.to_string()),
                ("open_discrepancies", readiness.open_discrepancies.to_string()),
                ("drafts", readiness.drafts.to_string()),
            ],
            _ => Vec::new(),
        }
    }

    /// The French sentence of this refusal, word for word what the API has
    /// always sent as its `detail`: the one place of this crate that says a
    /// refusal in words (other languages render [`Denial::code`]).
    pub fn message_fr(&self) -> String {
        match self {
            Denial::Role => "Votre rôle ne permet pas cette action.".to_owned(),
            Denial::NotAssigned => {
                "Vous n'êtes pas attribué·e à cette épreuve de ce·tte candidat·e.".to_owned()
            }
            Denial::PartnerHidden => {
                "Double correction à l'aveugle : soumettez d'abord votre propre évaluation.".to_owned()
            }
            Denial::WrongState { state, .. } => {
                let state = match state {
                    SessionState::Enrolment => "inscriptions ouvertes",
                    SessionState::Scoring => "évaluation en cours",
                    SessionState::Finalised => "notes arrêtées",
                    SessionState::Published => "résultats publiés",
                };
                format!("Action impossible dans l'état actuel de la session ({state}).")
            }
            Denial::Locked => "Cette évaluation est soumise et verrouillée.".to_owned(),
            Denial::PartnersPending => {
                "L'évaluation commune attend les évaluations soumises de tous les expert·e·s.".to_owned()
            }
            Denial::NothingToSubmit => {
                "Aucun brouillon à soumettre : enregistrez d'abord l'évaluation.".to_owned()
            }
            Denial::NotReady(readiness) => format!(
                "La session ne peut pas être arrêtée : {} candidat·e(s) en attente, {} divergence(s) ouverte(s), {} brouillon(s) non soumis.",
                readiness.pending_candidates, readiness.open_discrepancies, readiness.drafts
            ),
            Denial::NotPublished => "Résultat introuvable.".to_owned(),
            Denial::Hidden => "Session d'examen introuvable.".to_owned(),
            Denial::SchoolOnly => {
                "Un examen blanc appartient à son école : la commission n'en voit que la description."
                    .to_owned()
            }
            Denial::UnknownCandidate => "Candidat·e introuvable.".to_owned(),
            Denial::RetentionRunning => {
                "Le délai de conservation fixé par la commission n'est pas échu.".to_owned()
            }
            Denial::SubmissionClosed => {
                "Le dépôt de travaux n'est pas ouvert pour ce point d'appréciation, ou son délai est échu."
                    .to_owned()
            }
            Denial::OwnAccount => {
                "Pas sur votre propre compte : un·e autre membre de la commission le fait ; votre mot de passe et votre second facteur se changent sur votre page de sécurité.".to_owned()
            }
            Denial::SecondApprovalNeeded => {
                "Cette correction change la décision (réussi / échoué) : proposez-la ; un·e second·e membre de la commission l'approuve avant qu'elle ne s'applique.".to_owned()
            }
            Denial::OwnProposal => {
                "Principe des quatre yeux : un·e autre membre de la commission approuve ou rejette cette proposition ; seul·e son auteur·e peut la retirer.".to_owned()
            }
            Denial::ArbiterIsExaminer => {
                "Vous évaluez cette épreuve de ce·tte candidat·e : un·e autre expert·e l'arbitre.".to_owned()
            }
            Denial::NoArbitration => {
                "Pas d'arbitrage pour ce point d'appréciation : les deux évaluations ne sont pas toutes soumises, ou elles ne diffèrent pas au point d'être signalées.".to_owned()
            }
            Denial::JustificationRequired => {
                "La note commune et votre note sont de part et d'autre de la note suffisante : une justification écrite est requise pour confirmer.".to_owned()
            }
            Denial::CaseState(state) => match state {
                CaseState::Draft => {
                    "Ce cas est un brouillon : marquez-le « prêt » avant de l'attribuer.".to_owned()
                }
                CaseState::Ready => "Ce cas n'a encore été utilisé par aucune session.".to_owned(),
                CaseState::Used | CaseState::Released => {
                    "Cette version du cas est utilisée par une session et ne change plus : copiez-la en une nouvelle version.".to_owned()
                }
            },
        }
    }
}

/// Which session states allow an action (before looking at who asks).
fn allowed_states(action: Action) -> &'static [SessionState] {
    use SessionState::*;
    match action {
        Action::ViewSession
        | Action::ViewProgress
        | Action::ReadResults
        | Action::ExportResults
        | Action::SetRetention
        | Action::ExportPersonalData
        | Action::ReadOwnEvaluation
        | Action::ReadPartnerEvaluations => &[Enrolment, Scoring, Finalised, Published],
        Action::EnrolCandidates => &[Enrolment],
        Action::AssignExaminers | Action::RecordCandidateStatus => &[Enrolment, Scoring],
        Action::StartScoring => &[Enrolment],
        Action::SaveOwnEvaluation | Action::SubmitOwnEvaluation | Action::RecordAgreed => &[Scoring],
        Action::Finalise => &[Scoring],
        Action::CorrectResult => &[Finalised, Published],
        Action::Publish => &[Finalised],
        Action::ReadOwnResult => &[Published],
        Action::ErasePersonalData => &[Finalised, Published],
        Action::SubmitOwnWork => &[Enrolment, Scoring],
        Action::ReopenEvaluation | Action::SendReminders => &[Scoring],
    }
}

/// Which roles may ever do an action.
fn allowed_roles(action: Action) -> &'static [Role] {
    match action {
        Action::ReadOwnEvaluation
        | Action::SaveOwnEvaluation
        | Action::SubmitOwnEvaluation
        | Action::RecordAgreed => &[Role::Examiner],
        Action::ReadPartnerEvaluations => &[Role::Board, Role::Examiner],
        Action::ReadOwnResult | Action::SubmitOwnWork => &[Role::Candidate],
        _ => &[Role::Board],
    }
}

/// Whether `subject` may do `action` in a session in `state`. The checks
/// run in a fixed order, so the answer is the first reason that applies:
/// role, then assignment, then session state, then the evaluation's own
/// state and blind double marking.
///
/// Before that, the session's kind decides whom the caller acts as: on a
/// mock session of their school a trainer acts as the board, or as an
/// examiner for the evaluations of the parts they are assigned to; a
/// session outside one's reach is [`Denial::Hidden`] before anything else.
pub fn permit(action: Action, state: SessionState, subject: &Subject) -> Result<(), Denial> {
    let acting = acting_as(action, subject)?;
    permit_as(action, state, &acting)?;
    let shows_marks = matches!(action, Action::ReadResults | Action::ExportResults);
    if subject.role == Role::Trainer && shows_marks && subject.own_pending && state == SessionState::Scoring {
        return Err(Denial::PartnerHidden);
    }
    Ok(())
}

/// Whether the session exists at all for `subject`: [`Denial::Hidden`]
/// for a session outside their reach (checked before anything else about
/// the session is said, so that a 404 tells nothing about it).
pub fn in_reach(subject: &Subject) -> Result<(), Denial> {
    match acting_as(Action::ViewSession, subject) {
        Err(Denial::Hidden) => Err(Denial::Hidden),
        _ => Ok(()),
    }
}

/// Whether the candidates of the session (or of a register: a school's
/// register is asked about as a mock session of that school) exist for
/// `subject`: their numbers, names, marks, results, scoring data and the
/// audit entries about them. [`Denial::Hidden`] for a session outside
/// one's reach; [`Denial::UnknownCandidate`] for the board on a mock
/// session (the cohort belongs to the school, [`Denial::SchoolOnly`]),
/// answered like a number that is not enrolled. Asked before any
/// candidate is looked up, so that the answer is the same whether or not
/// the number is enrolled.
pub fn cohort_in_reach(subject: &Subject) -> Result<(), Denial> {
    match acting_as(Action::ReadResults, subject) {
        Err(Denial::Hidden) => Err(Denial::Hidden),
        Err(Denial::SchoolOnly) => Err(Denial::UnknownCandidate),
        _ => Ok(()),
    }
}

/// Whether `subject` may learn anything about the other examiners'
/// evaluations of the position, down to whether they are submitted:
/// exactly when [`Action::ReadPartnerEvaluations`] is permitted (blind
/// double marking). Every view that shows the partners' state asks this.
pub fn partners_visible(state: SessionState, subject: &Subject) -> bool {
    permit(Action::ReadPartnerEvaluations, state, subject).is_ok()
}

/// Whom `subject` acts as for `action`, given the kind of session.
fn acting_as(action: Action, subject: &Subject) -> Result<Subject, Denial> {
    match (subject.role, subject.kind) {
        (Role::Trainer, SessionKind::Official) | (Role::Examiner, SessionKind::Mock) => Err(Denial::Hidden),
        (Role::Trainer, SessionKind::Mock) if !subject.own_school => Err(Denial::Hidden),
        (Role::Trainer, SessionKind::Mock) => {
            let examining = match action {
                Action::ReadOwnEvaluation
                | Action::SaveOwnEvaluation
                | Action::SubmitOwnEvaluation
                | Action::RecordAgreed => true,
                Action::ReadPartnerEvaluations => subject.assigned,
                _ => false,
            };
            let role = if examining { Role::Examiner } else { Role::Board };
            Ok(Subject { role, ..*subject })
        }
        (Role::Board, SessionKind::Mock) if action != Action::ViewSession => Err(Denial::SchoolOnly),
        _ => Ok(*subject),
    }
}

/// [`permit`] once the acting role is known.
fn permit_as(action: Action, state: SessionState, subject: &Subject) -> Result<(), Denial> {
    if !allowed_roles(action).contains(&subject.role) {
        return Err(Denial::Role);
    }
    let examiner_action = subject.role == Role::Examiner;
    if examiner_action && !subject.assigned {
        return Err(Denial::NotAssigned);
    }
    if action == Action::ReadOwnResult && !subject.own_candidate {
        return Err(Denial::NotPublished);
    }
    if action == Action::SubmitOwnWork && !subject.own_candidate {
        return Err(Denial::UnknownCandidate);
    }
    if !allowed_states(action).contains(&state) {
        return Err(match action {
            Action::ReadOwnResult => Denial::NotPublished,
            _ => Denial::WrongState { state, action },
        });
    }
    match action {
        Action::SaveOwnEvaluation => {
            evaluation_transition(subject.own_evaluation, EvaluationOp::Save).map(drop)
        }
        Action::SubmitOwnEvaluation => {
            evaluation_transition(subject.own_evaluation, EvaluationOp::Submit).map(drop)
        }
        Action::ReadPartnerEvaluations | Action::RecordAgreed
            if examiner_action && subject.own_evaluation != Some(EvaluationState::Submitted) =>
        {
            Err(Denial::PartnerHidden)
        }
        Action::RecordAgreed if !subject.partners_submitted => Err(Denial::PartnersPending),
        _ => Ok(()),
    }
}

/// Whether a candidate's personal data may be erased: the session must be
/// finalised or published and every retention date (`YYYY-MM-DD`, one per
/// session the candidate sat) must lie strictly before `today`. A session
/// without a retention date keeps the data.
pub fn may_erase(states: &[(SessionState, Option<&str>)], today: &str) -> Result<(), Denial> {
    for (state, until) in states {
        if !state.is_final() {
            return Err(Denial::WrongState { state: *state, action: Action::ErasePersonalData });
        }
        match until {
            Some(until) if *until < today => {}
            _ => return Err(Denial::RetentionRunning),
        }
    }
    Ok(())
}

/// Whether the organiser takes candidates' work for a position at `now`:
/// a submission window exists (`closes_at`, RFC 3339 UTC text as stored)
/// and `now` (the same form) is before it. Asked after [`permit`] with
/// [`Action::SubmitOwnWork`]; a position already scored refuses the change
/// in the store ([`Denial::Locked`] there).
pub fn submission_open(closes_at: Option<&str>, now: &str) -> Result<(), Denial> {
    match closes_at {
        Some(closes_at) if now < closes_at => Ok(()),
        _ => Err(Denial::SubmissionClosed),
    }
}

#[cfg(test)]
mod tests;
