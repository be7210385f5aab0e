//! Standard setting (modified Angoff, Hofstee): the chart of the board's
//! page and the translation keys chosen in code.
//!
//! The chart draws the session's observed fail rate as a function of the
//! cut score (the share of candidates scoring below it: a rising step
//! curve), the panel's Angoff cut score as a vertical line and, where the
//! panel gave its ranges, Hofstee's box of acceptable cut scores and fail
//! rates with its diagonal, whose crossing with the curve is the
//! compromise. Floating point is fine here: it is a picture of
//! statistics, never a grade. Labels are 13 px.

use std::fmt::Write;

use crate::svg::{coordinate as c, escape};

/// Keys the server and the web crate choose in code (CSV headers, the
/// outcome sentences), checked in every shipped language.
pub const CODE_KEYS: [&str; 30] = [
    "standard_setting.csv.item",
    "standard_setting.csv.what",
    "standard_setting.csv.cut_score",
    "standard_setting.csv.percent",
    "standard_setting.csv.from",
    "standard_setting.csv.to",
    "standard_setting.csv.candidates",
    "standard_setting.csv.fail_rate_below",
    "standard_setting.angoff.cut",
    "standard_setting.angoff.sd",
    "standard_setting.angoff.se",
    "standard_setting.angoff.max_total",
    "standard_setting.hofstee.cut",
    "standard_setting.draft.angoff",
    "standard_setting.draft.hofstee",
    "standard_setting.hofstee.missing.no_ranges",
    "standard_setting.hofstee.missing.no_scores",
    "standard_setting.hofstee.missing.degenerate",
    "standard_setting.hofstee.outcome.cut",
    "standard_setting.hofstee.outcome.too_many_fail",
    "standard_setting.hofstee.outcome.too_few_fail",
    "standard_setting.sentence.angoff",
    "standard_setting.sentence.distribution",
    "standard_setting.sentence.no_scores",
    "standard_setting.range.min_cut",
    "standard_setting.range.max_cut",
    "standard_setting.range.min_fail_rate",
    "standard_setting.range.max_fail_rate",
    "standard_setting.chart.title",
    "standard_setting.notice.saved",
];

/// Hofstee's box: the panel's mean acceptable ranges (fail rates as
/// shares from 0 to 1) and the compromise, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HofsteeBox {
    /// Lowest acceptable cut score (points).
    pub min_cut: f64,
    /// Highest acceptable cut score (points).
    pub max_cut: f64,
    /// Lowest acceptable fail rate.
    pub min_fail_rate: f64,
    /// Highest acceptable fail rate.
    pub max_fail_rate: f64,
    /// The compromise cut score, where the diagonal meets the curve.
    pub cut: Option<f64>,
}

/// What the chart shows.
#[derive(Debug, Clone)]
pub struct FailRateChart<'a> {
    /// The accessible title.
    pub title: &'a str,
    /// The axis labels: points, fail rate.
    pub axes: (&'a str, &'a str),
    /// The legend of the Angoff line and of the Hofstee box.
    pub legends: (&'a str, &'a str),
    /// Every observed total, ascending.
    pub scores: &'a [f64],
    /// The highest possible total.
    pub max_total: f64,
    /// The panel's Angoff cut score.
    pub angoff: f64,
    /// Hofstee's box, when the panel gave its ranges.
    pub hofstee: Option<HofsteeBox>,
}

/// Draws the fail-rate curve with the cut scores.
pub fn fail_rate_chart(chart: &FailRateChart<'_>) -> String {
    let (width, height) = (640u32, 360u32);
    let (left, right, top, bottom) = (64.0_f64, 24.0_f64, 16.0_f64, 84.0_f64);
    let plot_w = f64::from(width) - left - right;
    let plot_h = f64::from(height) - top - bottom;
    let max = if chart.max_total > 0.0 { chart.max_total } else { 1.0 };
    let x = |points: f64| left + plot_w * (points / max).clamp(0.0, 1.0);
    let y = |rate: f64| top + plot_h * (1.0 - rate.clamp(0.0, 1.0));
    let mut out = String::new();
    let title = escape(chart.title);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart fail-rate" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{title}"><title>{title}</title>"#
    );
    // Grid and axes: fail rate by quarters, points by fifths.
    out.push_str(r##"<g class="grid" stroke="#d4d7dd" stroke-width="1">"##);
    for quarter in 0..=4 {
        let rate = f64::from(quarter) / 4.0;
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            c(left),
            c(y(rate)),
            c(left + plot_w),
            c(y(rate))
        );
    }
    out.push_str("</g>");
    out.push_str(r##"<g font-size="13" fill="#1d2025">"##);
    for quarter in 0..=4 {
        let rate = f64::from(quarter) / 4.0;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end">{} %</text>"#,
            c(left - 6.0),
            c(y(rate) + 4.5),
            quarter * 25
        );
    }
    for fifth in 0..=5 {
        let points = max * f64::from(fifth) / 5.0;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            c(x(points)),
            c(top + plot_h + 18.0),
            c(points)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        c(left + plot_w / 2.0),
        c(top + plot_h + 36.0),
        escape(chart.axes.0)
    );
    let _ = write!(
        out,
        r#"<text x="14" y="{}" text-anchor="middle" transform="rotate(-90 14 {})">{}</text>"#,
        c(top + plot_h / 2.0),
        c(top + plot_h / 2.0),
        escape(chart.axes.1)
    );
    out.push_str("</g>");
    // Hofstee's box and diagonal, under the curve.
    if let Some(b) = chart.hofstee {
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f3e6d8" stroke="#a34700" stroke-width="1"/>"##,
            c(x(b.min_cut)),
            c(y(b.max_fail_rate)),
            c((x(b.max_cut) - x(b.min_cut)).max(0.0)),
            c((y(b.min_fail_rate) - y(b.max_fail_rate)).max(0.0))
        );
        let _ = write!(
            out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#a34700" stroke-width="2"/>"##,
            c(x(b.min_cut)),
            c(y(b.max_fail_rate)),
            c(x(b.max_cut)),
            c(y(b.min_fail_rate))
        );
    }
    // The observed fail rate: share of scores strictly below the cut.
    if !chart.scores.is_empty() {
        let count = chart.scores.len() as f64;
        let mut path = format!("M{} {}", c(x(0.0)), c(y(0.0)));
        let mut below = 0usize;
        for score in chart.scores {
            let _ = write!(path, " L{} {}", c(x(*score)), c(y(below as f64 / count)));
            below += 1;
            let _ = write!(path, " L{} {}", c(x(*score)), c(y(below as f64 / count)));
        }
        let _ = write!(path, " L{} {}", c(x(max)), c(y(1.0)));
        let _ = write!(out, r##"<path d="{path}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>"##);
    }
    // The Angoff cut score.
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1d2025" stroke-width="2" stroke-dasharray="6 4"/>"##,
        c(x(chart.angoff)),
        c(top),
        c(x(chart.angoff)),
        c(top + plot_h)
    );
    if let Some(cut) = chart.hofstee.and_then(|b| b.cut) {
        let rate = chart.scores.iter().filter(|score| **score < cut).count() as f64
            / (chart.scores.len().max(1)) as f64;
        let _ = write!(
            out,
            r##"<circle cx="{}" cy="{}" r="6" fill="#a34700" stroke="#ffffff" stroke-width="2"/>"##,
            c(x(cut)),
            c(y(rate))
        );
    }
    // Legend, below the axis title.
    let legend_y = f64::from(height) - 14.0;
    let _ = write!(
        out,
        r##"<g font-size="13" fill="#1d2025"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1d2025" stroke-width="2" stroke-dasharray="6 4"/><text x="{}" y="{}">{}</text>"##,
        c(left),
        c(legend_y - 4.5),
        c(left + 28.0),
        c(legend_y - 4.5),
        c(left + 34.0),
        c(legend_y),
        escape(chart.legends.0)
    );
    if chart.hofstee.is_some() {
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="20" height="12" fill="#f3e6d8" stroke="#a34700"/><text x="{}" y="{}">{}</text>"##,
            c(left + plot_w / 2.0),
            c(legend_y - 11.0),
            c(left + plot_w / 2.0 + 26.0),
            c(legend_y),
            escape(chart.legends.1)
        );
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_draws_the_curve_the_cut_and_the_box_with_readable_labels() {
        let scores = [10.0, 20.0, 20.0, 35.0];
        let svg = fail_rate_chart(&FailRateChart {
            title: "Taux d'échec",
            axes: ("Seuil (points)", "Taux d'échec"),
            legends: ("Angoff", "Hofstee"),
            scores: &scores,
            max_total: 40.0,
            angoff: 24.0,
            hofstee: Some(HofsteeBox {
                min_cut: 16.0,
                max_cut: 32.0,
                min_fail_rate: 0.1,
                max_fail_rate: 0.6,
                cut: Some(20.0),
            }),
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-label="Taux d&#39;échec""#), "{svg}");
        assert!(svg.contains("<path d=\"M64 276"), "the curve starts at 0 % fail: {svg}");
        assert!(svg.contains("stroke-dasharray"), "the Angoff line");
        assert!(svg.contains("<circle"), "the compromise");
        // Every label is at least 12 px.
        for size in svg.split("font-size=\"").skip(1) {
            let px: f64 = size.split('"').next().unwrap().parse().unwrap();
            assert!(px >= 12.0, "{px}");
        }
        let empty = fail_rate_chart(&FailRateChart {
            scores: &[],
            hofstee: None,
            ..FailRateChart {
                title: "t",
                axes: ("x", "y"),
                legends: ("a", "h"),
                scores: &[],
                max_total: 0.0,
                angoff: 0.0,
                hofstee: None,
            }
        });
        assert!(!empty.contains("<path"), "no curve without scores");
    }
}
