//! Who a caller is to a session: the workflow [`Subject`] built from the
//! user and the session's kind and school, and the one place that reads a
//! session and asks grille-workflow whether the caller may act on it.
//!
//! A session outside the caller's reach (an official session for a
//! trainer, another school's mock session) answers 404 exactly like a
//! session that does not exist ([`grille_workflow::Denial::Hidden`]):
//! session ids are sequential, so a 403 would let a trainer enumerate the
//! other schools' mock exams and learn how many there are and when they
//! change state.

use grille_store::{ExamSession, User};
use grille_workflow::{Action, SessionKind, Subject, permit};

use crate::AppState;
use crate::error::ApiError;
use crate::exam;

/// The kind of a stored session.
pub(crate) fn kind_of(session: &ExamSession) -> SessionKind {
    session.kind
}

/// The caller's subject for a session, before anything about a candidate
/// or an evaluation is known.
pub(crate) fn subject(user: &User, session: &ExamSession) -> Subject {
    Subject {
        role: exam::flow_role(user.role),
        kind: kind_of(session),
        own_school: session.school_id.is_some() && session.school_id == user.school_id,
        ..Subject::default()
    }
}

/// The caller's subject for the candidates of a register (`None`: the
/// board's, `Some(school)`: a school's cohort), asked about as a session
/// of that register would be: a school's register is its mock sessions'.
pub(crate) fn register_subject(user: &User, register: Option<i64>) -> Subject {
    Subject {
        role: exam::flow_role(user.role),
        kind: if register.is_some() { SessionKind::Mock } else { SessionKind::Official },
        own_school: register.is_some() && register == user.school_id,
        ..Subject::default()
    }
}

/// Reads a session whose candidates exist for `user`
/// ([`grille_workflow::cohort_in_reach`]): 404 for a missing or hidden
/// session, and the 404 of a number that is not enrolled for a session
/// whose cohort is not the caller's (the board on a mock session). Every
/// route about one candidate of a session calls it before looking the
/// number up, so that the answer never depends on whether it is enrolled.
pub(crate) async fn cohort_in_reach(state: &AppState, user: &User, id: i64) -> Result<ExamSession, ApiError> {
    let session = session_in_reach(state, user, id).await?;
    grille_workflow::cohort_in_reach(&subject(user, &session))?;
    Ok(session)
}

/// Whether `user` has evaluations of their own in the session that are
/// not submitted yet (assigned positions without a submitted evaluation).
pub(crate) fn own_pending(data: &exam::SessionData, pinned: &exam::PinnedExam, user: &User) -> bool {
    data.assignments.iter().filter(|assignment| assignment.examiner == user.username).any(|assignment| {
        let Some(part) = pinned.blueprint.part(&assignment.part) else { return false };
        let present = data.candidates.iter().any(|candidate| {
            candidate.number == assignment.candidate_number && candidate.status == "present"
        });
        present
            && part.positions.iter().any(|position| {
                !data.position_evaluations(&assignment.candidate_number, &position.id).any(|row| {
                    row.examiner == user.username
                        && row.evaluation.status == grille_store::EvaluationStatus::Submitted
                })
            })
    })
}

/// Reads a session that exists for `user` (404 for a missing or hidden
/// one), before anything else about it is checked or said.
///
/// Every route about a session asks this first, so it reads one indexed
/// value, the session's revision, and takes the session from the snapshot
/// of that revision when one is kept (any change to the session's row or
/// its pinned documents bumps the revision, so the snapshot's session is at
/// least as recent as the revision just read); only otherwise does it read
/// the session's row and documents.
pub(crate) async fn session_in_reach(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<ExamSession, ApiError> {
    let not_found = || ApiError::NotFound("Session d'examen");
    let revision = state.read_now(|store| store.session_revision(id))?.ok_or_else(not_found)?;
    let session = match state.caches().session(id, revision) {
        Some(snapshot) => snapshot.data.session.clone(),
        None => state.read_now(|store| store.exam_session(id))?.ok_or_else(not_found)?,
    };
    grille_workflow::in_reach(&subject(user, &session))?;
    Ok(session)
}

/// Reads a session and checks that `user` may do `action` on it: 404 for
/// a missing or hidden session, the workflow's answer otherwise.
pub(crate) async fn session_for(
    state: &AppState,
    user: &User,
    id: i64,
    action: Action,
) -> Result<ExamSession, ApiError> {
    let session =
        state.read_now(|store| store.exam_session(id))?.ok_or(ApiError::NotFound("Session d'examen"))?;
    permit(action, exam::state_of(&session)?, &subject(user, &session))?;
    Ok(session)
}

/// [`session_for`] and [`exam::load`] in one: the session's snapshot
/// (usually from the cache, no read of the session row) and the same
/// access decision as [`session_for`] on it. When the snapshot cannot be
/// loaded, the access is decided first (a hidden session stays a 404
/// whatever is wrong with it), then the load's error is returned.
pub(crate) async fn load_for(
    state: &AppState,
    user: &User,
    id: i64,
    action: Action,
) -> Result<(std::sync::Arc<exam::SessionData>, std::sync::Arc<exam::PinnedExam>), ApiError> {
    match exam::load(state, id).await {
        Ok((data, pinned)) => {
            permit(action, exam::state_of(&data.session)?, &subject(user, &data.session))?;
            Ok((data, pinned))
        }
        Err(error) => {
            session_for(state, user, id, action).await?;
            Err(error)
        }
    }
}

/// Like [`session_for`] on data already read, with the blind double
/// marking of a trainer who scores in the session taken into account.
pub(crate) fn check_loaded(
    user: &User,
    data: &exam::SessionData,
    pinned: &exam::PinnedExam,
    action: Action,
) -> Result<(), ApiError> {
    let mut subject = subject(user, &data.session);
    subject.own_pending = own_pending(data, pinned, user);
    permit(action, exam::state_of(&data.session)?, &subject)?;
    Ok(())
}
