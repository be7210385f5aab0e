//! The integration tests of grille-scoring, one binary.

// Rounding, points→grade conversions and means, including property tests.
mod calc;
// Case studies: loading, bad cases, scoring with cases.
mod cases;
// Loading the fixture files and the problems of each kind of bad input.
mod documents;
// Scoring sessions: evaluations, double marking, pass rules, retakes.
mod engine;
// Reconciliation modes: agreed, mean, arbitration, hand-computed.
mod reconciliation;
// Engine messages: the French text of every code, as the results wrote it
// before messages existed.
mod messages;
// Document problems: the French text of every code, as the problems
// read before they were messages.
mod problems;
