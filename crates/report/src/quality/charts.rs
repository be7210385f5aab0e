//! The charts of the quality page, drawn on the server as SVG beside
//! their tables (which stay the accessible source): a dot plot per row
//! (an examiner, a criterion) with an optional interval (±2 standard
//! errors) and reference lines (the panel at 0, a threshold). The values
//! are the statistics' floating-point estimates: they place shapes only,
//! no grade is computed here.

use std::fmt::Write;

use crate::svg::{coordinate as c, escape, wrap};

/// One row of a dot plot.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dot {
    /// The label left of the row.
    pub(crate) label: String,
    /// The value; `None` draws the row empty (not estimated).
    pub(crate) value: Option<f64>,
    /// The interval drawn around the value (lower, upper).
    pub(crate) interval: Option<(f64, f64)>,
    /// Drawn in the warning colour, with a ring.
    pub(crate) flagged: bool,
    /// The row's value as written at its end and in its tooltip.
    pub(crate) text: String,
}

/// A vertical line across the plot, with its label at the top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reference {
    pub(crate) at: f64,
    pub(crate) label: String,
}

/// A dot plot: one row per item on a common horizontal axis.
#[derive(Debug, Clone)]
pub(crate) struct DotPlot<'a> {
    /// The chart's title (also its accessible name).
    pub(crate) title: &'a str,
    /// A sentence saying what the chart shows, for screen readers.
    pub(crate) description: &'a str,
    /// The axis's name, written under it.
    pub(crate) axis: &'a str,
    pub(crate) dots: &'a [Dot],
    pub(crate) references: &'a [Reference],
    /// The axis's range before it widens to hold every value.
    pub(crate) range: (f64, f64),
}

const INK: &str = "#1d2025";
const DOT: &str = "#1f5fa8";
const FLAG: &str = "#a34700";
const GRID: &str = "#c9ced6";

/// A tick step giving about five ticks over `span`.
fn tick_step(span: f64) -> f64 {
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|step| *step >= raw).unwrap_or(raw)
}

fn tick_text(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else if step >= 0.1 {
        1
    } else {
        2
    };
    let text = format!("{value:.decimals$}");
    let text = if text.trim_start_matches('-').chars().all(|ch| ch == '0' || ch == '.') {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    };
    text.replace('-', "−")
}

/// Draws the dot plot.
pub(crate) fn dot_plot(chart: &DotPlot<'_>) -> String {
    // Narrow enough to be drawn at its size on most screens (a phone
    // scrolls the figure rather than shrinking the 13 px labels).
    let (label_width, plot_width, value_width) = (120.0_f64, 270.0_f64, 60.0_f64);
    let (row_height, top, bottom) = (30.0_f64, 34.0_f64, 52.0_f64);
    let width = label_width + plot_width + value_width + 30.0;
    let height = top + row_height * chart.dots.len().max(1) as f64 + bottom;
    // The axis holds the range asked for, every value and interval, and
    // every reference line.
    let (mut low, mut high) = chart.range;
    for dot in chart.dots {
        for value in dot.value.into_iter().chain(dot.interval.into_iter().flat_map(|(a, b)| [a, b])) {
            if value.is_finite() {
                low = low.min(value);
                high = high.max(value);
            }
        }
    }
    for reference in chart.references {
        low = low.min(reference.at);
        high = high.max(reference.at);
    }
    let step = tick_step((high - low).max(1e-6));
    let (low, high) = ((low / step).floor() * step, (high / step).ceil() * step);
    let x0 = label_width + 10.0;
    let x = |value: f64| x0 + plot_width * ((value - low) / (high - low)).clamp(0.0, 1.0);
    let plot_bottom = top + row_height * chart.dots.len().max(1) as f64;

    let mut out = String::new();
    let title = escape(chart.title);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart dot-plot" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = c(width),
        h = c(height),
        id = chart_id(chart.title),
        desc = escape(chart.description),
    );
    // Ticks and grid.
    let mut tick = low;
    while tick <= high + step / 2.0 {
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/><text x="{x}" y="{label}" font-size="13" text-anchor="middle" fill="{INK}">{text}</text>"#,
            x = c(x(tick)),
            top = c(top - 6.0),
            bottom = c(plot_bottom),
            label = c(plot_bottom + 18.0),
            text = escape(&tick_text(tick, step)),
        );
        tick += step;
    }
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y}" font-size="13" text-anchor="middle" fill="{INK}">{axis}</text>"#,
        x = c(x0 + plot_width / 2.0),
        y = c(plot_bottom + 40.0),
        axis = escape(chart.axis),
    );
    // Reference lines, dashed, labelled at the top.
    for (index, reference) in chart.references.iter().enumerate() {
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 4"/><text x="{x}" y="{label}" font-size="13" text-anchor="middle" fill="{INK}">{text}</text>"#,
            x = c(x(reference.at)),
            top = c(top - 6.0),
            bottom = c(plot_bottom),
            label = c(14.0 + 0.0 * index as f64),
            text = escape(&reference.label),
        );
    }
    for (index, dot) in chart.dots.iter().enumerate() {
        let y = top + row_height * (index as f64 + 0.5);
        let colour = if dot.flagged { FLAG } else { DOT };
        let _ = write!(out, r#"<g class="dot"><title>{}: {}</title>"#, escape(&dot.label), escape(&dot.text));
        let label = wrap(&dot.label, 16, 1).into_iter().next().unwrap_or_default();
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" font-size="13" text-anchor="end" fill="{INK}"{weight}>{label}</text>"#,
            x = c(label_width),
            y = c(y + 4.5),
            weight = if dot.flagged { r#" font-weight="700""# } else { "" },
            label = escape(&label),
        );
        if let Some((lower, upper)) = dot.interval.filter(|(a, b)| a.is_finite() && b.is_finite()) {
            let _ = write!(
                out,
                r#"<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{colour}" stroke-width="2"/><line x1="{a}" y1="{y1}" x2="{a}" y2="{y2}" stroke="{colour}" stroke-width="2"/><line x1="{b}" y1="{y1}" x2="{b}" y2="{y2}" stroke="{colour}" stroke-width="2"/>"#,
                a = c(x(lower)),
                b = c(x(upper)),
                y = c(y),
                y1 = c(y - 6.0),
                y2 = c(y + 6.0),
            );
        }
        if let Some(value) = dot.value.filter(|value| value.is_finite()) {
            if dot.flagged {
                let _ = write!(
                    out,
                    r#"<circle cx="{x}" cy="{y}" r="9" fill="none" stroke="{FLAG}" stroke-width="2"/>"#,
                    x = c(x(value)),
                    y = c(y)
                );
            }
            let _ = write!(
                out,
                r#"<circle cx="{x}" cy="{y}" r="5" fill="{colour}"/>"#,
                x = c(x(value)),
                y = c(y)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{x}" y="{y}" font-size="13" fill="{INK}">{text}</text></g>"#,
            x = c(x0 + plot_width + 12.0),
            y = c(y + 4.5),
            text = escape(&dot.text),
        );
    }
    out.push_str("</svg>");
    out
}

/// An id for the title and description, from the title (unique enough on
/// one page: each chart has its own title).
fn chart_id(title: &str) -> String {
    let mut hash: u32 = 2166136261;
    for byte in title.bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(16777619);
    }
    format!("chart-{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dot_plot_is_an_image_with_a_title_a_description_and_readable_labels() {
        let dots = [
            Dot {
                label: "exp-01".into(),
                value: Some(0.4),
                interval: Some((-0.2, 1.0)),
                flagged: false,
                text: "+0.40".into(),
            },
            Dot { label: "exp-<02>".into(), value: None, interval: None, flagged: false, text: "—".into() },
            Dot {
                label: "exp-05".into(),
                value: Some(-2.6),
                interval: Some((-3.4, -1.8)),
                flagged: true,
                text: "−2.60".into(),
            },
        ];
        let svg = dot_plot(&DotPlot {
            title: "Sévérité, épreuve 3",
            description: "Un point par expert·e",
            axis: "logits",
            dots: &dots,
            references: &[Reference { at: 0.0, label: "panel".into() }],
            range: (-1.0, 1.0),
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=") && svg.contains("<desc id="));
        assert!(svg.contains("exp-&lt;02&gt;"), "escaped");
        for size in svg.split("font-size=\"").skip(1) {
            let size: f64 = size.split('"').next().unwrap().parse().unwrap();
            assert!(size >= 12.0, "no text under 12 px");
        }
        assert!(svg.contains("−3"), "the axis widens to the lowest interval: {svg}");
        assert_eq!(svg.matches("<circle").count(), 3, "two dots and the flag's ring");
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(4.0), 1.0);
        assert!((tick_step(1.0) - 0.2).abs() < 1e-9);
        assert_eq!(tick_text(-0.0, 0.5), "0.0");
        assert_eq!(tick_text(-1.5, 0.5), "−1.5");
    }
}
