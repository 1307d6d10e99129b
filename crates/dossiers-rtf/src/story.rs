//! One story being built: the paragraph being read, the tables open at each nesting level, and
//! the blocks done so far.
//!
//! RTF has no table element: a paragraph belongs to a table when it is marked `\intbl` (or
//! `\itapN` for nested tables), a cell ends at `\cell` (`\nestcell` inside a nested table) and a
//! row at `\row` (`\nestrow`). The table ends when a paragraph outside any table ends, or with
//! the story. Only the outermost table becomes a [`Table`]; a table nested in a cell is
//! flattened into that cell's text (cells by tabs, rows by lines), as the Word readers do.

use dossiers_document::{Block, Budget, Cell, Result, Row, Story, StoryKind, Table};

/// What a finished paragraph becomes, from its properties and style.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum ParagraphKind {
    #[default]
    Plain,
    Styled(String),
    Heading(Option<u8>),
    ListItem {
        level: u8,
    },
}

/// A table open at one nesting level.
#[derive(Debug, Default)]
struct OpenTable {
    rows: Vec<Row>,
    cells: Vec<Cell>,
    /// The text of the cell being read; `None` until a paragraph or cell ends in it.
    cell: Option<String>,
}

impl OpenTable {
    fn cell_text(&mut self) -> &mut String {
        self.cell.get_or_insert_with(String::new)
    }

    fn append_line(&mut self, text: &str) {
        let cell = self.cell_text();
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(text);
    }

    fn end_cell(&mut self) {
        let text = self.cell.take().unwrap_or_default();
        self.cells.push(Cell::text(text.trim_end_matches('\n')));
    }

    fn end_row(&mut self) {
        if self
            .cell
            .as_ref()
            .is_some_and(|text| !text.trim().is_empty())
        {
            self.end_cell();
        }
        self.cell = None;
        if !self.cells.is_empty() {
            self.rows.push(Row {
                cells: std::mem::take(&mut self.cells),
            });
        }
    }

    fn finish(mut self) -> Table {
        self.end_row();
        Table {
            rows: self.rows,
            merged: Vec::new(),
        }
    }

    /// A nested table as the lines of its cell in the enclosing table.
    fn into_text(self) -> String {
        let table = self.finish();
        let lines: Vec<String> = table
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .map(|cell| cell.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect();
        lines.join("\n")
    }
}

#[derive(Debug)]
pub(crate) struct StoryBuilder {
    story: Story,
    paragraph: String,
    /// The list label (`\listtext`, `\pntext`) of the paragraph being read.
    label: Option<String>,
    /// `tables[0]` is the outermost open table.
    tables: Vec<OpenTable>,
}

impl StoryBuilder {
    pub(crate) fn new(kind: StoryKind, name: Option<&str>) -> StoryBuilder {
        let mut story = Story::new(kind);
        story.name = name.map(str::to_owned);
        StoryBuilder {
            story,
            paragraph: String::new(),
            label: None,
            tables: Vec::new(),
        }
    }

    pub(crate) fn kind(&self) -> StoryKind {
        self.story.kind
    }

    pub(crate) fn set_kind(&mut self, kind: StoryKind) {
        self.story.kind = kind;
    }

    pub(crate) fn push_text(&mut self, text: &str, budget: &mut Budget) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        budget.charge_chars(text.chars().count())?;
        self.paragraph.push_str(text);
        Ok(())
    }

    pub(crate) fn has_pending_text(&self) -> bool {
        !self.paragraph.trim().is_empty()
    }

    pub(crate) fn set_label(&mut self, label: String) {
        self.label = Some(label);
    }

    /// Ends the paragraph being read, at table nesting `level` (0: not in a table).
    pub(crate) fn end_paragraph(&mut self, kind: ParagraphKind, level: usize) {
        let taken = std::mem::take(&mut self.paragraph);
        let label = self.label.take();
        // A page or column break at either end of a paragraph is no text of it.
        let text = taken.trim_matches('\n').to_owned();
        if level == 0 {
            self.close_tables();
            if text.trim().is_empty() {
                return;
            }
            let block = match kind {
                ParagraphKind::Plain => Block::paragraph(text),
                ParagraphKind::Styled(style) => Block::Paragraph {
                    text,
                    style: Some(style),
                },
                ParagraphKind::Heading(level) => Block::Heading { level, text },
                ParagraphKind::ListItem { level } => Block::ListItem {
                    level,
                    text,
                    label: label.filter(|label| !label.is_empty()),
                },
            };
            self.story.blocks.push(block);
        } else {
            if let Some(table) = self.table_at(level) {
                table.append_line(&text);
            }
        }
    }

    /// Ends a cell at nesting `level` (1: `\cell`, deeper: `\nestcell`); text not yet ended by
    /// a paragraph mark is the cell's last line.
    pub(crate) fn end_cell(&mut self, level: usize) {
        let text = std::mem::take(&mut self.paragraph);
        self.label = None;
        if let Some(table) = self.table_at(level) {
            if !text.is_empty() {
                table.append_line(&text);
            }
            table.end_cell();
        }
    }

    pub(crate) fn end_row(&mut self, level: usize) {
        let pending = std::mem::take(&mut self.paragraph);
        if let Some(table) = self.table_at(level) {
            if !pending.trim().is_empty() {
                table.append_line(&pending);
            }
            table.end_row();
        }
    }

    /// The open table at `level` (1-based), opening the missing levels and folding any deeper
    /// table into its current cell.
    fn table_at(&mut self, level: usize) -> Option<&mut OpenTable> {
        let level = level.max(1);
        while self.tables.len() > level {
            let Some(inner) = self.tables.pop() else {
                break;
            };
            let text = inner.into_text();
            if let Some(outer) = self.tables.last_mut()
                && !text.trim().is_empty()
            {
                outer.append_line(&text);
            }
        }
        while self.tables.len() < level {
            self.tables.push(OpenTable::default());
        }
        // `tables.len() == level` here: the lookup always succeeds.
        self.tables.get_mut(level - 1)
    }

    fn close_tables(&mut self) {
        if self.tables.is_empty() {
            return;
        }
        // Fold nested levels into the outermost, then emit it.
        let _ = self.table_at(1);
        if let Some(outer) = self.tables.pop() {
            let table = outer.finish();
            if !table.rows.is_empty() {
                self.story.blocks.push(Block::Table(table));
            }
        }
    }

    /// Ends the story: text not closed by a paragraph mark is its last paragraph.
    pub(crate) fn finish(mut self, kind: ParagraphKind) -> Story {
        if !self.paragraph.trim().is_empty() {
            let level = if self.tables.is_empty() {
                0
            } else {
                self.tables.len()
            };
            if level > 0 {
                self.end_row(level);
            } else {
                self.end_paragraph(kind, 0);
            }
        }
        self.close_tables();
        self.story
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_document::Limits;

    fn cells(story: &Story) -> Vec<Vec<Vec<String>>> {
        story
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Table(table) => Some(
                    table
                        .rows
                        .iter()
                        .map(|row| row.cells.iter().map(|c| c.text.clone()).collect())
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn cells_rows_and_a_nested_table() {
        let mut budget = Budget::new(&Limits::default());
        let mut builder = StoryBuilder::new(StoryKind::Body, None);
        builder.push_text("Nom", &mut budget).unwrap();
        builder.end_cell(1);
        builder.push_text("Atelier", &mut budget).unwrap();
        builder.end_paragraph(ParagraphKind::Plain, 1);
        builder.push_text("partagé", &mut budget).unwrap();
        builder.end_cell(1);
        builder.end_row(1);
        builder.push_text("a", &mut budget).unwrap();
        builder.end_cell(2);
        builder.push_text("b", &mut budget).unwrap();
        builder.end_cell(2);
        builder.end_row(2);
        builder.push_text("after", &mut budget).unwrap();
        builder.end_cell(1);
        builder.end_row(1);
        builder.push_text("Fin", &mut budget).unwrap();
        builder.end_paragraph(ParagraphKind::Plain, 0);
        let story = builder.finish(ParagraphKind::Plain);
        assert_eq!(
            cells(&story),
            [[
                vec!["Nom".to_owned(), "Atelier\npartagé".to_owned()],
                vec!["a\tb\nafter".to_owned()]
            ]]
        );
        assert_eq!(story.blocks.last(), Some(&Block::paragraph("Fin")));
    }
}
