//! Renders a [`Budget`] as the budget matrix (.xlsx, rust_xlsxwriter): a « Budget prévisionnel »
//! sheet with expenses and resources per year and a « Investissements » sheet with the equipment
//! lines. Totals are SUM formulas whose results are stored too, as Excel and LibreOffice do, so a
//! reader that does not evaluate formulas still sees the numbers.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

use crate::profile::{Budget, BudgetLine};

/// The currency format of every amount cell.
pub const EUROS: &str = "#,##0\\ \"€\"";

/// Column letter of a zero-based column index (A..Z is all we need).
fn column(col: u16) -> char {
    char::from(b'A' + (col.min(25) as u8))
}

/// Writes a formula with its cached result.
pub fn formula(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    result: u64,
    format: &Format,
) -> Result<()> {
    sheet
        .write_formula_with_format(
            row,
            col,
            Formula::new(text).set_result(result.to_string()),
            format,
        )
        .with_context(|| format!("writing formula {text}"))?;
    Ok(())
}

/// Fixed document properties, so that the package is byte-identical from run to run.
pub fn properties(title: &str, author: &str, created: (u16, u8, u8)) -> Result<DocProperties> {
    let (year, month, day) = created;
    let when = ExcelDateTime::from_ymd(year, month, day)
        .and_then(|d| d.and_hms(9, 0, 0))
        .context("creation date")?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(author)
        .set_company("")
        .set_creation_datetime(&when))
}

struct Formats {
    title: Format,
    header: Format,
    section: Format,
    label: Format,
    amount: Format,
    total_label: Format,
    total: Format,
}

fn formats() -> Formats {
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_background_color("#DDEBF7"),
        header: Format::new()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center),
        section: Format::new().set_bold().set_background_color("#F2F2F2"),
        label: Format::new().set_border(FormatBorder::Thin),
        amount: Format::new()
            .set_num_format(EUROS)
            .set_border(FormatBorder::Thin),
        total_label: Format::new().set_bold().set_border(FormatBorder::Thin),
        total: Format::new()
            .set_bold()
            .set_num_format(EUROS)
            .set_border(FormatBorder::Thin),
    }
}

/// Writes `line` at `row`: label, one amount per year and a SUM total in column E.
fn write_line(sheet: &mut Worksheet, row: u32, line: &BudgetLine, f: &Formats) -> Result<()> {
    sheet.write_string_with_format(row, 0, &line.label, &f.label)?;
    for (i, amount) in line.amounts.iter().enumerate() {
        sheet.write_number_with_format(row, 1 + i as u16, *amount as f64, &f.amount)?;
    }
    let r = row + 1;
    formula(
        sheet,
        row,
        4,
        &format!("=SUM(B{r}:D{r})"),
        line.total(),
        &f.amount,
    )
}

/// Writes a total row: `SUM(col first:col last)` for each year and for the total column.
fn write_sum_row(
    sheet: &mut Worksheet,
    row: u32,
    label: &str,
    first: u32,
    last: u32,
    values: [u64; 3],
    f: &Formats,
) -> Result<()> {
    sheet.write_string_with_format(row, 0, label, &f.total_label)?;
    for (i, value) in values.iter().enumerate() {
        let c = column(1 + i as u16);
        formula(
            sheet,
            row,
            1 + i as u16,
            &format!("=SUM({c}{}:{c}{})", first + 1, last + 1),
            *value,
            &f.total,
        )?;
    }
    formula(
        sheet,
        row,
        4,
        &format!("=SUM(E{}:E{})", first + 1, last + 1),
        values.iter().sum(),
        &f.total,
    )
}

fn per_year(lines: &[BudgetLine]) -> [u64; 3] {
    let mut out = [0u64; 3];
    for line in lines {
        for (slot, amount) in out.iter_mut().zip(line.amounts.iter()) {
            *slot += amount;
        }
    }
    out
}

/// The budget matrix as .xlsx bytes.
pub fn budget_xlsx(
    budget: &Budget,
    structure: &str,
    manufacture: &str,
    created: (u16, u8, u8),
) -> Result<Vec<u8>> {
    let f = formats();
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(
        "Matrice budgétaire – AMI Manufactures de proximité",
        structure,
        created,
    )?);

    let mut budget_sheet = Worksheet::new();
    budget_sheet.set_name("Budget prévisionnel")?;
    let mut invest_sheet = Worksheet::new();
    invest_sheet.set_name("Investissements")?;

    // « Investissements »
    invest_sheet.set_column_width(0, 52)?;
    invest_sheet.set_column_width(1, 14)?;
    for col in 2..=5 {
        invest_sheet.set_column_width(col, 14)?;
    }
    invest_sheet.merge_range(
        0,
        0,
        0,
        5,
        "PLAN D'INVESTISSEMENT – ÉQUIPEMENTS ET TRAVAUX",
        &f.title,
    )?;
    invest_sheet.write_string(1, 0, format!("Projet : {manufacture}"))?;
    let header = ["Équipement", "Type", "2022", "2023", "2024", "Total HT"];
    for (col, text) in header.iter().enumerate() {
        invest_sheet.write_string_with_format(3, col as u16, *text, &f.header)?;
    }
    let first = 4u32;
    let mut row = first;
    for line in &budget.investments {
        invest_sheet.write_string_with_format(row, 0, &line.label, &f.label)?;
        invest_sheet.write_string_with_format(row, 1, line.kind, &f.label)?;
        for (i, amount) in line.amounts.iter().enumerate() {
            invest_sheet.write_number_with_format(row, 2 + i as u16, *amount as f64, &f.amount)?;
        }
        let r = row + 1;
        formula(
            &mut invest_sheet,
            row,
            5,
            &format!("=SUM(C{r}:E{r})"),
            line.amounts.iter().sum(),
            &f.amount,
        )?;
        row += 1;
    }
    let investment_total_row = row;
    invest_sheet.write_string_with_format(row, 0, "TOTAL INVESTISSEMENTS", &f.total_label)?;
    let mut inv_years = [0u64; 3];
    for (i, slot) in inv_years.iter_mut().enumerate() {
        *slot = budget.investment_in(i);
        let c = column(2 + i as u16);
        formula(
            &mut invest_sheet,
            row,
            2 + i as u16,
            &format!("=SUM({c}{}:{c}{})", first + 1, row),
            *slot,
            &f.total,
        )?;
    }
    formula(
        &mut invest_sheet,
        row,
        5,
        &format!("=SUM(F{}:F{})", first + 1, row),
        inv_years.iter().sum(),
        &f.total,
    )?;

    // « Budget prévisionnel »
    let sheet = &mut budget_sheet;
    sheet.set_column_width(0, 58)?;
    for col in 1..=4 {
        sheet.set_column_width(col, 15)?;
    }
    sheet.merge_range(
        0,
        0,
        0,
        4,
        "AMI MANUFACTURES DE PROXIMITÉ – MATRICE BUDGÉTAIRE PRÉVISIONNELLE",
        &f.title,
    )?;
    sheet.write_string(1, 0, format!("Structure porteuse : {structure}"))?;
    sheet.write_string(2, 0, format!("Projet : {manufacture}"))?;
    sheet.write_string(3, 0, "Montants en euros TTC")?;
    sheet.write_string_with_format(5, 0, "Postes", &f.header)?;
    for (i, year) in budget.years.iter().enumerate() {
        sheet.write_number_with_format(5, 1 + i as u16, f64::from(*year), &f.header)?;
    }
    sheet.write_string_with_format(5, 4, "Total", &f.header)?;

    let mut row = 6u32;
    sheet.write_string_with_format(row, 0, "CHARGES", &f.section)?;
    row += 1;
    sheet.write_string_with_format(row, 0, "Charges de fonctionnement", &f.section)?;
    row += 1;
    let op_first = row;
    for line in &budget.operating {
        write_line(sheet, row, line, &f)?;
        row += 1;
    }
    let op_years = per_year(&budget.operating);
    let op_total_row = row;
    write_sum_row(
        sheet,
        row,
        "Sous-total fonctionnement",
        op_first,
        row - 1,
        op_years,
        &f,
    )?;
    row += 1;
    let inv_row = row;
    sheet.write_string_with_format(
        row,
        0,
        "Dépenses d'investissement (détail : onglet Investissements)",
        &f.label,
    )?;
    for (i, value) in inv_years.iter().enumerate() {
        let c = column(2 + i as u16);
        formula(
            sheet,
            row,
            1 + i as u16,
            &format!("=Investissements!{c}{}", investment_total_row + 1),
            *value,
            &f.amount,
        )?;
    }
    formula(
        sheet,
        row,
        4,
        &format!("=SUM(B{r}:D{r})", r = row + 1),
        inv_years.iter().sum(),
        &f.amount,
    )?;
    row += 1;
    let expense_years: [u64; 3] = [0, 1, 2].map(|i| budget.expenses_in(i));
    let charges_row = row;
    sheet.write_string_with_format(row, 0, "TOTAL DES CHARGES", &f.total_label)?;
    for (i, value) in expense_years.iter().enumerate() {
        let c = column(1 + i as u16);
        formula(
            sheet,
            row,
            1 + i as u16,
            &format!("={c}{}+{c}{}", op_total_row + 1, inv_row + 1),
            *value,
            &f.total,
        )?;
    }
    formula(
        sheet,
        row,
        4,
        &format!("=E{}+E{}", op_total_row + 1, inv_row + 1),
        expense_years.iter().sum(),
        &f.total,
    )?;
    row += 2;

    sheet.write_string_with_format(row, 0, "PRODUITS", &f.section)?;
    row += 1;
    let revenue_first = row;
    sheet.write_string_with_format(row, 0, "Ressources propres", &f.section)?;
    row += 1;
    for line in &budget.own_revenues {
        write_line(sheet, row, line, &f)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Subventions publiques", &f.section)?;
    row += 1;
    for line in budget.subsidy.iter().chain(budget.other_aids.iter()) {
        write_line(sheet, row, line, &f)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Autres financements", &f.section)?;
    row += 1;
    write_line(sheet, row, &budget.self_financing, &f)?;
    row += 1;
    let revenue_years: [u64; 3] = [0, 1, 2].map(|i| budget.revenues_in(i));
    let products_row = row;
    write_sum_row(
        sheet,
        row,
        "TOTAL DES PRODUITS",
        revenue_first,
        row - 1,
        revenue_years,
        &f,
    )?;
    row += 2;
    sheet.write_string_with_format(row, 0, "Solde (produits – charges)", &f.total_label)?;
    for i in 0..4u16 {
        let c = column(1 + i);
        let (p, e) = if i < 3 {
            (
                revenue_years.get(usize::from(i)).copied().unwrap_or(0),
                expense_years.get(usize::from(i)).copied().unwrap_or(0),
            )
        } else {
            (revenue_years.iter().sum(), expense_years.iter().sum())
        };
        let text = format!("={c}{}-{c}{}", products_row + 1, charges_row + 1);
        let balance = p as i64 - e as i64;
        sheet.write_formula_with_format(
            row,
            1 + i,
            Formula::new(&text).set_result(balance.to_string()),
            &f.total,
        )?;
    }

    workbook.push_worksheet(budget_sheet);
    workbook.push_worksheet(invest_sheet);
    workbook
        .save_to_buffer()
        .context("rust_xlsxwriter could not write the budget matrix")
}
