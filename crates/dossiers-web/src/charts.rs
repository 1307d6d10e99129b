//! Charts as SVG drawn on the server: readable without JavaScript, printable, and the same
//! numbers as the table under each one.

use maud::{Markup, html};

/// One bar: what it is, its length, and the figure written beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 230.0;
const FIGURE_WIDTH: f64 = 70.0;
const ROW: f64 = 24.0;
const MAX_LABEL_CHARS: usize = 34;

fn scale(bars: &[Bar]) -> f64 {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    if max > 0.0 { max } else { 1.0 }
}

fn clip(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        return label.to_owned();
    }
    let mut clipped: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    clipped.push('…');
    clipped
}

/// Horizontal bars, one row per value, longest first as given.
pub fn bars(title: &str, bars: &[Bar]) -> Markup {
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let span = WIDTH - LABEL_WIDTH - FIGURE_WIDTH;
    let max = scale(bars);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title)
            width=(WIDTH) height=(height) viewBox=(format!("0 0 {WIDTH} {height}")) {
            title { (title) }
            @if bars.is_empty() {
                text x="0" y="18" class="empty" { "Aucune donnée" }
            }
            @for (i, bar) in bars.iter().enumerate() {
                @let y = 4.0 + ROW * i as f64;
                @let length = (bar.value.max(0.0) / max * span).max(if bar.value > 0.0 { 2.0 } else { 0.0 });
                g.bar {
                    title { (bar.label) " : " (bar.shown) }
                    text x=(LABEL_WIDTH - 8.0) y=(y + 15.0) text-anchor="end" { (clip(&bar.label)) }
                    rect x=(LABEL_WIDTH) y=(y + 3.0) width=(format!("{length:.1}")) height=(ROW - 8.0) rx="2" {}
                    text x=(LABEL_WIDTH + length + 6.0) y=(y + 15.0) class="figure" { (bar.shown) }
                }
            }
        }
    }
}

/// One row of a stacked chart: its label and one value per series.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub label: String,
    pub values: Vec<f64>,
}

/// Series colours cycle through this many CSS classes (`s0` …).
const PALETTE: usize = 6;

/// Horizontal bars split by series (waves side by side in one bar), with a legend.
pub fn stacked(title: &str, series: &[String], rows: &[Stack]) -> Markup {
    let legend_height = 26.0;
    let height = legend_height + ROW * rows.len().max(1) as f64 + 8.0;
    let span = WIDTH - LABEL_WIDTH - FIGURE_WIDTH;
    let total = |row: &Stack| row.values.iter().map(|v| v.max(0.0)).sum::<f64>();
    let max = rows.iter().map(total).fold(0.0_f64, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    html! {
        svg.chart.stacked xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title)
            width=(WIDTH) height=(height) viewBox=(format!("0 0 {WIDTH} {height}")) {
            title { (title) }
            g.legend {
                @for (i, name) in series.iter().enumerate() {
                    @let x = LABEL_WIDTH + 110.0 * i as f64;
                    rect class=(format!("s{}", i % PALETTE)) x=(x) y="6" width="12" height="12" {}
                    text x=(x + 16.0) y="16" { (clip(name)) }
                }
            }
            @if rows.is_empty() {
                text x="0" y=(legend_height + 18.0) class="empty" { "Aucune donnée" }
            }
            @for (i, row) in rows.iter().enumerate() {
                @let y = legend_height + 4.0 + ROW * i as f64;
                @let sum = total(row);
                g.bar {
                    title {
                        (row.label) " : "
                        @for (j, (name, value)) in series.iter().zip(&row.values).enumerate() {
                            @if j > 0 { ", " } (name) " " (value)
                        }
                    }
                    text x=(LABEL_WIDTH - 8.0) y=(y + 15.0) text-anchor="end" { (clip(&row.label)) }
                    @for (j, x, length) in segments(&row.values, max, span) {
                        rect class=(format!("s{}", j % PALETTE)) x=(format!("{x:.1}")) y=(y + 3.0)
                            width=(format!("{length:.1}")) height=(ROW - 8.0) {}
                    }
                    text x=(LABEL_WIDTH + sum / max * span + 6.0) y=(y + 15.0) class="figure" { (sum) }
                }
            }
        }
    }
}

/// (series, x, length) of each non-empty segment of a stacked bar.
fn segments(values: &[f64], max: f64, span: f64) -> Vec<(usize, f64, f64)> {
    let mut x = LABEL_WIDTH;
    let mut out = Vec::new();
    for (j, value) in values.iter().enumerate() {
        let length = value.max(0.0) / max * span;
        if length > 0.0 {
            out.push((j, x, length));
            x += length;
        }
    }
    out
}

/// Vertical columns in order (a distribution over intervals).
pub fn columns(title: &str, bars: &[Bar]) -> Markup {
    let height = 220.0;
    let base = height - 48.0;
    let slot = WIDTH / bars.len().max(1) as f64;
    let max = scale(bars);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title)
            width=(WIDTH) height=(height) viewBox=(format!("0 0 {WIDTH} {height}")) {
            title { (title) }
            line x1="0" y1=(base) x2=(WIDTH) y2=(base) class="axis" {}
            @for (i, bar) in bars.iter().enumerate() {
                @let x = slot * i as f64;
                @let length = bar.value.max(0.0) / max * (base - 24.0);
                g.bar {
                    title { (bar.label) " : " (bar.shown) }
                    rect x=(format!("{:.1}", x + slot * 0.15)) y=(format!("{:.1}", base - length))
                        width=(format!("{:.1}", slot * 0.7)) height=(format!("{length:.1}")) rx="2" {}
                    text x=(format!("{:.1}", x + slot / 2.0)) y=(format!("{:.1}", base - length - 6.0))
                        text-anchor="middle" class="figure" { (bar.shown) }
                    text x=(format!("{:.1}", x + slot / 2.0)) y=(base + 18.0) text-anchor="middle" class="tick" {
                        (clip(&bar.label))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            shown: value.to_string(),
        }
    }

    #[test]
    fn bars_are_proportional_and_labelled() {
        let svg = bars("Formes", &[bar("Association", 4.0), bar("SCOP", 2.0)]).into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(r#"width="340.0""#), "{svg}");
        assert!(svg.contains(r#"width="170.0""#), "{svg}");
        assert!(svg.contains("Association"));
        assert!(svg.contains(r#"role="img""#));
    }

    #[test]
    fn labels_are_escaped_and_clipped() {
        let long = "<script>alert(1)</script> et un nom de structure vraiment très long";
        let svg = bars("t", &[bar(long, 1.0)]).into_string();
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains('…'));
    }

    #[test]
    fn stacked_bars_put_each_series_after_the_last() {
        let series = vec!["Vague 2".to_owned(), "Vague 3".to_owned()];
        let rows = [
            Stack {
                label: "Association".into(),
                values: vec![3.0, 1.0],
            },
            Stack {
                label: "SCOP".into(),
                values: vec![0.0, 2.0],
            },
        ];
        let svg = stacked("t", &series, &rows).into_string();
        // Two legend squares, then 3 segments (the zero one is not drawn).
        assert_eq!(svg.matches("<rect").count(), 5, "{svg}");
        assert_eq!(
            segments(&[3.0, 1.0], 4.0, 340.0),
            [(0, 230.0, 255.0), (1, 485.0, 85.0)]
        );
        assert!(svg.contains("Vague 3"));
    }

    #[test]
    fn no_data_and_zero_values_draw_without_dividing_by_zero() {
        assert!(bars("t", &[]).into_string().contains("Aucune donnée"));
        let svg = columns("t", &[bar("a", 0.0), bar("b", 0.0)]).into_string();
        assert!(!svg.contains("NaN"), "{svg}");
    }
}
