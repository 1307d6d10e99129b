//! Turns one story's CP range into blocks: fields reduced to their results, special characters
//! mapped, paragraphs split on their marks and table cells gathered into rows, using the
//! paragraph properties when the file has readable ones and the cell-mark heuristic otherwise.

use dossiers_document::{Block, Budget, Cell, Result, Row, Story, Table};

use crate::pieces::PieceTable;
use crate::props::{ParaProps, ParagraphTable, Styles};
use crate::special::{FormValue, symbol_char};

/// Stands for a character of a deleted tracked change in the decoded text: U+FFFF is a
/// noncharacter that no document text holds.
pub(crate) const DELETED: u16 = 0xFFFF;

const PARAGRAPH_MARK: u16 = 0x0D;
const CELL_MARK: u16 = 0x07;
const PAGE_OR_SECTION_BREAK: u16 = 0x0C;
const FIELD_BEGIN: u16 = 0x13;
const FIELD_SEPARATOR: u16 = 0x14;
const FIELD_END: u16 = 0x15;
const OBJECT_ANCHOR: u16 = 0x01;

/// What every story of one document shares.
#[derive(Debug)]
pub(crate) struct Layout<'a> {
    pub(crate) text: &'a [u16],
    pub(crate) pieces: &'a PieceTable,
    /// `None` when the paragraph properties could not be read (or this is Word 6).
    pub(crate) paragraphs: Option<&'a ParagraphTable>,
    pub(crate) styles: &'a Styles,
    /// Form fields whose value is not in the text (checkboxes, drop-downs), by anchor CP.
    pub(crate) forms: &'a [(u32, FormValue)],
}

impl Layout<'_> {
    fn form_at(&self, cp: u32) -> Option<&FormValue> {
        let index = self.forms.binary_search_by_key(&cp, |form| form.0).ok()?;
        self.forms.get(index).map(|form| &form.1)
    }

    fn props_at(&self, cp: u32) -> Option<ParaProps> {
        let table = self.paragraphs?;
        let fc = self.pieces.fc_of(cp)?;
        Some(table.at(fc).unwrap_or_default())
    }
}

/// Builds the blocks of the characters in `[start, end)` into `story`.
pub(crate) fn build_story(
    layout: &Layout<'_>,
    start: u32,
    end: u32,
    mut story: Story,
    budget: &mut Budget,
) -> Result<Story> {
    let end = end.min(u32::try_from(layout.text.len()).unwrap_or(u32::MAX));
    let mut builder = Builder {
        layout,
        blocks: Vec::new(),
        paragraph: String::new(),
        fields: Vec::new(),
        in_instruction: 0,
        high_surrogate: None,
        table: TableState::default(),
    };
    let units = layout
        .text
        .get(start as usize..end as usize)
        .unwrap_or_default();
    for (cp, &unit) in (start..end).zip(units) {
        match unit {
            FIELD_BEGIN => {
                builder.fields.push(Field {
                    in_instruction: true,
                    form: None,
                });
                builder.in_instruction += 1;
            }
            FIELD_SEPARATOR => {
                if let Some(top) = builder.fields.last_mut()
                    && top.in_instruction
                {
                    top.in_instruction = false;
                    builder.in_instruction -= 1;
                }
            }
            FIELD_END => {
                if let Some(field) = builder.fields.pop() {
                    if field.in_instruction {
                        builder.in_instruction -= 1;
                    }
                    if let (Some(form), 0) = (field.form, builder.in_instruction) {
                        builder.push_form_value(form);
                    }
                }
            }
            // A form field's anchor sits in its instruction; its value is shown at the end.
            OBJECT_ANCHOR if builder.in_instruction > 0 => {
                if let (Some(form), Some(top)) = (layout.form_at(cp), builder.fields.last_mut()) {
                    top.form = Some(form);
                }
            }
            PARAGRAPH_MARK | CELL_MARK => {
                builder.end_paragraph(cp, unit);
                budget.tick()?;
            }
            // A section mark is also its paragraph's mark; a page break inside a paragraph
            // splits it, which costs nothing in plain text.
            PAGE_OR_SECTION_BREAK if builder.in_instruction == 0 => {
                builder.end_paragraph(cp, PARAGRAPH_MARK);
                budget.tick()?;
            }
            _ if builder.in_instruction > 0 => {}
            _ => builder.push_unit(unit),
        }
    }
    builder.finish();
    story.blocks = builder.blocks;
    Ok(story)
}

#[derive(Debug, Default)]
struct TableState {
    rows: Vec<Row>,
    cells: Vec<Cell>,
    cell_text: String,
    /// The last mark seen was a cell mark (for the heuristic's "two in a row ends the row").
    last_mark_was_cell: bool,
}

impl TableState {
    fn is_open(&self) -> bool {
        !self.rows.is_empty() || !self.cells.is_empty() || !self.cell_text.is_empty()
    }

    fn append(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if !self.cell_text.is_empty() {
            self.cell_text.push('\n');
        }
        self.cell_text.push_str(text);
    }

    fn end_cell(&mut self) {
        let text = std::mem::take(&mut self.cell_text);
        self.cells.push(Cell::text(text));
    }

    fn end_row(&mut self) {
        if !self.cell_text.is_empty() {
            self.end_cell();
        }
        if !self.cells.is_empty() {
            let cells = std::mem::take(&mut self.cells);
            self.rows.push(Row { cells });
        }
    }
}

/// An open field.
struct Field<'b> {
    /// Before the separator: the instruction, which is not shown.
    in_instruction: bool,
    /// A checkbox or drop-down whose value the text does not hold.
    form: Option<&'b FormValue>,
}

struct Builder<'a, 'b> {
    layout: &'b Layout<'a>,
    blocks: Vec<Block>,
    paragraph: String,
    /// The open fields, innermost last.
    fields: Vec<Field<'b>>,
    in_instruction: usize,
    high_surrogate: Option<u16>,
    table: TableState,
}

impl Builder<'_, '_> {
    fn push_unit(&mut self, unit: u16) {
        let ch = match unit {
            0x09 => '\t',
            0x0B | 0x0E => '\n',
            0x1E => '-',
            0xA0 => ' ',
            DELETED => return,
            0..=0x1F => return,
            0xD800..=0xDBFF => {
                self.high_surrogate = Some(unit);
                return;
            }
            0xDC00..=0xDFFF => {
                let Some(high) = self.high_surrogate.take() else {
                    return;
                };
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                match char::from_u32(code) {
                    Some(ch) => ch,
                    None => return,
                }
            }
            // Symbol-font glyphs stored as private-use characters.
            0xF000..=0xF0FF => match symbol_char(unit) {
                Some(ch) => ch,
                None => return,
            },
            other => match char::from_u32(u32::from(other)) {
                Some(ch) => ch,
                None => return,
            },
        };
        self.high_surrogate = None;
        self.paragraph.push(ch);
    }

    fn push_form_value(&mut self, form: &FormValue) {
        match form {
            FormValue::Checkbox(true) => self.paragraph.push('☒'),
            FormValue::Checkbox(false) => self.paragraph.push('☐'),
            FormValue::Choice(text) => self.paragraph.push_str(text),
        }
    }

    fn take_paragraph(&mut self) -> String {
        let trimmed = self.paragraph.trim();
        let text = if trimmed.len() == self.paragraph.len() {
            std::mem::take(&mut self.paragraph)
        } else {
            let text = trimmed.to_owned();
            self.paragraph.clear();
            text
        };
        self.high_surrogate = None;
        text
    }

    fn end_paragraph(&mut self, cp: u32, mark: u16) {
        let text = self.take_paragraph();
        match self.layout.props_at(cp) {
            Some(props) if props.depth() > 0 || mark == PARAGRAPH_MARK => {
                self.with_props(text, mark, props)
            }
            _ => self.by_cell_marks(text, mark),
        }
    }

    /// Structure from the PAPX: fInTable/itap say which paragraphs are cells, fTtp ends a row.
    fn with_props(&mut self, text: String, mark: u16, props: ParaProps) {
        match props.depth() {
            0 => {
                self.flush_table();
                self.push_paragraph(text, Some(props));
            }
            1 => {
                if props.ttp {
                    self.table.end_row();
                } else {
                    self.table.append(&text);
                    if mark == CELL_MARK {
                        self.table.end_cell();
                    }
                }
            }
            // A nested table is flattened into the text of its outer cell.
            _ => {
                if !props.inner_ttp {
                    self.table.append(&text);
                }
            }
        }
    }

    /// Structure from the marks alone: a cell mark ends a cell, and a cell mark right after a
    /// cell mark (with no text between) ends the row. Ambiguous for empty last cells, which is
    /// why the PAPX is preferred.
    fn by_cell_marks(&mut self, text: String, mark: u16) {
        if mark == CELL_MARK {
            if text.is_empty()
                && self.table.last_mark_was_cell
                && self.table.cell_text.is_empty()
                && !self.table.cells.is_empty()
            {
                self.table.end_row();
                self.table.last_mark_was_cell = false;
            } else {
                self.table.append(&text);
                self.table.end_cell();
                self.table.last_mark_was_cell = true;
            }
        } else if !self.table.cells.is_empty() || !self.table.cell_text.is_empty() {
            // A paragraph inside a cell that has more marks to come in this row.
            self.table.append(&text);
            self.table.last_mark_was_cell = false;
        } else {
            self.flush_table();
            self.push_paragraph(text, None);
        }
    }

    fn flush_table(&mut self) {
        if !self.table.is_open() {
            return;
        }
        self.table.end_row();
        let rows = std::mem::take(&mut self.table.rows);
        self.table = TableState::default();
        let table = Table {
            rows,
            merged: Vec::new(),
        };
        let block = Block::Table(table);
        if block.has_text() {
            self.blocks.push(block);
        }
    }

    fn push_paragraph(&mut self, text: String, props: Option<ParaProps>) {
        if text.is_empty() {
            return;
        }
        let styles = self.layout.styles;
        let block = match props {
            None => Block::paragraph(text),
            Some(props) => {
                let level = styles
                    .heading_level(props.istd)
                    .or(match props.outline_level {
                        Some(level @ 0..=8) => Some(level + 1),
                        _ => None,
                    });
                if let Some(level) = level {
                    Block::Heading {
                        level: Some(level),
                        text,
                    }
                } else if props.ilfo != 0 {
                    Block::ListItem {
                        level: props.ilvl.min(8),
                        text,
                        label: None,
                    }
                } else {
                    let style = (props.istd != 0)
                        .then(|| styles.name(props.istd))
                        .flatten()
                        .map(str::to_owned);
                    Block::Paragraph { text, style }
                }
            }
        };
        self.blocks.push(block);
    }

    fn finish(&mut self) {
        let text = self.take_paragraph();
        if self.table.cells.is_empty() && self.table.cell_text.is_empty() {
            self.flush_table();
            self.push_paragraph(text, None);
        } else {
            self.table.append(&text);
            self.flush_table();
        }
    }
}
