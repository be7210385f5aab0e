//! The integration tests of grille-statistics, one binary.
