//! The `grille` command line (filled in next).
fn main() {}
