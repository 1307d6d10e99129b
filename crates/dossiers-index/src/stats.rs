//! Statistics per value of a dimension, per wave, counted by the index's aggregations (a
//! `terms` bucket per value with `stats` and `percentiles` inside) rather than by loading every
//! record, so that they stay fast at 100,000 dossiers.
//!
//! Medians come from tantivy's percentile sketch (DDSketch, 1 % relative accuracy), made exact
//! for groups of one or two values and kept within the group's min and max; the XLSX says so
//! under the table. Counts, totals and
//! means are exact. A multi-valued dimension (sector, programme, flag) counts a dossier once in
//! each of its values, so its rows add up to more than the total.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value as Json, json};
use tantivy::Term;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::flat::group_thousands;
use crate::schema::{Dimension, Fields, Number};
use crate::{DossierIndex, IndexError, Result};

/// Which waves, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaveSelection {
    /// Every dossier, waves pooled.
    Pooled,
    /// One wave.
    One(u8),
    /// Every wave side by side (and the pooled figures).
    SideBySide,
}

/// How many dossiers have a number in `[from, to)` (an open end is `None`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RangeCount {
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub count: u64,
}

/// The figures of one group of dossiers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub dossiers: u64,
    pub budget_total: f64,
    pub budget_median: Option<f64>,
    pub subsidy_total: f64,
    pub subsidy_median: Option<f64>,
    pub subsidy_share_mean: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaveMetrics {
    pub wave: String,
    #[serde(flatten)]
    pub metrics: Metrics,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatsRow {
    pub value: String,
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Per wave, when the waves are side by side.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waves: Vec<WaveMetrics>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatsReport {
    pub by: String,
    /// The wave number, `"all"` side by side, or `null` for every wave pooled.
    pub wave: Json,
    pub rows: Vec<StatsRow>,
    pub total: StatsRow,
}

/// The metrics aggregated inside every bucket.
fn metrics_aggs() -> Json {
    let budget = Number::BudgetTotal.name();
    let subsidy = Number::SubsidyRequested.name();
    json!({
        "budget": {"stats": {"field": budget}},
        "budget_median": {"percentiles": {"field": budget, "percents": [50.0]}},
        "subsidy": {"stats": {"field": subsidy}},
        "subsidy_median": {"percentiles": {"field": subsidy, "percents": [50.0]}},
        "share": {"avg": {"field": Number::SubsidyShare.name()}},
    })
}

fn terms(dimension: Dimension, sub: Json) -> Json {
    json!({
        "terms": {"field": Fields::keyword_name(dimension), "size": 10_000, "min_doc_count": 1},
        "aggs": sub,
    })
}

fn with(mut base: Json, key: &str, value: Json) -> Json {
    if let Some(object) = base.as_object_mut() {
        object.insert(key.to_owned(), value);
    }
    base
}

impl DossierIndex {
    /// Statistics of the dossiers grouped by `by`.
    pub fn stats(&self, by: Dimension, waves: WaveSelection) -> Result<StatsReport> {
        let side_by_side = waves == WaveSelection::SideBySide;
        let mut row_aggs = metrics_aggs();
        let mut top = metrics_aggs();
        if side_by_side {
            row_aggs = with(row_aggs, "waves", terms(Dimension::Wave, metrics_aggs()));
            top = with(top, "waves", terms(Dimension::Wave, metrics_aggs()));
        }
        let request = with(top, "rows", terms(by, row_aggs));
        let query = self.wave_query(waves);
        let json = self.aggregate(request, query.as_ref())?;

        let wave_names: Vec<String> = if side_by_side {
            let mut names: Vec<String> =
                buckets(at(&json, "waves")).iter().map(bucket_key).collect();
            names.sort();
            names
        } else {
            Vec::new()
        };
        let row = |value: String, bucket: &Json| StatsRow {
            value,
            metrics: read_metrics(bucket),
            waves: wave_names
                .iter()
                .map(|wave| WaveMetrics {
                    wave: wave.clone(),
                    metrics: buckets(at(bucket, "waves"))
                        .iter()
                        .find(|b| bucket_key(b) == *wave)
                        .map(read_metrics)
                        .unwrap_or_default(),
                })
                .collect(),
        };
        let mut rows: Vec<StatsRow> = buckets(at(&json, "rows"))
            .iter()
            .map(|bucket| row(bucket_key(bucket), bucket))
            .collect();
        rows.sort_by(|a, b| {
            b.metrics
                .dossiers
                .cmp(&a.metrics.dossiers)
                .then_with(|| a.value.cmp(&b.value))
        });
        let mut total = row("total".to_owned(), &json);
        // The top level has no doc_count; the query's count is the wave buckets' or rows' sum
        // only for single-valued dimensions, so count it directly.
        total.metrics.dossiers = self.count(query.as_ref())?;
        Ok(StatsReport {
            by: by.name().to_owned(),
            wave: match waves {
                WaveSelection::Pooled => Json::Null,
                WaveSelection::One(wave) => json!(wave),
                WaveSelection::SideBySide => json!("all"),
            },
            rows,
            total,
        })
    }

    /// How many dossiers have `number` in each interval between consecutive `edges` (sorted,
    /// ascending): the first bucket is everything below `edges[0]`, the last everything from
    /// the last edge up. Dossiers without the number are not counted. Exact (a `range`
    /// aggregation over the fast field).
    pub fn distribution(
        &self,
        number: Number,
        waves: WaveSelection,
        edges: &[f64],
    ) -> Result<Vec<RangeCount>> {
        let mut ranges = Vec::with_capacity(edges.len() + 1);
        let mut from: Option<f64> = None;
        for &edge in edges.iter().chain(std::iter::once(&f64::INFINITY)) {
            let mut range = serde_json::Map::new();
            if let Some(from) = from {
                range.insert("from".into(), json!(from));
            }
            if edge.is_finite() {
                range.insert("to".into(), json!(edge));
            }
            ranges.push(Json::Object(range));
            from = Some(edge);
        }
        let request = json!({"ranges": {"range": {"field": number.name(), "ranges": ranges}}});
        let query = self.wave_query(waves);
        let json = self.aggregate(request, query.as_ref())?;
        let bound = |bucket: &Json, key: &str| at(bucket, key).as_f64().filter(|x| x.is_finite());
        Ok(buckets(at(&json, "ranges"))
            .iter()
            .map(|bucket| RangeCount {
                from: bound(bucket, "from"),
                to: bound(bucket, "to"),
                count: at(bucket, "doc_count").as_u64().unwrap_or(0),
            })
            .collect())
    }

    /// The dossiers of the selected waves: one wave's, or all.
    fn wave_query(&self, waves: WaveSelection) -> Box<dyn Query> {
        match waves {
            WaveSelection::One(wave) => Box::new(TermQuery::new(
                Term::from_field_text(self.fields.keyword(Dimension::Wave), &wave.to_string()),
                IndexRecordOption::Basic,
            )),
            _ => Box::new(AllQuery),
        }
    }

    /// Runs an aggregation request (tantivy's JSON form) over the matches of `query`.
    fn aggregate(&self, request: Json, query: &dyn Query) -> Result<Json> {
        let aggregations: Aggregations = serde_json::from_value(request)
            .map_err(|error| IndexError::Report(format!("aggregation request: {error}")))?;
        let collector = AggregationCollector::from_aggs(aggregations, AggContextParams::default());
        let results = self.searcher().search(query, &collector)?;
        serde_json::to_value(&results)
            .map_err(|error| IndexError::Report(format!("aggregation result: {error}")))
    }

    fn count(&self, query: &dyn Query) -> Result<u64> {
        let count = self.searcher().search(query, &tantivy::collector::Count)?;
        Ok(count as u64)
    }
}

/// A member of a JSON object, `null` when absent (aggregation results omit empty parts).
fn at<'a>(json: &'a Json, key: &str) -> &'a Json {
    json.get(key).unwrap_or(&Json::Null)
}

fn buckets(aggregation: &Json) -> Vec<Json> {
    at(aggregation, "buckets")
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn bucket_key(bucket: &Json) -> String {
    match at(bucket, "key") {
        Json::String(key) => key.clone(),
        other => other.to_string(),
    }
}

fn read_metrics(bucket: &Json) -> Metrics {
    let number = |value: &Json| value.as_f64().filter(|x| x.is_finite());
    let median = |value: &Json| {
        at(value, "values")
            .as_object()
            .and_then(|values| values.values().next())
            .and_then(number)
            .map(|x| x.round())
    };
    let sum = |stats: &Json| number(at(stats, "sum")).unwrap_or(0.0);
    let budget = at(bucket, "budget");
    let subsidy = at(bucket, "subsidy");
    Metrics {
        dossiers: at(bucket, "doc_count").as_u64().unwrap_or(0),
        budget_total: sum(budget),
        budget_median: exact_median(budget, median(at(bucket, "budget_median"))),
        subsidy_total: sum(subsidy),
        subsidy_median: exact_median(subsidy, median(at(bucket, "subsidy_median"))),
        subsidy_share_mean: number(at(at(bucket, "share"), "value"))
            .map(|x| (x * 10_000.0).round() / 10_000.0),
    }
}

/// The sketch's median, made exact where the `stats` of the same values allow it: with one
/// value it is that value, with two their mean, and it never leaves `[min, max]`. An analyst
/// who sees a one-dossier group whose median differs from its total stops trusting the table.
fn exact_median(stats: &Json, sketched: Option<f64>) -> Option<f64> {
    let count = at(stats, "count").as_u64().unwrap_or(0);
    let value = |key: &str| at(stats, key).as_f64().filter(|x| x.is_finite());
    match count {
        0 => None,
        1 => value("sum"),
        2 => value("avg"),
        _ => match (sketched, value("min"), value("max")) {
            (Some(median), Some(min), Some(max)) => Some(median.clamp(min, max)),
            (median, _, _) => median,
        },
    }
}

/// A cell of a rendered statistics table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(u64),
    Money(Option<f64>),
    Share(Option<f64>),
}

impl Cell {
    pub fn display(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(Some(x)) => group_thousands(*x),
            Cell::Share(Some(x)) => format!("{:.1} %", x * 100.0).replace('.', ","),
            Cell::Money(None) | Cell::Share(None) => "—".to_owned(),
        }
    }

    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(Some(x)) | Cell::Share(Some(x)) => x.to_string(),
            Cell::Money(None) | Cell::Share(None) => String::new(),
        }
    }
}

const METRIC_HEADERS: [&str; 6] = [
    "Dossiers",
    "Budget total (€)",
    "Budget médian (€)",
    "Subvention totale (€)",
    "Subvention médiane (€)",
    "Part de subvention moyenne",
];

fn metric_cells(metrics: &Metrics) -> [Cell; 6] {
    [
        Cell::Count(metrics.dossiers),
        Cell::Money(Some(metrics.budget_total)),
        Cell::Money(metrics.budget_median),
        Cell::Money(Some(metrics.subsidy_total)),
        Cell::Money(metrics.subsidy_median),
        Cell::Share(metrics.subsidy_share_mean),
    ]
}

impl StatsReport {
    /// French headers and one row of cells per value, then the total: the shape every output
    /// format renders.
    pub fn grid(&self) -> (Vec<String>, Vec<Vec<Cell>>) {
        self.grid_with(false)
    }

    /// `compact` keeps four figures per wave (count, totals, mean share), for a terminal.
    fn grid_with(&self, compact: bool) -> (Vec<String>, Vec<Vec<Cell>>) {
        let dimension = Dimension::parse(&self.by).map_or(self.by.as_str(), |d| d.label_fr());
        let mut headers = vec![dimension.to_owned()];
        let waves: Vec<String> = self.total.waves.iter().map(|w| w.wave.clone()).collect();
        let per_wave: &[usize] = if compact {
            &[0, 1, 3, 5]
        } else {
            &[0, 1, 2, 3, 4, 5]
        };
        for wave in &waves {
            let wave = if wave == "unknown" { "inconnue" } else { wave };
            headers.extend(per_wave.iter().map(|&i| {
                let header = METRIC_HEADERS.get(i).copied().unwrap_or("");
                if compact {
                    format!("V{wave} {}", header.split_whitespace().next().unwrap_or(""))
                } else {
                    format!("Vague {wave} – {header}")
                }
            }));
        }
        let prefix = if waves.is_empty() {
            ""
        } else {
            "Toutes vagues – "
        };
        headers.extend(METRIC_HEADERS.iter().map(|h| {
            if compact {
                (*h).to_owned()
            } else {
                format!("{prefix}{h}")
            }
        }));
        let render = |row: &StatsRow, label: String| {
            let mut cells = vec![Cell::Text(label)];
            for wave in &row.waves {
                let all = metric_cells(&wave.metrics);
                cells.extend(per_wave.iter().filter_map(|&i| all.get(i).cloned()));
            }
            cells.extend(metric_cells(&row.metrics));
            cells
        };
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|row| render(row, row.value.clone()))
            .collect();
        rows.push(render(&self.total, "Total".to_owned()));
        (headers, rows)
    }

    /// An aligned text table.
    pub fn to_table(&self) -> String {
        let (headers, rows) = self.grid_with(true);
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row.iter().map(Cell::display).collect())
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, width))| {
                    let pad = width.saturating_sub(cell.chars().count());
                    if i == 0 {
                        format!("{cell}{}", " ".repeat(pad))
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
        };
        let mut out = String::new();
        let wave = match &self.wave {
            Json::Null => "toutes vagues".to_owned(),
            Json::String(all) if all == "all" => "vagues côte à côte".to_owned(),
            other => format!("vague {other}"),
        };
        out.push_str(&format!("Par {} — {wave}\n", self.by));
        out.push_str(&line(&headers));
        out.push('\n');
        for row in &rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        out
    }

    /// CSV with a header row; numbers plain (dot decimal), for spreadsheets and pandas.
    pub fn to_csv(&self) -> String {
        let (headers, rows) = self.grid();
        let mut out = csv_line(headers.iter().map(String::as_str));
        for row in rows {
            let cells: Vec<String> = row.iter().map(Cell::csv).collect();
            out.push_str(&csv_line(cells.iter().map(String::as_str)));
        }
        out
    }

    /// An XLSX workbook: French headers, euro and percent formats, frozen header row.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let (headers, rows) = self.grid();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let report = |e: rust_xlsxwriter::XlsxError| IndexError::Report(format!("xlsx: {e}"));
        sheet.set_name("Statistiques").map_err(report)?;
        let bold = Format::new().set_bold().set_text_wrap();
        let money = Format::new().set_num_format("# ##0 €");
        let share = Format::new().set_num_format("0.0 %");
        for (column, header) in headers.iter().enumerate() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(0, column, header, &bold)
                .map_err(report)?;
            sheet
                .set_column_width(column, if column == 0 { 24 } else { 16 })
                .map_err(report)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(text) => sheet.write_string(r, c, text).map(|_| ()),
                    Cell::Count(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Money(Some(x)) => {
                        sheet.write_number_with_format(r, c, *x, &money).map(|_| ())
                    }
                    Cell::Share(Some(x)) => {
                        sheet.write_number_with_format(r, c, *x, &share).map(|_| ())
                    }
                    Cell::Money(None) | Cell::Share(None) => Ok(()),
                }
                .map_err(report)?;
            }
        }
        sheet.set_freeze_panes(1, 1).map_err(report)?;
        let note_row = u32::try_from(rows.len() + 2).unwrap_or(u32::MAX);
        sheet
            .write_string(
                note_row,
                0,
                "Médianes estimées par l'index (précision relative 1 %). Une filière, un programme ou une alerte compte chaque dossier une fois par valeur.",
            )
            .map_err(report)?;
        workbook.save_to_buffer().map_err(report)
    }
}

/// One CSV line (RFC 4180 quoting).
pub fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut line = cells
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// Per-wave dossier counts, for callers that only need those (tests, summaries).
pub fn counts(report: &StatsReport) -> BTreeMap<String, u64> {
    report
        .rows
        .iter()
        .map(|row| (row.value.clone(), row.metrics.dossiers))
        .collect()
}
