//! The integration tests of grille-scoring, one binary.

// Loading the fixture files and the JSON problems of each file type.
mod documents;
