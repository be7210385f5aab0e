//! The page "Simulation « et si »": the board edits a copy of the
//! session's grading scheme or part weights and sees every candidate whose
//! grades or decision would change.

pub mod model;
