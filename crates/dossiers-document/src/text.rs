//! The plain-text form of a [`Document`]: the body in reading order, tables as tab-separated
//! rows, then every other story after a `--- <story> ---` line.

use std::fmt::Write;

use crate::{Block, Document, Story, StoryKind};

#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    /// Print a `--- <story> ---` line before each story but the body. Turned off to compare
    /// with reference texts that carry no such labels.
    pub labels: bool,
}

impl Default for TextOptions {
    fn default() -> TextOptions {
        TextOptions { labels: true }
    }
}

pub fn render_text(document: &Document, options: TextOptions) -> String {
    let mut out = String::with_capacity(document.n_chars() + 256);
    let body = document.stories_of(StoryKind::Body);
    let others = document
        .stories
        .iter()
        .filter(|story| story.kind != StoryKind::Body);
    for story in body {
        render_story(&mut out, story);
    }
    for story in others {
        if options.labels {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            let _ = write!(out, "--- {}", story.kind.name());
            if let Some(name) = &story.name {
                let _ = write!(out, ": {name}");
            }
            if story.hidden {
                out.push_str(" (hidden)");
            }
            out.push_str(" ---\n");
        }
        render_story(&mut out, story);
    }
    out
}

fn render_story(out: &mut String, story: &Story) {
    for block in &story.blocks {
        match block {
            Block::Heading { text, .. } | Block::Paragraph { text, .. } => {
                out.push_str(text);
                out.push('\n');
            }
            Block::ListItem { level, text, label } => {
                for _ in 0..*level {
                    out.push_str("  ");
                }
                if let Some(label) = label {
                    out.push_str(label);
                    out.push(' ');
                }
                out.push_str(text);
                out.push('\n');
            }
            Block::Table(table) => {
                for row in &table.rows {
                    for (i, cell) in row.cells.iter().enumerate() {
                        if i > 0 {
                            out.push('\t');
                        }
                        push_cell_text(out, &cell.text);
                    }
                    out.push('\n');
                }
            }
        }
    }
}

/// A cell stays on one line: its own line breaks and tabs become spaces.
fn push_cell_text(out: &mut String, text: &str) {
    for ch in text.trim_end().chars() {
        out.push(match ch {
            '\n' | '\r' | '\t' => ' ',
            other => other,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cell, Format, Row, Table};

    #[test]
    fn body_first_then_labelled_stories_with_tables_as_tsv() {
        let mut document = Document::new(Format::Docx);
        let mut footer = Story::new(StoryKind::Footer);
        footer.blocks.push(Block::paragraph("Page 1"));
        document.stories.push(footer);
        let mut body = Story::new(StoryKind::Body);
        body.blocks.push(Block::Heading {
            level: Some(1),
            text: "Projet".into(),
        });
        body.blocks.push(Block::Table(Table {
            rows: vec![Row {
                cells: vec![Cell::text("Surface"), Cell::text("1 200\nm²")],
            }],
            merged: vec![],
        }));
        document.stories.push(body);
        let text = render_text(&document, TextOptions::default());
        assert_eq!(
            text,
            "Projet\nSurface\t1 200 m²\n\n--- footer ---\nPage 1\n"
        );
        let bare = render_text(&document, TextOptions { labels: false });
        assert_eq!(bare, "Projet\nSurface\t1 200 m²\nPage 1\n");
    }
}
