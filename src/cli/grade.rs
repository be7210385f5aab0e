//! `grille grade points|mean`: the grade calculator for candidates and
//! trainers. It calls exactly the functions the scoring engine uses, so a
//! grade computed here is the grade the engine gives.

use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Subcommand};
use grille_scoring::calc::{self, ExplainedGrade, ExplainedMean};
use grille_scoring::decimal::{display_grade, display_rounded};
use grille_scoring::{Conversion, GradingScheme};
use rust_decimal::Decimal;

use super::files::{CliError, read_text};
use super::output::Output;
use super::text::{engine, tr, tr_with};

#[derive(Debug, Subcommand)]
pub(super) enum GradeCommand {
    /// Convertit des points en note (par défaut 1 + 5 × points / maximum,
    /// arrondie au demi-point).
    Points(PointsArgs),
    /// Moyenne (pondérée) de notes, arrondie au dixième par défaut.
    Mean(MeanArgs),
}

#[derive(Debug, Args)]
pub(super) struct PointsArgs {
    /// Les points obtenus, p. ex. 17 ou 17.5 (virgule admise : 17,5).
    #[arg(allow_negative_numbers = true)]
    points: String,
    /// Le maximum de points.
    #[arg(long)]
    max: String,
    /// L'échelle : « linear » (1 + 5 × points / maximum) ou la part du
    /// maximum qui donne 4.0 avec deux segments linéaires, p. ex. « 55% ».
    #[arg(long, default_value = "linear")]
    scale: String,
    /// Un fichier de barème (grading scheme) à utiliser au lieu de --scale.
    #[arg(long, value_name = "FICHIER", conflicts_with = "scale")]
    scheme: Option<PathBuf>,
    /// Le pas d'arrondi de la note : 0.5 (demi-notes, par défaut) ou 0.1.
    #[arg(long)]
    to: Option<String>,
    /// Affiche un objet JSON avec le résultat exact.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct MeanArgs {
    /// Les notes, p. ex. 4.5 3.5 5.
    #[arg(required = true, num_args = 1.., allow_negative_numbers = true)]
    grades: Vec<String>,
    /// Les poids, un par note (par défaut tous égaux).
    #[arg(long, num_args = 1..)]
    weights: Vec<String>,
    /// Le pas d'arrondi : 0.1 (par défaut) ou 0.5.
    #[arg(long, default_value = "0.1")]
    to: String,
    /// Affiche un objet JSON avec le résultat exact.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(command: GradeCommand) -> Result<(), CliError> {
    let mut out = Output::new();
    match command {
        GradeCommand::Points(args) => {
            let points = parse_decimal(&tr("cli.grade.argument.points"), &args.points)?;
            let max = parse_decimal("--max", &args.max)?;
            let mut scheme = match &args.scheme {
                Some(path) => {
                    let text = read_text(path)?;
                    GradingScheme::from_json(&text).map_err(|problems| CliError::Invalid {
                        file: path.display().to_string(),
                        problems,
                    })?
                }
                None => {
                    let mut scheme = GradingScheme::with_defaults("calculatrice", "1");
                    scheme.conversion = parse_scale(&args.scale)?;
                    scheme
                }
            };
            if let Some(to) = &args.to {
                scheme.rounding.position = parse_step(to)?;
            }
            let grade = calc::points_to_grade(points, max, &scheme).map_err(calc_error)?;
            if args.json {
                out.line(to_json(&grade)?)?;
            } else {
                print_grade(&grade, scheme.scale.pass_mark, &mut out)?;
            }
        }
        GradeCommand::Mean(args) => {
            let what = tr("cli.grade.argument.grade");
            let grades =
                args.grades.iter().map(|g| parse_decimal(&what, g)).collect::<Result<Vec<_>, _>>()?;
            // A mean of grades: each must lie on the Swiss scale.
            let scale = GradingScheme::with_defaults("calculatrice", "1").scale;
            if let Some((text, _)) =
                args.grades.iter().zip(&grades).find(|(_, grade)| **grade < scale.min || **grade > scale.max)
            {
                return Err(CliError::Usage(tr_with(
                    "cli.grade.out_of_scale",
                    &[
                        ("text", text.clone()),
                        ("min", display_grade(scale.min)),
                        ("max", display_grade(scale.max)),
                    ],
                )));
            }
            let weights = if args.weights.is_empty() {
                vec![Decimal::ONE; grades.len()]
            } else {
                args.weights.iter().map(|w| parse_decimal("--weights", w)).collect::<Result<Vec<_>, _>>()?
            };
            let step = parse_step(&args.to)?;
            let mean = calc::mean(&grades, &weights, step).map_err(calc_error)?;
            if args.json {
                out.line(to_json(&mean)?)?;
            } else {
                print_mean(&mean, &mut out)?;
            }
        }
    }
    out.finish()
}

fn print_grade(grade: &ExplainedGrade, pass_mark: Decimal, out: &mut Output) -> Result<(), CliError> {
    out.line(tr_with(
        "cli.grade.points",
        &[
            ("points", grade.points.normalize().to_string()),
            ("max", grade.max_points.normalize().to_string()),
        ],
    ))?;
    let conversion = engine(grade.conversion_message.as_ref(), &grade.conversion);
    out.line(tr_with("cli.grade.conversion", &[("conversion", conversion)]))?;
    let formula = engine(grade.formula_message.as_ref(), &grade.formula);
    out.line(tr_with(
        "cli.grade.calculation",
        &[("formula", formula), ("value", grade.unrounded.normalize().to_string())],
    ))?;
    out.line(rounding_line(&grade.rounding))?;
    if let Some(original) = grade.clamped_from {
        out.line(tr_with("cli.grade.clamped", &[("value", original.normalize().to_string())]))?;
    }
    out.line(tr_with(
        "cli.grade.grade",
        &[("grade", display_rounded(grade.grade)), ("sufficiency", sufficiency(grade.grade, pass_mark))],
    ))
}

fn print_mean(mean: &ExplainedMean, out: &mut Output) -> Result<(), CliError> {
    out.line(tr_with(
        "cli.grade.calculation",
        &[("formula", mean.formula.clone()), ("value", mean.unrounded.normalize().to_string())],
    ))?;
    out.line(rounding_line(&mean.rounding))?;
    out.line(tr_with("cli.grade.mean", &[("mean", display_rounded(mean.value))]))
}

fn rounding_line(rounding: &calc::RoundingStep) -> String {
    tr_with(
        "cli.grade.rounding",
        &[
            ("rule", engine(Some(&rounding.rule_message()), &rounding.rule)),
            ("before", rounding.before.normalize().to_string()),
            ("after", rounding.after.normalize().to_string()),
        ],
    )
}

fn sufficiency(grade: Decimal, pass_mark: Decimal) -> String {
    tr(if grade >= pass_mark { "cli.grade.sufficient" } else { "cli.grade.insufficient" })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|error| CliError::Output(error.to_string()))
}

fn calc_error(error: calc::CalcError) -> CliError {
    CliError::Usage(engine(Some(&error.message()), &error.to_string()))
}

/// A decimal as people type it: `4.5` or, in Swiss French usage, `4,5`.
/// Exponents and other float notations are refused.
pub(super) fn parse_decimal(what: &str, text: &str) -> Result<Decimal, CliError> {
    let normalized = text.trim().replace(',', ".");
    let valid = !normalized.is_empty()
        && normalized.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && normalized.matches('.').count() <= 1;
    let value = if valid { Decimal::from_str(&normalized).ok() } else { None };
    value.ok_or_else(|| {
        CliError::Usage(tr_with(
            "cli.grade.not_a_decimal",
            &[("what", what.to_owned()), ("text", text.to_owned())],
        ))
    })
}

fn parse_step(text: &str) -> Result<Decimal, CliError> {
    let step = parse_decimal("--to", text)?;
    if step <= Decimal::ZERO {
        return Err(CliError::Usage(tr_with("cli.grade.step_not_positive", &[("text", text.to_owned())])));
    }
    Ok(step)
}

fn parse_scale(text: &str) -> Result<Conversion, CliError> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("linear") || text.eq_ignore_ascii_case("lineaire") {
        return Ok(Conversion::Linear);
    }
    let invalid = || CliError::Usage(tr_with("cli.grade.unknown_scale", &[("text", text.to_owned())]));
    let percent = text.strip_suffix('%').ok_or_else(invalid)?;
    let fraction = parse_decimal("--scale", percent).map_err(|_| invalid())? / Decimal::ONE_HUNDRED;
    if fraction <= Decimal::ZERO || fraction >= Decimal::ONE {
        return Err(CliError::Usage(tr_with("cli.grade.scale_out_of_range", &[("text", text.to_owned())])));
    }
    Ok(Conversion::TwoPiece { pass_fraction: fraction })
}
