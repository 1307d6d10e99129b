//! Renders [`Block`]s to a .docx with docx-rs, and makes the package reproducible.
//!
//! docx-rs numbers paragraphs (`w14:paraId`) from a thread-local counter and stores every part
//! uncompressed, so the same document built twice in one process differs and is large. We build
//! each document on a fresh thread (its counter starts at 1) and then [`repack`] the archive with
//! deflate and a fixed 1980-01-01 timestamp on every entry, renumbering on the way the footnote
//! and revision ids that docx-rs takes from process-wide counters.

use std::io::{Cursor, Read, Write};

use anyhow::{Context, Result, anyhow};
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, FieldCharType, Footer, Footnote, Header,
    IndentLevel, InstrText, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId,
    Paragraph, Run, RunFonts, SpecialIndentType, Start, Style, StyleType, Table, TableCell,
    TableRow,
};

use crate::prose::{Application, Block};

/// The numbering id of the bullet list definition.
const BULLETS: usize = 1;

/// Paragraph and character styles every generated document carries, so that readers see real
/// outline levels on Heading1 / Heading2.
pub fn base_styles(docx: Docx) -> Docx {
    docx.default_fonts(
        RunFonts::new()
            .ascii("Calibri")
            .hi_ansi("Calibri")
            .cs("Calibri"),
    )
    .default_size(22)
    .add_style(
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .q_format(true),
    )
    .add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .size(48)
            .bold()
            .align(AlignmentType::Center)
            .q_format(true),
    )
    .add_style(
        Style::new("Heading1", StyleType::Paragraph)
            .name("heading 1")
            .based_on("Normal")
            .next("Normal")
            .outline_lvl(0)
            .size(32)
            .bold()
            .color("1F3864")
            .q_format(true),
    )
    .add_style(
        Style::new("Heading2", StyleType::Paragraph)
            .name("heading 2")
            .based_on("Normal")
            .next("Normal")
            .outline_lvl(1)
            .size(26)
            .bold()
            .color("2F5496")
            .q_format(true),
    )
    .add_style(
        Style::new("ListParagraph", StyleType::Paragraph)
            .name("List Paragraph")
            .based_on("Normal")
            .indent(Some(720), None, None, None)
            .q_format(true),
    )
    .add_style(
        Style::new("Header", StyleType::Paragraph)
            .name("header")
            .based_on("Normal")
            .size(18),
    )
    .add_style(
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(18),
    )
    .add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
}

/// A plain paragraph of text.
pub fn text(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

/// A bulleted list item.
pub fn bullet(text: &str) -> Paragraph {
    Paragraph::new()
        .style("ListParagraph")
        .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
        .add_run(Run::new().add_text(text))
}

/// A simple field (`PAGE`, `DATE \@ "dd/MM/yyyy"`…) with its last computed result.
pub fn field(paragraph: Paragraph, instruction: &str, result: &str) -> Paragraph {
    paragraph
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::Unsupported(format!(" {instruction} "))))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text(result))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
}

fn cell(text: &str, bold: bool) -> TableCell {
    let run = Run::new().add_text(text);
    let run = if bold { run.bold() } else { run };
    TableCell::new().add_paragraph(Paragraph::new().add_run(run))
}

/// A table whose first row is bold when `header` is set.
pub fn table(rows: &[Vec<String>], header: bool, grid: Vec<usize>) -> Table {
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| TableRow::new(row.iter().map(|c| cell(c, header && i == 0)).collect()))
        .collect();
    Table::new(rows).set_grid(grid)
}

fn render(docx: Docx, block: &Block) -> Docx {
    match block {
        Block::Cover { text, big } => {
            let run = Run::new().add_text(text);
            let run = if *big {
                run.bold().size(36)
            } else {
                run.size(26)
            };
            docx.add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run))
        }
        Block::Heading {
            level,
            text,
            styled,
        } => {
            if *styled {
                let style = if *level == 1 { "Heading1" } else { "Heading2" };
                docx.add_paragraph(
                    Paragraph::new()
                        .style(style)
                        .add_run(Run::new().add_text(text)),
                )
            } else {
                let size = if *level == 1 { 28 } else { 24 };
                let run = Run::new().add_text(text).bold().size(size);
                let run = if *level == 2 { run.italic() } else { run };
                docx.add_paragraph(Paragraph::new().add_run(run))
            }
        }
        Block::Paragraph(body) => docx.add_paragraph(text(body)),
        Block::Noted { text: body, note } => {
            docx.add_paragraph(text(body).add_run(
                Run::new().add_footnote_reference(Footnote::new().add_content(text(note))),
            ))
        }
        Block::Labelled { label, text } => docx.add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(format!("{label} ")).bold())
                .add_run(Run::new().add_text(text)),
        ),
        Block::Bullets(items) => items
            .iter()
            .fold(docx, |d, item| d.add_paragraph(bullet(item))),
        Block::KeyValue(rows) => {
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|(k, v)| vec![k.clone(), v.clone()])
                .collect();
            docx.add_table(table(&rows, false, vec![3200, 6000]))
        }
        Block::Table { header, rows } => {
            let mut all = vec![header.clone()];
            all.extend(rows.iter().cloned());
            let width = 9200 / header.len().max(1);
            docx.add_table(table(&all, true, vec![width; header.len()]))
        }
        Block::PageBreak => {
            docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        }
        Block::Filler { .. } => docx,
    }
}

/// The application as a .docx; `created` is the ISO 8601 creation date stored in core.xml.
pub fn application_docx(application: &Application, created: &str) -> Result<Vec<u8>> {
    let application = application.clone();
    let created = created.to_owned();
    build_isolated(move || {
        let header = Header::new().add_paragraph(text(&application.header).style("Header"));
        let footer = Footer::new().add_paragraph(field(
            text(&application.footer).style("Footer"),
            "PAGE",
            "1",
        ));
        let docx = base_styles(Docx::new())
            .created_at(&created)
            .updated_at(&created)
            .header(header)
            .footer(footer);
        application.blocks.iter().fold(docx, render)
    })
}

/// Builds and packs a document on a fresh thread (see the module docs), then repacks it.
pub fn build_isolated<F>(build: F) -> Result<Vec<u8>>
where
    F: FnOnce() -> Docx + Send + 'static,
{
    let packed = std::thread::spawn(move || -> Result<Vec<u8>> {
        let mut cursor = Cursor::new(Vec::new());
        build()
            .build()
            .pack(&mut cursor)
            .context("docx-rs could not pack the document")?;
        Ok(cursor.into_inner())
    })
    .join()
    .map_err(|_| anyhow!("the docx builder thread panicked"))??;
    repack(&packed, |name, data| {
        // docx-rs writes an empty `<w:rPr />` first in every `<w:pPr>`, before `<w:pStyle>`,
        // which breaks the schema's element order; an empty paragraph mark property says
        // nothing, so it is dropped.
        if name.starts_with("word/") && name.ends_with(".xml") {
            let xml = String::from_utf8(data).context("a word part is not UTF-8")?;
            let xml = xml.replace("<w:pPr><w:rPr />", "<w:pPr>");
            // Footnote and revision ids come from process-wide counters in docx-rs; renumbering
            // them in order makes the part independent of what was built before.
            let xml = renumber_ids(
                &xml,
                &["<w:footnoteReference w:id=\"", "<w:footnote w:id=\""],
            );
            let xml = renumber_ids(&xml, &["<w:ins w:id=\"", "<w:del w:id=\""]);
            return Ok(xml.into_bytes());
        }
        Ok(data)
    })
}

/// Replaces the numeric ids that follow any of `prefixes` by 1, 2, 3… in ascending order of the
/// original ids, so that two parts holding the same ids (document.xml and footnotes.xml) get the
/// same mapping.
pub fn renumber_ids(xml: &str, prefixes: &[&str]) -> String {
    let id_at = |start: usize| -> Option<(usize, u64)> {
        let digits: String = xml
            .get(start..)?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some((digits.len(), digits.parse().ok()?))
    };
    let mut found = Vec::new();
    for prefix in prefixes {
        for (at, _) in xml.match_indices(prefix) {
            if let Some((len, id)) = id_at(at + prefix.len()) {
                found.push((at + prefix.len(), len, id));
            }
        }
    }
    if found.is_empty() {
        return xml.to_owned();
    }
    let mut ids: Vec<u64> = found.iter().map(|(_, _, id)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    found.sort_unstable_by_key(|(at, _, _)| *at);
    let mut out = String::with_capacity(xml.len());
    let mut copied = 0;
    for (at, len, id) in found {
        let new_id = ids.binary_search(&id).map(|i| i + 1).unwrap_or(0);
        out.push_str(xml.get(copied..at).unwrap_or_default());
        out.push_str(&new_id.to_string());
        copied = at + len;
    }
    out.push_str(xml.get(copied..).unwrap_or_default());
    out
}

/// Rewrites a zip package with deflate and a fixed timestamp; `transform` may edit each entry
/// (name, bytes) on the way.
pub fn repack<F>(bytes: &[u8], mut transform: F) -> Result<Vec<u8>>
where
    F: FnMut(&str, Vec<u8>) -> Result<Vec<u8>>,
{
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).context("reading the package")?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).context("reading a package entry")?;
        let name = entry
            .name()
            .context("reading a package entry name")?
            .into_owned();
        if entry.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .with_context(|| format!("reading {name}"))?;
        let data = transform(&name, data)?;
        writer
            .start_file(name.as_str(), options)
            .with_context(|| format!("writing {name}"))?;
        writer.write_all(&data)?;
    }
    Ok(writer
        .finish()
        .context("finishing the package")?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbering_is_consistent_and_ordered() {
        let xml = r#"<w:footnoteReference w:id="7" /><w:footnoteReference w:id="12" /><w:footnote w:id="7">"#;
        assert_eq!(
            renumber_ids(
                xml,
                &["<w:footnoteReference w:id=\"", "<w:footnote w:id=\""]
            ),
            r#"<w:footnoteReference w:id="1" /><w:footnoteReference w:id="2" /><w:footnote w:id="1">"#
        );
        assert_eq!(renumber_ids("<w:p/>", &["<w:ins w:id=\""]), "<w:p/>");
    }
}
