//! Statistics per value of one dimension, or of two crossed, per wave: what an analyst signs.
//!
//! Every figure is exact. One observation (`observe.rs`) per matching dossier is read from
//! the fast columns (values, wave, budget, subsidy, share; no stored record is loaded), then
//! grouped in plain Rust: counts, totals, means, and medians of the values themselves (sorted
//! selection, the mean of the two middle values for an even count). Each median comes with its
//! `n`, the number of dossiers that have the value; a dossier without a budget is counted apart
//! (`budget_missing`) and a group without any budget shows « — », never 0. The weighted share is
//! total subsidy ÷ total budget over the dossiers that give both. A multi-valued dimension
//! (sector, programme, flag) counts a dossier once in each of its values, so its rows add up
//! to more than the total; the total row counts each dossier once.
//!
//! Waves come from the calendar (`dossiers-labels`) and the index: a wave neither knows is an
//! error ([`DossierIndex::check_wave`]); side by side, every known wave has its column, even
//! empty, and dossiers without a wave have a « Vague inconnue » column of their own.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use serde::Serialize;
use serde_json::{Value as Json, json};
use tantivy::Term;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::facets::FacetCounter;
use crate::observe::{Key, Observation, Observations, Observer};
use crate::render::{Cell, Column, CsvDialect, Grid};
use crate::schema::{Dimension, Number, bit_values, first_bit};
use crate::search::SearchRequest;
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

/// The figures of one group of dossiers. A figure no dossier of the group gives is `None`
/// (« — »), and how many lack it is counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub dossiers: u64,
    /// This group's dossiers ÷ the dossiers of its column (its wave, or its row in a
    /// cross-tabulation).
    pub share_of_dossiers: Option<f64>,
    /// Dossiers with a budget: the `n` of the budget median.
    pub budget_n: u64,
    pub budget_missing: u64,
    pub budget_total: Option<f64>,
    pub budget_median: Option<f64>,
    /// Dossiers with a requested subsidy: the `n` of the subsidy median.
    pub subsidy_n: u64,
    pub subsidy_missing: u64,
    pub subsidy_total: Option<f64>,
    pub subsidy_median: Option<f64>,
    /// The mean of the dossiers' own shares.
    pub subsidy_share_mean: Option<f64>,
    /// Total subsidy ÷ total budget, over the dossiers that give both.
    pub weighted_share: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaveMetrics {
    /// `2`, `3`… or `unknown`.
    pub wave: String,
    pub label: String,
    #[serde(flatten)]
    pub metrics: Metrics,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatsRow {
    /// The value's code (`provided_free`, `79`).
    pub value: String,
    /// Its French label.
    pub label: String,
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Per wave, when the waves are side by side.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waves: Vec<WaveMetrics>,
}

/// What a report was computed on: for the title block of a sheet.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReportContext {
    /// The query, when not every dossier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// `legal_form=scic`…
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
    /// When the report was made (UTC, ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    /// The run id of the index commit the figures come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_run: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatsReport {
    pub by: String,
    pub by_label: String,
    /// The wave number, `"all"` side by side, or `null` for every wave pooled.
    pub wave: Json,
    pub wave_label: String,
    pub rows: Vec<StatsRow>,
    pub total: StatsRow,
    #[serde(flatten)]
    pub context: ReportContext,
}

/// What to count: one or two dimensions, waves, and optionally a query and filters.
#[derive(Clone, Debug, PartialEq)]
pub struct StatsRequest {
    pub by: Vec<Dimension>,
    pub waves: WaveSelection,
    /// The query language of `search`; empty for every dossier.
    pub query: String,
    pub filters: Vec<(Dimension, String)>,
}

impl StatsRequest {
    pub fn new(by: Dimension, waves: WaveSelection) -> StatsRequest {
        StatsRequest {
            by: vec![by],
            waves,
            query: String::new(),
            filters: Vec::new(),
        }
    }

    fn search_request(&self) -> SearchRequest {
        let mut request = SearchRequest::new(self.query.clone());
        request.filters = self.filters.clone();
        if let WaveSelection::One(wave) = self.waves {
            request.wave = Some(wave);
        }
        request
    }

    fn context(&self) -> ReportContext {
        ReportContext {
            query: (!self.query.trim().is_empty()).then(|| self.query.trim().to_owned()),
            filters: self
                .filters
                .iter()
                .map(|(d, v)| format!("{}={v}", d.name()))
                .collect(),
            generated_at: None,
            index_run: None,
        }
    }
}

/// One value of a dimension in a cross-tabulation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossValue {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossRow {
    pub value: String,
    pub label: String,
    /// One per column, in the order of [`CrossTab::columns`].
    pub cells: Vec<Metrics>,
    /// The row's dossiers, each once (equal to the one-way count of this value).
    pub total: Metrics,
}

/// Two dimensions crossed: rows are the values of the first, columns those of the second.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossTab {
    pub by: Vec<String>,
    pub by_labels: Vec<String>,
    pub wave: Json,
    pub wave_label: String,
    pub columns: Vec<CrossValue>,
    pub rows: Vec<CrossRow>,
    pub column_totals: Vec<Metrics>,
    pub total: Metrics,
    #[serde(flatten)]
    pub context: ReportContext,
}

/// The figure a cross-tabulation shows in its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Measure {
    #[default]
    Dossiers,
    BudgetTotal,
    BudgetMedian,
    SubsidyTotal,
    SubsidyMedian,
    SubsidyShareMean,
    WeightedShare,
}

impl Measure {
    pub const ALL: [Measure; 7] = [
        Measure::Dossiers,
        Measure::BudgetTotal,
        Measure::BudgetMedian,
        Measure::SubsidyTotal,
        Measure::SubsidyMedian,
        Measure::SubsidyShareMean,
        Measure::WeightedShare,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Dossiers => "dossiers",
            Measure::BudgetTotal => "budget_total",
            Measure::BudgetMedian => "budget_median",
            Measure::SubsidyTotal => "subsidy_total",
            Measure::SubsidyMedian => "subsidy_median",
            Measure::SubsidyShareMean => "subsidy_share_mean",
            Measure::WeightedShare => "weighted_share",
        }
    }

    pub fn parse(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name.trim())
    }

    fn cell(self, metrics: &Metrics) -> Cell {
        match self {
            Measure::Dossiers => Cell::Count(metrics.dossiers),
            Measure::BudgetTotal => Cell::Money(metrics.budget_total),
            Measure::BudgetMedian => Cell::Money(metrics.budget_median),
            Measure::SubsidyTotal => Cell::Money(metrics.subsidy_total),
            Measure::SubsidyMedian => Cell::Money(metrics.subsidy_median),
            Measure::SubsidyShareMean => Cell::Share(metrics.subsidy_share_mean),
            Measure::WeightedShare => Cell::Share(metrics.weighted_share),
        }
    }
}

/// The exact median: the middle value, or the mean of the two middle ones.
pub fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = values
        .get(..n / 2)?
        .iter()
        .copied()
        .max_by(f64::total_cmp)?;
    Some((lower + upper) / 2.0)
}

/// The metrics of the observations at `members`.
fn metrics_of(observations: &[Observation], members: &[u32]) -> Metrics {
    let mut budgets = Vec::with_capacity(members.len());
    let mut subsidies = Vec::with_capacity(members.len());
    let (mut share_sum, mut share_n) = (0.0, 0u64);
    let (mut both_budget, mut both_subsidy, mut both_n) = (0.0, 0.0, 0u64);
    for observation in members.iter().filter_map(|&i| observations.get(i as usize)) {
        if let Some(budget) = observation.budget {
            budgets.push(budget);
        }
        if let Some(subsidy) = observation.subsidy {
            subsidies.push(subsidy);
        }
        if let Some(share) = observation.share {
            share_sum += share;
            share_n += 1;
        }
        if let (Some(budget), Some(subsidy)) = (observation.budget, observation.subsidy) {
            both_budget += budget;
            both_subsidy += subsidy;
            both_n += 1;
        }
    }
    let dossiers = members.len() as u64;
    let total = |values: &[f64]| (!values.is_empty()).then(|| values.iter().sum::<f64>());
    Metrics {
        dossiers,
        share_of_dossiers: None,
        budget_n: budgets.len() as u64,
        budget_missing: dossiers - budgets.len() as u64,
        budget_total: total(&budgets),
        budget_median: median(&mut budgets),
        subsidy_n: subsidies.len() as u64,
        subsidy_missing: dossiers - subsidies.len() as u64,
        subsidy_total: total(&subsidies),
        subsidy_median: median(&mut subsidies),
        subsidy_share_mean: (share_n > 0).then(|| share_sum / share_n as f64),
        weighted_share: (both_n > 0 && both_budget > 0.0).then(|| both_subsidy / both_budget),
    }
}

fn with_share(mut metrics: Metrics, of: u64) -> Metrics {
    metrics.share_of_dossiers = (of > 0).then(|| metrics.dossiers as f64 / of as f64);
    metrics
}

/// A group: a keyword value's id, or a bit of a multi-valued dimension (high bit set).
const BIT_GROUP: u32 = 1 << 31;

fn group_ids(key: Key, dimension: Dimension, out: &mut Vec<u32>) {
    out.clear();
    match key {
        Key::One(id) => out.push(id),
        Key::Bits(bits) => {
            let first = first_bit(dimension);
            for i in 0..bit_values(dimension).len() as u32 {
                if bits & (1u64 << (first + i)) != 0 {
                    out.push(BIT_GROUP | i);
                }
            }
        }
        Key::Absent => {}
    }
}

fn group_value(observations: &Observations, dimension: Dimension, group: u32) -> String {
    if group & BIT_GROUP != 0 {
        bit_values(dimension)
            .get((group & !BIT_GROUP) as usize)
            .copied()
            .unwrap_or("other")
            .to_owned()
    } else {
        observations.value(group).to_owned()
    }
}

fn wave_order(code: &str) -> (u8, u32) {
    match code.parse::<u32>() {
        Ok(n) => (0, n),
        Err(_) => (1, 0),
    }
}

impl WaveSelection {
    fn json(self) -> Json {
        match self {
            WaveSelection::Pooled => Json::Null,
            WaveSelection::One(wave) => json!(wave),
            WaveSelection::SideBySide => json!("all"),
        }
    }

    fn label(self) -> String {
        match self {
            WaveSelection::Pooled => "Toutes vagues confondues".to_owned(),
            WaveSelection::One(wave) => dossiers_labels::calendar::describe(wave),
            WaveSelection::SideBySide => "Toutes vagues, côte à côte".to_owned(),
        }
    }
}

impl DossierIndex {
    /// Statistics of the dossiers grouped by `by`.
    pub fn stats(&self, by: Dimension, waves: WaveSelection) -> Result<StatsReport> {
        self.stats_for(&StatsRequest::new(by, waves))
    }

    /// The waves an analyst may ask for: the calendar's and any the index holds.
    pub fn known_waves(&self) -> Result<Vec<u8>> {
        let mut waves: BTreeSet<u8> = dossiers_labels::calendar::wave_numbers()
            .into_iter()
            .collect();
        let counts = self
            .searcher()
            .search(&AllQuery, &FacetCounter::new(&[Dimension::Wave]))?;
        for value in counts
            .get(&Dimension::Wave)
            .into_iter()
            .flat_map(|v| v.keys())
        {
            if let Ok(wave) = value.parse() {
                waves.insert(wave);
            }
        }
        Ok(waves.into_iter().collect())
    }

    /// An error naming the known waves when `wave` is not one of them.
    pub fn check_wave(&self, wave: u8) -> Result<()> {
        let known = self.known_waves()?;
        if known.contains(&wave) {
            return Ok(());
        }
        Err(IndexError::UnknownWave {
            wave,
            known: known
                .iter()
                .map(u8::to_string)
                .chain(["all".to_owned()])
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The observations of the dossiers a request selects.
    fn observe(&self, request: &StatsRequest) -> Result<Observations> {
        let query = self.selection_query(&request.search_request())?;
        let observer = Observer {
            dimensions: [request.by.first().copied(), request.by.get(1).copied()],
        };
        Ok(self.searcher().search(&query, &observer)?)
    }

    fn context_of(&self, request: &StatsRequest) -> Result<ReportContext> {
        let mut context = request.context();
        context.generated_at = Some(now_utc());
        context.index_run = self.last_run_id()?;
        Ok(context)
    }

    /// The run id of the last commit, from its payload.
    pub fn last_run_id(&self) -> Result<Option<String>> {
        Ok(self.last_commit_payload()?.and_then(|payload| {
            serde_json::from_str::<Json>(&payload)
                .ok()
                .and_then(|json| json.get("run_id")?.as_str().map(str::to_owned))
        }))
    }

    /// One-way statistics (the first dimension of `request.by`).
    pub fn stats_for(&self, request: &StatsRequest) -> Result<StatsReport> {
        let by = *request
            .by
            .first()
            .ok_or_else(|| IndexError::Report("stats: no dimension to group by".to_owned()))?;
        let observations = self.observe(request)?;
        let all = &observations.observations;
        let side_by_side = request.waves == WaveSelection::SideBySide;

        // The wave columns: every known wave, then « unknown » when some dossier has none.
        let mut wave_codes: Vec<String> = Vec::new();
        if side_by_side {
            // The calendar's waves, and those of the selected dossiers (every distinct value of
            // the observations that is a wave: no second pass over the index).
            let mut codes: BTreeSet<String> = dossiers_labels::calendar::wave_numbers()
                .into_iter()
                .map(|w| w.to_string())
                .collect();
            let mut seen = vec![false; observations.values.len()];
            for observation in all {
                if let Some(seen) = seen.get_mut(observation.wave as usize) {
                    *seen = true;
                }
            }
            for (value, seen) in observations.values.iter().zip(seen) {
                if seen {
                    codes.insert(value.clone());
                }
            }
            wave_codes = codes.into_iter().collect();
            wave_codes.sort_by_key(|code| wave_order(code));
        }
        // The column of each distinct wave value, by its id among the observations' values.
        let wave_index: Vec<Option<usize>> = observations
            .values
            .iter()
            .map(|value| wave_codes.iter().position(|code| code == value))
            .collect();

        let mut groups: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut group_waves: FxHashMap<(u32, usize), Vec<u32>> = FxHashMap::default();
        let mut total_waves: Vec<Vec<u32>> = vec![Vec::new(); wave_codes.len()];
        let mut ids = Vec::new();
        for (i, observation) in all.iter().enumerate() {
            let i = i as u32;
            let wave = wave_index.get(observation.wave as usize).copied().flatten();
            if let Some(w) = wave
                && let Some(members) = total_waves.get_mut(w)
            {
                members.push(i);
            }
            group_ids(observation.keys[0], by, &mut ids);
            for &group in &ids {
                groups.entry(group).or_default().push(i);
                if let Some(w) = wave {
                    group_waves.entry((group, w)).or_default().push(i);
                }
            }
        }
        let everyone: Vec<u32> = (0..all.len() as u32).collect();
        let total_metrics = metrics_of(all, &everyone);
        let wave_totals: Vec<Metrics> = total_waves
            .iter()
            .map(|members| metrics_of(all, members))
            .collect();
        let waves_of = |group: Option<u32>| -> Vec<WaveMetrics> {
            wave_codes
                .iter()
                .enumerate()
                .map(|(w, code)| {
                    let column = wave_totals.get(w).map_or(0, |m| m.dossiers);
                    let metrics = match group {
                        Some(group) => group_waves
                            .get(&(group, w))
                            .map(|members| metrics_of(all, members))
                            .unwrap_or_default(),
                        None => wave_totals.get(w).cloned().unwrap_or_default(),
                    };
                    WaveMetrics {
                        wave: code.clone(),
                        label: dossiers_labels::wave(code),
                        metrics: with_share(metrics, column),
                    }
                })
                .collect()
        };
        let mut rows: Vec<StatsRow> = groups
            .iter()
            .map(|(&group, members)| {
                let value = group_value(&observations, by, group);
                StatsRow {
                    label: dossiers_labels::label(by.name(), &value),
                    value,
                    metrics: with_share(metrics_of(all, members), total_metrics.dossiers),
                    waves: waves_of(Some(group)),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.metrics
                .dossiers
                .cmp(&a.metrics.dossiers)
                .then_with(|| a.value.cmp(&b.value))
        });
        let total = StatsRow {
            value: "total".to_owned(),
            label: dossiers_labels::metric("total").to_owned(),
            metrics: with_share(total_metrics.clone(), total_metrics.dossiers),
            waves: waves_of(None),
        };
        Ok(StatsReport {
            by: by.name().to_owned(),
            by_label: dossiers_labels::dimension(by.name()).to_owned(),
            wave: request.waves.json(),
            wave_label: request.waves.label(),
            rows,
            total,
            context: self.context_of(request)?,
        })
    }

    /// Two dimensions crossed (`request.by` holds both), over one wave or all pooled.
    pub fn cross_tab(&self, request: &StatsRequest) -> Result<CrossTab> {
        let (Some(&row_by), Some(&column_by)) = (request.by.first(), request.by.get(1)) else {
            return Err(IndexError::Report(
                "a cross-tabulation needs two dimensions".to_owned(),
            ));
        };
        if request.waves == WaveSelection::SideBySide {
            return Err(IndexError::Report(
                "a cross-tabulation takes one wave or every wave pooled, not waves side by side"
                    .to_owned(),
            ));
        }
        let observations = self.observe(request)?;
        let all = &observations.observations;
        let mut rows: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut columns: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut cells: FxHashMap<(u32, u32), Vec<u32>> = FxHashMap::default();
        let (mut row_ids, mut column_ids) = (Vec::new(), Vec::new());
        for (i, observation) in all.iter().enumerate() {
            let i = i as u32;
            group_ids(observation.keys[0], row_by, &mut row_ids);
            group_ids(observation.keys[1], column_by, &mut column_ids);
            for &r in &row_ids {
                rows.entry(r).or_default().push(i);
                for &c in &column_ids {
                    cells.entry((r, c)).or_default().push(i);
                }
            }
            for &c in &column_ids {
                columns.entry(c).or_default().push(i);
            }
        }
        let everyone: Vec<u32> = (0..all.len() as u32).collect();
        let total = metrics_of(all, &everyone);
        // Columns and rows by decreasing count, then code.
        let order = |groups: &FxHashMap<u32, Vec<u32>>, dimension: Dimension| {
            let mut keys: Vec<(u32, String, usize)> = groups
                .iter()
                .map(|(&g, members)| (g, group_value(&observations, dimension, g), members.len()))
                .collect();
            keys.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
            keys
        };
        let column_keys = order(&columns, column_by);
        let row_keys = order(&rows, row_by);
        let crossed_rows = row_keys
            .iter()
            .map(|(r, value, _)| {
                let row_members = rows.get(r).map_or(&[][..], Vec::as_slice);
                let row_total = metrics_of(all, row_members);
                CrossRow {
                    value: value.clone(),
                    label: dossiers_labels::label(row_by.name(), value),
                    cells: column_keys
                        .iter()
                        .map(|(c, _, _)| {
                            let metrics = cells
                                .get(&(*r, *c))
                                .map(|members| metrics_of(all, members))
                                .unwrap_or_default();
                            with_share(metrics, row_total.dossiers)
                        })
                        .collect(),
                    total: with_share(row_total, total.dossiers),
                }
            })
            .collect();
        Ok(CrossTab {
            by: vec![row_by.name().to_owned(), column_by.name().to_owned()],
            by_labels: vec![
                dossiers_labels::dimension(row_by.name()).to_owned(),
                dossiers_labels::dimension(column_by.name()).to_owned(),
            ],
            wave: request.waves.json(),
            wave_label: request.waves.label(),
            columns: column_keys
                .iter()
                .map(|(_, value, _)| CrossValue {
                    value: value.clone(),
                    label: dossiers_labels::label(column_by.name(), value),
                })
                .collect(),
            rows: crossed_rows,
            column_totals: column_keys
                .iter()
                .map(|(c, _, _)| {
                    let members = columns.get(c).map_or(&[][..], Vec::as_slice);
                    with_share(metrics_of(all, members), total.dossiers)
                })
                .collect(),
            total: with_share(total.clone(), total.dossiers),
            context: self.context_of(request)?,
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
        let at = |json: &Json, key: &str| json.get(key).cloned().unwrap_or(Json::Null);
        let bound = |bucket: &Json, key: &str| at(bucket, key).as_f64().filter(|x| x.is_finite());
        Ok(at(&at(&json, "ranges"), "buckets")
            .as_array()
            .cloned()
            .unwrap_or_default()
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
}

/// Now, UTC, ISO 8601 to the minute.
pub fn now_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:00Z").to_string())
        .unwrap_or_default()
}

/// The title block lines of a report.
pub(crate) fn about(wave_label: &str, context: &ReportContext) -> Vec<(String, String)> {
    let mut lines = vec![("Vagues".to_owned(), wave_label.to_owned())];
    if let Some(query) = &context.query {
        lines.push(("Recherche".to_owned(), query.clone()));
    }
    if !context.filters.is_empty() {
        let filters: Vec<String> = context
            .filters
            .iter()
            .map(|filter| match filter.split_once('=') {
                Some((dimension, value)) => format!(
                    "{} = {}",
                    dossiers_labels::dimension(dimension),
                    dossiers_labels::label(dimension, value)
                ),
                None => filter.clone(),
            })
            .collect();
        lines.push(("Filtres".to_owned(), filters.join(" ; ")));
    }
    if let Some(at) = &context.generated_at {
        let shown = dossiers_labels::dates::french_datetime(at)
            .map_or_else(|| at.clone(), |french| format!("{french} (UTC)"));
        lines.push(("Produit le".to_owned(), shown));
    }
    if let Some(run) = &context.index_run {
        lines.push(("Index".to_owned(), format!("exécution {run}")));
    }
    lines
}

const MEDIAN_NOTE: &str = "Médianes exactes, calculées sur les valeurs des dossiers ; n = dossiers qui donnent la valeur. « — » : aucun dossier du groupe ne la donne. Part pondérée = subvention totale ÷ budget total des dossiers qui donnent les deux.";
const MULTI_NOTE: &str = "Une filière, un programme ou une alerte compte chaque dossier une fois par valeur : les lignes additionnées dépassent le total.";

/// The metric columns, in order: (key, cell).
fn metric_cells(metrics: &Metrics, percent: bool) -> Vec<(&'static str, Cell)> {
    let mut cells = vec![("dossiers", Cell::Count(metrics.dossiers))];
    if percent {
        cells.push(("share_of_dossiers", Cell::Share(metrics.share_of_dossiers)));
    }
    cells.extend([
        ("budget_n", Cell::Count(metrics.budget_n)),
        ("budget_missing", Cell::Count(metrics.budget_missing)),
        ("budget_total", Cell::Money(metrics.budget_total)),
        ("budget_median", Cell::Money(metrics.budget_median)),
        ("subsidy_n", Cell::Count(metrics.subsidy_n)),
        ("subsidy_missing", Cell::Count(metrics.subsidy_missing)),
        ("subsidy_total", Cell::Money(metrics.subsidy_total)),
        ("subsidy_median", Cell::Money(metrics.subsidy_median)),
        (
            "subsidy_share_mean",
            Cell::Share(metrics.subsidy_share_mean),
        ),
        ("weighted_share", Cell::Share(metrics.weighted_share)),
    ]);
    cells
}

/// Per wave side by side: the count (and its share with `--percent`), the totals and medians.
fn wave_cells(metrics: &Metrics, percent: bool) -> Vec<(&'static str, Cell)> {
    let mut cells = vec![("dossiers", Cell::Count(metrics.dossiers))];
    if percent {
        cells.push(("share_of_dossiers", Cell::Share(metrics.share_of_dossiers)));
    }
    cells.extend([
        ("budget_median", Cell::Money(metrics.budget_median)),
        ("subsidy_total", Cell::Money(metrics.subsidy_total)),
        ("subsidy_median", Cell::Money(metrics.subsidy_median)),
    ]);
    cells
}

impl StatsReport {
    /// The report as a grid: the value's code (machines) and label, per wave when side by
    /// side, then every metric over the selection; the total last. `percent` adds each count's
    /// share of its column (of its wave).
    pub fn to_grid(&self, percent: bool) -> Grid {
        let mut columns = vec![
            Column::machines(self.by.clone(), format!("{} (code)", self.by_label)),
            Column::new(format!("{}_label", self.by), self.by_label.clone()),
        ];
        for wave in &self.total.waves {
            for (key, _) in wave_cells(&wave.metrics, percent) {
                columns.push(Column::new(
                    format!("wave_{}.{key}", wave.wave),
                    format!("{} – {}", wave.label, dossiers_labels::metric(key)),
                ));
            }
        }
        let prefix = if self.total.waves.is_empty() {
            String::new()
        } else {
            "Toutes vagues – ".to_owned()
        };
        for (key, _) in metric_cells(&self.total.metrics, percent) {
            columns.push(Column::new(
                key,
                format!("{prefix}{}", dossiers_labels::metric(key)),
            ));
        }
        let render = |row: &StatsRow| {
            let mut cells = vec![Cell::Text(row.value.clone()), Cell::Text(row.label.clone())];
            for wave in &row.waves {
                cells.extend(
                    wave_cells(&wave.metrics, percent)
                        .into_iter()
                        .map(|(_, c)| c),
                );
            }
            cells.extend(
                metric_cells(&row.metrics, percent)
                    .into_iter()
                    .map(|(_, c)| c),
            );
            cells
        };
        let mut rows: Vec<Vec<Cell>> = self.rows.iter().map(render).collect();
        rows.push(render(&self.total));
        let mut notes = vec![MEDIAN_NOTE.to_owned()];
        if matches!(self.by.as_str(), "sector" | "programme" | "flag") {
            notes.push(MULTI_NOTE.to_owned());
        }
        if self.total.metrics.dossiers == 0 {
            notes.insert(0, format!("Aucun dossier : {}.", self.wave_label));
        }
        if percent {
            notes.push("Part des dossiers : part du total de la colonne (de la vague).".to_owned());
        }
        Grid {
            title: format!("Dossiers par {}", self.by_label.to_lowercase()),
            about: about(&self.wave_label, &self.context),
            columns,
            rows,
            notes,
            sheet: "Statistiques".to_owned(),
        }
    }

    /// French headers and one row of cells per value, then the total (labels, no codes).
    pub fn grid(&self) -> (Vec<String>, Vec<Vec<Cell>>) {
        let grid = self.to_grid(false);
        let headers = grid
            .columns
            .iter()
            .skip(1)
            .map(|c| c.label.clone())
            .collect();
        let rows = grid
            .rows
            .into_iter()
            .map(|row| row.into_iter().skip(1).collect())
            .collect();
        (headers, rows)
    }

    /// An aligned text table: per wave when side by side, the count and the medians.
    pub fn to_table(&self) -> String {
        self.to_grid(false).to_table()
    }

    /// CSV for machines: codes and labels, UTF-8, comma, dot decimals.
    pub fn to_csv(&self) -> String {
        self.to_grid(false).to_csv(CsvDialect::Machine)
    }

    /// An XLSX workbook with its title block.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        self.to_grid(false).to_xlsx()
    }

    /// The requested subsidy and the dossiers per department, as an SVG map (for a report
    /// grouped by department).
    pub fn to_svg_map(&self) -> Result<String> {
        if self.by != Dimension::Department.name() {
            return Err(IndexError::Report(format!(
                "a map is drawn by department, not by {}",
                self.by
            )));
        }
        let count = |x: f64| crate::flat::group_thousands(x);
        let money = |x: f64| format!("{} €", crate::flat::group_thousands(x));
        let plural = |n: u64| if n == 1 { "dossier" } else { "dossiers" };
        let mut dossiers = BTreeMap::new();
        let mut subsidies = BTreeMap::new();
        for row in &self.rows {
            let n = row.metrics.dossiers;
            dossiers.insert(
                row.value.clone(),
                dossiers_map::MapValue {
                    value: n as f64,
                    shown: format!("{n} {}", plural(n)),
                },
            );
            subsidies.insert(
                row.value.clone(),
                dossiers_map::MapValue {
                    value: row.metrics.subsidy_total.unwrap_or(0.0),
                    shown: match row.metrics.subsidy_total {
                        Some(total) => format!(
                            "{} ({} sur {} {})",
                            money(total),
                            row.metrics.subsidy_n,
                            n,
                            plural(n)
                        ),
                        None => format!("— ({n} {}, aucune subvention connue)", plural(n)),
                    },
                },
            );
        }
        let unplaced = self
            .rows
            .iter()
            .filter(|row| dossiers_labels::department_name(&row.value).is_none())
            .map(|row| row.metrics.dossiers)
            .sum::<u64>();
        let mut note = format!(
            "{} — {} dossiers",
            self.wave_label, self.total.metrics.dossiers
        );
        if unplaced > 0 {
            note.push_str(&format!(
                ", dont {unplaced} sans département connu (hors carte)"
            ));
        }
        if let Some(query) = &self.context.query {
            note.push_str(&format!(" — recherche « {query} »"));
        }
        Ok(dossiers_map::render(
            "Dossiers et subvention demandée par département",
            &[
                dossiers_map::Panel {
                    title: "Dossiers".to_owned(),
                    values: dossiers,
                    format: &count,
                },
                dossiers_map::Panel {
                    title: "Subvention demandée".to_owned(),
                    values: subsidies,
                    format: &money,
                },
            ],
            &note,
        ))
    }
}

/// The dossiers per value, for callers that only need counts (tests, summaries).
pub fn counts(report: &StatsReport) -> BTreeMap<String, u64> {
    report
        .rows
        .iter()
        .map(|row| (row.value.clone(), row.metrics.dossiers))
        .collect()
}

impl CrossTab {
    /// The cross-tabulation as a grid of one measure: a row per value of the first dimension,
    /// a column per value of the second, the row total and the column totals. `percent` shows
    /// each count's share of its row.
    pub fn to_grid(&self, measure: Measure, percent: bool) -> Grid {
        let shown = |metrics: &Metrics| -> Cell {
            if percent && measure == Measure::Dossiers {
                Cell::Share(metrics.share_of_dossiers)
            } else {
                measure.cell(metrics)
            }
        };
        let row_by = self.by.first().cloned().unwrap_or_default();
        let row_label = self.by_labels.first().cloned().unwrap_or_default();
        let column_label = self.by_labels.get(1).cloned().unwrap_or_default();
        let mut columns = vec![
            Column::machines(row_by.clone(), format!("{row_label} (code)")),
            Column::new(
                format!("{row_by}_label"),
                format!("{row_label} \\ {column_label}"),
            ),
        ];
        for column in &self.columns {
            columns.push(Column::new(column.value.clone(), column.label.clone()));
        }
        columns.push(Column::new("total", dossiers_labels::metric("total")));
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![Cell::Text(row.value.clone()), Cell::Text(row.label.clone())];
                cells.extend(row.cells.iter().map(shown));
                cells.push(if percent && measure == Measure::Dossiers {
                    Cell::Count(row.total.dossiers)
                } else {
                    measure.cell(&row.total)
                });
                cells
            })
            .collect();
        let mut total = vec![
            Cell::Text("total".to_owned()),
            Cell::Text(dossiers_labels::metric("total").to_owned()),
        ];
        total.extend(self.column_totals.iter().map(|m| {
            if percent && measure == Measure::Dossiers {
                Cell::Count(m.dossiers)
            } else {
                measure.cell(m)
            }
        }));
        total.push(measure.cell(&self.total));
        rows.push(total);
        let mut notes = Vec::new();
        if percent && measure == Measure::Dossiers {
            notes.push(
                "Chaque case : part des dossiers de la ligne ; totaux en nombre de dossiers."
                    .to_owned(),
            );
        }
        if measure != Measure::Dossiers {
            notes.push(MEDIAN_NOTE.to_owned());
        }
        if self
            .by
            .iter()
            .any(|by| matches!(by.as_str(), "sector" | "programme" | "flag"))
        {
            notes.push(MULTI_NOTE.to_owned());
        }
        let mut about = about(&self.wave_label, &self.context);
        about.insert(
            0,
            (
                "Mesure".to_owned(),
                dossiers_labels::metric(measure.name()).to_owned(),
            ),
        );
        Grid {
            title: format!(
                "Dossiers par {} et {}",
                row_label.to_lowercase(),
                column_label.to_lowercase()
            ),
            about,
            columns,
            rows,
            notes,
            sheet: "Tableau croisé".to_owned(),
        }
    }
}
