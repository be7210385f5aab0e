//! Charts drawn on the server as SVG strings.
//!
//! Every chart is a pure function from data to a self-contained `<svg>`
//! element with `role="img"`, a `<title>` and an `aria-label`. Values are
//! [`Decimal`]s; `f64` is used only to place shapes on the canvas, never to
//! compute a grade or a rate. All text is escaped. The numbers behind a
//! chart must also be given as a table on the page: a chart is not
//! accessible on its own.
//!
//! ```
//! use grille_report::charts::{bars, Bar, Bars};
//! use rust_decimal::Decimal;
//!
//! let rows = [Bar { label: "Connaissances".into(), value: Some(Decimal::from(75)), value_text: "75 %".into(), lang: None }];
//! let svg = bars(&Bars { title: "Maîtrise par catégorie", bars: &rows, maximum: Decimal::from(100) });
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("75 %"));
//! ```

use std::f64::consts::PI;
use std::fmt::Write;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::svg::{coordinate as c, escape, wrap};

/// The colours of the series, chosen for contrast on white and against
/// each other; series are also told apart by their line style and marker.
const SERIES_COLOURS: [&str; 2] = ["#1f5fa8", "#a34700"];

/// One series of a radar chart: a name and one value per axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name shown in the legend, e.g. "Auto-évaluation".
    pub name: String,
    /// One value per axis, from 0 to the chart's maximum.
    pub values: Vec<Decimal>,
}

/// A radar (spider) chart: one axis per domain or competence, one or two
/// series, e.g. self- against external assessment.
#[derive(Debug, Clone, Copy)]
pub struct Radar<'a> {
    /// The accessible title of the chart.
    pub title: &'a str,
    /// The axes, clockwise from the top.
    pub axes: &'a [Axis],
    /// The series; values beyond an axis's end are clamped to it.
    pub series: &'a [Series],
    /// The value at the end of each axis (e.g. 100 for percentages).
    pub maximum: Decimal,
}

/// One axis of a radar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The label at the end of the axis, e.g. "A Promotion du développement
    /// individuel".
    pub label: String,
    /// The language of the label when it is not the page's (`fr` for a
    /// catalogue title not translated yet), marked on its `<text>`.
    pub lang: Option<&'static str>,
    /// A line in the page's language under the label (e.g. the value,
    /// "80 %"), in a `<text>` of its own.
    pub note: Option<String>,
}

impl Axis {
    /// An axis whose label is in the page's language, without a note.
    pub fn new(label: impl Into<String>) -> Axis {
        Axis { label: label.into(), lang: None, note: None }
    }
}

/// `lang="…"` for an element holding text in `lang`, nothing for text in
/// the page's language.
fn lang_attribute(lang: Option<&str>) -> String {
    lang.map(|lang| format!(r#" lang="{}""#, escape(lang))).unwrap_or_default()
}

/// `value / maximum` clamped to [0, 1], for geometry only.
fn fraction(value: Decimal, maximum: Decimal) -> f64 {
    if maximum <= Decimal::ZERO {
        return 0.0;
    }
    let ratio = (value / maximum).clamp(Decimal::ZERO, Decimal::ONE);
    ratio.to_f64().unwrap_or(0.0)
}

fn open_svg(out: &mut String, width: u32, height: u32, title: &str, class: &str) {
    let title = escape(title);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{title}"><title>{title}</title>"#
    );
}

/// Draws a radar chart. With fewer than three axes the shape degenerates
/// to a line, which is still drawn.
pub fn radar(chart: &Radar<'_>) -> String {
    let (width, height) = (700u32, 470u32);
    let (cx, cy, radius) = (350.0_f64, 235.0_f64, 150.0_f64);
    let axis_count = chart.axes.len().max(1);
    let angle = |index: usize| -PI / 2.0 + 2.0 * PI * index as f64 / axis_count as f64;
    let point = |index: usize, r: f64| (cx + r * angle(index).cos(), cy + r * angle(index).sin());

    let mut out = String::new();
    open_svg(&mut out, width, height, chart.title, "radar");

    // Grid: rings at quarters of the maximum, then the axes.
    out.push_str(r##"<g class="grid" fill="none" stroke="#b8bcc4" stroke-width="1">"##);
    for quarter in 1..=4 {
        let r = radius * f64::from(quarter) / 4.0;
        let points: Vec<String> = (0..axis_count)
            .map(|i| {
                let (x, y) = point(i, r);
                format!("{},{}", c(x), c(y))
            })
            .collect();
        let _ = write!(out, r#"<polygon points="{}"/>"#, points.join(" "));
    }
    for index in 0..chart.axes.len() {
        let (x, y) = point(index, radius);
        let _ = write!(out, r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#, c(cx), c(cy), c(x), c(y));
    }
    out.push_str("</g>");

    // Scale labels along the first axis.
    let _ = write!(out, r##"<g class="scale" font-size="12" fill="#4a4f57" text-anchor="start">"##);
    for quarter in 1..=4u32 {
        let value = chart.maximum * Decimal::from(quarter) / Decimal::from(4);
        let (x, y) = point(0, radius * f64::from(quarter) / 4.0);
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            c(x + 4.0),
            c(y + 4.0),
            escape(&value.normalize().to_string())
        );
    }
    out.push_str("</g>");

    // Axis labels, wrapped, anchored away from the centre.
    out.push_str(r##"<g class="axis-labels" font-size="13" fill="#1d2025">"##);
    for (index, axis) in chart.axes.iter().enumerate() {
        let (x, y) = point(index, radius + 18.0);
        let cos = angle(index).cos();
        let anchor = if cos > 0.3 {
            "start"
        } else if cos < -0.3 {
            "end"
        } else {
            "middle"
        };
        let lines = wrap(&axis.label, 22, if axis.note.is_some() { 3 } else { 4 });
        let line_count = lines.len() + usize::from(axis.note.is_some());
        let sin = angle(index).sin();
        let first_y = if sin < -0.3 {
            y - 15.0 * (line_count as f64 - 1.0)
        } else if sin > 0.3 {
            y + 10.0
        } else {
            y - 7.0 * (line_count as f64 - 1.0) + 4.0
        };
        // The label and the note each in a `<text>` of one language.
        let _ = write!(out, r#"<text text-anchor="{anchor}"{}>"#, lang_attribute(axis.lang));
        for (line_index, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                c(x),
                c(first_y + 15.0 * line_index as f64),
                escape(line)
            );
        }
        out.push_str("</text>");
        if let Some(note) = &axis.note {
            let _ = write!(
                out,
                r#"<text text-anchor="{anchor}" x="{}" y="{}">{}</text>"#,
                c(x),
                c(first_y + 15.0 * lines.len() as f64),
                escape(note)
            );
        }
    }
    out.push_str("</g>");

    // The series, the first filled, the second dashed.
    for (series_index, series) in chart.series.iter().enumerate() {
        let colour = SERIES_COLOURS[series_index % SERIES_COLOURS.len()];
        let dash = if series_index % 2 == 1 { r#" stroke-dasharray="6 4""# } else { "" };
        let fill_opacity = if series_index == 0 { "0.22" } else { "0.08" };
        let points: Vec<(f64, f64)> = (0..chart.axes.len())
            .map(|i| {
                let value = series.values.get(i).copied().unwrap_or(Decimal::ZERO);
                point(i, radius * fraction(value, chart.maximum))
            })
            .collect();
        let list: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", c(*x), c(*y))).collect();
        let _ = write!(
            out,
            r#"<g class="series series-{series_index}"><polygon points="{}" fill="{colour}" fill-opacity="{fill_opacity}" stroke="{colour}" stroke-width="2.5"{dash}/>"#,
            list.join(" ")
        );
        for (x, y) in &points {
            if series_index % 2 == 0 {
                let _ = write!(out, r#"<circle cx="{}" cy="{}" r="4" fill="{colour}"/>"#, c(*x), c(*y));
            } else {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="7" height="7" fill="{colour}"/>"#,
                    c(x - 3.5),
                    c(y - 3.5)
                );
            }
        }
        out.push_str("</g>");
    }

    // Legend.
    out.push_str(r##"<g class="legend" font-size="13" fill="#1d2025">"##);
    for (series_index, series) in chart.series.iter().enumerate() {
        let colour = SERIES_COLOURS[series_index % SERIES_COLOURS.len()];
        let y = f64::from(height) - 12.0 - 20.0 * (chart.series.len() - 1 - series_index) as f64;
        let dash = if series_index % 2 == 1 { r#" stroke-dasharray="6 4""# } else { "" };
        let _ = write!(
            out,
            r#"<line x1="12" y1="{}" x2="40" y2="{}" stroke="{colour}" stroke-width="3"{dash}/><text x="48" y="{}">{}</text>"#,
            c(y - 4.0),
            c(y - 4.0),
            c(y),
            escape(&series.name)
        );
    }
    out.push_str("</g></svg>");
    out
}

/// One bar: a label, a value (none when there is nothing to show) and the
/// value as it should be written beside the bar, e.g. "67 %".
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The label written left of the bar.
    pub label: String,
    /// The value, from 0 to the chart's maximum; `None` draws no bar.
    pub value: Option<Decimal>,
    /// The value as written at the end of the bar.
    pub value_text: String,
    /// The language of the label when it is not the page's (`fr` for a
    /// catalogue title not translated yet), marked on the label's `<text>`
    /// and on the bar's tooltip (which then holds the label alone: a
    /// tooltip is in one language, the value is written beside the bar).
    pub lang: Option<&'static str>,
}

/// A horizontal bar chart, e.g. achievement per category or competence.
#[derive(Debug, Clone, Copy)]
pub struct Bars<'a> {
    /// The accessible title of the chart.
    pub title: &'a str,
    /// The bars from top to bottom.
    pub bars: &'a [Bar],
    /// The value of a full-length bar.
    pub maximum: Decimal,
}

/// Draws a horizontal bar chart with the value written beside each bar.
pub fn bars(chart: &Bars<'_>) -> String {
    let (label_width, bar_width, row_height, top) = (250.0_f64, 300.0_f64, 36.0_f64, 8.0_f64);
    let width = 690u32;
    let height = (top * 2.0 + row_height * chart.bars.len() as f64).ceil() as u32;
    let mut out = String::new();
    open_svg(&mut out, width, height, chart.title, "bars");
    let x0 = label_width + 10.0;
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a8f98" stroke-width="1"/>"##,
        c(x0),
        c(top - 4.0),
        c(x0),
        c(f64::from(height) - top + 4.0)
    );
    for (index, bar) in chart.bars.iter().enumerate() {
        let y = top + row_height * index as f64;
        let lines = wrap(&bar.label, 34, 2);
        let lang = lang_attribute(bar.lang);
        out.push_str(r#"<g class="bar">"#);
        match bar.lang {
            None => {
                let _ = write!(out, "<title>{}: {}</title>", escape(&bar.label), escape(&bar.value_text));
            }
            Some(_) => {
                let _ = write!(out, "<title{lang}>{}</title>", escape(&bar.label));
            }
        }
        let first_line_y = y + row_height / 2.0 + 4.5 - 7.5 * (lines.len() as f64 - 1.0);
        let _ = write!(out, r##"<text text-anchor="end" font-size="13" fill="#1d2025"{lang}>"##);
        for (line_index, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                c(label_width),
                c(first_line_y + 15.0 * line_index as f64),
                escape(line)
            );
        }
        out.push_str("</text>");
        let length = bar.value.map(|value| bar_width * fraction(value, chart.maximum)).unwrap_or(0.0);
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#e8ebf0"/>"##,
            c(x0),
            c(y + 7.0),
            c(bar_width),
            c(row_height - 14.0)
        );
        if bar.value.is_some() {
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"##,
                c(x0),
                c(y + 7.0),
                c(length),
                c(row_height - 14.0),
                SERIES_COLOURS[0]
            );
        }
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="13" fill="#1d2025">{}</text></g>"##,
            c(x0 + bar_width + 8.0),
            c(y + row_height / 2.0 + 4.5),
            escape(&bar.value_text)
        );
    }
    out.push_str("</svg>");
    out
}

/// A histogram of grades from 1 to 6 in half-grade bins, with the pass mark.
#[derive(Debug, Clone, Copy)]
pub struct GradeHistogram<'a> {
    /// The accessible title of the chart.
    pub title: &'a str,
    /// The grades; each is counted in the bin of its half grade (see
    /// [`grade_bin`]).
    pub grades: &'a [Decimal],
    /// The pass mark, usually 4.0; a line is drawn left of its bin.
    pub pass_mark: Decimal,
    /// The label of the pass-mark line, e.g. "Seuil de réussite".
    pub pass_mark_label: &'a str,
}

/// The bin a grade is counted in, named by its lower bound: the half-open
/// interval `[x, x + 0.5)` that holds the grade (3.9 → 3.5, 4.0 → 4.0,
/// 4.4 → 4.0, 4.5 → 4.5), clamped to [1, 6]; 6.0 has a bar of its own.
///
/// A bin never holds grades on both sides of a pass mark that is a whole or
/// half grade: with the pass mark 4.0, the bar 3.5 holds 3.5 to 3.9 (all
/// insufficient) and the bar 4.0 holds 4.0 to 4.4. Rounding to the nearest
/// half grade instead would count 3.8 and 3.9 in the bar 4.0, right of the
/// pass line.
pub fn grade_bin(grade: Decimal) -> Decimal {
    let two = Decimal::TWO;
    let doubled = (grade * two).floor();
    (doubled / two).clamp(Decimal::ONE, Decimal::from(6)).normalize()
}

/// The eleven bins 1.0, 1.5, ..., 5.5, 6.0 (lower bounds, see
/// [`grade_bin`]) and how many grades fall in each.
pub fn grade_counts(grades: &[Decimal]) -> Vec<(Decimal, usize)> {
    let mut counts: Vec<(Decimal, usize)> =
        (2..=12).map(|doubled| ((Decimal::from(doubled) / Decimal::TWO).normalize(), 0)).collect();
    for grade in grades {
        let bin = grade_bin(*grade);
        if let Some(entry) = counts.iter_mut().find(|(half, _)| *half == bin) {
            entry.1 += 1;
        }
    }
    counts
}

/// The highest grade a bin holds, for labels such as "3.5–3.9": the bin's
/// lower bound plus 0.5 less one unit of the finest precision among
/// `grades` (one decimal at least, so 3.5 → 3.9; with two-decimal grades,
/// 3.5 → 3.99). The last bin (6.0) holds 6.0 only.
pub fn grade_bin_upper(bin: Decimal, grades: &[Decimal]) -> Decimal {
    if bin >= Decimal::from(6) {
        return bin;
    }
    let scale = grades.iter().map(|grade| grade.normalize().scale()).max().unwrap_or(1).max(1);
    let unit = Decimal::new(1, scale);
    bin + Decimal::new(5, 1) - unit
}

/// A grade with one decimal at least (`4` → `4.0`).
fn grade_text(value: Decimal) -> String {
    let normalized = value.normalize();
    if normalized.scale() == 0 { format!("{normalized}.0") } else { normalized.to_string() }
}

/// Draws the histogram of grades in half-grade bins (labelled by their
/// lower bound) with the pass-mark line and the count above each bar.
/// Bars of bins below the pass mark are orange; the pass line is at the
/// left edge of the pass mark's bin, so no failing grade is right of it.
pub fn grade_histogram(chart: &GradeHistogram<'_>) -> String {
    let counts = grade_counts(chart.grades);
    let (width, height) = (560u32, 300u32);
    let (left, right, top, bottom) = (40.0_f64, 20.0_f64, 36.0_f64, 40.0_f64);
    let plot_width = f64::from(width) - left - right;
    let plot_height = f64::from(height) - top - bottom;
    let bin_width = plot_width / counts.len() as f64;
    let highest = counts.iter().map(|(_, count)| *count).max().unwrap_or(0).max(1);
    let baseline = top + plot_height;

    let mut out = String::new();
    open_svg(&mut out, width, height, chart.title, "histogram");
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a8f98"/>"##,
        c(left),
        c(baseline),
        c(left + plot_width),
        c(baseline)
    );
    for (index, (half_grade, count)) in counts.iter().enumerate() {
        let x = left + bin_width * index as f64;
        let bar_height = plot_height * (*count as f64) / (highest as f64);
        let fill = if *half_grade >= chart.pass_mark { SERIES_COLOURS[0] } else { SERIES_COLOURS[1] };
        let upper = grade_bin_upper(*half_grade, chart.grades);
        let range = if upper == *half_grade {
            grade_text(*half_grade)
        } else {
            format!("{}–{}", grade_text(*half_grade), grade_text(upper))
        };
        let label = grade_text(*half_grade);
        let _ = write!(
            out,
            r#"<g class="bin"><title>{range}: {count}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            c(x + 3.0),
            c(baseline - bar_height),
            c(bin_width - 6.0),
            c(bar_height)
        );
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1d2025">{count}</text>"##,
            c(x + bin_width / 2.0),
            c(baseline - bar_height - 5.0)
        );
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1d2025">{label}</text></g>"##,
            c(x + bin_width / 2.0),
            c(baseline + 18.0)
        );
    }
    // The pass mark sits at the left edge of its half-grade bin.
    let pass_offset =
        ((chart.pass_mark - Decimal::ONE) * Decimal::TWO).to_f64().unwrap_or(6.0).clamp(0.0, 11.0);
    let pass_x = left + bin_width * pass_offset;
    let _ = write!(
        out,
        r##"<g class="pass-mark"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1d2025" stroke-width="2" stroke-dasharray="5 4"/><text x="{}" y="{}" font-size="12" fill="#1d2025">{} ({})</text></g>"##,
        c(pass_x),
        c(top - 14.0),
        c(pass_x),
        c(baseline),
        c(pass_x + 4.0),
        c(top - 18.0),
        escape(chart.pass_mark_label),
        grade_text(chart.pass_mark)
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn grades_are_binned_by_the_half_grade_below_them() {
        for (grade, bin) in [
            ("1.0", "1"),
            ("1.4", "1"),
            ("3.5", "3.5"),
            ("3.8", "3.5"),
            ("3.9", "3.5"),
            ("3.99", "3.5"),
            ("4.0", "4"),
            ("4", "4"),
            ("4.4", "4"),
            ("4.5", "4.5"),
            ("5.9", "5.5"),
            ("6.0", "6"),
            ("0.5", "1"),
            ("6.4", "6"),
        ] {
            assert_eq!(grade_bin(d(grade)), d(bin), "bin of {grade}");
        }
    }

    #[test]
    fn no_failing_grade_is_right_of_the_pass_line_or_coloured_as_sufficient() {
        let pass_mark = d("4.0");
        // Every one-decimal grade from 1.0 to 6.0.
        let grades: Vec<Decimal> = (10..=60).map(|tenths| Decimal::new(tenths, 1)).collect();
        for grade in &grades {
            let bin = grade_bin(*grade);
            assert_eq!(bin >= pass_mark, *grade >= pass_mark, "{grade} in bin {bin}");
            let upper = grade_bin_upper(bin, &grades);
            assert!(bin <= *grade && *grade <= upper, "{grade} outside {bin}–{upper}");
        }
        // One grade per bar around the pass mark: 3.9 is orange left of the
        // line, 4.0 blue right of it.
        let svg = grade_histogram(&GradeHistogram {
            title: "Notes",
            grades: &[d("3.9"), d("4.0")],
            pass_mark,
            pass_mark_label: "Seuil",
        });
        let bar = |label: &str| {
            let start = svg.find(&format!("<title>{label}: ")).unwrap_or_else(|| panic!("{label} in {svg}"));
            svg[start..].split("</g>").next().unwrap().to_owned()
        };
        assert!(bar("3.5–3.9").contains(": 1</title>") && bar("3.5–3.9").contains(SERIES_COLOURS[1]));
        assert!(bar("4.0–4.4").contains(": 1</title>") && bar("4.0–4.4").contains(SERIES_COLOURS[0]));
        assert!(bar("6.0").contains(": 0</title>"));
        assert!(svg.contains("Seuil (4.0)"));
    }

    #[test]
    fn bin_labels_follow_the_precision_of_the_grades() {
        assert_eq!(grade_bin_upper(d("3.5"), &[d("3.9"), d("4")]), d("3.9"));
        assert_eq!(grade_bin_upper(d("3.5"), &[d("3.95")]), d("3.99"));
        assert_eq!(grade_bin_upper(d("3.5"), &[]), d("3.9"));
        assert_eq!(grade_bin_upper(d("6"), &[d("6.0")]), d("6"));
    }

    #[test]
    fn counts_grades_by_half_grade() {
        let counts = grade_counts(&[d("4"), d("4.4"), d("3.9"), d("5.9"), d("6.0"), d("1.0"), d("4.5")]);
        assert_eq!(counts.len(), 11);
        let count_of = |half: &str| counts.iter().find(|(h, _)| *h == d(half)).unwrap().1;
        assert_eq!(count_of("3.5"), 1);
        assert_eq!(count_of("4"), 2);
        assert_eq!(count_of("4.5"), 1);
        assert_eq!(count_of("5.5"), 1);
        assert_eq!(count_of("6"), 1);
        assert_eq!(count_of("1"), 1);
    }

    #[test]
    fn charts_have_a_title_and_escape_text() {
        let axes = ["A <script>", "B & C", "D"].map(Axis::new);
        let series = [Series { name: "Soi \"même\"".into(), values: vec![d("50"), d("100"), d("0")] }];
        let svg = radar(&Radar { title: "Profil <b>", axes: &axes, series: &series, maximum: d("100") });
        assert!(svg.contains(r#"aria-label="Profil &lt;b&gt;""#), "{svg}");
        assert!(svg.contains("<title>Profil &lt;b&gt;</title>"));
        assert!(svg.contains("A &lt;script&gt;"));
        assert!(svg.contains("B &amp; C"));
        assert!(svg.contains("Soi &quot;même&quot;"));
        assert!(!svg.contains("<script>"));

        let rows = [Bar { label: "<x>".into(), value: None, value_text: "—".into(), lang: None }];
        let svg = bars(&Bars { title: "t", bars: &rows, maximum: d("100") });
        assert!(svg.contains("&lt;x&gt;") && !svg.contains("<x>"));

        let svg = grade_histogram(&GradeHistogram {
            title: "Notes",
            grades: &[d("4")],
            pass_mark: d("4"),
            pass_mark_label: "Seuil",
        });
        assert!(svg.contains("<title>Notes</title>") && svg.contains("Seuil (4.0)"));
    }

    #[test]
    fn radar_places_values_on_their_axis() {
        // One axis pointing up: a value of half the maximum sits half-way
        // between the centre (350, 235) and the end (350, 85).
        let axes = ["A", "B", "C", "D"].map(Axis::new);
        let series = [Series { name: "s".into(), values: vec![d("50"), d("0"), d("0"), d("0")] }];
        let svg = radar(&Radar { title: "t", axes: &axes, series: &series, maximum: d("100") });
        assert!(svg.contains(r#"<circle cx="350" cy="160""#), "{svg}");
    }

    /// Text in another language than the page's is marked on the element
    /// that holds it, and only there: a radar's axis label (not its note,
    /// written in the page's language), a bar's label and its tooltip
    /// (which then holds the label alone).
    #[test]
    fn labels_in_another_language_are_marked_where_they_are_written() {
        let axes = [
            Axis { label: "A Promotion".into(), lang: Some("fr"), note: Some("nicht bewertet".into()) },
            Axis { label: "B Gruppe".into(), lang: None, note: None },
            Axis::new("C Aufträge"),
        ];
        let series = [Series { name: "Selbsteinschätzung".into(), values: vec![d("0"); 3] }];
        let svg = radar(&Radar { title: "Profil", axes: &axes, series: &series, maximum: d("100") });
        let label = |text: &str| {
            let end = svg.find(text).unwrap_or_else(|| panic!("{text} in {svg}"));
            let start = svg[..end].rfind("<text").unwrap();
            svg[start..end].to_owned()
        };
        assert!(label("A Promotion").contains(r#"lang="fr""#), "{svg}");
        assert!(!label("nicht bewertet").contains("lang="), "{svg}");
        assert!(!label("B Gruppe").contains("lang="), "{svg}");
        assert_eq!(svg.matches("lang=").count(), 1, "{svg}");

        let rows = [
            Bar {
                label: "A1 Titre".into(),
                value: None,
                value_text: "nicht bewertet".into(),
                lang: Some("fr"),
            },
            Bar { label: "A2 Titel".into(), value: Some(d("50")), value_text: "50 %".into(), lang: None },
        ];
        let svg = bars(&Bars { title: "t", bars: &rows, maximum: d("100") });
        assert!(svg.contains(r#"<title lang="fr">A1 Titre</title>"#), "{svg}");
        assert!(svg.contains(r##"fill="#1d2025" lang="fr"><tspan"##), "{svg}");
        assert!(svg.contains("<title>A2 Titel: 50 %</title>"), "{svg}");
        assert_eq!(svg.matches("lang=").count(), 2, "the value is not marked: {svg}");
    }

    #[test]
    fn bar_length_is_proportional_and_clamped() {
        let rows = [
            Bar { label: "half".into(), value: Some(d("50")), value_text: "50 %".into(), lang: None },
            Bar { label: "over".into(), value: Some(d("150")), value_text: "150 %".into(), lang: None },
        ];
        let svg = bars(&Bars { title: "t", bars: &rows, maximum: d("100") });
        assert!(svg.contains(r##"width="150" height="22" fill="#1f5fa8""##), "{svg}");
        assert!(svg.contains(r##"width="300" height="22" fill="#1f5fa8""##), "{svg}");
        assert!(svg.contains("50 %"));
    }
}
