//! The budget from the matrix (the matrix is authoritative, not the application's text).
//!
//! Matrices differ: years in columns or in rows, charges and produits in one table or in two
//! blocks with their own header rows, investment in a block of its own or on its own sheet, a
//! grand total or only sub-totals, the subsidy split into amorçage and investment lines. The
//! reader finds the year header, follows the side (expenses / revenues) and the block
//! (operating / investment) from the label rows, and takes each year's total from the grand
//! total when there is one, else from the block totals, else from the lines. Every figure keeps
//! the cells it was read from (`Sheet!E41`). Row labels are recognised through the lexicon's
//! `[budget]` words.

use std::collections::BTreeMap;

use dossiers_extract::{Block, CellValue, Document, StoryKind};
use dossiers_model::{BudgetYear, field};

use crate::lexicon::{PhraseSet, lexicon};
use crate::numbers::numbers;
use crate::text::Folded;

/// What the matrix says, with where each figure was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BudgetReading {
    pub years: Vec<BudgetYear>,
    pub total_expenses: Option<f64>,
    pub investment: Option<f64>,
    pub subsidy_requested: Option<f64>,
    pub subsidy_share: Option<f64>,
    pub balanced: Option<bool>,
    /// Field path → the cells it was read from (`Matrice!B20:D20`).
    pub provenance: BTreeMap<String, String>,
}

impl BudgetReading {
    /// True when the matrix gave at least one year of figures.
    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }
}

/// A cell of a sheet grid.
#[derive(Clone, Debug, Default)]
struct GridCell {
    text: String,
    number: Option<f64>,
    address: String,
}

#[derive(Clone, Debug)]
struct Grid {
    sheet: String,
    hidden: bool,
    rows: Vec<Vec<GridCell>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Expenses,
    Revenues,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Operating,
    Investment,
}

/// One row with figures under a year header.
#[derive(Clone, Debug)]
struct Line {
    row: usize,
    side: Option<Side>,
    part: Option<Part>,
    kind: LineKind,
    /// Year → (value, cell address): the sum of the year's kept columns, the first cell cited.
    values: BTreeMap<i32, (f64, String)>,
    /// Year → the part of the value read from « Investissement » sub-columns, when the year is
    /// split into operating and investment columns.
    split_investment: BTreeMap<i32, f64>,
}

/// A column of figures under a year header: the year, and the part it holds when the year is
/// split into « Fonctionnement | Investissement » sub-columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct YearColumn {
    column: usize,
    year: i32,
    part: Option<Part>,
}

/// What a sub-column label under (or beside) a year says of its figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SubColumn {
    /// « HT », « hors taxes »: the figures the aid is computed on.
    BeforeTax,
    /// « TTC »: for information when an HT column stands beside it.
    WithTax,
    /// « Prévu », « Budget », « Prévisionnel ».
    Planned,
    /// « Réalisé », « Réel »: the execution, empty in an application.
    Actual,
    /// « Fonctionnement » / « Investissement »: both count, each in its part.
    Part(Part),
    /// « Total », « TVA », « Taux », « % »: derived from the others.
    Derived,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    Item,
    Subsidy,
    GrandTotal,
    PartTotal(Part),
}

/// What one sheet gives.
#[derive(Clone, Debug, Default)]
struct SheetBudget {
    years: Vec<i32>,
    expenses: BTreeMap<i32, f64>,
    revenues: BTreeMap<i32, f64>,
    investment: Option<f64>,
    subsidy: Option<f64>,
    expense_cells: Vec<String>,
    revenue_cells: Vec<String>,
    investment_cells: Vec<String>,
    subsidy_cells: Vec<String>,
    header_cells: String,
    /// Every expense is in the investment part (an investment sheet or block of its own).
    investment_only: bool,
    /// Each expense line: whether it counts as investment, and year → value; to tell a sheet
    /// that details a line from a budget of its own.
    expense_lines: Vec<(bool, BTreeMap<i32, f64>)>,
}

/// A labelled value in a matrix's header (« Structure porteuse : … », « Projet : … »), above
/// its year header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderField {
    pub label: String,
    pub value: String,
    pub address: String,
}

/// The labelled values written above the year header of each sheet.
pub fn header_fields(document: &Document) -> Vec<HeaderField> {
    let mut out = Vec::new();
    for grid in grids(document) {
        for row in &grid.rows {
            if year_columns(row).is_some() {
                break;
            }
            let texts: Vec<&GridCell> = row.iter().filter(|c| !c.text.trim().is_empty()).collect();
            match texts.as_slice() {
                [only] => {
                    // « Projet : X · Porteur : Y »: several fields on one line.
                    for part in only.text.split(['·', '|']) {
                        if let Some((label, value)) = part.split_once(':') {
                            out.push(HeaderField {
                                label: label.trim().to_string(),
                                value: value.trim().to_string(),
                                address: only.address.clone(),
                            });
                        }
                    }
                }
                [label, value, ..] => out.push(HeaderField {
                    label: label.text.trim().trim_end_matches(':').trim().to_string(),
                    value: value.text.trim().to_string(),
                    address: value.address.clone(),
                }),
                [] => {}
            }
        }
    }
    out
}

/// Reads the budget from a workbook.
pub fn read_budget(document: &Document) -> BudgetReading {
    let grids = grids(document);
    // A hidden sheet often keeps an old version or the template's example: it counts only when
    // the visible sheets give nothing.
    let mut sheets: Vec<SheetBudget> = grids
        .iter()
        .filter(|g| !g.hidden)
        .flat_map(read_grid)
        .collect();
    if sheets.is_empty() {
        sheets = grids
            .iter()
            .filter(|g| g.hidden)
            .flat_map(read_grid)
            .collect();
    }
    // An investment sheet that details one line of another sheet (« Dépenses d'investissement
    // (détail : onglet Investissements) ») is already counted there.
    // The detailed line is counted as an expense there, and as investment when it sits in an
    // investment block.
    let details: Vec<Option<bool>> = sheets
        .iter()
        .enumerate()
        .map(|(index, sheet)| {
            if !sheet.investment_only || sheet.expenses.is_empty() {
                return None;
            }
            sheets
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .flat_map(|(_, candidate)| &candidate.expense_lines)
                .find(|(_, line)| {
                    sheet.expenses.iter().all(|(year, value)| {
                        (line.get(year).copied().unwrap_or(0.0) - value).abs() <= 1.0
                    })
                })
                .map(|(is_investment, _)| *is_investment)
        })
        .collect();
    for (sheet, detail) in sheets.iter_mut().zip(details) {
        if let Some(counted_as_investment) = detail {
            sheet.expenses.clear();
            sheet.expense_cells.clear();
            if counted_as_investment {
                sheet.investment = None;
                sheet.investment_cells.clear();
            }
        }
    }
    // A summary sheet that repeats the others would count them twice: keep it alone.
    if sheets.len() > 1 {
        let summary = sheets.iter().position(|candidate| {
            let others: Vec<&SheetBudget> = sheets
                .iter()
                .filter(|s| !std::ptr::eq(*s, candidate))
                .collect();
            // A sheet of expenses only, beside a sheet of revenues, is a half, not a summary.
            let halves =
                candidate.revenues.is_empty() && others.iter().any(|s| !s.revenues.is_empty());
            !halves
                && candidate.years.iter().all(|year| {
                    let sum: f64 = others.iter().filter_map(|s| s.expenses.get(year)).sum();
                    candidate
                        .expenses
                        .get(year)
                        .is_some_and(|v| (v - sum).abs() <= 1.0)
                })
        });
        if let Some(index) = summary
            && let Some(kept) = sheets.get(index).cloned()
        {
            // A bare synthesis (« Plan de financement »: totals and balance only) is dropped
            // instead when the detailed sheets name the subsidy it does not.
            let details_say_more =
                kept.subsidy.is_none() && sheets.iter().any(|s| s.subsidy.is_some());
            if details_say_more {
                sheets.remove(index);
            } else {
                sheets = vec![kept];
            }
        }
    }
    combine(&sheets)
}

fn combine(sheets: &[SheetBudget]) -> BudgetReading {
    let mut reading = BudgetReading::default();
    let mut years: Vec<i32> = sheets
        .iter()
        .flat_map(|s| s.years.iter().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return reading;
    }
    for year in &years {
        let expenses: f64 = sheets.iter().filter_map(|s| s.expenses.get(year)).sum();
        let revenues: f64 = sheets.iter().filter_map(|s| s.revenues.get(year)).sum();
        reading.years.push(BudgetYear {
            year: *year,
            expenses: round2(expenses),
            revenues: round2(revenues),
        });
    }
    let total: f64 = reading.years.iter().map(|y| y.expenses).sum();
    reading.total_expenses = Some(round2(total));
    let investments: Vec<f64> = sheets.iter().filter_map(|s| s.investment).collect();
    reading.investment = (!investments.is_empty()).then(|| round2(investments.iter().sum()));
    let subsidies: Vec<f64> = sheets.iter().filter_map(|s| s.subsidy).collect();
    reading.subsidy_requested = (!subsidies.is_empty()).then(|| round2(subsidies.iter().sum()));
    if let Some(subsidy) = reading.subsidy_requested
        && total > 0.0
    {
        reading.subsidy_share = Some((subsidy / total * 1000.0).round() / 1000.0);
    }
    let has_revenues = sheets.iter().any(|s| !s.revenues.is_empty());
    reading.balanced = has_revenues.then(|| {
        reading
            .years
            .iter()
            .all(|y| (y.revenues - y.expenses).abs() <= 1.0)
    });
    let cite = |cells: Vec<&String>| -> Option<String> {
        let cells: Vec<String> = cells
            .into_iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect();
        (!cells.is_empty()).then(|| cells.join(", "))
    };
    let mut put = |field: &str, cells: Vec<&String>| {
        if let Some(at) = cite(cells) {
            reading.provenance.insert(field.to_string(), at);
        }
    };
    put(
        field::BUDGET_YEARS,
        sheets.iter().map(|s| &s.header_cells).collect(),
    );
    put(
        field::TOTAL_EXPENSES,
        sheets.iter().flat_map(|s| &s.expense_cells).collect(),
    );
    put(
        field::BUDGET_REVENUES,
        sheets.iter().flat_map(|s| &s.revenue_cells).collect(),
    );
    if reading.investment.is_some() {
        put(
            field::INVESTMENT,
            sheets.iter().flat_map(|s| &s.investment_cells).collect(),
        );
    }
    if reading.subsidy_requested.is_some() {
        put(
            field::SUBSIDY_REQUESTED,
            sheets.iter().flat_map(|s| &s.subsidy_cells).collect(),
        );
    }
    reading
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The sheets of a workbook as grids, cells placed by their address.
fn grids(document: &Document) -> Vec<Grid> {
    let mut out = Vec::new();
    for story in document.stories_of(StoryKind::Sheet) {
        let sheet = story.name.clone().unwrap_or_default();
        for block in &story.blocks {
            let Block::Table(table) = block else { continue };
            let mut rows: Vec<Vec<GridCell>> = Vec::new();
            for (row_index, row) in table.rows.iter().enumerate() {
                let mut cells: Vec<GridCell> = Vec::new();
                for (position, cell) in row.cells.iter().enumerate() {
                    let column = cell
                        .address
                        .as_deref()
                        .and_then(dossiers_extract::a1_column)
                        .unwrap_or(position);
                    if cells.len() <= column {
                        cells.resize(column + 1, GridCell::default());
                    }
                    let number = match &cell.value {
                        Some(CellValue::Number(n)) if n.is_finite() => Some(*n),
                        Some(_) => None,
                        None => number_in_text(&cell.text),
                    };
                    let address = cell
                        .address
                        .clone()
                        .map(|a| format!("{sheet}!{a}"))
                        .unwrap_or_else(|| format!("{sheet}!R{}C{}", row_index + 1, column + 1));
                    if let Some(slot) = cells.get_mut(column) {
                        *slot = GridCell {
                            text: cell.text.trim().to_string(),
                            number,
                            address,
                        };
                    }
                }
                rows.push(cells);
            }
            out.push(Grid {
                sheet: sheet.clone(),
                hidden: story.hidden,
                rows,
            });
        }
    }
    out
}

/// A figure typed as text: « 12 500 € », « -7 550 », « 1 200,50 ».
fn number_in_text(text: &str) -> Option<f64> {
    let folded = crate::text::fold(text);
    if folded.is_empty() || folded.chars().any(|c| c.is_alphabetic() && c != 'e') {
        return None;
    }
    let found = numbers(&folded);
    let [only] = found.as_slice() else {
        return None;
    };
    let negative = folded.trim_start().starts_with('-') || folded.trim_start().starts_with('(');
    let value = if negative { -only.value } else { only.value };
    value.is_finite().then_some(value)
}

/// A year in a header cell: 2022, « Année 2022 », « 2022 (N) »; not « Total 2022-2024 ».
fn year_of(cell: &GridCell) -> Option<i32> {
    if let Some(n) = cell.number {
        if n.fract() == 0.0 && (2015.0..=2035.0).contains(&n) && cell.text.trim().len() <= 6 {
            return Some(n as i32);
        }
        if cell.text.is_empty() || cell.text.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
    }
    let folded = crate::text::fold(&cell.text);
    if folded.len() > 24 || folded.contains("total") || folded.contains("cumul") {
        return None;
    }
    let years: Vec<i32> = numbers(&folded)
        .into_iter()
        .filter(|n| {
            n.end - n.start == 4 && n.value.fract() == 0.0 && (2015.0..=2035.0).contains(&n.value)
        })
        .map(|n| n.value as i32)
        .collect();
    match years.as_slice() {
        [year] => Some(*year),
        [] => relative_year(&folded).map(|offset| lexicon().budget.relative_first_year + offset),
        _ => None,
    }
}

/// « N », « N+1 », « Année 2 », « 3e année », « An 1 » → the offset from the first year.
fn relative_year(folded: &str) -> Option<i32> {
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "n" || compact == "anneen" {
        return Some(0);
    }
    for prefix in ["n+", "anneen+"] {
        if let Some(rest) = compact.strip_prefix(prefix) {
            return rest.parse::<i32>().ok().filter(|n| (1..=5).contains(n));
        }
    }
    for prefix in ["annee", "an"] {
        if let Some(rest) = compact.strip_prefix(prefix) {
            return rest
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=6).contains(n))
                .map(|n| n - 1);
        }
    }
    let ordinal: String = compact.chars().take_while(char::is_ascii_digit).collect();
    let rest = compact.get(ordinal.len()..).unwrap_or("");
    if ["eannee", "emeannee", "ereannee", "erannee"].contains(&rest) {
        return ordinal
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=6).contains(n))
            .map(|n| n - 1);
    }
    None
}

/// The year columns of a row, when it holds at least two distinct years. A year may head
/// several columns when each says what it holds (« 2022 HT | 2022 TTC »).
fn year_columns(row: &[GridCell]) -> Option<Vec<(usize, i32)>> {
    let found: Vec<(usize, i32)> = row
        .iter()
        .enumerate()
        .filter_map(|(column, cell)| year_of(cell).map(|y| (column, y)))
        .collect();
    let mut distinct: Vec<i32> = found.iter().map(|(_, y)| *y).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let repeated_years_are_labelled = found.iter().all(|(column, year)| {
        found.iter().filter(|(_, y)| y == year).count() == 1
            || row
                .get(*column)
                .is_some_and(|cell| sub_column_of(&cell.text).is_some())
    });
    (distinct.len() >= 2 && repeated_years_are_labelled).then_some(found)
}

/// The sub-column a header label names, if any.
fn sub_column_of(text: &str) -> Option<SubColumn> {
    let folded = crate::text::fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric() && c != '%')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let starts = |p: &str| words.iter().any(|w| w.starts_with(p));
    Some(if has("ttc") || folded.contains("toutes taxes") {
        SubColumn::WithTax
    } else if has("ht") || folded.contains("hors tax") {
        SubColumn::BeforeTax
    } else if starts("realis")
        || has("reel")
        || has("reels")
        || starts("execut")
        || starts("constat")
    {
        SubColumn::Actual
    } else if starts("prevu")
        || starts("previs")
        || starts("prevision")
        || has("bp") && words.len() == 1
    {
        SubColumn::Planned
    } else if starts("investissement") || has("invest") || has("inv") {
        SubColumn::Part(Part::Investment)
    } else if starts("fonctionnement") || has("fonct") || starts("exploitation") {
        SubColumn::Part(Part::Operating)
    } else if has("total") || has("tva") || has("taux") || has("%") || has("cumul") {
        SubColumn::Derived
    } else {
        return None;
    })
}

/// A row of sub-column labels right under a year header: no figures, and labels the year spans
/// can be read with.
fn is_sub_header(row: &[GridCell], first_year_column: usize) -> bool {
    let labels = row
        .iter()
        .enumerate()
        .filter(|(column, cell)| *column >= first_year_column && !cell.text.trim().is_empty())
        .collect::<Vec<_>>();
    labels.len() >= 2
        && labels
            .iter()
            .all(|(_, cell)| cell.number.is_none() || year_of(cell).is_some())
        && labels
            .iter()
            .filter(|(_, cell)| sub_column_of(&cell.text).is_some())
            .count()
            >= 2
}

/// The columns of figures a year header heads. Each year spans the columns up to the next
/// year (the last one as wide as the first); where the year's own cells or the sub-header row
/// under it split it, the figures the budget is made of are kept: HT before TTC, planned before
/// actual, operating and investment both (each in its part); derived columns are dropped.
fn year_header(row: &[GridCell], below: Option<&[GridCell]>) -> Option<(Vec<YearColumn>, bool)> {
    let found = year_columns(row)?;
    let first = found.first().map(|(c, _)| *c)?;
    let sub = below.filter(|b| is_sub_header(b, first));
    // Spans: each distinct year's first column up to the next year's.
    let mut starts: Vec<(usize, i32)> = Vec::new();
    for (column, year) in &found {
        if starts.last().is_none_or(|(_, y)| y != year) {
            starts.push((*column, *year));
        }
    }
    let width = match starts.as_slice() {
        [(a, _), (b, _), ..] => b.saturating_sub(*a).max(1),
        _ => 1,
    };
    let mut out = Vec::new();
    for (index, (start, year)) in starts.iter().enumerate() {
        let end = starts
            .get(index + 1)
            .map_or(start + width, |(next, _)| *next);
        let labelled: Vec<(usize, SubColumn)> = (*start..end)
            .filter_map(|column| {
                let own = found
                    .iter()
                    .any(|(c, y)| *c == column && y == year)
                    .then(|| row.get(column).and_then(|c| sub_column_of(&c.text)))
                    .flatten();
                let under = sub
                    .and_then(|s| s.get(column))
                    .and_then(|c| sub_column_of(&c.text));
                own.or(under).map(|kind| (column, kind))
            })
            .collect();
        let pick = |kind: SubColumn| -> Vec<usize> {
            labelled
                .iter()
                .filter(|(_, k)| *k == kind)
                .map(|(c, _)| *c)
                .collect()
        };
        let parts: Vec<YearColumn> = labelled
            .iter()
            .filter_map(|(column, kind)| match kind {
                SubColumn::Part(part) => Some(YearColumn {
                    column: *column,
                    year: *year,
                    part: Some(*part),
                }),
                _ => None,
            })
            .collect();
        let plain = |columns: Vec<usize>| {
            columns
                .into_iter()
                .map(|column| YearColumn {
                    column,
                    year: *year,
                    part: None,
                })
                .collect::<Vec<_>>()
        };
        let kept = if labelled.is_empty() {
            plain(vec![*start])
        } else if labelled.iter().all(|(_, k)| *k == SubColumn::Actual) && starts.len() > 2 {
            // « Réalisé 2021 » beside the forecast years: the past is not the budget.
            Vec::new()
        } else if !pick(SubColumn::BeforeTax).is_empty() {
            plain(pick(SubColumn::BeforeTax))
        } else if !pick(SubColumn::Planned).is_empty() {
            plain(pick(SubColumn::Planned))
        } else if !parts.is_empty() {
            parts
        } else if !pick(SubColumn::WithTax).is_empty() {
            plain(pick(SubColumn::WithTax))
        } else {
            plain(vec![*start])
        };
        out.extend(kept);
    }
    Some((out, sub.is_some()))
}

fn transpose(grid: &Grid) -> Grid {
    let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut rows = vec![Vec::new(); width];
    for (column, out) in rows.iter_mut().enumerate() {
        for row in &grid.rows {
            out.push(row.get(column).cloned().unwrap_or_default());
        }
    }
    Grid {
        sheet: grid.sheet.clone(),
        hidden: grid.hidden,
        rows,
    }
}

/// The Manufactures de proximité subsidy: named as such, or « subvention sollicitée » without
/// another funder's name.
fn is_programme_subsidy(label: &Folded<'_>) -> bool {
    let words = &lexicon().budget;
    has(&words.subsidy, label)
        || has(&words.subsidy_requested, label) && !has(&words.other_funders, label)
}

fn starts_with_investment(label: &Folded<'_>) -> bool {
    let words = &lexicon().budget;
    [&words.investment, &words.investment_lines]
        .into_iter()
        .any(|set| set.find(label).first().is_some_and(|hit| hit.start == 0))
}

fn has(set: &PhraseSet<()>, folded: &Folded<'_>) -> bool {
    !set.find(folded).is_empty()
}

fn read_grid(grid: &Grid) -> Vec<SheetBudget> {
    let factor = unit_factor(&grid.rows);
    // A long table (one line per amount) or one table per year: reshaped into the grid of
    // years in columns that the reader knows.
    if let Some(reshaped) = long_table(grid).or_else(|| tables_per_year(grid)) {
        return reshaped
            .iter()
            .filter_map(|g| read_oriented(g, factor))
            .collect();
    }
    if let Some((left, right)) = split_side_by_side(grid) {
        return [left, right]
            .iter()
            .filter_map(|half| read_oriented(half, factor))
            .collect();
    }
    let has_year_row = grid.rows.iter().any(|row| year_columns(row).is_some());
    if has_year_row {
        return read_oriented(grid, factor).into_iter().collect();
    }
    let transposed = transpose(grid);
    if transposed
        .rows
        .iter()
        .any(|row| year_columns(row).is_some())
    {
        return read_oriented(&transposed, factor).into_iter().collect();
    }
    Vec::new()
}

/// A sheet with charges on the left and produits on the right (the layout of the State's
/// grant forms): a header row whose years run twice. Returns the two halves.
fn split_side_by_side(grid: &Grid) -> Option<(Grid, Grid)> {
    for row in &grid.rows {
        let years: Vec<(usize, i32)> = row
            .iter()
            .enumerate()
            .filter_map(|(column, cell)| year_of(cell).map(|y| (column, y)))
            .collect();
        if years.len() < 4 {
            continue;
        }
        let restart = years
            .windows(2)
            .position(|pair| matches!(pair, [(_, a), (_, b)] if b <= a))?;
        let (first_run, second_run) = years.split_at(restart + 1);
        let distinct = |run: &[(usize, i32)]| {
            let mut ys: Vec<i32> = run.iter().map(|(_, y)| *y).collect();
            ys.sort_unstable();
            ys.dedup();
            ys.len() == run.len() && run.len() >= 2
        };
        if !distinct(first_run) || !distinct(second_run) {
            return None;
        }
        let last_left = first_run.last().map(|(c, _)| *c)?;
        let first_right = second_run.first().map(|(c, _)| *c)?;
        // The right half starts at its label column: the first text cell after the left years.
        let boundary = (last_left + 1..first_right)
            .find(|c| {
                row.get(*c)
                    .is_some_and(|cell| cell.number.is_none() && !cell.text.trim().is_empty())
            })
            .unwrap_or(first_right.saturating_sub(1));
        let cut = |from: usize, to: usize| Grid {
            sheet: grid.sheet.clone(),
            hidden: grid.hidden,
            rows: grid
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .skip(from)
                        .take(to.saturating_sub(from))
                        .cloned()
                        .collect()
                })
                .collect(),
        };
        return Some((cut(0, boundary), cut(boundary, usize::MAX)));
    }
    None
}

/// « Montants en k€ », « en milliers d'euros » above the figures.
fn unit_factor(rows: &[Vec<GridCell>]) -> f64 {
    // Only the title rows above (and on) the first year header state the unit.
    let header = rows
        .iter()
        .position(|row| year_columns(row).is_some())
        .unwrap_or(0);
    let mentions = |words: &[&str]| {
        rows.iter().take(header + 1).flatten().any(|cell| {
            let folded = crate::text::fold(&cell.text);
            words.iter().any(|w| folded.contains(w))
        })
    };
    if mentions(&["k€", "keur", "milliers d'euros", "en milliers", "k euros"]) {
        1000.0
    } else if mentions(&["en centimes", "centimes d'euro"]) {
        0.01
    } else {
        1.0
    }
}

/// The words of a side in a « Sens » column: charge or produit.
fn side_word(text: &str) -> Option<Side> {
    let folded = Folded::new(text);
    let words = &lexicon().budget;
    match (has(&words.expenses, &folded), has(&words.revenues, &folded)) {
        (true, false) => Some(Side::Expenses),
        (false, true) => Some(Side::Revenues),
        _ => {
            // Singular forms a long table writes (« Charge », « Produit », « Dépense »).
            let word = folded.text.trim();
            if ["charge", "depense", "emploi", "cout"].contains(&word) {
                Some(Side::Expenses)
            } else if ["produit", "recette", "ressource"].contains(&word) {
                Some(Side::Revenues)
            } else {
                None
            }
        }
    }
}

fn cell(text: String, number: Option<f64>, address: String) -> GridCell {
    GridCell {
        text,
        number,
        address,
    }
}

/// A long table, one line per amount (« Exercice | Sens | Rubrique | Poste | Montant »):
/// reshaped into a grid with the years in columns, the expenses then the revenues, each
/// rubrique as a block title (« Investissement », « Subvention »).
fn long_table(grid: &Grid) -> Option<Vec<Grid>> {
    let width = grid.rows.iter().map(Vec::len).max()?;
    let body_rows = |column: usize, test: &dyn Fn(&GridCell) -> bool| {
        grid.rows
            .iter()
            .filter(|row| row.get(column).is_some_and(test))
            .count()
    };
    let is_year = |c: &GridCell| {
        c.number
            .is_some_and(|n| n.fract() == 0.0 && (2015.0..=2035.0).contains(&n))
            || (c.text.trim().len() == 4
                && c.text
                    .trim()
                    .parse::<i32>()
                    .is_ok_and(|y| (2015..=2035).contains(&y)))
    };
    let year_column = (0..width).find(|c| body_rows(*c, &is_year) >= 6)?;
    let side_column =
        (0..width).find(|c| body_rows(*c, &|cell| side_word(&cell.text).is_some()) >= 6)?;
    // The amount: the last column with figures on most lines.
    let amount_column = (0..width)
        .rev()
        .find(|c| *c != year_column && body_rows(*c, &|cell| cell.number.is_some()) >= 6)?;
    let text_columns: Vec<usize> = (0..width)
        .filter(|c| ![year_column, side_column, amount_column].contains(c))
        .filter(|c| {
            body_rows(*c, &|cell| {
                cell.number.is_none() && !cell.text.trim().is_empty()
            }) >= 6
        })
        .collect();
    let label_column = *text_columns.last()?;
    let block_column = text_columns.first().copied().filter(|c| *c != label_column);
    // (side, block, label) → year → (value, address)
    let mut lines: ReshapedLines = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for row in &grid.rows {
        let (Some(year_cell), Some(side_cell), Some(amount)) = (
            row.get(year_column),
            row.get(side_column),
            row.get(amount_column),
        ) else {
            continue;
        };
        if !is_year(year_cell) {
            continue;
        }
        let year = year_cell
            .number
            .map(|n| n as i32)
            .or_else(|| year_cell.text.trim().parse().ok())
            .unwrap_or(0);
        let (Some(side), Some(value)) = (side_word(&side_cell.text), amount.number) else {
            continue;
        };
        if !years.contains(&year) {
            years.push(year);
        }
        let block = block_column
            .and_then(|c| row.get(c))
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        let label = row
            .get(label_column)
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        let key = (u8::from(side == Side::Revenues), block, label);
        match lines.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => {
                values.insert(year, (value, amount.address.clone()));
            }
            None => lines.push((
                key,
                BTreeMap::from([(year, (value, amount.address.clone()))]),
            )),
        }
    }
    if years.len() < 2 || lines.is_empty() {
        return None;
    }
    Some(vec![grid_of_lines(grid, years, &lines)])
}

/// The lines of a reshaped table, by (side: 0 expenses, 1 revenues; block title; label), with
/// their value per year.
type ReshapedLines = Vec<((u8, String, String), BTreeMap<i32, (f64, String)>)>;

/// A grid with the years in columns from reshaped lines: the expenses, then the revenues, each
/// block's title on a row of its own.
fn grid_of_lines(grid: &Grid, mut years: Vec<i32>, lines: &ReshapedLines) -> Grid {
    years.sort_unstable();
    let mut rows: Vec<Vec<GridCell>> = Vec::new();
    let header = |label: &str| {
        std::iter::once(cell(label.to_string(), None, String::new()))
            .chain(
                years
                    .iter()
                    .map(|y| cell(y.to_string(), Some(f64::from(*y)), String::new())),
            )
            .collect::<Vec<_>>()
    };
    for (side, title) in [(0u8, "Charges"), (1, "Produits")] {
        rows.push(header(title));
        let mut current_block: Option<&str> = None;
        for ((_, block, label), values) in lines.iter().filter(|((s, _, _), _)| *s == side) {
            if current_block != Some(block.as_str()) && !block.is_empty() {
                rows.push(vec![cell(block.clone(), None, String::new())]);
                current_block = Some(block.as_str());
            }
            let mut row = vec![cell(label.clone(), None, String::new())];
            for year in &years {
                let (value, address) = values.get(year).cloned().unwrap_or((0.0, String::new()));
                row.push(cell(String::new(), Some(value), address));
            }
            rows.push(row);
        }
    }
    Grid {
        sheet: grid.sheet.clone(),
        hidden: grid.hidden,
        rows,
    }
}

/// One table per year, stacked (« EXERCICE 2022 » over « CHARGES | Montant | PRODUITS |
/// Montant »): each becomes a grid of one year column, expenses then revenues.
fn tables_per_year(grid: &Grid) -> Option<Vec<Grid>> {
    let single_year = |row: &[GridCell]| -> Option<i32> {
        let texts: Vec<&GridCell> = row.iter().filter(|c| !c.text.trim().is_empty()).collect();
        match texts.as_slice() {
            [only] if only.text.trim().len() <= 30 => {
                let years: Vec<i32> = numbers(&crate::text::fold(&only.text))
                    .into_iter()
                    .filter(|n| n.end - n.start == 4 && (2015.0..=2035.0).contains(&n.value))
                    .map(|n| n.value as i32)
                    .collect();
                match years.as_slice() {
                    [year] => Some(*year),
                    _ => None,
                }
            }
            _ => None,
        }
    };
    let starts: Vec<(usize, i32)> = grid
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| single_year(row).map(|y| (i, y)))
        .collect();
    if starts.len() < 2 {
        return None;
    }
    let mut lines: ReshapedLines = Vec::new();
    let mut years = Vec::new();
    for (index, (start, year)) in starts.iter().enumerate() {
        let end = starts.get(index + 1).map_or(grid.rows.len(), |(s, _)| *s);
        let block = grid.rows.get(start + 1..end)?;
        // The header: a cell naming the expenses and, further right, one naming the revenues.
        let (header_at, revenue_column) = block.iter().enumerate().find_map(|(i, row)| {
            let expense = row
                .iter()
                .position(|c| side_word(&c.text) == Some(Side::Expenses))?;
            let revenue = row
                .iter()
                .enumerate()
                .skip(expense + 1)
                .find(|(_, c)| side_word(&c.text) == Some(Side::Revenues))
                .map(|(column, _)| column)?;
            Some((i, revenue))
        })?;
        years.push(*year);
        for (side, from, to) in [(0u8, 0, revenue_column), (1, revenue_column, usize::MAX)] {
            for row in block.iter().skip(header_at + 1) {
                let half: Vec<&GridCell> = row
                    .iter()
                    .skip(from)
                    .take(to.saturating_sub(from))
                    .collect();
                let label = half
                    .iter()
                    .find(|c| c.number.is_none() && !c.text.trim().is_empty());
                let value = half.iter().find(|c| c.number.is_some());
                if let (Some(label), Some(value)) = (label, value)
                    && let Some(number) = value.number
                {
                    let key = (side, String::new(), label.text.trim().to_string());
                    let entry = (number, value.address.clone());
                    match lines.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, values)) => {
                            values.insert(*year, entry);
                        }
                        None => lines.push((key, BTreeMap::from([(*year, entry)]))),
                    }
                }
            }
        }
    }
    Some(vec![grid_of_lines(grid, years, &lines)])
}

fn read_oriented(grid: &Grid, factor: f64) -> Option<SheetBudget> {
    let words = &lexicon().budget;
    let sheet_words = Folded::new(&grid.sheet);
    let sheet_is_investment = has(&words.investment, &sheet_words);
    let mut columns: Vec<YearColumn> = Vec::new();
    let mut skip_row: Option<usize> = None;
    // A sheet named « Dépenses » or « Recettes » holds that side, whatever its headers say.
    let sheet_side = match (
        has(&words.expenses, &sheet_words),
        has(&words.revenues, &sheet_words),
    ) {
        (true, false) => Some(Side::Expenses),
        (false, true) => Some(Side::Revenues),
        _ => None,
    };
    let mut side: Option<Side> = sheet_side;
    let mut part: Option<Part> = sheet_is_investment.then_some(Part::Investment);
    let mut lines: Vec<Line> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    let mut header_cells = String::new();
    let mut single_subsidy: Option<(f64, String)> = None;
    for (row_index, row) in grid.rows.iter().enumerate() {
        if skip_row == Some(row_index) {
            continue;
        }
        let label = row_label(row, &columns);
        let label = without_code(&label);
        let folded = Folded::new(label);
        let names_expenses = has(&words.expenses, &folded);
        let names_revenues = has(&words.revenues, &folded);
        let below = grid.rows.get(row_index + 1).map(Vec::as_slice);
        if let Some((found, consumed_below)) = year_header(row, below) {
            if consumed_below {
                skip_row = Some(row_index + 1);
            }
            for column in &found {
                if !years.contains(&column.year) {
                    years.push(column.year);
                }
            }
            if header_cells.is_empty() {
                header_cells = cells_range(row, &found);
            }
            columns = found;
            // « Investissements | 2022 | 2023 » heads an investment block as a sheet name does.
            let header_names_investment =
                has(&words.investment, &folded) && !has(&words.operating, &folded);
            part = (sheet_is_investment || header_names_investment).then_some(Part::Investment);
            if names_expenses && !names_revenues {
                side = Some(Side::Expenses);
            } else if names_revenues && !names_expenses {
                side = Some(Side::Revenues);
            }
            continue;
        }
        if columns.is_empty() {
            // Before any header, a title naming the part tells what the sheet holds.
            if has(&words.investment, &folded) {
                part = Some(Part::Investment);
            }
            continue;
        }
        let mut values: BTreeMap<i32, (f64, String)> = BTreeMap::new();
        let mut split_investment: BTreeMap<i32, f64> = BTreeMap::new();
        for column in &columns {
            let Some(cell) = row.get(column.column) else {
                continue;
            };
            let Some(number) = cell.number else { continue };
            let value = number * factor;
            values
                .entry(column.year)
                .and_modify(|(sum, _)| *sum += value)
                .or_insert_with(|| (value, cell.address.clone()));
            if column.part == Some(Part::Investment) {
                *split_investment.entry(column.year).or_insert(0.0) += value;
            }
        }
        // In a year split into operating and investment columns, a line with figures in the
        // investment columns only is an investment line.
        let split = columns.iter().any(|c| c.part.is_some());
        let only_investment = split
            && !split_investment.is_empty()
            && values.iter().all(|(year, (v, _))| {
                split_investment
                    .get(year)
                    .is_some_and(|i| (i - v).abs() < 0.005)
            });
        let names_investment = has(&words.investment, &folded);
        let names_operating = has(&words.operating, &folded);
        let is_total = has(&words.total, &folded);
        if values.is_empty() {
            // A label row: it opens a side and/or a part.
            if label.trim().is_empty() {
                continue;
            }
            // « Subvention sollicitée (AMI) : 250 000 € » given once, outside the year columns.
            if single_subsidy.is_none() && is_programme_subsidy(&folded) {
                single_subsidy = row.iter().find_map(|cell| {
                    cell.number
                        .filter(|n| *n > 0.0)
                        .map(|n| (n * factor, cell.address.clone()))
                });
            }
            if names_expenses && !names_revenues {
                side = Some(Side::Expenses);
            } else if names_revenues && !names_expenses {
                side = Some(Side::Revenues);
            }
            if names_investment {
                part = Some(Part::Investment);
            } else if names_operating {
                part = Some(Part::Operating);
            }
            continue;
        }
        if label.trim().is_empty() || has(&words.ignore, &folded) && !is_total {
            continue;
        }
        // Once the expenses have their grand total, a line naming a revenue or the subsidy starts
        // the revenue side (a table with the years in rows has no « Produits » label row).
        let expenses_closed = side == Some(Side::Expenses)
            && lines
                .iter()
                .any(|l| l.side == Some(Side::Expenses) && l.kind == LineKind::GrandTotal);
        if expenses_closed
            && !is_total
            && !names_expenses
            && (names_revenues || is_programme_subsidy(&folded))
        {
            side = Some(Side::Revenues);
        }
        let line_side = if is_total && names_expenses && !names_revenues {
            Some(Side::Expenses)
        } else if is_total && names_revenues && !names_expenses {
            Some(Side::Revenues)
        } else {
            // An investment block is spending unless a label says otherwise.
            side.or((part == Some(Part::Investment)).then_some(Side::Expenses))
        };
        // Outside any block, a line whose label opens with the investment word (« Investissements »,
        // « Équipements et machines ») or names equipment or works (« Machines et outillage »,
        // « Travaux d'aménagement ») is investment; « Entretien des équipements » is not.
        let line_part = match part {
            _ if only_investment && !is_total => Some(Part::Investment),
            None if !is_total && starts_with_investment(&folded) => Some(Part::Investment),
            _ => part,
        };
        // « Total des produits » also says that what follows is on the revenue side (a
        // transposed summary has no label rows).
        if is_total && line_side.is_some() {
            side = line_side;
        }
        let kind = if is_total {
            if names_investment {
                LineKind::PartTotal(Part::Investment)
            } else if names_operating {
                LineKind::PartTotal(Part::Operating)
            } else if folded.text.contains("sous") {
                LineKind::PartTotal(part.unwrap_or(Part::Operating))
            } else {
                LineKind::GrandTotal
            }
        } else if line_side != Some(Side::Expenses) && is_programme_subsidy(&folded) {
            LineKind::Subsidy
        } else if let Some(total) = total_by_sum(&lines, line_side, &values) {
            // « Coût complet du projet », « Ressources mobilisées »: a line that adds up the
            // lines above it is their total, whatever its label.
            total
        } else {
            LineKind::Item
        };
        if has(&words.ignore, &folded)
            && kind == LineKind::GrandTotal
            && !folded.text.starts_with("total")
        {
            continue;
        }
        lines.push(Line {
            row: row_index,
            side: line_side,
            part: line_part,
            kind,
            values,
            split_investment,
        });
    }
    if years.is_empty() || lines.is_empty() {
        return None;
    }
    let mut out = SheetBudget {
        years: years.clone(),
        header_cells,
        ..SheetBudget::default()
    };
    let (expenses, expense_cells) = side_totals(&lines, Side::Expenses, &years);
    let (revenues, revenue_cells) = side_totals(&lines, Side::Revenues, &years);
    out.expenses = expenses;
    out.revenues = revenues;
    let expense_lines: Vec<&Line> = lines
        .iter()
        .filter(|l| l.side == Some(Side::Expenses))
        .collect();
    out.investment_only = !expense_lines.is_empty()
        && expense_lines
            .iter()
            .all(|l| l.part == Some(Part::Investment));
    out.expense_lines = expense_lines
        .iter()
        .filter(|l| l.kind == LineKind::Item)
        .map(|l| {
            let values = l.values.iter().map(|(y, (v, _))| (*y, *v)).collect();
            (l.part == Some(Part::Investment), values)
        })
        .collect();
    out.expense_cells = expense_cells;
    out.revenue_cells = revenue_cells;
    // Investment: its block total, else its lines; a sheet of its own is all investment.
    let investment_total: Vec<&Line> = lines
        .iter()
        .filter(|l| {
            l.side != Some(Side::Revenues) && l.kind == LineKind::PartTotal(Part::Investment)
        })
        .collect();
    let investment_lines: Vec<&Line> = lines
        .iter()
        .filter(|l| {
            l.side != Some(Side::Revenues)
                && l.kind == LineKind::Item
                && l.part == Some(Part::Investment)
        })
        .collect();
    let chosen = if !investment_total.is_empty() {
        investment_total.into_iter().take(1).collect()
    } else {
        investment_lines
    };
    // Years split into operating and investment columns: the investment columns of the
    // expenses' grand total, else of the expense lines.
    let split_expenses: Vec<&Line> = lines
        .iter()
        .filter(|l| l.side == Some(Side::Expenses) && !l.split_investment.is_empty())
        .collect();
    let split_total = split_expenses
        .iter()
        .rev()
        .find(|l| l.kind == LineKind::GrandTotal);
    if columns.iter().any(|c| c.part == Some(Part::Investment)) && !split_expenses.is_empty() {
        let from: Vec<&Line> = match split_total {
            Some(total) => vec![*total],
            None => split_expenses
                .iter()
                .copied()
                .filter(|l| l.kind == LineKind::Item)
                .collect(),
        };
        out.investment = Some(from.iter().flat_map(|l| l.split_investment.values()).sum());
        out.investment_cells = from.iter().flat_map(|l| cell_list(l)).collect();
    } else if !chosen.is_empty() {
        out.investment = Some(sum_lines(&chosen));
        out.investment_cells = chosen.iter().flat_map(|l| cell_list(l)).collect();
    } else if sheet_is_investment && !out.expenses.is_empty() {
        out.investment = Some(out.expenses.values().sum());
        out.investment_cells = out.expense_cells.clone();
    }
    let subsidy_lines: Vec<&Line> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Subsidy)
        .collect();
    if !subsidy_lines.is_empty() {
        out.subsidy = Some(sum_lines(&subsidy_lines));
        out.subsidy_cells = subsidy_lines.iter().flat_map(|l| cell_list(l)).collect();
    } else if let Some((amount, address)) = single_subsidy {
        out.subsidy = Some(amount);
        out.subsidy_cells = vec![address];
    }
    Some(out)
}

/// The kind of total a line is when its figures are the sum of the lines of its side since the
/// side's last total (two lines at least): the grand total, or the total of a part when the
/// side already had one.
fn total_by_sum(
    lines: &[Line],
    side: Option<Side>,
    values: &BTreeMap<i32, (f64, String)>,
) -> Option<LineKind> {
    let of_side: Vec<&Line> = lines.iter().filter(|l| l.side == side).collect();
    let last_total = of_side
        .iter()
        .rposition(|l| matches!(l.kind, LineKind::GrandTotal | LineKind::PartTotal(_)));
    let since: Vec<&Line> = of_side
        .iter()
        .skip(last_total.map_or(0, |i| i + 1))
        .copied()
        .filter(|l| matches!(l.kind, LineKind::Item | LineKind::Subsidy))
        .collect();
    if since.len() < 2 || values.is_empty() {
        return None;
    }
    let adds_up = values.iter().all(|(year, (value, _))| {
        let sum: f64 = since
            .iter()
            .filter_map(|l| l.values.get(year))
            .map(|(v, _)| *v)
            .sum();
        (sum - value).abs() <= 1.0
    }) && values.values().any(|(v, _)| *v != 0.0);
    if !adds_up {
        return None;
    }
    Some(match last_total {
        Some(_) => LineKind::PartTotal(
            since
                .first()
                .and_then(|l| l.part)
                .unwrap_or(Part::Operating),
        ),
        None => LineKind::GrandTotal,
    })
}

fn sum_lines(lines: &[&Line]) -> f64 {
    lines
        .iter()
        .flat_map(|l| l.values.values())
        .map(|(v, _)| *v)
        .sum()
}

fn cell_list(line: &Line) -> Vec<String> {
    let cells: Vec<&String> = line.values.values().map(|(_, a)| a).collect();
    match (cells.first(), cells.last()) {
        (Some(first), Some(last)) if cells.len() > 1 => {
            let last_cell = last.rsplit('!').next().unwrap_or(last);
            vec![format!("{first}:{last_cell}")]
        }
        (Some(first), _) => vec![(*first).clone()],
        _ => Vec::new(),
    }
}

fn cells_range(row: &[GridCell], columns: &[YearColumn]) -> String {
    let first = columns
        .first()
        .and_then(|c| row.get(c.column))
        .map(|c| c.address.clone());
    let last = columns
        .last()
        .and_then(|c| row.get(c.column))
        .map(|c| c.address.clone());
    match (first, last) {
        (Some(first), Some(last)) => {
            let last_cell = last.rsplit('!').next().unwrap_or(&last).to_string();
            format!("{first}:{last_cell}")
        }
        _ => String::new(),
    }
}

/// A side's total per year: the grand total (plus the investment block when the grand total
/// comes before it), else the block totals, else the lines.
fn side_totals(lines: &[Line], side: Side, years: &[i32]) -> (BTreeMap<i32, f64>, Vec<String>) {
    let of_side: Vec<&Line> = lines.iter().filter(|l| l.side == Some(side)).collect();
    let grand = of_side
        .iter()
        .rev()
        .find(|l| l.kind == LineKind::GrandTotal);
    let part_totals: Vec<&Line> = {
        // One total per part: the last one written.
        let mut picked: Vec<&Line> = Vec::new();
        for part in [Part::Operating, Part::Investment] {
            if let Some(line) = of_side
                .iter()
                .rev()
                .find(|l| l.kind == LineKind::PartTotal(part))
            {
                picked.push(line);
            }
        }
        picked
    };
    let items: Vec<&Line> = of_side
        .iter()
        .copied()
        .filter(|l| matches!(l.kind, LineKind::Item | LineKind::Subsidy))
        .collect();
    let sum = |chosen: &[&Line]| -> BTreeMap<i32, f64> {
        let mut out = BTreeMap::new();
        for year in years {
            let values: Vec<f64> = chosen
                .iter()
                .filter_map(|l| l.values.get(year))
                .map(|(v, _)| *v)
                .collect();
            if !values.is_empty() {
                out.insert(*year, values.iter().sum());
            }
        }
        out
    };
    if let Some(grand) = grand {
        let mut chosen: Vec<&Line> = vec![grand];
        // An investment block written after the grand total is not in it, unless the total
        // already adds up every line of the side (a synthesis written above its details).
        let all_lines = sum(&items);
        let covers_everything = !items.is_empty()
            && grand.values.iter().all(|(year, (value, _))| {
                all_lines
                    .get(year)
                    .is_some_and(|sum| (sum - value).abs() <= 1.0)
            });
        let later_investment: Vec<&Line> = of_side
            .iter()
            .copied()
            .filter(|l| !covers_everything && l.row > grand.row && l.part == Some(Part::Investment))
            .collect();
        if let Some(total) = later_investment
            .iter()
            .find(|l| l.kind == LineKind::PartTotal(Part::Investment))
        {
            chosen.push(total);
        } else {
            chosen.extend(later_investment.iter().filter(|l| l.kind == LineKind::Item));
        }
        let cells = chosen.iter().flat_map(|l| cell_list(l)).collect();
        return (sum(&chosen), cells);
    }
    if !part_totals.is_empty() {
        let mut chosen = part_totals.clone();
        // Lines of a part that has no total of its own.
        for part in [Part::Operating, Part::Investment] {
            if !part_totals
                .iter()
                .any(|l| l.kind == LineKind::PartTotal(part))
            {
                chosen.extend(items.iter().filter(|l| l.part == Some(part)));
            }
        }
        let cells = chosen.iter().flat_map(|l| cell_list(l)).collect();
        return (sum(&chosen), cells);
    }
    let cells = items.iter().flat_map(|l| cell_list(l)).collect();
    (sum(&items), cells)
}

/// A label without the account number or line code written before it (« 21 – Investissement
/// : équipements », « I1 Four tunnel », « 601 Achats »).
fn without_code(label: &str) -> &str {
    let trimmed = label.trim_start();
    let Some((first, rest)) = trimmed.split_once([' ', '\u{a0}']) else {
        return label;
    };
    let is_code = first.len() <= 5
        && first.chars().any(|c| c.is_ascii_digit())
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !is_code {
        return label;
    }
    rest.trim_start_matches([' ', '–', '-', '—', ':', '.', '\u{a0}'])
}

/// The label of a row: its text cells left of the first year column (or all its text cells).
fn row_label(row: &[GridCell], columns: &[YearColumn]) -> String {
    let first_year_column = columns.first().map_or(usize::MAX, |c| c.column);
    row.iter()
        .enumerate()
        .filter(|(column, cell)| {
            (*column < first_year_column || columns.is_empty()) && cell.number.is_none()
        })
        .map(|(_, cell)| cell.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_extract::{Cell, Format, Row, Story, Table};

    /// A workbook from rows of cells written as text: numbers become number cells.
    fn workbook(sheets: &[(&str, &[&[&str]])]) -> Document {
        let mut document = Document::new(Format::Xlsx);
        for (name, rows) in sheets {
            let mut table = Table::default();
            for (r, row) in rows.iter().enumerate() {
                let cells = row
                    .iter()
                    .enumerate()
                    .map(|(c, text)| {
                        let address = format!("{}{}", char::from(b'A' + c as u8), r + 1);
                        let value = text.parse::<f64>().ok().map(CellValue::Number);
                        Cell {
                            text: (*text).to_string(),
                            address: Some(address),
                            value,
                            formula: None,
                        }
                    })
                    .collect();
                table.rows.push(Row { cells });
            }
            let mut story = Story::named(StoryKind::Sheet, *name);
            story.blocks.push(Block::Table(table));
            document.stories.push(story);
        }
        document
    }

    fn check(
        document: &Document,
        years: &[(i32, f64, f64)],
        investment: Option<f64>,
        subsidy: Option<f64>,
        balanced: Option<bool>,
    ) {
        let got = read_budget(document);
        let got_years: Vec<(i32, f64, f64)> = got
            .years
            .iter()
            .map(|y| (y.year, y.expenses, y.revenues))
            .collect();
        assert_eq!(got_years, years);
        assert_eq!(got.investment, investment, "investment");
        assert_eq!(got.subsidy_requested, subsidy, "subsidy");
        assert_eq!(got.balanced, balanced, "balanced");
    }

    #[test]
    fn one_table_with_grand_totals() {
        let doc = workbook(&[(
            "Budget",
            &[
                &["CHARGES", "2022", "2023", "Total"],
                &["Charges de fonctionnement"],
                &["Loyer et charges locatives", "100", "100", "200"],
                &["Sous-total fonctionnement", "100", "100", "200"],
                &["Dépenses d'investissement"],
                &["Machines", "50", "0", "50"],
                &["Sous-total investissement", "50", "0", "50"],
                &["TOTAL DES CHARGES", "150", "100", "250"],
                &["PRODUITS", "2022", "2023", "Total"],
                &[
                    "Subvention AMI Manufactures de proximité – amorçage",
                    "40",
                    "20",
                    "60",
                ],
                &["Subvention Manufactures – investissement", "30", "0", "30"],
                &["Subvention Région", "10", "10", "20"],
                &["Autofinancement", "70", "70", "140"],
                &["TOTAL DES PRODUITS", "150", "100", "250"],
                &["Solde", "0", "0", "0"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 150.0, 150.0), (2023, 100.0, 100.0)],
            Some(50.0),
            Some(90.0),
            Some(true),
        );
    }

    #[test]
    fn years_split_into_ht_and_ttc_columns_read_ht() {
        let doc = workbook(&[(
            "Plan",
            &[
                &["Poste", "2022", "", "2023", "", "Total"],
                &["", "HT", "TTC", "HT", "TTC", ""],
                &["DÉPENSES"],
                &["Matières", "100", "120", "200", "240", "300"],
                &["Machines", "50", "60", "0", "0", "50"],
                &["Dépenses totales", "150", "180", "200", "240", "350"],
                &["RESSOURCES"],
                &["AMI MdP – volet investissement", "50", "50", "0", "0", "50"],
                &["Ventes", "100", "120", "200", "240", "300"],
                &["Ressources totales", "150", "170", "200", "240", "350"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 150.0, 150.0), (2023, 200.0, 200.0)],
            Some(50.0),
            Some(50.0),
            Some(true),
        );
    }

    #[test]
    fn years_split_into_operating_and_investment_columns_add_up() {
        let doc = workbook(&[(
            "Budget",
            &[
                &["Libellé", "N (2022)", "", "N+1 (2023)", "", "Total"],
                &[
                    "",
                    "Fonctionnement",
                    "Investissement",
                    "Fonctionnement",
                    "Investissement",
                ],
                &["CHARGES"],
                &["Loyer", "100", "", "100", "", "200"],
                &["Machines", "", "80", "", "20", "100"],
                &["Charges – total", "100", "80", "100", "20", "300"],
                &["PRODUITS"],
                &[
                    "Aide AMI « Manufactures de proximité »",
                    "30",
                    "40",
                    "20",
                    "10",
                    "100",
                ],
                &["Ventes", "70", "40", "80", "10", "200"],
                &["Produits – total", "100", "80", "100", "20", "300"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 180.0, 180.0), (2023, 120.0, 120.0)],
            Some(100.0),
            Some(100.0),
            Some(true),
        );
    }

    #[test]
    fn years_split_into_planned_and_actual_read_planned() {
        let doc = workbook(&[(
            "Suivi",
            &[
                &["Postes", "BP 2022", "", "BP 2023", ""],
                &["", "Prévu", "Réalisé", "Prévu", "Réalisé"],
                &["CHARGES"],
                &["Loyer", "100", "", "110", ""],
                &["Total des charges", "100", "0", "110", "0"],
                &["PRODUITS"],
                &["Ventes", "100", "", "110", ""],
                &["Total des produits", "100", "0", "110", "0"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 100.0, 100.0), (2023, 110.0, 110.0)],
            None,
            None,
            Some(true),
        );
    }

    #[test]
    fn a_year_repeated_with_its_own_labels() {
        let doc = workbook(&[(
            "Budget",
            &[
                &["Poste", "2022 HT", "2022 TTC", "2023 HT", "2023 TTC"],
                &["Charges", "100", "120", "100", "120"],
                &["Total charges", "100", "120", "100", "120"],
                &["Produits", "100", "100", "100", "100"],
                &["Total produits", "100", "100", "100", "100"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 100.0, 100.0), (2023, 100.0, 100.0)],
            None,
            None,
            Some(true),
        );
    }

    #[test]
    fn equipment_and_works_lines_are_investment_without_a_block() {
        let doc = workbook(&[(
            "Budget",
            &[
                &["DÉPENSES", "2022", "2023"],
                &["Achats", "10", "10"],
                &["Petit matériel", "5", "5"],
                &["Entretien des machines", "2", "2"],
                &["Machines et outillage", "70", "10"],
                &["Travaux d'aménagement", "40", "0"],
                &["TOTAL DES DÉPENSES", "127", "27"],
                &["RECETTES", "2022", "2023"],
                &["Ventes", "127", "27"],
                &["TOTAL DES RECETTES", "127", "27"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 127.0, 127.0), (2023, 27.0, 27.0)],
            Some(120.0),
            None,
            Some(true),
        );
    }

    #[test]
    fn sheets_named_by_side_and_a_bare_synthesis() {
        let doc = workbook(&[
            (
                "Dépenses",
                &[
                    &["Poste", "2022", "2023"],
                    &["Salaires", "100", "120"],
                    &["Total", "100", "120"],
                ],
            ),
            (
                "Recettes",
                &[
                    &["Financeur", "2022", "2023"],
                    &["Subvention Manufactures de proximité", "60", "20"],
                    &["Ventes", "40", "100"],
                    &["Total", "100", "120"],
                ],
            ),
            (
                "Plan de financement",
                &[
                    &["Synthèse", "2022", "2023"],
                    &["Total des dépenses", "100", "120"],
                    &["Total des recettes", "100", "120"],
                    &["Solde", "0", "0"],
                ],
            ),
        ]);
        check(
            &doc,
            &[(2022, 100.0, 100.0), (2023, 120.0, 120.0)],
            None,
            Some(80.0),
            Some(true),
        );
    }

    #[test]
    fn blocks_without_grand_total() {
        let doc = workbook(&[(
            "Matrice",
            &[
                &["Dépenses", "Année 2022", "Année 2023", "Année 2024"],
                &["Fonctionnement"],
                &["Salaires", "10 000", "12 000", "14 000"],
                &["Total fonctionnement", "10 000", "12 000", "14 000"],
                &["Investissement"],
                &["Fraiseuse numérique", "5 000", "", ""],
                &["Total investissement", "5 000", "0", "0"],
                &["Recettes", "Année 2022", "Année 2023", "Année 2024"],
                &["Aide à l'amorçage (ANCT)", "7 000", "6 000", "5 000"],
                &["Ventes", "8 000", "6 000", "9 000"],
            ],
        )]);
        check(
            &doc,
            &[
                (2022, 15_000.0, 15_000.0),
                (2023, 12_000.0, 12_000.0),
                (2024, 14_000.0, 14_000.0),
            ],
            Some(5_000.0),
            Some(18_000.0),
            Some(true),
        );
    }

    #[test]
    fn years_in_rows() {
        let doc = workbook(&[(
            "Synthèse",
            &[
                &[
                    "Année",
                    "Total des charges",
                    "Total des produits",
                    "Dont subvention Manufactures de proximité",
                ],
                &["2022", "100", "90", "40"],
                &["2023", "80", "80", "20"],
            ],
        )]);
        let got = read_budget(&doc);
        let years: Vec<(i32, f64, f64)> = got
            .years
            .iter()
            .map(|y| (y.year, y.expenses, y.revenues))
            .collect();
        assert_eq!(years, vec![(2022, 100.0, 90.0), (2023, 80.0, 80.0)]);
        assert_eq!(got.balanced, Some(false));
    }

    #[test]
    fn years_in_rows_with_every_line() {
        // Lines as columns: the subsidy comes after the expenses' total with no « Produits » row.
        let doc = workbook(&[(
            "Budget",
            &[
                &[
                    "Année",
                    "Charges de fonctionnement",
                    "Investissements",
                    "Total dépenses",
                    "Subvention Manufacture de proximité",
                    "Recettes propres",
                    "Total recettes",
                ],
                &["N", "60", "40", "100", "70", "30", "100"],
                &["N+1", "80", "0", "80", "20", "60", "80"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 100.0, 100.0), (2023, 80.0, 80.0)],
            Some(40.0),
            Some(90.0),
            Some(true),
        );
    }

    #[test]
    fn investment_sheet_headed_by_the_word_alone() {
        let doc = workbook(&[
            (
                "Fonctionnement",
                &[
                    &["Charges", "2022", "2023"],
                    &["Salaires", "100", "100"],
                    &["Total charges", "100", "100"],
                    &["Produits", "2022", "2023"],
                    &["Manufacture de proximité (investissement)", "80", "0"],
                    &["Ventes", "100", "100"],
                    &["Total produits", "180", "100"],
                ],
            ),
            (
                "Annexe 2",
                &[
                    &["Investissements", "2022", "2023"],
                    &["Machines", "80", "0"],
                    &["Total investissements", "80", "0"],
                ],
            ),
        ]);
        check(
            &doc,
            &[(2022, 180.0, 180.0), (2023, 100.0, 100.0)],
            Some(80.0),
            Some(80.0),
            Some(true),
        );
    }

    #[test]
    fn investment_sheet_detailing_a_line_is_not_counted_twice() {
        let doc = workbook(&[
            (
                "Budget",
                &[
                    &["Postes", "2022", "2023"],
                    &["CHARGES"],
                    &["Salaires", "100", "100"],
                    &["Dépenses d'investissement (détail : onglet 2)", "80", "0"],
                    &["TOTAL DES CHARGES", "180", "100"],
                    &["PRODUITS"],
                    &["Ventes", "180", "100"],
                    &["TOTAL DES PRODUITS", "180", "100"],
                ],
            ),
            (
                "Investissements",
                &[
                    &["Équipement", "2022", "2023"],
                    &["Scie à format", "80", "0"],
                    &["TOTAL INVESTISSEMENTS", "80", "0"],
                ],
            ),
        ]);
        check(
            &doc,
            &[(2022, 180.0, 180.0), (2023, 100.0, 100.0)],
            Some(80.0),
            None,
            Some(true),
        );
    }

    #[test]
    fn investment_on_its_own_sheet() {
        let doc = workbook(&[
            (
                "Fonctionnement",
                &[
                    &["Charges", "2022", "2023"],
                    &["Salaires", "100", "100"],
                    &["Total charges", "100", "100"],
                    &["Produits", "2022", "2023"],
                    &["Subvention d'amorçage", "50", "50"],
                    &["Ventes", "50", "50"],
                    &["Total produits", "100", "100"],
                ],
            ),
            (
                "Investissement",
                &[
                    &["Dépenses", "2022", "2023"],
                    &["Machines", "80", "0"],
                    &["Total", "80", "0"],
                    &["Ressources", "2022", "2023"],
                    &[
                        "Subvention Manufactures de proximité investissement",
                        "60",
                        "0",
                    ],
                    &["Fonds propres", "20", "0"],
                    &["Total", "80", "0"],
                ],
            ),
        ]);
        check(
            &doc,
            &[(2022, 180.0, 180.0), (2023, 100.0, 100.0)],
            Some(80.0),
            Some(160.0),
            Some(true),
        );
    }

    #[test]
    fn relative_years() {
        for (input, expected) in [
            ("n", Some(0)),
            ("n+1", Some(1)),
            ("n + 2", Some(2)),
            ("annee 1", Some(0)),
            ("annee 3", Some(2)),
            ("2e annee", Some(1)),
            ("1ere annee", Some(0)),
            ("total", None),
            ("nombre", None),
        ] {
            assert_eq!(relative_year(input), expected, "{input}");
        }
        let doc = workbook(&[(
            "Budget",
            &[
                &["Dépenses", "N", "N+1", "N+2"],
                &["Total des dépenses", "10", "20", "30"],
                &["Recettes", "N", "N+1", "N+2"],
                &["Subvention sollicitée", "5", "5", "5"],
                &["Subvention sollicitée auprès de la Région", "1", "1", "1"],
                &["Subvention ANCT – Fabrique de territoire", "1", "1", "1"],
                &["Total des recettes", "10", "20", "30"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 10.0, 10.0), (2023, 20.0, 20.0), (2024, 30.0, 30.0)],
            None,
            Some(15.0),
            Some(true),
        );
    }

    #[test]
    fn charges_left_produits_right_in_thousands() {
        let doc = workbook(&[(
            "Budget",
            &[
                &["Budget prévisionnel (en k€)"],
                &["CHARGES", "2022", "2023", "PRODUITS", "2022", "2023"],
                &["Achats", "10", "12", "Ventes", "20", "30"],
                &[
                    "Salaires",
                    "40",
                    "48",
                    "Subvention Manufactures de proximité",
                    "30",
                    "30",
                ],
                &["Total charges", "50", "60", "Total produits", "50", "60"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 50_000.0, 50_000.0), (2023, 60_000.0, 60_000.0)],
            None,
            Some(60_000.0),
            Some(true),
        );
    }

    #[test]
    fn investment_block_after_the_operating_total() {
        let doc = workbook(&[(
            "Emplois-Ressources",
            &[
                &["EMPLOIS", "Exercice 2022", "Exercice 2023"],
                &["Achats", "1 000", "1 000"],
                &["Personnel", "9 000", "9 000"],
                &["TOTAL CHARGES", "10 000", "10 000"],
                &["INVESTISSEMENTS"],
                &["Machines", "5 000", "0"],
                &["Total investissements", "5 000", "0"],
                &["RESSOURCES", "Exercice 2022", "Exercice 2023"],
                &["Aide à l'amorçage", "4 000", "2 000"],
                &[
                    "Subvention Manufactures de proximité (investissement)",
                    "4 000",
                    "0",
                ],
                &["Région", "7 000", "8 000"],
                &["TOTAL RESSOURCES", "15 000", "10 000"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 15_000.0, 15_000.0), (2023, 10_000.0, 10_000.0)],
            Some(5_000.0),
            Some(10_000.0),
            Some(true),
        );
    }

    #[test]
    fn subsidy_given_once() {
        let doc = workbook(&[(
            "Budget",
            &[
                &["Dépenses", "2022", "2023", "Total"],
                &["Total dépenses", "100", "100", "200"],
                &["Recettes", "2022", "2023", "Total"],
                &["Total recettes", "100", "100", "200"],
                &["Subvention sollicitée au titre de l'AMI", "", "", "120"],
            ],
        )]);
        check(
            &doc,
            &[(2022, 100.0, 100.0), (2023, 100.0, 100.0)],
            None,
            Some(120.0),
            Some(true),
        );
    }

    #[test]
    fn no_years_no_budget() {
        let doc = workbook(&[("Feuil1", &[&["Rien", "à", "voir"]])]);
        assert!(read_budget(&doc).is_empty());
    }
}
