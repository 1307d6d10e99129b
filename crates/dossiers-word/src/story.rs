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
    /// Vertical merges still growing (docx `w:vMerge`), closed when a column's run ends.
    vertical: Vec<VerticalRun>,
}

/// A docx vertical merge: `columns` wide from `column`, rows `first..=last`.
#[derive(Debug)]
struct VerticalRun {
    column: usize,
    columns: usize,
    first: usize,
    last: usize,
}

/// How a docx cell takes part in a vertical merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VerticalMerge {
    Restart,
    Continue,
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
                    let runs = std::mem::take(&mut open.vertical);
                    for run in runs {
                        close_run(&mut open.table, run);
                    }
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

    /// Ends an ODF cell that spans `columns` × `rows`: the covered cells that follow in the
    /// file keep the grid aligned, so only the merged range is recorded.
    pub(crate) fn end_spanning_cell(&mut self, columns: usize, rows: usize) {
        if self.table_depth == 1
            && let Some(open) = self.table.as_mut()
        {
            close_cell(open);
            if (columns > 1 || rows > 1)
                && let Some((row, column)) = last_cell_position(open)
            {
                let range = a1_range(column, row, column + columns - 1, row + rows - 1);
                open.table.merged.push(range);
            }
        }
    }

    /// Ends a docx cell. A docx row has one `w:tc` per visible cell, so a cell spanning
    /// `columns` grid columns is followed by empty cells to keep the columns of all rows
    /// aligned; the horizontal and vertical merges are recorded as ranges.
    pub(crate) fn end_grid_cell(&mut self, columns: usize, vertical: Option<VerticalMerge>) {
        if self.table_depth != 1 {
            return;
        }
        let Some(open) = self.table.as_mut() else {
            return;
        };
        close_cell(open);
        let Some((row, column)) = last_cell_position(open) else {
            return;
        };
        let columns = columns.max(1);
        if let Some(cells) = open.row.as_mut().map(|row| &mut row.cells) {
            cells.extend(std::iter::repeat_with(Cell::default).take(columns - 1));
        }
        let running = open.vertical.iter().position(|run| run.column == column);
        match vertical {
            Some(VerticalMerge::Continue) => {
                if let Some(run) = running.and_then(|i| open.vertical.get_mut(i)) {
                    run.last = row;
                }
            }
            Some(VerticalMerge::Restart) => {
                if let Some(i) = running {
                    let run = open.vertical.swap_remove(i);
                    close_run(&mut open.table, run);
                }
                open.vertical.push(VerticalRun {
                    column,
                    columns,
                    first: row,
                    last: row,
                });
            }
            None => {
                if let Some(i) = running {
                    let run = open.vertical.swap_remove(i);
                    close_run(&mut open.table, run);
                }
                if columns > 1 {
                    let range = a1_range(column, row, column + columns - 1, row);
                    open.table.merged.push(range);
                }
            }
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

/// Row and column (0-based) of the cell just closed.
fn last_cell_position(open: &OpenTable) -> Option<(usize, usize)> {
    let cells = open.row.as_ref()?.cells.len();
    Some((open.table.rows.len(), cells.checked_sub(1)?))
}

fn close_run(table: &mut Table, run: VerticalRun) {
    if run.last > run.first || run.columns > 1 {
        let range = a1_range(
            run.column,
            run.first,
            run.column + run.columns - 1,
            run.last,
        );
        table.merged.push(range);
    }
}

/// `A1:C2` from 0-based corners.
fn a1_range(first_column: usize, first_row: usize, last_column: usize, last_row: usize) -> String {
    format!(
        "{}{}:{}{}",
        column_letters(first_column),
        first_row + 1,
        column_letters(last_column),
        last_row + 1
    )
}

fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (column % 26) as u8));
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.iter().rev().collect()
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
    fn column_letters_follow_spreadsheet_notation() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(a1_range(1, 0, 2, 3), "B1:C4");
    }

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
        b.end_grid_cell(1, None);
        b.end_row();
        b.end_table();
        b.end_grid_cell(1, None);
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
