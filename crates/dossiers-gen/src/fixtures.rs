//! The small format fixtures under `fixtures/generated/`, one per thing a reader must handle
//! (tables, header/footer, footnotes, comments, text box, fields, tracked changes, French
//! typography, headings and lists; formulas, dates, merged cells, hidden sheet), plus the
//! typical 3,000-word dossier used by the benchmarks.
//!
//! Like the dossiers, every fixture written by `dossiers-gen` is byte-reproducible.

use std::path::Path;

/// A fixture's file name and the function that builds it.
type Maker = (&'static str, fn() -> Result<Vec<u8>>);
/// A date fixture: label, (year, month, day, hour, minute), number format.
type DateCase = (&'static str, (u16, u8, u8, u16, u8), &'static str);

use anyhow::{Context, Result};
use docx_rs::{
    AlignmentType, Comment, Delete, Docx, Footer, Footnote, Header, Insert, Paragraph, Run,
};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

use crate::docx::{base_styles, build_isolated, bullet, field, repack, table, text};
use crate::prose::{NBSP, NNBSP};
use crate::xlsx::{EUROS, formula, properties};

/// The creation date stored in every fixture's metadata.
const CREATED: &str = "2022-01-10T09:00:00Z";
const CREATED_YMD: (u16, u8, u8) = (2022, 1, 10);
/// The author of comments and revisions.
const REVIEWER: &str = "Instructrice ANCT";

fn styled() -> Docx {
    base_styles(Docx::new())
        .created_at(CREATED)
        .updated_at(CREATED)
}

fn heading1(text: &str) -> Paragraph {
    Paragraph::new()
        .style("Heading1")
        .add_run(Run::new().add_text(text))
}

fn heading2(text: &str) -> Paragraph {
    Paragraph::new()
        .style("Heading2")
        .add_run(Run::new().add_text(text))
}

fn bold(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).bold())
}

fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|row| row.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

/// tables.docx: a question/answer table, a table with a header row, a merged-cell-free nested
/// table, and a paragraph after each so readers keep the order.
fn tables() -> Result<Vec<u8>> {
    build_isolated(|| {
        let identity = rows(&[
            &["Nom de la structure", "L'Établi Partagé"],
            &["Forme juridique", "Association loi 1901"],
            &["N° SIRET", "200 034 528 00014"],
            &["Adresse du siège", "28 rue Pasteur, 23200 Aubusson"],
        ]);
        let machines = rows(&[
            &["Équipement", "Type", "Montant estimé (HT)"],
            &["Scie à format", "Traditionnel", "12 400 €"],
            &["Fraiseuse numérique (CNC) 3 axes", "Numérique", "48 900 €"],
        ]);
        let inner = table(
            &rows(&[&["Année", "Résidents"], &["2022", "8"], &["2023", "12"]]),
            true,
            vec![1500, 1500],
        );
        let outer = docx_rs::Table::new(vec![docx_rs::TableRow::new(vec![
            docx_rs::TableCell::new().add_paragraph(text("Indicateurs (tableau imbriqué) :")),
            docx_rs::TableCell::new().add_table(inner),
        ])])
        .set_grid(vec![4000, 4000]);
        styled()
            .add_paragraph(heading1("1. Identité de la structure"))
            .add_table(table(&identity, false, vec![3200, 6000]))
            .add_paragraph(text("Après le tableau d'identité."))
            .add_paragraph(heading1("2. Parc de machines"))
            .add_table(table(&machines, true, vec![4000, 2000, 3000]))
            .add_paragraph(text("Après le tableau des machines."))
            .add_table(outer)
            .add_paragraph(text("Fin du document."))
    })
}

/// headers-footers.docx: a default and a first-page header and footer, the footer with a PAGE
/// field.
fn headers_footers() -> Result<Vec<u8>> {
    build_isolated(|| {
        styled()
            .header(
                Header::new()
                    .add_paragraph(text("En-tête courant : AMI Manufactures de proximité")),
            )
            .first_header(
                Header::new()
                    .add_paragraph(text("En-tête de première page : dossier de candidature")),
            )
            .footer(Footer::new().add_paragraph(field(
                text("Pied de page courant – page "),
                "PAGE",
                "2",
            )))
            .first_footer(
                Footer::new().add_paragraph(text("Pied de première page : document confidentiel")),
            )
            .add_paragraph(text("Corps du document, première page."))
            .add_paragraph(Paragraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page)))
            .add_paragraph(text("Corps du document, deuxième page."))
    })
}

/// footnotes.docx: two footnotes referenced from body text.
fn footnotes() -> Result<Vec<u8>> {
    build_isolated(|| {
        let note =
            |body: &str| Run::new().add_footnote_reference(Footnote::new().add_content(text(body)));
        styled()
            .add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new().add_text(
                            "La commune est lauréate du programme Petites villes de demain",
                        ),
                    )
                    .add_run(note("Convention d'adhésion signée le 12 mars 2021."))
                    .add_run(Run::new().add_text(" et du label Fabrique de territoire")),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Le bâtiment couvre 850 m²"))
                    .add_run(note(
                        "Surface de plancher selon le relevé du géomètre, hors mezzanine.",
                    )),
            )
    })
}

/// comments.docx: a comment anchored on a range, and a reply.
fn comments() -> Result<Vec<u8>> {
    build_isolated(|| {
        let comment = Comment::new(1)
            .author(REVIEWER)
            .date(CREATED)
            .add_paragraph(text("Préciser la durée de la convention."));
        let reply = Comment::new(2)
            .author("Porteur de projet")
            .date(CREATED)
            .parent_comment_id(1)
            .add_paragraph(text("La convention est conclue pour 12 ans."));
        styled()
            .add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new().add_text("Les locaux sont mis à disposition par la commune. "),
                    )
                    .add_comment_start(comment)
                    .add_run(Run::new().add_text("Une convention d'occupation a été signée."))
                    .add_comment_end(1)
                    .add_comment_start(reply)
                    .add_comment_end(2),
            )
            .add_paragraph(text("Paragraphe sans commentaire."))
    })
}

/// The DrawingML text box (with its VML fallback) spliced into `text-box.docx`; docx-rs 0.4 has
/// no text box writer (`Drawing::text_box` hits `unimplemented!`).
const TEXT_BOX_XML: &str = concat!(
    r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">"#,
    r#"<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">"#,
    r#"<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>"#,
    r#"<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>"#,
    r#"<wp:extent cx="3600000" cy="900000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>"#,
    r#"<wp:docPr id="1" name="Zone de texte 1"/><wp:cNvGraphicFramePr/>"#,
    r#"<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">"#,
    r#"<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3600000" cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>"#,
    r#"<wps:txbx><w:txbxContent><w:p><w:r><w:t xml:space="preserve">Encadré : la manufacture accueillera 15 résidents en 2024.</w:t></w:r></w:p></w:txbxContent></wps:txbx>"#,
    r#"<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>"#,
    r#"</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"#,
    r#"<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#,
    r##"<v:shape id="Zone de texte 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:283.5pt;height:70.85pt;z-index:251659264" strokeweight=".5pt">"##,
    r#"<v:textbox><w:txbxContent><w:p><w:r><w:t xml:space="preserve">Encadré : la manufacture accueillera 15 résidents en 2024.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"#,
    r#"</mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
);

/// text-box.docx: body text around a floating text box whose content appears twice in the XML
/// (DrawingML choice and VML fallback) but once on the page.
fn text_box() -> Result<Vec<u8>> {
    const MARKER: &str = "@@TEXT-BOX@@";
    let built = build_isolated(|| {
        styled()
            .add_paragraph(text("Texte avant l'encadré."))
            .add_paragraph(text(MARKER))
            .add_paragraph(text("Texte après l'encadré."))
    })?;
    repack(&built, |name, data| {
        if name != "word/document.xml" {
            return Ok(data);
        }
        let xml = String::from_utf8(data).context("document.xml is not UTF-8")?;
        let marker_at = xml.find(MARKER).context("text box marker not found")?;
        let start = xml
            .get(..marker_at)
            .and_then(|head| head.rfind("<w:p "))
            .context("marker paragraph start")?;
        let end = xml
            .get(marker_at..)
            .and_then(|tail| tail.find("</w:p>"))
            .map(|offset| marker_at + offset + "</w:p>".len())
            .context("marker paragraph end")?;
        let mut out = String::with_capacity(xml.len() + TEXT_BOX_XML.len());
        out.push_str(xml.get(..start).unwrap_or_default());
        out.push_str(TEXT_BOX_XML);
        out.push_str(xml.get(end..).unwrap_or_default());
        Ok(out.into_bytes())
    })
}

/// fields.docx: PAGE, NUMPAGES, CREATEDATE and DOCPROPERTY fields, each with a stored result;
/// the instruction text must not leak into the extracted text, the result must. CREATEDATE
/// rather than DATE, because LibreOffice re-evaluates fields when converting and DATE would
/// stamp the day of the conversion into the .doc / .odt.
fn fields() -> Result<Vec<u8>> {
    build_isolated(|| {
        styled()
            .add_paragraph(field(text("Page "), "PAGE", "1"))
            .add_paragraph(field(text("Nombre de pages : "), "NUMPAGES", "1"))
            .add_paragraph(field(
                text("Date de création : "),
                "CREATEDATE \\@ \"dd/MM/yyyy\"",
                "10/01/2022",
            ))
            .add_paragraph(field(
                text("Structure : "),
                "DOCPROPERTY Company",
                "L'Établi Partagé",
            ))
            .add_paragraph(text("Fin des champs."))
    })
}

/// tracked-changes.docx: an insertion, a deletion, and a paragraph with both; the accepted text
/// is « La convention est signée pour 12 ans. ».
fn tracked_changes() -> Result<Vec<u8>> {
    build_isolated(|| {
        styled()
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("La convention est signée pour "))
                    .add_delete(
                        Delete::new()
                            .author(REVIEWER)
                            .date(CREATED)
                            .add_run(Run::new().add_delete_text("9")),
                    )
                    .add_insert(
                        Insert::new(Run::new().add_text("12"))
                            .author(REVIEWER)
                            .date(CREATED),
                    )
                    .add_run(Run::new().add_text(" ans.")),
            )
            .add_paragraph(
                Paragraph::new().add_insert(
                    Insert::new(Run::new().add_text("Paragraphe entièrement inséré."))
                        .author(REVIEWER)
                        .date(CREATED),
                ),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Texte conservé. "))
                    .add_delete(
                        Delete::new()
                            .author(REVIEWER)
                            .date(CREATED)
                            .add_run(Run::new().add_delete_text("Phrase supprimée.")),
                    ),
            )
    })
}

/// accents-quotes.docx: French typography a text pipeline must keep intact.
fn accents_quotes() -> Result<Vec<u8>> {
    build_isolated(|| {
        styled()
            .add_paragraph(text(&format!(
                "Appel à manifestation d'intérêt «{NBSP}Manufactures de proximité{NBSP}» – vague{NBSP}3."
            )))
            .add_paragraph(text("L’œuvre du cœur : l’Œil de l’artisan, ça, Noël, Ærø, maïs, où, déjà, Île-de-France, Saint-Dié-des-Vosges."))
            .add_paragraph(text(&format!(
                "Montants : 120{NBSP}000{NBSP}€ ; 1{NNBSP}234{NNBSP}567{NBSP}€ ; 45{NBSP}% ; 850{NBSP}m²."
            )))
            .add_paragraph(text("Guillemets anglais “ainsi” et ‘ainsi’, tiret cadratin — et demi-cadratin –, points de suspension…"))
            .add_paragraph(text("ÉÈÊËÀÂÄÎÏÔÖÙÛÜŸÇ éèêëàâäîïôöùûüÿç"))
    })
}

/// headings-lists.docx: Heading1/Heading2 styles, plain bold numbered titles, and bulleted
/// lists.
fn headings_lists() -> Result<Vec<u8>> {
    build_isolated(|| {
        styled()
            .add_paragraph(heading1("1. Présentation du porteur"))
            .add_paragraph(heading2("1.1 Identité de la structure"))
            .add_paragraph(text("Texte sous un titre de niveau 2."))
            .add_paragraph(bold("III. Diagnostic territorial"))
            .add_paragraph(text("Texte sous un titre en gras sans style."))
            .add_paragraph(bold("Partie 2 – Modèle économique"))
            .add_paragraph(text("Machines prévues :"))
            .add_paragraph(bullet("fraiseuse numérique (CNC) 3 axes"))
            .add_paragraph(bullet("découpeuse laser CO2"))
            .add_paragraph(bullet("scie à format"))
            .add_paragraph(text("Partenaires :"))
            .add_paragraph(bullet("Chambre de métiers et de l'artisanat"))
            .add_paragraph(bullet("Lycée professionnel Jean Moulin"))
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_text("Fait à Aubusson, le 12 janvier 2022")),
            )
    })
}

fn workbook() -> Result<Workbook> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties("Fixture", "dossiers-gen", CREATED_YMD)?);
    Ok(workbook)
}

/// formulas.xlsx: SUM, arithmetic, a cross-sheet reference, a text formula and a percentage,
/// all with cached results.
fn formulas_xlsx() -> Result<Vec<u8>> {
    let mut workbook = workbook()?;
    let euros = Format::new().set_num_format(EUROS);
    let plain = Format::new();
    {
        let sheet = workbook.add_worksheet().set_name("Budget")?;
        sheet.write_string(0, 0, "Poste")?;
        sheet.write_string(0, 1, "2022")?;
        sheet.write_string(0, 2, "2023")?;
        let lines: [(&str, u64, u64); 3] = [
            ("Frais de personnel", 62_000, 68_500),
            ("Énergie et fluides", 5_400, 5_900),
            ("Assurances", 1_800, 1_850),
        ];
        for (i, (label, a, b)) in lines.iter().enumerate() {
            let row = 1 + i as u32;
            sheet.write_string(row, 0, *label)?;
            sheet.write_number_with_format(row, 1, *a as f64, &euros)?;
            sheet.write_number_with_format(row, 2, *b as f64, &euros)?;
        }
        sheet.write_string(4, 0, "Total")?;
        formula(sheet, 4, 1, "=SUM(B2:B4)", 69_200, &euros)?;
        formula(sheet, 4, 2, "=SUM(C2:C4)", 76_250, &euros)?;
        sheet.write_string(5, 0, "Évolution")?;
        formula(sheet, 5, 2, "=C5-B5", 7_050, &euros)?;
        sheet.write_string(6, 0, "Subvention (onglet Aides)")?;
        formula(sheet, 6, 1, "=Aides!B2", 40_000, &euros)?;
        sheet.write_string(7, 0, "Part subventionnée")?;
        sheet.write_formula_with_format(
            7,
            1,
            rust_xlsxwriter::Formula::new("=ROUND(B7/B5,3)").set_result("0.578"),
            &Format::new().set_num_format("0.0%"),
        )?;
        sheet.write_string(8, 0, "Commentaire")?;
        sheet.write_formula_with_format(
            8,
            1,
            rust_xlsxwriter::Formula::new("=IF(B5>0,\"budget renseigné\",\"vide\")")
                .set_result("budget renseigné"),
            &plain,
        )?;
        sheet.set_column_width(0, 30)?;
    }
    {
        let sheet = workbook.add_worksheet().set_name("Aides")?;
        sheet.write_string(0, 0, "Financeur")?;
        sheet.write_string(0, 1, "Montant")?;
        sheet.write_string(1, 0, "AMI Manufactures de proximité – amorçage")?;
        sheet.write_number_with_format(1, 1, 40_000.0, &euros)?;
    }
    workbook.save_to_buffer().context("formulas.xlsx")
}

/// dates.xlsx: dates and date-times under several number formats, next to their text.
fn dates_xlsx() -> Result<Vec<u8>> {
    let mut workbook = workbook()?;
    let sheet = workbook.add_worksheet().set_name("Dates")?;
    sheet.write_string(0, 0, "Libellé")?;
    sheet.write_string(0, 1, "Valeur")?;
    sheet.write_string(0, 2, "Format")?;
    let cases: [DateCase; 5] = [
        ("Date de dépôt", (2022, 1, 13, 0, 0), "dd/mm/yyyy"),
        (
            "Dépôt (date et heure)",
            (2022, 1, 13, 14, 5),
            "dd/mm/yyyy hh:mm",
        ),
        ("Clôture vague 3", (2022, 3, 3, 12, 0), "d mmmm yyyy"),
        ("Ouverture prévue", (2022, 9, 1, 0, 0), "mmmm yyyy"),
        ("Date ISO", (2021, 10, 7, 0, 0), "yyyy-mm-dd"),
    ];
    for (i, (label, (y, m, d, hh, mm), format)) in cases.iter().enumerate() {
        let row = 1 + i as u32;
        let date = ExcelDateTime::from_ymd(*y, *m, *d)?.and_hms(*hh, *mm, 0)?;
        sheet.write_string(row, 0, *label)?;
        sheet.write_datetime_with_format(row, 1, &date, &Format::new().set_num_format(*format))?;
        sheet.write_string(row, 2, *format)?;
    }
    sheet.write_string(6, 0, "Date saisie comme texte")?;
    sheet.write_string(6, 1, "13/01/2022")?;
    sheet.write_string(7, 0, "Nombre (pas une date)")?;
    sheet.write_number(7, 1, 44574.0)?;
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 20)?;
    workbook.save_to_buffer().context("dates.xlsx")
}

/// merged-cells.xlsx: a merged title across columns, a vertical merge, and a merged block.
fn merged_cells_xlsx() -> Result<Vec<u8>> {
    let mut workbook = workbook()?;
    let center = Format::new().set_align(FormatAlign::Center).set_bold();
    let sheet = workbook.add_worksheet().set_name("Fusions")?;
    sheet.merge_range(
        0,
        0,
        0,
        4,
        "MATRICE BUDGÉTAIRE – TITRE FUSIONNÉ SUR A1:E1",
        &center,
    )?;
    sheet.merge_range(2, 0, 4, 0, "Charges (A3:A5)", &center)?;
    sheet.write_string(2, 1, "Personnel")?;
    sheet.write_number(2, 2, 62_000.0)?;
    sheet.write_string(3, 1, "Énergie")?;
    sheet.write_number(3, 2, 5_400.0)?;
    sheet.write_string(4, 1, "Assurances")?;
    sheet.write_number(4, 2, 1_800.0)?;
    sheet.merge_range(6, 1, 7, 3, "Bloc fusionné B7:D8", &center)?;
    sheet.write_string(9, 0, "Après les fusions")?;
    workbook.save_to_buffer().context("merged-cells.xlsx")
}

/// hidden-sheet.xlsx: a visible sheet, a hidden sheet holding the real numbers, a hidden row and
/// a hidden column.
fn hidden_sheet_xlsx() -> Result<Vec<u8>> {
    let mut workbook = workbook()?;
    {
        let sheet = workbook.add_worksheet().set_name("Synthèse")?;
        sheet.write_string(0, 0, "Total des charges")?;
        formula(
            sheet,
            0,
            1,
            "=Calculs!B3",
            182_000,
            &Format::new().set_num_format(EUROS),
        )?;
        sheet.write_string(1, 0, "Ligne masquée")?;
        sheet.write_number(1, 1, 1.0)?;
        sheet.set_row_hidden(1)?;
        sheet.write_string(2, 0, "Visible")?;
        sheet.write_string(2, 2, "Colonne C masquée")?;
        sheet.set_column_hidden(2)?;
    }
    {
        let sheet = workbook.add_worksheet().set_name("Calculs")?;
        sheet.write_string(0, 0, "Fonctionnement")?;
        sheet.write_number(0, 1, 120_000.0)?;
        sheet.write_string(1, 0, "Investissement")?;
        sheet.write_number(1, 1, 62_000.0)?;
        sheet.write_string(2, 0, "Total")?;
        formula(sheet, 2, 1, "=B1+B2", 182_000, &Format::new())?;
        sheet.set_hidden(true);
    }
    workbook.save_to_buffer().context("hidden-sheet.xlsx")
}

/// Writes every fixture into `out`, plus the typical dossier (seed 42, index 1, 3,000 words) as
/// `typical-dossier.docx` and `typical-budget.xlsx`.
pub fn write_all(out: &Path) -> Result<()> {
    let docx: [Maker; 9] = [
        ("tables.docx", tables),
        ("headers-footers.docx", headers_footers),
        ("footnotes.docx", footnotes),
        ("comments.docx", comments),
        ("text-box.docx", text_box),
        ("fields.docx", fields),
        ("tracked-changes.docx", tracked_changes),
        ("accents-quotes.docx", accents_quotes),
        ("headings-lists.docx", headings_lists),
    ];
    let xlsx: [Maker; 4] = [
        ("formulas.xlsx", formulas_xlsx),
        ("dates.xlsx", dates_xlsx),
        ("merged-cells.xlsx", merged_cells_xlsx),
        ("hidden-sheet.xlsx", hidden_sheet_xlsx),
    ];
    for (name, make) in docx.iter().chain(xlsx.iter()) {
        let bytes = make().with_context(|| format!("building {name}"))?;
        crate::write(&out.join(name), &bytes)?;
    }
    let typical = crate::generate_dossier(42, 1, crate::DEFAULT_WORDS)?;
    crate::write(&out.join("typical-dossier.docx"), &typical.application_docx)?;
    crate::write(&out.join("typical-budget.xlsx"), &typical.budget_xlsx)?;
    crate::write(
        &out.join("typical-dossier.truth.json"),
        typical.truth_json()?.as_bytes(),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn every_fixture_builds_and_holds_its_feature() {
        let check = |bytes: Vec<u8>, name: &str, needle: &str| {
            let text = part(&bytes, name);
            assert!(text.contains(needle), "{needle:?} not in {name}");
        };
        check(text_box().unwrap(), "word/document.xml", "<w:txbxContent>");
        check(fields().unwrap(), "word/document.xml", "CREATEDATE");
        check(footnotes().unwrap(), "word/footnotes.xml", "hors mezzanine");
        check(
            comments().unwrap(),
            "word/comments.xml",
            "Préciser la durée",
        );
        check(
            tracked_changes().unwrap(),
            "word/document.xml",
            "<w:delText",
        );
        check(
            headers_footers().unwrap(),
            "word/header2.xml",
            "première page",
        );
        check(headings_lists().unwrap(), "word/numbering.xml", "bullet");
        check(tables().unwrap(), "word/document.xml", "<w:tbl>");
        check(accents_quotes().unwrap(), "word/document.xml", "œ");
        check(
            formulas_xlsx().unwrap(),
            "xl/worksheets/sheet1.xml",
            "<v>69200</v>",
        );
        check(
            dates_xlsx().unwrap(),
            "xl/worksheets/sheet1.xml",
            "<v>44574</v>",
        );
        check(
            merged_cells_xlsx().unwrap(),
            "xl/worksheets/sheet1.xml",
            "<mergeCell ref=\"A1:E1\"/>",
        );
        check(
            hidden_sheet_xlsx().unwrap(),
            "xl/workbook.xml",
            "state=\"hidden\"",
        );
    }
}
