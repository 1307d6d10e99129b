//! The `.odt` reader: OpenDocument text packages (`content.xml`, `styles.xml`, `meta.xml`).
//!
//! ODF mixes text and markup freely inside `text:p`/`text:h`, so unlike docx every character
//! inside a paragraph is text, with ODF's whitespace rule (runs of white space collapse to one
//! space; `text:s`, `text:tab` and `text:line-break` carry the explicit ones).
//!
//! Notes and annotations sit inside the paragraph that cites them; their bodies go to the
//! footnote, endnote or comment story (the citation mark is dropped) so that the body reads on.
//! Frames with text boxes are read inline, like docx text boxes. The tracked-changes region is
//! skipped: it holds the deleted text. Headers and footers come from the master pages in
//! `styles.xml`, one story per header or footer element, named after the master page.
//!
//! Tables keep ODF's grid: a covered cell (hidden under a spanning one) is an empty cell, and
//! the spans are recorded as merged ranges. Repeated rows and cells (`number-rows-repeated`,
//! `number-columns-repeated`) are capped at [`MAX_REPEAT`]: a repeat exists to fill a grid, and
//! a 1 KB file must not expand into millions of cells. Damage policy is the docx one: malformed
//! `content.xml` keeps the text read so far (`recovered`, or `corrupt` when no body text was
//! read).

use std::collections::HashMap;

use dossiers_document::xml::{attr, local};
use dossiers_document::{
    Budget, Document, ExtractError, Format, Limits, Result, Story, StoryKind, WarningCode,
};
use quick_xml::events::BytesStart;

use crate::numbering::{letters, roman};
use crate::package::Package;
use crate::parts::{read_optional_part, read_xml, record_damage};
use crate::props;
use crate::story::{ParagraphKind, StoryBuilder};
use crate::walk::{Flow, Walker, walk};

/// Most copies a repeated row or cell expands into.
const MAX_REPEAT: usize = 32;
/// Most spaces one `text:s` expands into.
const MAX_SPACES: usize = 1024;

/// Reads an OpenDocument text document.
pub fn read_odt(bytes: &[u8], limits: &Limits) -> Result<Document> {
    crate::read_zip_package(bytes, limits, Format::Odt, read_package)
}

fn read_package(zip: &mut Package<'_>, budget: &mut Budget, document: &mut Document) -> Result<()> {
    if let Some(manifest) = read_optional_part(zip, "META-INF/manifest.xml", budget, document)?
        && content_is_encrypted(&manifest.text, budget)
    {
        return Err(ExtractError::encrypted(
            "password-protected ODF (content.xml has encryption data in the manifest)",
        ));
    }
    let mut styles = OdfStyles::default();
    let mut page_stories = Vec::new();
    if let Some(xml) = read_optional_part(zip, "styles.xml", budget, document)? {
        let mut walker = OdtWalker::new(&mut styles, Part::Styles);
        let outcome = walk(&xml.text, &mut walker, budget);
        page_stories = walker.finish();
        record_damage(document, "styles.xml", outcome?.or(xml.damage));
    }

    let Some(content) = read_xml(zip, "content.xml", budget)? else {
        return Err(ExtractError::corrupt("no content.xml in the package"));
    };
    let mut walker = OdtWalker::new(&mut styles, Part::Content);
    let outcome = walk(&content.text, &mut walker, budget);
    let (bodies, notes): (Vec<Story>, Vec<Story>) = walker
        .finish()
        .into_iter()
        .partition(|story| story.kind == StoryKind::Body);
    let body_has_text = bodies.iter().any(Story::has_text);
    // The body, headers and footers, then notes and comments.
    for story in bodies.into_iter().chain(page_stories).chain(notes) {
        document.push_story(story);
    }
    let damage = outcome?.or(content.damage);
    if let Some(reason) = damage {
        if body_has_text {
            document.warn(WarningCode::Recovered, format!("content.xml: {reason}"));
        } else {
            return Err(ExtractError::corrupt(format!("content.xml: {reason}")));
        }
    }

    if let Some(xml) = read_optional_part(zip, "meta.xml", budget, document)? {
        match props::read_odf_meta(&xml.text, budget, &mut document.metadata) {
            Ok(()) => {}
            Err(ExtractError::Corrupt { reason, .. }) => {
                document.warn(WarningCode::PartSkipped, format!("meta.xml: {reason}"));
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

/// True when the manifest gives `content.xml` encryption data (ODF's own encryption: the zip
/// entry itself is not marked encrypted, its bytes are).
fn content_is_encrypted(manifest: &str, budget: &mut Budget) -> bool {
    struct ManifestWalker {
        path: Option<String>,
        encrypted: bool,
    }
    impl Walker for ManifestWalker {
        fn start(&mut self, element: &BytesStart<'_>, empty: bool, _: &mut Budget) -> Result<Flow> {
            match local(element.name().as_ref()) {
                "file-entry" if !empty => self.path = attr(element, "full-path"),
                "encryption-data" => {
                    let path = self.path.as_deref().map(|p| p.trim_start_matches('/'));
                    if path == Some("content.xml") {
                        self.encrypted = true;
                    }
                }
                _ => {}
            }
            Ok(Flow::Descend)
        }
        fn end(&mut self, name: &str, _: &mut Budget) -> Result<()> {
            if name == "file-entry" {
                self.path = None;
            }
            Ok(())
        }
        fn text(&mut self, _: &str, _: &mut Budget) -> Result<()> {
            Ok(())
        }
    }
    let mut walker = ManifestWalker {
        path: None,
        encrypted: false,
    };
    let _ = walk(manifest, &mut walker, budget);
    walker.encrypted
}

/// A paragraph style: common styles come from `styles.xml`, automatic ones (`P1`…) from either
/// part and only point at a common parent.
#[derive(Debug, Default, Clone)]
struct OdfStyle {
    display_name: Option<String>,
    parent: Option<String>,
    outline_level: Option<u8>,
    automatic: bool,
}

#[derive(Debug, Default)]
struct OdfStyles {
    paragraph: HashMap<String, OdfStyle>,
    /// List styles (`text:list-style`) by name: how each level labels its items.
    lists: HashMap<String, Vec<ListLevel>>,
}

/// ODF has ten list levels.
const LIST_LEVELS: usize = 10;

/// One level of a list style.
#[derive(Clone, Debug, Default)]
enum ListLevel {
    #[default]
    Unlabelled,
    Bullet(String),
    Number {
        format: String,
        prefix: String,
        suffix: String,
        start: u32,
        display_levels: usize,
    },
}

/// The open lists: their style, and the counters of the outermost list.
#[derive(Debug, Default)]
struct ListState {
    /// The style of each open `text:list` (inherited from the outer list when it has none).
    styles: Vec<Option<String>>,
    counters: [u32; LIST_LEVELS],
    /// The label of the current list item, given to its first paragraph only.
    pending_label: Option<String>,
}

impl OdfStyles {
    /// The common style a paragraph style stands for: its display name and outline level.
    fn resolve(&self, name: &str) -> (Option<String>, Option<u8>) {
        let mut current = name;
        let mut outline = None;
        for _ in 0..16 {
            let Some(style) = self.paragraph.get(current) else {
                // An unknown style name: show it decoded, as LibreOffice would.
                return (Some(decode_style_name(current)), outline);
            };
            outline = outline.or(style.outline_level);
            if style.automatic
                && let Some(parent) = style.parent.as_deref()
            {
                current = parent;
                continue;
            }
            if style.automatic {
                return (None, outline);
            }
            let display = style
                .display_name
                .clone()
                .unwrap_or_else(|| decode_style_name(current));
            return (Some(display), outline);
        }
        (None, outline)
    }
}

/// `Text_20_body` → `Text body` (ODF encodes non-name characters as `_xx_` hex).
fn decode_style_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(start) = rest.find('_') {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let after = after.get(1..).unwrap_or_default();
        let decoded = after.split_once('_').and_then(|(hex, tail)| {
            let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
            (hex.len() <= 4).then_some((ch, tail))
        });
        match decoded {
            Some((ch, tail)) => {
                out.push(ch);
                rest = tail;
            }
            None => {
                out.push('_');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_default_style(display_name: &str) -> bool {
    matches!(
        display_name,
        "Standard" | "Default" | "Default Paragraph Style"
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Styles,
    Content,
}

/// What a started element did, undone when it ends.
#[derive(Debug)]
enum Opened {
    Nothing,
    Paragraph(ParagraphKind),
    List,
    Table,
    Row {
        repeat: usize,
    },
    Cell {
        repeat: usize,
        columns: usize,
        rows: usize,
    },
    /// A note or annotation body, or a master page's header or footer: text goes elsewhere.
    Target,
    Frame,
    Style,
    AutomaticStyles,
    MasterPage,
    ListStyle,
}

const BODY: usize = 0;
const FOOTNOTES: usize = 1;
const ENDNOTES: usize = 2;
const COMMENTS: usize = 3;

struct OdtWalker<'s> {
    styles: &'s mut OdfStyles,
    part: Part,
    /// Content: body, footnotes, endnotes, comments. Styles: one per header or footer.
    builders: Vec<StoryBuilder>,
    /// Which builder text goes to; the last entry wins.
    targets: Vec<usize>,
    opened: Vec<Opened>,
    /// The note class of the open `text:note`, for its body.
    note_class: Option<usize>,
    list_depth: usize,
    lists: ListState,
    /// The list style being read, with its levels.
    current_list_style: Option<(String, Vec<ListLevel>)>,
    in_automatic_styles: bool,
    current_style: Option<(String, OdfStyle)>,
    master_page: Option<String>,
    /// Reused for whitespace-collapsed text.
    scratch: String,
}

impl<'s> OdtWalker<'s> {
    fn new(styles: &'s mut OdfStyles, part: Part) -> OdtWalker<'s> {
        // The same four stories in both parts, so that a note or an annotation inside a
        // header has somewhere to go; in styles.xml the body one only catches text outside any
        // master page (none in valid files) and is dropped.
        let builders = vec![
            StoryBuilder::new(StoryKind::Body, None),
            StoryBuilder::new(StoryKind::Footnote, None),
            StoryBuilder::new(StoryKind::Endnote, None),
            StoryBuilder::new(StoryKind::Comment, None),
        ];
        OdtWalker {
            styles,
            part,
            builders,
            targets: vec![BODY],
            opened: Vec::with_capacity(64),
            note_class: None,
            list_depth: 0,
            lists: ListState::default(),
            current_list_style: None,
            in_automatic_styles: false,
            current_style: None,
            master_page: None,
            scratch: String::new(),
        }
    }

    /// The stories in order: for content the body first, then notes and comments; for styles
    /// the headers and footers, then notes and comments.
    fn finish(self) -> Vec<Story> {
        let mut stories: Vec<Story> = self
            .builders
            .into_iter()
            .map(StoryBuilder::finish)
            .collect();
        if self.part == Part::Styles {
            // Headers and footers first, then any notes and comments found in them.
            let pages = stories.split_off(stories.len().min(COMMENTS + 1));
            let notes = stories.split_off(stories.len().min(FOOTNOTES));
            stories = pages;
            stories.extend(notes);
        }
        stories
    }

    fn builder(&mut self) -> Option<&mut StoryBuilder> {
        let target = self.targets.last().copied().unwrap_or(BODY);
        self.builders.get_mut(target)
    }

    fn paragraph_kind(&mut self, element: &BytesStart<'_>, heading: bool) -> ParagraphKind {
        let (style, style_outline) = attr(element, "style-name")
            .map(|name| self.styles.resolve(&name))
            .unwrap_or_default();
        if heading {
            let level = attr(element, "outline-level")
                .and_then(|v| v.trim().parse::<u8>().ok())
                .or(style_outline)
                .filter(|level| *level > 0);
            return ParagraphKind::Heading(level);
        }
        if self.list_depth > 0 {
            let level = u8::try_from(self.list_depth - 1).unwrap_or(u8::MAX).min(9);
            let label = self.lists.pending_label.take();
            return ParagraphKind::ListItem { level, label };
        }
        if let Some(level) = style_outline.filter(|level| *level > 0) {
            return ParagraphKind::Heading(Some(level));
        }
        match style {
            Some(name) if !is_default_style(&name) => ParagraphKind::Styled(name),
            _ => ParagraphKind::Plain,
        }
    }

    fn style_element(&mut self, element: &BytesStart<'_>, name: &str) {
        if name == "style"
            && attr(element, "family").as_deref() == Some("paragraph")
            && let Some(style_name) = attr(element, "name")
        {
            let style = OdfStyle {
                display_name: attr(element, "display-name"),
                parent: attr(element, "parent-style-name"),
                outline_level: attr(element, "default-outline-level")
                    .and_then(|v| v.trim().parse().ok()),
                automatic: self.in_automatic_styles,
            };
            self.current_style = Some((style_name, style));
        }
    }

    fn start_list(&mut self, element: &BytesStart<'_>) {
        self.list_depth += 1;
        let inherited = self.lists.styles.last().cloned().flatten();
        let style = attr(element, "style-name").or(inherited);
        if self.list_depth == 1 {
            // A new outermost list counts from its start, unless it says it continues.
            let continues = attr(element, "continue-numbering").as_deref() == Some("true")
                || attr(element, "continue-list").is_some();
            if !continues {
                self.lists.counters = [0; LIST_LEVELS];
            }
        }
        self.lists.styles.push(style);
    }

    fn start_list_item(&mut self, element: &BytesStart<'_>) {
        let level = self.list_depth.saturating_sub(1).min(LIST_LEVELS - 1);
        let levels = self
            .lists
            .styles
            .last()
            .cloned()
            .flatten()
            .and_then(|name| self.styles.lists.get(&name).cloned())
            .unwrap_or_default();
        let start = |index: usize| match levels.get(index) {
            Some(ListLevel::Number { start, .. }) => *start,
            _ => 1,
        };
        let counters = &mut self.lists.counters;
        let restart = attr(element, "start-value").and_then(|v| v.trim().parse::<u32>().ok());
        if let Some(counter) = counters.get_mut(level) {
            *counter = match (restart, *counter) {
                (Some(value), _) => value,
                (None, 0) => start(level),
                (None, n) => n.saturating_add(1),
            };
        }
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        self.lists.pending_label = match levels.get(level) {
            Some(ListLevel::Bullet(bullet)) => Some(bullet.clone()),
            Some(ListLevel::Number {
                format,
                prefix,
                suffix,
                display_levels,
                ..
            }) if format.as_str() != "" => {
                let first = (level + 1).saturating_sub((*display_levels).max(1));
                let numbers: Vec<String> = (first..=level)
                    .map(|index| {
                        let value = counters.get(index).copied().filter(|n| *n > 0);
                        let value = value.unwrap_or_else(|| start(index));
                        let format = match levels.get(index) {
                            Some(ListLevel::Number { format, .. }) => format.as_str(),
                            _ => "1",
                        };
                        format_odf_number(value, format)
                    })
                    .collect();
                Some(format!("{prefix}{}{suffix}", numbers.join(".")))
            }
            _ => None,
        };
    }

    fn list_level_style(&mut self, element: &BytesStart<'_>, name: &str) {
        let Some((_, levels)) = self.current_list_style.as_mut() else {
            return;
        };
        let index = attr(element, "level")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .and_then(|level| level.checked_sub(1));
        let Some(level) = index.and_then(|i| levels.get_mut(i)) else {
            return;
        };
        *level = match name {
            "list-level-style-number" => ListLevel::Number {
                format: attr(element, "num-format").unwrap_or_default(),
                prefix: attr(element, "num-prefix").unwrap_or_default(),
                suffix: attr(element, "num-suffix").unwrap_or_default(),
                start: attr(element, "start-value")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(1),
                display_levels: attr(element, "display-levels")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(1)
                    .min(LIST_LEVELS),
            },
            _ => {
                let bullet = attr(element, "bullet-char").unwrap_or_default();
                let private_use = bullet
                    .chars()
                    .any(|ch| ('\u{E000}'..='\u{F8FF}').contains(&ch));
                if bullet.trim().is_empty() || private_use {
                    ListLevel::Bullet("•".to_owned())
                } else {
                    ListLevel::Bullet(bullet)
                }
            }
        };
    }

    fn start_target(&mut self, target: usize) -> Opened {
        self.targets.push(target);
        Opened::Target
    }

    fn push_spaces(&mut self, element: &BytesStart<'_>, budget: &mut Budget) -> Result<()> {
        let n = attr(element, "c")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, MAX_SPACES);
        if let Some(builder) = self.builder()
            && builder.in_paragraph()
        {
            for _ in 0..n {
                builder.push_char(' ', budget)?;
            }
        }
        Ok(())
    }

    fn push_special(&mut self, ch: char, budget: &mut Budget) -> Result<()> {
        if let Some(builder) = self.builder()
            && builder.in_paragraph()
        {
            builder.push_char(ch, budget)?;
        }
        Ok(())
    }

    fn open(
        &mut self,
        element: &BytesStart<'_>,
        name: &str,
        budget: &mut Budget,
    ) -> Result<Option<Opened>> {
        let in_frame = matches!(self.opened.last(), Some(Opened::Frame));
        let opened = match name {
            // The deleted text of tracked changes, the citation mark of a note, index
            // templates, declarations and scripts.
            "tracked-changes"
            | "note-citation"
            | "number"
            | "sequence-decls"
            | "variable-decls"
            | "user-field-decls"
            | "dde-connection-decls"
            | "forms"
            | "scripts"
            | "font-face-decls"
            | "settings"
            | "table-columns"
            | "table-column"
            | "page-layout"
            | "header-style"
            | "footer-style" => return Ok(None),
            n if n.ends_with("-source") => return Ok(None),
            // A frame's accessibility title and description are not document text.
            "title" | "desc" if in_frame => return Ok(None),
            // Who wrote a comment and when: metadata, not text.
            "creator" | "date" | "initials" | "creator-initials" | "sender-initials"
                if self.targets.last() == Some(&COMMENTS)
                    && !self.builder().is_some_and(|b| b.in_paragraph()) =>
            {
                return Ok(None);
            }
            "automatic-styles" => {
                self.in_automatic_styles = true;
                Opened::AutomaticStyles
            }
            "style" => {
                self.style_element(element, name);
                Opened::Style
            }
            "master-page" => {
                self.master_page = attr(element, "display-name").or_else(|| attr(element, "name"));
                Opened::MasterPage
            }
            // A header or footer switched off in the page style keeps its text but never
            // shows it.
            "header" | "header-left" | "header-first" | "footer" | "footer-left"
            | "footer-first"
                if self.part == Part::Styles
                    && attr(element, "display").as_deref() == Some("false") =>
            {
                return Ok(None);
            }
            "header" | "header-left" | "header-first" | "footer" | "footer-left"
            | "footer-first"
                if self.part == Part::Styles =>
            {
                let kind = if name.starts_with("header") {
                    StoryKind::Header
                } else {
                    StoryKind::Footer
                };
                let page = self.master_page.clone().unwrap_or_default();
                let story_name = match name.split_once('-') {
                    Some((_, variant)) => format!("{page} ({variant})"),
                    None => page,
                };
                let story_name = (!story_name.is_empty()).then_some(story_name);
                self.builders.push(StoryBuilder::new(kind, story_name));
                let index = self.builders.len() - 1;
                self.start_target(index)
            }
            "p" | "h" => {
                let kind = self.paragraph_kind(element, name == "h");
                if let Some(builder) = self.builder() {
                    builder.start_paragraph();
                }
                Opened::Paragraph(kind)
            }
            "list" => {
                self.start_list(element);
                Opened::List
            }
            "list-item" => {
                self.start_list_item(element);
                Opened::Nothing
            }
            "list-header" => {
                self.lists.pending_label = None;
                Opened::Nothing
            }
            "list-style" => {
                if let Some(name) = attr(element, "name") {
                    self.current_list_style = Some((name, vec![ListLevel::default(); LIST_LEVELS]));
                }
                Opened::ListStyle
            }
            "list-level-style-bullet" | "list-level-style-number" | "list-level-style-image" => {
                self.list_level_style(element, name);
                Opened::Nothing
            }
            "table" => {
                if let Some(builder) = self.builder() {
                    builder.start_table();
                }
                Opened::Table
            }
            "table-row" => {
                if let Some(builder) = self.builder() {
                    builder.start_row();
                }
                Opened::Row {
                    repeat: repeat_count(element, "number-rows-repeated"),
                }
            }
            "table-cell" => {
                if let Some(builder) = self.builder() {
                    builder.start_cell();
                }
                Opened::Cell {
                    repeat: repeat_count(element, "number-columns-repeated"),
                    columns: span(element, "number-columns-spanned"),
                    rows: span(element, "number-rows-spanned"),
                }
            }
            "covered-table-cell" => {
                let n = repeat_count(element, "number-columns-repeated");
                if let Some(builder) = self.builder() {
                    builder.push_empty_cells(n);
                }
                Opened::Nothing
            }
            "note" => {
                self.note_class = Some(match attr(element, "note-class").as_deref() {
                    Some("endnote") => ENDNOTES,
                    _ => FOOTNOTES,
                });
                Opened::Nothing
            }
            "note-body" => {
                let target = self.note_class.unwrap_or(FOOTNOTES);
                self.start_target(target)
            }
            "annotation" => self.start_target(COMMENTS),
            "frame" => Opened::Frame,
            "s" => {
                self.push_spaces(element, budget)?;
                Opened::Nothing
            }
            "tab" => {
                self.push_special('\t', budget)?;
                Opened::Nothing
            }
            "line-break" => {
                self.push_special('\n', budget)?;
                Opened::Nothing
            }
            _ => Opened::Nothing,
        };
        Ok(Some(opened))
    }

    fn close(&mut self, opened: Opened) {
        match opened {
            Opened::Nothing | Opened::Frame => {}
            Opened::Paragraph(kind) => {
                if let Some(builder) = self.builder() {
                    builder.end_paragraph(kind);
                }
            }
            Opened::List => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.lists.styles.pop();
                self.lists.pending_label = None;
            }
            Opened::ListStyle => {
                if let Some((name, levels)) = self.current_list_style.take() {
                    self.styles.lists.insert(name, levels);
                }
            }
            Opened::Table => {
                if let Some(builder) = self.builder() {
                    builder.end_table();
                }
            }
            Opened::Row { repeat } => {
                if let Some(builder) = self.builder() {
                    builder.end_row();
                    builder.repeat_last_row(repeat.saturating_sub(1));
                }
            }
            Opened::Cell {
                repeat,
                columns,
                rows,
            } => {
                if let Some(builder) = self.builder() {
                    builder.end_spanning_cell(columns, rows);
                    builder.push_empty_cells(repeat.saturating_sub(1));
                }
            }
            Opened::Target => {
                self.targets.pop();
            }
            Opened::Style => {
                if let Some((name, style)) = self.current_style.take() {
                    self.styles.paragraph.insert(name, style);
                }
            }
            Opened::AutomaticStyles => self.in_automatic_styles = false,
            Opened::MasterPage => self.master_page = None,
        }
    }
}

/// An ODF number format: `1`, `a`, `A`, `i`, `I` (anything else is decimal).
fn format_odf_number(value: u32, format: &str) -> String {
    match format {
        "a" => letters(value).to_lowercase(),
        "A" => letters(value),
        "i" => roman(value).to_lowercase(),
        "I" => roman(value),
        _ => value.to_string(),
    }
}

/// A repeat count, at least 1 and at most [`MAX_REPEAT`].
fn repeat_count(element: &BytesStart<'_>, name: &str) -> usize {
    attr(element, name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_REPEAT)
}

/// A span, at least 1; spans only name a range, so a large one costs nothing but is still
/// bounded to keep ranges meaningful.
fn span(element: &BytesStart<'_>, name: &str) -> usize {
    attr(element, name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1 << 20)
}

impl Walker for OdtWalker<'_> {
    fn start(
        &mut self,
        element: &BytesStart<'_>,
        empty: bool,
        budget: &mut Budget,
    ) -> Result<Flow> {
        let qualified = element.name();
        let name = local(qualified.as_ref());
        let Some(opened) = self.open(element, name, budget)? else {
            return Ok(Flow::Skip);
        };
        if empty {
            self.close(opened);
        } else {
            self.opened.push(opened);
        }
        Ok(Flow::Descend)
    }

    fn end(&mut self, _: &str, _: &mut Budget) -> Result<()> {
        if let Some(opened) = self.opened.pop() {
            self.close(opened);
        }
        Ok(())
    }

    fn text(&mut self, text: &str, budget: &mut Budget) -> Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        if let Some(builder) = self.builder()
            && builder.in_paragraph()
        {
            // ODF white space: a run of spaces, tabs and line ends is one space, and none at
            // the start of a paragraph.
            let current = builder.current_text();
            let mut after_space = current.is_empty() || current.ends_with(' ');
            for ch in text.chars() {
                if matches!(ch, ' ' | '\t' | '\n' | '\r') {
                    if !after_space {
                        scratch.push(' ');
                        after_space = true;
                    }
                } else {
                    scratch.push(ch);
                    after_space = false;
                }
            }
            builder.push_text(&scratch, budget)?;
        }
        self.scratch = scratch;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_names_are_decoded() {
        assert_eq!(decode_style_name("Text_20_body"), "Text body");
        assert_eq!(decode_style_name("Heading_20_1"), "Heading 1");
        assert_eq!(decode_style_name("a_b"), "a_b");
        assert_eq!(decode_style_name("P1"), "P1");
    }
}
