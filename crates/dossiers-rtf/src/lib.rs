//! A reader for RTF (Rich Text Format), the format Word's « Enregistrer sous » writes when an
//! applicant picks « Texte mis en forme (RTF) » and keeps the `.doc` name.
//!
//! RTF is a stream of groups and control words. The reader walks it once, keeping a stack of
//! group states (destination, font, paragraph properties, Unicode fallback count) and sends
//! text to where the current destination says: a story (body, header, footer, footnote,
//! comment, text box), the document properties (`\info`), the font table or the style sheet,
//! or nowhere (pictures, objects' data, bookmarks, any `\*` destination it does not know).
//! Bytes written as `\'hh` or raw are decoded in the code page of the current font (`\fcharset`,
//! `\cpg`) or of the document (`\ansicpg`), double-byte code pages included; `\uN` gives a
//! character directly and its fallback (`\ucN` characters) is skipped. Fields keep their
//! result, form check boxes become ☒ / ☐. Tables come from `\cell` / `\row` marks; headings
//! from `\outlinelevel` or the style's name.
//!
//! It is a pure function of the bytes and [`Limits`]: no recursion (the group stack is a
//! vector bounded by `max_xml_depth`), every character charged to the [`Budget`], every byte
//! access checked. The code is ours; only facts of the RTF 1.9.1 specification carry over.

mod codepage;
mod lexer;
mod story;
mod tables;

use dossiers_document::{
    Budget, Document, ExtractError, Format, Limits, Metadata, Result, Story, StoryKind, WarningCode,
};

use crate::codepage::{Charset, decode_into, encoding_of_codepage, private_use_symbol};
use crate::lexer::{Lexer, Token};
use crate::story::{ParagraphKind, StoryBuilder};
use crate::tables::{Fonts, Styles, outline_to_heading};

/// How far into the file a `{\rtf` header is looked for (after junk such as a mail header).
const MAX_JUNK_BEFORE_HEADER: usize = 1024;
/// Longest field instruction, list label or property text kept.
const MAX_SIDE_TEXT: usize = 4096;
/// Most `\ucN` fallback characters honoured.
const MAX_FALLBACK: u32 = 16;

/// Reads an RTF document.
pub fn read_rtf(bytes: &[u8], limits: &Limits) -> Result<Document> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ExtractError::too_large(
            "input size in bytes",
            limits.max_input_bytes,
        ));
    }
    let (start, skipped) = header_offset(bytes)?;
    let body = bytes.get(start..).unwrap_or_default();
    let mut reader = Reader::new(body, limits);
    if skipped > 0 {
        reader.document.warn(
            WarningCode::Recovered,
            format!("{skipped} bytes before the {{\\rtf header were skipped"),
        );
    }
    match reader.run() {
        Ok(()) => Ok(reader.finish()),
        Err(error) => {
            let partial = reader.finish();
            Err(error.with_partial(partial))
        }
    }
}

/// Where `{\rtf` starts, and how many bytes that are not blank or a byte-order mark precede it.
fn header_offset(bytes: &[u8]) -> Result<(usize, usize)> {
    let lead = bytes
        .iter()
        .take_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF | 0))
        .count();
    let rest = bytes.get(lead..).unwrap_or_default();
    if rest.is_empty() {
        return Err(ExtractError::corrupt("empty file"));
    }
    if rest.starts_with(b"{\\rtf") {
        return Ok((lead, 0));
    }
    let window = rest.get(..MAX_JUNK_BEFORE_HEADER).unwrap_or(rest);
    match window.windows(5).position(|w| w == b"{\\rtf") {
        Some(at) => Ok((lead + at, at)),
        None => Err(ExtractError::corrupt(
            "not an RTF file: no {\\rtf header at the start",
        )),
    }
}

/// Where the text of a group goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dest {
    /// Into the group's story.
    Text,
    /// Nowhere, nested groups included.
    Skip,
    /// Nowhere, but a nested `\result` (object) or `\ud` (Unicode alternative) or a text box
    /// brings text back.
    Hold,
    FontTable,
    StyleSheet,
    Info,
    InfoText,
    InfoDate,
    FieldInst(usize),
    FormField(usize),
    FormList(usize),
    Label,
}

/// What closing a group completes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opened {
    Nothing,
    Story,
    Field(usize),
    FontEntry,
    StyleEntry,
    Info(InfoField),
    Date(DateField),
    FormItem(usize),
    Label,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InfoField {
    Title,
    Subject,
    Author,
    Operator,
    Company,
    Generator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateField {
    Created,
    Modified,
}

/// Paragraph properties (reset by `\pard`).
#[derive(Clone, Copy, Debug, Default)]
struct Para {
    style: i32,
    outline: Option<i32>,
    in_table: bool,
    nesting: u16,
    list: bool,
    list_level: u8,
}

impl Para {
    /// Table nesting of the paragraph: 0 outside tables.
    fn table_level(&self) -> usize {
        if self.nesting > 0 {
            usize::from(self.nesting)
        } else {
            usize::from(self.in_table)
        }
    }
}

/// The state a group inherits from its parent and restores on close.
#[derive(Clone, Copy, Debug)]
struct Group {
    dest: Dest,
    /// Index of the group's story in `Reader::stories`.
    story: usize,
    /// The field this group belongs to, for `\fldinst` / `\formfield`.
    field: Option<usize>,
    fallback: u32,
    font: Option<i32>,
    deleted: bool,
    para: Para,
    opened: Opened,
    /// A `\*` was just read: the next control word must be a destination we know.
    star: bool,
}

#[derive(Debug, Default)]
struct Field {
    instruction: String,
    checkbox_result: Option<i32>,
    checkbox_default: Option<i32>,
    items: Vec<String>,
}

#[derive(Debug, Default)]
struct DateParts {
    year: i32,
    month: i32,
    day: i32,
    hour: i32,
    minute: i32,
}

struct Reader<'a> {
    lexer: Lexer<'a>,
    budget: Budget,
    max_depth: usize,
    stack: Vec<Group>,
    document: Document,
    /// Open stories; `stories[0]` is the body, the others are open groups (a header, a
    /// footnote…) and close with them.
    stories: Vec<StoryBuilder>,
    done: Vec<Story>,
    fonts: Fonts,
    styles: Styles,
    document_charset: Option<Charset>,
    /// The charset `\ansi` / `\mac` / `\pc` named, used when `\ansicpg` does not say.
    legacy_charset: Option<Charset>,
    default_font: Option<i32>,
    /// Bytes waiting to be decoded together (a double-byte character may come as two `\'hh`).
    pending: Vec<u8>,
    pending_charset: Option<Charset>,
    /// Fallback characters of the last `\uN` still to skip.
    skipping: u32,
    high_surrogate: Option<u16>,
    fields: Vec<Field>,
    side_text: String,
    date: DateParts,
    root_closed: bool,
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("offset", &self.lexer.offset())
            .field("depth", &self.stack.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], limits: &Limits) -> Reader<'a> {
        Reader {
            lexer: Lexer::new(bytes),
            budget: Budget::new(limits),
            max_depth: limits.max_xml_depth.max(8),
            stack: Vec::new(),
            document: Document::new(Format::Rtf),
            stories: vec![StoryBuilder::new(StoryKind::Body, None)],
            done: Vec::new(),
            fonts: Fonts::default(),
            styles: Styles::default(),
            document_charset: None,
            legacy_charset: None,
            default_font: None,
            pending: Vec::new(),
            pending_charset: None,
            skipping: 0,
            high_surrogate: None,
            fields: Vec::new(),
            side_text: String::new(),
            date: DateParts::default(),
            root_closed: false,
        }
    }

    fn run(&mut self) -> Result<()> {
        while !self.root_closed {
            let Some(token) = self.lexer.next_token() else {
                break;
            };
            self.budget.tick()?;
            match token {
                Token::Text(bytes) => self.bytes(bytes)?,
                Token::Hex(byte) => self.bytes(&[byte])?,
                Token::Bin(_) => {
                    // Binary data only occurs in pictures and objects; it counts as one
                    // fallback character.
                    self.skipping = self.skipping.saturating_sub(1);
                }
                Token::Open => {
                    self.flush()?;
                    self.open_group()?;
                }
                Token::Close => {
                    self.flush()?;
                    self.close_group()?;
                }
                Token::Word { name, param } => {
                    self.flush()?;
                    self.word(name, param)?;
                }
                Token::Symbol(symbol) => {
                    self.flush()?;
                    self.symbol(symbol)?;
                }
            }
        }
        self.flush()?;
        if !self.root_closed {
            let open = self.stack.len();
            if open > 0 {
                self.document.warn(
                    WarningCode::Recovered,
                    format!("the file ends inside {open} open groups (truncated?)"),
                );
            }
            while !self.stack.is_empty() {
                self.close_group()?;
            }
        }
        Ok(())
    }

    /// Builds the document from what was read; also called after an error, for the partial
    /// text.
    fn finish(&mut self) -> Document {
        let _ = self.flush();
        while self.stories.len() > 1 {
            if let Some(builder) = self.stories.pop() {
                let story = builder.finish(ParagraphKind::Plain);
                self.store_story(story);
            }
        }
        let mut document = std::mem::replace(&mut self.document, Document::new(Format::Rtf));
        if let Some(body) = self.stories.pop() {
            document.push_story(body.finish(ParagraphKind::Plain));
        }
        let mut others = std::mem::take(&mut self.done);
        others.sort_by_key(|story| story_rank(story.kind));
        for story in others {
            document.push_story(story);
        }
        document
    }

    fn store_story(&mut self, story: Story) {
        let merge = matches!(
            story.kind,
            StoryKind::Footnote | StoryKind::Endnote | StoryKind::Comment | StoryKind::TextBox
        );
        if merge && let Some(existing) = self.done.iter_mut().find(|s| s.kind == story.kind) {
            existing.blocks.extend(story.blocks);
            return;
        }
        self.done.push(story);
    }

    fn top(&self) -> Option<&Group> {
        self.stack.last()
    }

    fn top_mut(&mut self) -> Option<&mut Group> {
        self.stack.last_mut()
    }

    fn dest(&self) -> Dest {
        self.top().map_or(Dest::Text, |g| g.dest)
    }

    fn open_group(&mut self) -> Result<()> {
        if self.stack.len() >= self.max_depth {
            return Err(ExtractError::too_large(
                "RTF group nesting depth",
                self.max_depth as u64,
            ));
        }
        // A `\uN` fallback never runs across a group boundary.
        self.skipping = 0;
        let mut group = self.top().copied().unwrap_or(Group {
            dest: Dest::Text,
            story: 0,
            field: None,
            fallback: 1,
            font: None,
            deleted: false,
            para: Para::default(),
            opened: Opened::Nothing,
            star: false,
        });
        group.opened = Opened::Nothing;
        group.star = false;
        match group.dest {
            Dest::FontTable => {
                self.fonts.start_entry();
                group.opened = Opened::FontEntry;
            }
            Dest::StyleSheet => {
                self.styles.start_entry();
                group.opened = Opened::StyleEntry;
            }
            _ => {}
        }
        self.stack.push(group);
        Ok(())
    }

    fn close_group(&mut self) -> Result<()> {
        self.skipping = 0;
        let Some(group) = self.stack.pop() else {
            return Ok(());
        };
        match group.opened {
            Opened::Nothing => {}
            Opened::Story => {
                if self.stories.len() > 1
                    && let Some(builder) = self.stories.pop()
                {
                    let story = builder.finish(ParagraphKind::Plain);
                    self.store_story(story);
                }
            }
            Opened::Field(index) => self.end_field(index)?,
            Opened::FontEntry => self.fonts.commit(),
            Opened::StyleEntry => self.styles.commit(),
            Opened::Info(field) => {
                let text = std::mem::take(&mut self.side_text);
                let text = text.trim();
                if !text.is_empty() {
                    let text = Some(text.to_owned());
                    let metadata = &mut self.document.metadata;
                    match field {
                        InfoField::Title => metadata.title = text,
                        InfoField::Subject => metadata.subject = text,
                        InfoField::Author => metadata.author = text,
                        InfoField::Operator => metadata.last_modified_by = text,
                        InfoField::Company => metadata.company = text,
                        InfoField::Generator => {
                            metadata.application =
                                text.map(|t| t.trim_end_matches(';').trim().to_owned())
                        }
                    }
                }
            }
            Opened::Date(field) => {
                let date = std::mem::take(&mut self.date);
                if let Some(iso) = iso_date(&date) {
                    match field {
                        DateField::Created => self.document.metadata.created = Some(iso),
                        DateField::Modified => self.document.metadata.modified = Some(iso),
                    }
                }
            }
            Opened::FormItem(index) => {
                let text = std::mem::take(&mut self.side_text);
                if let Some(field) = self.fields.get_mut(index)
                    && field.items.len() < 256
                {
                    field.items.push(text.trim().to_owned());
                }
            }
            Opened::Label => {
                let label = std::mem::take(&mut self.side_text);
                let label = label.trim().to_owned();
                if let Some(story) = self.stories.get_mut(group.story) {
                    story.set_label(label);
                }
            }
        }
        if self.stack.is_empty() {
            self.root_closed = true;
        }
        Ok(())
    }

    /// A form field's value, when its result holds no text: a check box's state, a drop-down's
    /// chosen entry.
    fn end_field(&mut self, index: usize) -> Result<()> {
        let Some(field) = self.fields.get(index) else {
            return Ok(());
        };
        let instruction = field.instruction.trim_start().to_ascii_uppercase();
        let chosen = field
            .checkbox_result
            .filter(|&value| value != 25)
            .or(field.checkbox_default);
        let value = if instruction.starts_with("FORMCHECKBOX") {
            Some(
                if chosen.unwrap_or(0) != 0 {
                    "☒"
                } else {
                    "☐"
                }
                .to_owned(),
            )
        } else if instruction.starts_with("FORMDROPDOWN") {
            chosen
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| field.items.get(i))
                .cloned()
        } else {
            None
        };
        if let Some(value) = value
            && self.dest() == Dest::Text
        {
            let story = self.top().map_or(0, |g| g.story);
            if let Some(builder) = self.stories.get_mut(story) {
                builder.push_text(&value, &mut self.budget)?;
            }
        }
        Ok(())
    }

    /// Plain or `\'hh` bytes: skipped as `\uN` fallback, or queued for decoding.
    fn bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let skip = usize::try_from(self.skipping).unwrap_or(usize::MAX);
        let skipped = skip.min(bytes.len());
        self.skipping = self.skipping.saturating_sub(skipped as u32);
        let bytes = bytes.get(skipped..).unwrap_or_default();
        if bytes.is_empty() || !self.takes_text() {
            return Ok(());
        }
        let charset = self.current_charset();
        if self.pending_charset != Some(charset) && !self.pending.is_empty() {
            self.flush()?;
        }
        self.pending_charset = Some(charset);
        self.pending.extend_from_slice(bytes);
        Ok(())
    }

    /// Whether text in the current group is kept anywhere.
    fn takes_text(&self) -> bool {
        match self.top() {
            None => true,
            Some(group) => match group.dest {
                Dest::Skip | Dest::Hold | Dest::Info | Dest::InfoDate | Dest::FormField(_) => false,
                Dest::Text => !group.deleted,
                _ => true,
            },
        }
    }

    fn document_charset(&self) -> Charset {
        self.document_charset
            .or(self.legacy_charset)
            .or_else(|| encoding_of_codepage(1252))
            .unwrap_or(Charset::Oem)
    }

    fn current_charset(&self) -> Charset {
        let font = self.top().and_then(|g| g.font).or(self.default_font);
        let in_text = matches!(self.dest(), Dest::Text | Dest::Label);
        font.filter(|_| in_text)
            .and_then(|id| self.fonts.charset(id))
            .unwrap_or_else(|| self.document_charset())
    }

    /// Decodes the queued bytes and delivers them.
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let charset = self
            .pending_charset
            .unwrap_or_else(|| self.document_charset());
        let mut text = String::with_capacity(self.pending.len());
        decode_into(charset, &self.pending, &mut text);
        self.pending.clear();
        self.deliver(&text, charset)
    }

    /// Sends decoded text to the current destination.
    fn deliver(&mut self, text: &str, charset: Charset) -> Result<()> {
        let Some(group) = self.top().copied() else {
            return Ok(());
        };
        match group.dest {
            Dest::Text => {
                if group.deleted {
                    return Ok(());
                }
                let Some(builder) = self.stories.get_mut(group.story) else {
                    return Ok(());
                };
                let clean = clean_text(text, charset);
                builder.push_text(&clean, &mut self.budget)?;
            }
            Dest::FontTable => self.fonts.push_text(text),
            Dest::StyleSheet => self.styles.push_text(text),
            Dest::InfoText | Dest::Label => push_bounded(&mut self.side_text, text),
            Dest::FormList(_) => push_bounded(&mut self.side_text, text),
            Dest::FieldInst(index) => {
                if let Some(field) = self.fields.get_mut(index) {
                    push_bounded(&mut field.instruction, text);
                }
            }
            Dest::Skip | Dest::Hold | Dest::Info | Dest::InfoDate | Dest::FormField(_) => {}
        }
        Ok(())
    }

    /// One character produced by a control word (`\tab`, `\emdash`, `\uN`…).
    fn push_char(&mut self, ch: char) -> Result<()> {
        let charset = self.current_charset();
        let mut buffer = [0u8; 4];
        self.deliver(ch.encode_utf8(&mut buffer), charset)
    }

    fn symbol(&mut self, symbol: u8) -> Result<()> {
        if symbol == b'*' {
            if let Some(group) = self.top_mut() {
                group.star = true;
            }
            return Ok(());
        }
        if self.dest() == Dest::Skip {
            return Ok(());
        }
        if symbol == b'\n' || symbol == b'\r' {
            self.skipping = 0;
            return self.end_paragraph();
        }
        if self.skipping > 0 {
            self.skipping -= 1;
            return Ok(());
        }
        match symbol {
            b'~' => self.push_char('\u{a0}'),
            b'_' => self.push_char('-'),
            b'\t' => self.push_char('\t'),
            // `\-` optional hyphen, `\:` index sub-entry, `\|` formula: nothing to read.
            _ => Ok(()),
        }
    }

    fn word(&mut self, name: &[u8], param: Option<i32>) -> Result<()> {
        let Some(group) = self.top().copied() else {
            return Ok(());
        };
        if group.star {
            if let Some(top) = self.top_mut() {
                top.star = false;
            }
            if !is_known_destination(name) {
                self.set_dest(Dest::Skip);
                return Ok(());
            }
        }
        if group.dest == Dest::Skip {
            return Ok(());
        }
        if self.skipping > 0 {
            if produces_char(name) {
                self.skipping -= 1;
                return Ok(());
            }
            self.skipping = 0;
        }
        if self.destination(name, group)? {
            return Ok(());
        }
        match group.dest {
            Dest::FontTable => self.font_table_word(name, param),
            Dest::StyleSheet => self.style_word(name, param),
            Dest::Info => self.info_word(name, param),
            Dest::InfoDate => self.date_word(name, param),
            Dest::FormField(index) => self.form_field_word(index, name, param),
            _ => self.text_word(name, param)?,
        }
        Ok(())
    }

    fn set_dest(&mut self, dest: Dest) {
        if let Some(group) = self.top_mut() {
            group.dest = dest;
        }
    }

    fn set_opened(&mut self, opened: Opened) {
        if let Some(group) = self.top_mut() {
            group.opened = opened;
        }
    }

    /// Handles a destination word; false when `name` is not one.
    fn destination(&mut self, name: &[u8], group: Group) -> Result<bool> {
        let in_text = matches!(group.dest, Dest::Text | Dest::Hold);
        match name {
            b"fonttbl" => self.set_dest(Dest::FontTable),
            b"stylesheet" => self.set_dest(Dest::StyleSheet),
            b"info" => self.set_dest(Dest::Info),
            b"title" | b"subject" | b"author" | b"operator" | b"company" => {
                if group.dest == Dest::Info {
                    let field = match name {
                        b"title" => InfoField::Title,
                        b"subject" => InfoField::Subject,
                        b"author" => InfoField::Author,
                        b"operator" => InfoField::Operator,
                        _ => InfoField::Company,
                    };
                    self.side_text.clear();
                    self.set_dest(Dest::InfoText);
                    self.set_opened(Opened::Info(field));
                } else {
                    self.set_dest(Dest::Skip);
                }
            }
            b"creatim" | b"revtim" if group.dest == Dest::Info => {
                self.date = DateParts::default();
                self.set_dest(Dest::InfoDate);
                self.set_opened(Opened::Date(if name == b"creatim" {
                    DateField::Created
                } else {
                    DateField::Modified
                }));
            }
            b"generator" => {
                self.side_text.clear();
                self.set_dest(Dest::InfoText);
                self.set_opened(Opened::Info(InfoField::Generator));
            }
            b"header" | b"headerl" | b"headerr" | b"headerf" | b"footer" | b"footerl"
            | b"footerr" | b"footerf" => {
                if in_text {
                    let kind = if name.starts_with(b"header") {
                        StoryKind::Header
                    } else {
                        StoryKind::Footer
                    };
                    let story_name = match name {
                        b"headerl" | b"footerl" => Some("left"),
                        b"headerr" | b"footerr" => Some("right"),
                        b"headerf" | b"footerf" => Some("first page"),
                        _ => None,
                    };
                    self.open_story(kind, story_name);
                } else {
                    self.set_dest(Dest::Skip);
                }
            }
            b"footnote" | b"annotation" | b"shptxt" | b"dptxbxtext" => {
                if in_text {
                    let kind = match name {
                        b"footnote" => StoryKind::Footnote,
                        b"annotation" => StoryKind::Comment,
                        _ => StoryKind::TextBox,
                    };
                    self.open_story(kind, None);
                } else {
                    self.set_dest(Dest::Skip);
                }
            }
            b"ftnalt" => {
                if let Some(builder) = self.stories.get_mut(group.story)
                    && builder.kind() == StoryKind::Footnote
                {
                    builder.set_kind(StoryKind::Endnote);
                }
            }
            b"field" => {
                if self.fields.len() < 100_000 {
                    self.fields.push(Field::default());
                    let index = self.fields.len() - 1;
                    if let Some(top) = self.top_mut() {
                        top.field = Some(index);
                        top.opened = Opened::Field(index);
                    }
                }
            }
            b"fldinst" => match group.field {
                Some(index) => self.set_dest(Dest::FieldInst(index)),
                None => self.set_dest(Dest::Skip),
            },
            b"fldrslt" | b"nesttableprops" | b"cs" | b"ds" | b"ts" => {
                return Ok(matches!(name, b"fldrslt" | b"nesttableprops"));
            }
            b"formfield" => match group.field {
                Some(index) => self.set_dest(Dest::FormField(index)),
                None => self.set_dest(Dest::Skip),
            },
            b"ffl" => match group.dest {
                Dest::FormField(index) => {
                    self.side_text.clear();
                    self.set_dest(Dest::FormList(index));
                    self.set_opened(Opened::FormItem(index));
                }
                _ => self.set_dest(Dest::Skip),
            },
            b"object" | b"upr" | b"shp" | b"shpinst" | b"do" => {
                if group.dest == Dest::Text {
                    self.set_dest(Dest::Hold);
                }
            }
            b"result" | b"ud" => {
                if group.dest == Dest::Hold {
                    self.set_dest(Dest::Text);
                }
            }
            b"listtext" | b"pntext" => {
                if group.dest == Dest::Text {
                    self.side_text.clear();
                    self.set_dest(Dest::Label);
                    self.set_opened(Opened::Label);
                } else {
                    self.set_dest(Dest::Skip);
                }
            }
            _ if SKIPPED.contains(&name) => self.set_dest(Dest::Skip),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn open_story(&mut self, kind: StoryKind, name: Option<&str>) {
        self.stories.push(StoryBuilder::new(kind, name));
        let index = self.stories.len() - 1;
        if let Some(top) = self.top_mut() {
            top.dest = Dest::Text;
            top.story = index;
            top.opened = Opened::Story;
            // A story starts with default paragraph properties, outside any table.
            top.para = Para::default();
        }
    }

    fn font_table_word(&mut self, name: &[u8], param: Option<i32>) {
        match (name, param) {
            (b"f", Some(id)) => self.fonts.set_id(id),
            (b"fcharset", Some(charset)) => self.fonts.set_charset(charset),
            (b"cpg", Some(codepage)) => self.fonts.set_codepage(codepage),
            _ => {}
        }
    }

    fn style_word(&mut self, name: &[u8], param: Option<i32>) {
        match (name, param) {
            (b"s", Some(id)) => self.styles.set_paragraph_id(id),
            (b"cs" | b"ds" | b"ts" | b"tsrowd", _) => self.styles.set_other(),
            (b"outlinelevel", Some(level)) => self.styles.set_outline(level),
            (b"sbasedon", Some(id)) => self.styles.set_based_on(id),
            _ => {}
        }
    }

    fn info_word(&mut self, name: &[u8], param: Option<i32>) {
        let Some(value) = param.and_then(|p| u64::try_from(p).ok()) else {
            return;
        };
        let metadata: &mut Metadata = &mut self.document.metadata;
        match name {
            b"nofpages" => metadata.pages = Some(value),
            b"nofwords" => metadata.words = Some(value),
            b"nofchars" => metadata.characters = Some(value),
            _ => {}
        }
    }

    fn date_word(&mut self, name: &[u8], param: Option<i32>) {
        let value = param.unwrap_or(0);
        match name {
            b"yr" => self.date.year = value,
            b"mo" => self.date.month = value,
            b"dy" => self.date.day = value,
            b"hr" => self.date.hour = value,
            b"min" => self.date.minute = value,
            _ => {}
        }
    }

    fn form_field_word(&mut self, index: usize, name: &[u8], param: Option<i32>) {
        let Some(field) = self.fields.get_mut(index) else {
            return;
        };
        match name {
            b"ffres" => field.checkbox_result = param,
            b"ffdefres" => field.checkbox_default = param,
            _ => {}
        }
    }

    /// A control word in a text destination (or in one that only cares about a few words).
    fn text_word(&mut self, name: &[u8], param: Option<i32>) -> Result<()> {
        let flag = param.is_none_or(|p| p != 0);
        match name {
            b"ansicpg" => {
                if let Some(charset) = param.and_then(encoding_of_codepage) {
                    self.document_charset = Some(charset);
                }
            }
            b"ansi" => self.legacy_charset = encoding_of_codepage(1252),
            b"mac" => self.legacy_charset = encoding_of_codepage(10000),
            b"pc" => self.legacy_charset = encoding_of_codepage(437),
            b"pca" => self.legacy_charset = encoding_of_codepage(850),
            b"deff" => self.default_font = param,
            b"uc" => {
                let count = param.and_then(|p| u32::try_from(p).ok()).unwrap_or(1);
                if let Some(top) = self.top_mut() {
                    top.fallback = count.min(MAX_FALLBACK);
                }
            }
            b"u" => self.unicode(param.unwrap_or(0))?,
            b"f" => {
                if let Some(top) = self.top_mut() {
                    top.font = param;
                }
            }
            b"plain" => {
                if let Some(top) = self.top_mut() {
                    top.font = None;
                    top.deleted = false;
                }
            }
            b"deleted" => {
                if let Some(top) = self.top_mut() {
                    top.deleted = flag;
                }
            }
            b"pard" => self.with_para(|para| *para = Para::default()),
            b"s" => self.with_para(|para| para.style = param.unwrap_or(0)),
            b"outlinelevel" => self.with_para(|para| para.outline = param),
            b"intbl" => self.with_para(|para| para.in_table = flag),
            b"itap" => self.with_para(|para| {
                para.nesting = u16::try_from(param.unwrap_or(1).clamp(0, 64)).unwrap_or(0);
            }),
            b"ls" => self.with_para(|para| para.list = param.is_some_and(|p| p > 0)),
            b"ilvl" => self.with_para(|para| {
                para.list_level = u8::try_from(param.unwrap_or(0).clamp(0, 8)).unwrap_or(0);
            }),
            b"par" => self.end_paragraph()?,
            b"sect" => {
                self.end_paragraph_if_text()?;
            }
            b"cell" => self.end_cell(1)?,
            b"nestcell" => {
                let level = self.table_level().max(2);
                self.end_cell(level)?;
            }
            b"row" => self.end_row(1)?,
            b"nestrow" => {
                let level = self.table_level().max(2);
                self.end_row(level)?;
            }
            b"line" | b"page" | b"column" | b"softline" | b"lbr" => self.push_char('\n')?,
            b"tab" => self.push_char('\t')?,
            b"emdash" => self.push_char('—')?,
            b"endash" => self.push_char('–')?,
            b"emspace" | b"enspace" | b"qmspace" => self.push_char(' ')?,
            b"bullet" => self.push_char('•')?,
            b"lquote" => self.push_char('‘')?,
            b"rquote" => self.push_char('’')?,
            b"ldblquote" => self.push_char('“')?,
            b"rdblquote" => self.push_char('”')?,
            _ => {}
        }
        Ok(())
    }

    fn with_para(&mut self, change: impl FnOnce(&mut Para)) {
        if let Some(top) = self.top_mut() {
            change(&mut top.para);
        }
    }

    fn table_level(&self) -> usize {
        self.top().map_or(0, |g| g.para.table_level())
    }

    fn unicode(&mut self, param: i32) -> Result<()> {
        let fallback = self.top().map_or(1, |g| g.fallback);
        let unit = u16::try_from(if param < 0 { param + 65_536 } else { param }).unwrap_or(0xFFFD);
        let ch = match unit {
            0xD800..=0xDBFF => {
                self.high_surrogate = Some(unit);
                None
            }
            0xDC00..=0xDFFF => self.high_surrogate.take().and_then(|high| {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                char::from_u32(code)
            }),
            _ => {
                self.high_surrogate = None;
                char::from_u32(u32::from(unit))
            }
        };
        if let Some(ch) = ch {
            self.push_char(ch)?;
        }
        self.skipping = fallback;
        Ok(())
    }

    fn paragraph_kind(&self, para: &Para) -> ParagraphKind {
        let heading = para
            .outline
            .map(outline_to_heading)
            .unwrap_or_else(|| self.styles.heading_level(para.style));
        if let Some(level) = heading {
            return ParagraphKind::Heading(Some(level));
        }
        if para.list {
            return ParagraphKind::ListItem {
                level: para.list_level,
            };
        }
        match self.styles.name(para.style) {
            Some(name) => ParagraphKind::Styled(name.to_owned()),
            None => ParagraphKind::Plain,
        }
    }

    fn current_story(&mut self) -> Option<&mut StoryBuilder> {
        if self.dest() != Dest::Text {
            return None;
        }
        let index = self.top().map_or(0, |g| g.story);
        self.stories.get_mut(index)
    }

    fn end_paragraph(&mut self) -> Result<()> {
        let para = self.top().map(|g| g.para).unwrap_or_default();
        let kind = self.paragraph_kind(&para);
        if let Some(story) = self.current_story() {
            story.end_paragraph(kind, para.table_level());
        }
        self.budget.tick()
    }

    fn end_paragraph_if_text(&mut self) -> Result<()> {
        let para = self.top().map(|g| g.para).unwrap_or_default();
        let kind = self.paragraph_kind(&para);
        if let Some(story) = self.current_story()
            && story.has_pending_text()
        {
            story.end_paragraph(kind, para.table_level());
        }
        Ok(())
    }

    fn end_cell(&mut self, level: usize) -> Result<()> {
        if let Some(story) = self.current_story() {
            story.end_cell(level);
        }
        self.budget.tick()
    }

    fn end_row(&mut self, level: usize) -> Result<()> {
        if let Some(story) = self.current_story() {
            story.end_row(level);
        }
        self.budget.tick()
    }
}

/// Drops control characters a writer may leave in text and maps symbol-font private-use
/// characters to what they show.
fn clean_text(text: &str, charset: Charset) -> String {
    text.chars()
        .filter_map(|ch| match ch {
            '\t' | '\n' => Some(ch),
            '\u{0}'..='\u{1f}' | '\u{7f}' => None,
            '\u{f020}'..='\u{f0ff}' => private_use_symbol(charset, ch).flatten(),
            _ => Some(ch),
        })
        .collect()
}

fn push_bounded(out: &mut String, text: &str) {
    for ch in text.chars() {
        if out.len() >= MAX_SIDE_TEXT {
            break;
        }
        out.push(ch);
    }
}

/// `\creatim\yr2021\mo11\dy21\hr15\min46` → `2021-11-21T15:46:00`; no year, no date.
fn iso_date(date: &DateParts) -> Option<String> {
    if !(1..=9999).contains(&date.year) || !(1..=12).contains(&date.month) {
        return None;
    }
    let day = date.day.clamp(1, 31);
    let hour = date.hour.clamp(0, 23);
    let minute = date.minute.clamp(0, 59);
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:00",
        date.year, date.month, day, hour, minute
    ))
}

/// Order of the stories after the body.
fn story_rank(kind: StoryKind) -> u8 {
    match kind {
        StoryKind::Body => 0,
        StoryKind::Header => 1,
        StoryKind::Footer => 2,
        StoryKind::Footnote => 3,
        StoryKind::Endnote => 4,
        StoryKind::Comment => 5,
        StoryKind::TextBox => 6,
        StoryKind::Sheet => 7,
    }
}

/// Control words that stand for one character, and so count as a `\uN` fallback character.
fn produces_char(name: &[u8]) -> bool {
    matches!(
        name,
        b"emdash"
            | b"endash"
            | b"emspace"
            | b"enspace"
            | b"qmspace"
            | b"bullet"
            | b"lquote"
            | b"rquote"
            | b"ldblquote"
            | b"rdblquote"
            | b"tab"
    )
}

/// Destinations whose content is never text of the document.
const SKIPPED: &[&[u8]] = &[
    b"aftncn",
    b"aftnsep",
    b"aftnsepc",
    b"atnauthor",
    b"atndate",
    b"atnicn",
    b"atnid",
    b"atnref",
    b"atntime",
    b"atrfend",
    b"atrfstart",
    b"background",
    b"bkmkend",
    b"bkmkstart",
    b"blipuid",
    b"buptim",
    b"category",
    b"colorschememapping",
    b"colortbl",
    b"comment",
    b"datafield",
    b"datastore",
    b"defchp",
    b"defpap",
    b"doccomm",
    b"docvar",
    b"falt",
    b"fchars",
    b"filetbl",
    b"fname",
    b"ftncn",
    b"ftnsep",
    b"ftnsepc",
    b"hlinkbase",
    b"keycode",
    b"keywords",
    b"latentstyles",
    b"lchars",
    b"listoverridetable",
    b"listpicture",
    b"listtable",
    b"manager",
    b"mmathPr",
    b"nonesttables",
    b"nonshppict",
    b"objalias",
    b"objclass",
    b"objdata",
    b"objitem",
    b"objname",
    b"objsect",
    b"objtopic",
    b"panose",
    b"passwordhash",
    b"pgdsctbl",
    b"pict",
    b"picprop",
    b"pn",
    b"pnseclvl",
    b"pntxta",
    b"pntxtb",
    b"printim",
    b"private",
    b"protusertbl",
    b"revtbl",
    b"rsidtbl",
    b"rxe",
    b"shppict",
    b"shprslt",
    b"sn",
    b"sp",
    b"sv",
    b"tc",
    b"tcn",
    b"template",
    b"themedata",
    b"txe",
    b"userprops",
    b"wgrffmtfilter",
    b"xe",
    b"xmlnstbl",
];

/// A `\*` destination we act on (others are skipped whole).
fn is_known_destination(name: &[u8]) -> bool {
    matches!(
        name,
        b"fonttbl"
            | b"stylesheet"
            | b"info"
            | b"title"
            | b"subject"
            | b"author"
            | b"operator"
            | b"company"
            | b"creatim"
            | b"revtim"
            | b"generator"
            | b"header"
            | b"headerl"
            | b"headerr"
            | b"headerf"
            | b"footer"
            | b"footerl"
            | b"footerr"
            | b"footerf"
            | b"footnote"
            | b"annotation"
            | b"shptxt"
            | b"dptxbxtext"
            | b"field"
            | b"fldinst"
            | b"fldrslt"
            | b"nesttableprops"
            | b"cs"
            | b"ds"
            | b"ts"
            | b"formfield"
            | b"ffl"
            | b"object"
            | b"upr"
            | b"ud"
            | b"shp"
            | b"shpinst"
            | b"do"
            | b"result"
            | b"listtext"
            | b"pntext"
    ) || SKIPPED.contains(&name)
}
