//! The format-neutral document model and its stable JSON form.
//!
//! JSON stability: field and variant names are snake_case and only ever added to; empty optional
//! parts are left out so that snapshots stay short.

use serde::{Deserialize, Serialize};

/// The format a file was read as, detected from its bytes (never from its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Doc,
    Docx,
    Odt,
    Xls,
    Xlsx,
    Ods,
    Rtf,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Doc => "doc",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Xls => "xls",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Rtf => "rtf",
        }
    }

    /// True for the word-processing formats, false for the spreadsheets.
    pub fn is_text_document(self) -> bool {
        matches!(self, Format::Doc | Format::Docx | Format::Odt | Format::Rtf)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One extracted file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub format: Format,
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// Stories in reading order: body stories first, then headers, footers, notes, comments and
    /// text boxes; a workbook has one `sheet` story per sheet, in workbook order.
    pub stories: Vec<Story>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl Document {
    pub fn new(format: Format) -> Document {
        Document {
            format,
            metadata: Metadata::default(),
            stories: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn warn(&mut self, code: WarningCode, message: impl Into<String>) {
        self.warnings.push(Warning {
            code,
            message: message.into(),
        });
    }

    /// Appends a story unless it has no text at all.
    pub fn push_story(&mut self, story: Story) {
        if story.has_text() {
            self.stories.push(story);
        }
    }

    pub fn stories_of(&self, kind: StoryKind) -> impl Iterator<Item = &Story> {
        self.stories.iter().filter(move |story| story.kind == kind)
    }

    /// True when at least one block holds a non-blank character.
    pub fn has_text(&self) -> bool {
        self.stories.iter().any(Story::has_text)
    }

    /// Number of characters of text over all stories.
    pub fn n_chars(&self) -> usize {
        self.stories
            .iter()
            .flat_map(|story| &story.blocks)
            .map(Block::n_chars)
            .sum()
    }
}

/// Document properties, as far as the file gives them. Dates are ISO 8601 (UTC when the format
/// says so, else as written).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub characters: Option<u64>,
}

impl Metadata {
    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

/// Where a story sits in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryKind {
    Body,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
    TextBox,
    Sheet,
}

impl StoryKind {
    pub fn name(self) -> &'static str {
        match self {
            StoryKind::Body => "body",
            StoryKind::Header => "header",
            StoryKind::Footer => "footer",
            StoryKind::Footnote => "footnote",
            StoryKind::Endnote => "endnote",
            StoryKind::Comment => "comment",
            StoryKind::TextBox => "text_box",
            StoryKind::Sheet => "sheet",
        }
    }
}

/// A run of blocks of one kind: the body, one header, all footnotes, one sheet…
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub kind: StoryKind,
    /// The sheet's name, or what tells two stories of a kind apart (e.g. `first page`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A hidden sheet (or hidden story).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    pub blocks: Vec<Block>,
}

impl Story {
    pub fn new(kind: StoryKind) -> Story {
        Story {
            kind,
            name: None,
            hidden: false,
            blocks: Vec::new(),
        }
    }

    pub fn named(kind: StoryKind, name: impl Into<String>) -> Story {
        Story {
            name: Some(name.into()),
            ..Story::new(kind)
        }
    }

    pub fn has_text(&self) -> bool {
        self.blocks.iter().any(Block::has_text)
    }
}

/// A unit of text in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading; `level` is 1 for the top level, when the file says.
    Heading {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<u8>,
        text: String,
    },
    Paragraph {
        text: String,
        /// The paragraph style's name, when the file has one other than the default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        style: Option<String>,
    },
    /// An item of a bulleted or numbered list; `level` is 0 for the outermost list.
    ListItem {
        level: u8,
        text: String,
        /// The rendered number or bullet (`1.`, `a)`, `•`) when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    Table(Table),
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph {
            text: text.into(),
            style: None,
        }
    }

    /// The text of a heading, paragraph or list item; `None` for a table.
    pub fn text(&self) -> Option<&str> {
        match self {
            Block::Heading { text, .. }
            | Block::Paragraph { text, .. }
            | Block::ListItem { text, .. } => Some(text),
            Block::Table(_) => None,
        }
    }

    pub fn has_text(&self) -> bool {
        match self {
            Block::Table(table) => table
                .rows
                .iter()
                .flat_map(|row| &row.cells)
                .any(|cell| !cell.text.trim().is_empty()),
            other => other.text().is_some_and(|text| !text.trim().is_empty()),
        }
    }

    pub fn n_chars(&self) -> usize {
        match self {
            Block::Table(table) => table
                .rows
                .iter()
                .flat_map(|row| &row.cells)
                .map(|cell| cell.text.chars().count())
                .sum(),
            other => other.text().map_or(0, |text| text.chars().count()),
        }
    }
}

/// A table: rows of cells. In a workbook, one table holds a whole sheet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Merged ranges in A1 notation (`A1:D1`), when the format gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// One cell. `text` is what a reader sees; in a workbook `address` is the A1 reference
/// (`E41`, the sheet is the story's name) and `value` the typed cached value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<CellValue>,
    /// The formula whose cached value `value` is, when the reader keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }
}

/// The 0-based column of an A1 address (`E41` → 4, `AB12` → 27); `None` without letters or
/// past what a `usize` holds.
pub fn a1_column(address: &str) -> Option<usize> {
    let letters = address.bytes().take_while(u8::is_ascii_alphabetic);
    let mut column = 0usize;
    let mut any = false;
    for letter in letters {
        any = true;
        column = column
            .checked_mul(26)?
            .checked_add(usize::from(letter.to_ascii_uppercase() - b'A') + 1)?;
    }
    if any { column.checked_sub(1) } else { None }
}

/// A typed spreadsheet value. Text cells have no `value`: their `text` is the value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellValue {
    Number(f64),
    Bool(bool),
    /// ISO 8601 date (`2022-01-13`) or date-time (`2022-01-13T12:00:00`).
    Date(String),
    /// ISO 8601 duration (`PT1H30M`).
    Duration(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

/// Something the reader noticed and the user may want to know: the text is still usable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// A Word 6/95 (or other pre-97) file: text only, with less structure.
    LegacyFormat,
    /// The file's name says one format and its bytes another.
    MisnamedFile,
    /// A part of the file (a header, the notes, the properties…) could not be read and was left out.
    PartSkipped,
    /// The file is damaged but some or all of its text was recovered.
    Recovered,
    /// A limit was reached and the rest of a part was left out.
    Truncated,
    /// A workbook holds hidden sheets (they are extracted and flagged).
    HiddenSheet,
    Other,
}
