//! `grille grade points|mean`: the calculator gives the engine's exact
//! results at every rounding boundary, and refuses bad values clearly.

use serde_json::Value;

use crate::support::grille;

fn json_of(args: &[&str]) -> Value {
    let mut all = vec!["grade"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = grille(&all);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", run.stdout))
}

#[test]
fn points_to_grade_at_the_boundaries() {
    // (description, args, unrounded, grade with the decimals of its step)
    let cases: &[(&str, &[&str], &str, &str)] = &[
        ("maximum gives 6", &["points", "20", "--max", "20"], "6", "6.0"),
        ("zero gives 1", &["points", "0", "--max", "20"], "1", "1.0"),
        ("60 % is exactly the pass mark", &["points", "12", "--max", "20"], "4", "4.0"),
        ("3.75 rounds up to 4 at half grades", &["points", "11", "--max", "20"], "3.75", "4.0"),
        ("4.25 rounds up to 4.5", &["points", "13", "--max", "20"], "4.25", "4.5"),
        ("just under x.75 rounds down", &["points", "10.99", "--max", "20"], "3.7475", "3.5"),
        ("Swiss decimal comma", &["points", "16,5", "--max", "20"], "5.125", "5.0"),
        ("two pieces: 4.0 at 55 %", &["points", "11", "--max", "20", "--scale", "55%"], "4", "4.0"),
        (
            "to a tenth on request",
            &["points", "17", "--max", "30", "--to", "0.1"],
            "3.8333333333333333333333333333",
            "3.8",
        ),
    ];
    for (description, args, unrounded, grade) in cases {
        let result = json_of(args);
        assert_eq!(result["unrounded"], *unrounded, "{description}: unrounded");
        assert_eq!(result["grade"], *grade, "{description}: grade");
    }
}

#[test]
fn means_at_the_boundaries() {
    // (description, args, unrounded, value with the decimals of its step)
    let cases: &[(&str, &[&str], &str, &str)] = &[
        ("3.85 rounds up to 3.9", &["mean", "3.5", "4.2", "--weights", "1", "1"], "3.85", "3.9"),
        ("3.95 rounds up to the pass mark", &["mean", "3.9", "4"], "3.95", "4.0"),
        ("3.94 stays below", &["mean", "3.88", "4"], "3.94", "3.9"),
        ("weights", &["mean", "4.5", "3.5", "5", "--weights", "2", "1", "1"], "4.375", "4.4"),
        (
            "proportional weights give the same mean",
            &["mean", "4.5", "3.5", "5", "--weights", "4", "2", "2"],
            "4.375",
            "4.4",
        ),
        ("half grades on request", &["mean", "3.5", "4", "--to", "0.5"], "3.75", "4.0"),
    ];
    for (description, args, unrounded, value) in cases {
        let result = json_of(args);
        assert_eq!(result["unrounded"], *unrounded, "{description}: unrounded");
        assert_eq!(result["value"], *value, "{description}: value");
    }
}

#[test]
fn the_table_shows_the_arithmetic() {
    let run = grille(&["grade", "points", "17", "--max", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Points      : 17 sur 20\n\
         Conversion  : linéaire\n\
         Calcul      : 1 + (6 − 1) × 17 / 20 = 5.25\n\
         Arrondi     : arrondi à la demi-note, demi vers le haut : 5.25 → 5.5\n\
         Note        : 5.5 (suffisante)\n"
    );
}

#[test]
fn bad_values_are_refused_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["points", "21", "--max", "20"], "hors de l'intervalle de 0 à 20"),
        (&["points", "-1", "--max", "20"], "hors de l'intervalle"),
        (&["points", "1e3", "--max", "20"], "« 1e3 » n'est pas un nombre décimal"),
        (&["points", "abc", "--max", "20"], "n'est pas un nombre décimal"),
        (&["points", "5", "--max", "0"], "doit être supérieur à 0"),
        (&["points", "5", "--max", "10", "--scale", "120%"], "strictement entre 0 % et 100 %"),
        (&["points", "5", "--max", "10", "--scale", "cubic"], "n'est pas une échelle connue"),
        (&["points", "5", "--max", "10", "--to", "0"], "le pas d'arrondi doit être positif"),
        (&["mean", "4", "5", "--weights", "1"], "2 note(s) mais 1 pondération(s)"),
        (&["mean", "4", "5", "--weights", "1", "0"], "0"),
        (&["mean", "4", "x"], "« x » n'est pas un nombre décimal"),
    ];
    for (args, fragment) in cases {
        let mut all = vec!["grade"];
        all.extend_from_slice(args);
        let run = grille(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("erreur : "), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(fragment), "{args:?}: {fragment:?} not in {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
    }
}
