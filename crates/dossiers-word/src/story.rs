//! The block builder both XML walkers share. A walker sees paragraphs open and close, tables,
//! rows and cells open and close, and text arrive; this turns that stream into the blocks of one
//! [`Story`]. It exists so that the docx and odt walkers only decide *what* an element means and
//! never re-implement table flattening, paragraph nesting or budget charging.

use dossiers_document::{Block, Budget, Cell, Result, Row, Story, StoryKind, Table};

/// What a finished paragraph becomes, decided by the walker from its properties.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum ParagraphKind {
    #[default]
    Plain,
    Styled(String),
    Heading(Option<u8>),
    ListItem {
        level: u8,
        label: Option<String>,
    },
}

/// A paragraph being read. Paragraphs nest when a text box or a note sits inside one: the
/// outer paragraph waits on the stack while the inner ones complete.
#[derive(Debug, Default)]
struct OpenParagraph {
    text: String,
}

/// A table being read. Only the outermost table of a story builds a [`Table`]; tables nested in
/// one of its cells are flattened into that cell's text, which is what a reader of a dossier
/// needs and keeps the model two-dimensional.
#[derive(Debug, Default)]
struct OpenTable {
    table: Table,
    row: Option<Row>,
    cell: Option<String>,
}

#[derive(Debug)]
pub(crate) struct StoryBuilder {
    story: Story,
    paragraphs: Vec<OpenParagraph>,
    table: Option<OpenTable>,
    /// How many tables are open, the outermost included.
    table_depth: usize,
}

impl StoryBuilder {
    pub(crate) fn new(kind: StoryKind, name: Option<String>) -> StoryBuilder {
        let mut story = Story::new(kind);
        story.name = name;
        StoryBuilder {
            story,
            paragraphs: Vec::new(),
            table: None,
            table_depth: 0,
        }
    }

    pub(crate) fn in_paragraph(&self) -> bool {
        !self.paragraphs.is_empty()
    }

    pub(crate) fn start_paragraph(&mut self) {
        self.paragraphs.push(OpenParagraph::default());
    }

    /// Appends kept text to the innermost open paragraph (text outside any paragraph, which
    /// well-formed files do not have, opens one so that it is not lost).
    pub(crate) fn push_text(&mut self, text: &str, budget: &mut Budget) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        budget.charge_chars(text.chars().count())?;
        if self.paragraphs.is_empty() {
            self.start_paragraph();
        }
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.text.push_str(text);
        }
        Ok(())
    }

    pub(crate) fn push_char(&mut self, ch: char, budget: &mut Budget) -> Result<()> {
        budget.charge_chars(1)?;
        if self.paragraphs.is_empty() {
            self.start_paragraph();
        }
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.text.push(ch);
        }
        Ok(())
    }

    /// The text of the innermost open paragraph so far.
    pub(crate) fn current_text(&self) -> &str {
        self.paragraphs.last().map_or("", |p| p.text.as_str())
    }

    /// Closes the innermost paragraph as a block of `kind`. Blank paragraphs are dropped outside
    /// tables (they carry no text); inside a cell they still separate lines.
    pub(crate) fn end_paragraph(&mut self, kind: ParagraphKind) {
        let Some(paragraph) = self.paragraphs.pop() else {
            return;
        };
        let text = paragraph.text;
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            if !cell.is_empty() {
                cell.push('\n');
            }
            cell.push_str(text.trim_end_matches('\n'));
            return;
        }
        if text.trim().is_empty() {
            return;
        }
        let block = match kind {
            ParagraphKind::Plain => Block::Paragraph { text, style: None },
            ParagraphKind::Styled(style) => Block::Paragraph {
                text,
                style: Some(style),
            },
            ParagraphKind::Heading(level) => Block::Heading { level, text },
            ParagraphKind::ListItem { level, label } => Block::ListItem { level, text, label },
        };
        self.push_block(block);
    }

    fn push_block(&mut self, block: Block) {
        // A table that never got a cell (malformed) still must not swallow the block.
        self.story.blocks.push(block);
    }

    pub(crate) fn start_table(&mut self) {
        self.table_depth += 1;
        if self.table_depth == 1 {
            self.table = Some(OpenTable::default());
        }
    }

    pub(crate) fn end_table(&mut self) {
        match self.table_depth {
            0 => {}
            1 => {
                self.table_depth = 0;
                if let Some(mut open) = self.table.take() {
                    close_row(&mut open);
                    if !open.table.rows.is_empty() {
                        self.story.blocks.push(Block::Table(open.table));
                    }
                }
            }
            _ => self.table_depth -= 1,
        }
    }

    pub(crate) fn start_row(&mut self) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
        {
            close_row(open);
            open.row = Some(Row::default());
        }
    }

    pub(crate) fn end_row(&mut self) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
        {
            close_row(open);
        }
    }

    pub(crate) fn start_cell(&mut self) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
        {
            close_cell(open);
            open.cell = Some(String::new());
        }
        // Cells of a nested table need nothing here: their paragraphs become lines of the
        // outer cell.
    }

    pub(crate) fn end_cell(&mut self) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
        {
            close_cell(open);
        }
    }

    /// Adds `n` empty cells to the current row (ODF repeated or covered cells).
    pub(crate) fn push_empty_cells(&mut self, n: usize) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
        {
            close_cell(open);
            let row = open.row.get_or_insert_with(Row::default);
            row.cells
                .extend(std::iter::repeat_with(Cell::default).take(n));
        }
    }

    /// Repeats the last finished row `n` more times (ODF `number-rows-repeated`).
    pub(crate) fn repeat_last_row(&mut self, n: usize) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
            && let Some(last) = open.table.rows.last().cloned()
        {
            open.table.rows.extend(std::iter::repeat_n(last, n));
        }
    }

    /// Closes whatever is still open (truncated input) and returns the story.
    pub(crate) fn finish(mut self) -> Story {
        while !self.paragraphs.is_empty() {
            self.end_paragraph(ParagraphKind::Plain);
        }
        while self.table_depth > 0 {
            self.end_table();
        }
        self.story
    }
}

fn close_cell(open: &mut OpenTable) {
    if let Some(text) = open.cell.take() {
        let row = open.row.get_or_insert_with(Row::default);
        row.cells.push(Cell::text(text));
    }
}

fn close_row(open: &mut OpenTable) {
    close_cell(open);
    if let Some(row) = open.row.take() {
        open.table.rows.push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_document::Limits;

    #[test]
    fn nested_tables_are_flattened_into_the_outer_cell() {
        let mut budget = Budget::new(&Limits::default());
        let mut b = StoryBuilder::new(StoryKind::Body, None);
        b.start_table();
        b.start_row();
        b.start_cell();
        b.start_paragraph();
        b.push_text("outer", &mut budget).unwrap();
        b.end_paragraph(ParagraphKind::Plain);
        b.start_table();
        b.start_row();
        b.start_cell();
        b.start_paragraph();
        b.push_text("inner", &mut budget).unwrap();
        b.end_paragraph(ParagraphKind::Plain);
        b.end_cell();
        b.end_row();
        b.end_table();
        b.end_cell();
        b.end_row();
        b.end_table();
        let story = b.finish();
        let Block::Table(table) = &story.blocks[0] else {
            panic!("expected a table: {:?}", story.blocks);
        };
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cells[0].text, "outer\ninner");
    }
}
