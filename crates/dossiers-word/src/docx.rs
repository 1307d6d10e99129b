//! The `.docx` reader: Office Open XML word-processing documents, transitional or strict.
//!
//! It streams each XML part once with quick-xml and matches *local* names only, so the strict
//! namespaces (`http://purl.oclc.org/ooxml/...`) read like the transitional ones. Parts come
//! from the relationships (`_rels/.rels`, then the main part's rels), with file-name fallbacks
//! for packages that lack them. Reading order: body, then one story per header and footer part,
//! then footnotes, endnotes and comments.
//!
//! Text boxes (`w:txbxContent`) are read *inline*: their paragraphs become blocks of the story
//! that anchors them, just before the anchoring paragraph. A text box on a cover page or beside
//! a form thus stays next to the text it belongs to, which the normaliser's section detection
//! needs more than a separate text-box story. Only the first `mc:Choice` of an
//! `mc:AlternateContent` is read: `mc:Fallback` repeats the same text box as VML.
//!
//! Tables: a cell spanning grid columns (`w:gridSpan`) is followed by empty cells so that the
//! columns of every row line up (a budget table's amounts stay in the amount column), and the
//! spans and vertical merges (`w:vMerge`) are recorded in [`Table::merged`]. Tables nested in
//! a cell are flattened into that cell's text.
//!
//! Damage policy: a malformed or truncated part keeps the text read so far. For the main part
//! that is a `recovered` warning when some body text was read, and `corrupt` (with whatever
//! other stories were read as `partial`) when none was. Other parts that fail are skipped with a
//! warning. Limits (depth, characters, time, zip sizes) end the read with `too_large` and the
//! text so far as `partial`.

use std::collections::HashMap;

#[cfg(doc)]
use dossiers_document::Table;
use dossiers_document::xml::{attr, local};
use dossiers_document::{
    Budget, Document, ExtractError, Format, Limits, Result, Story, StoryKind, WarningCode,
};
use quick_xml::events::BytesStart;

use crate::numbering::{ListCounters, Numbering};
use crate::package::Package;
use crate::parts::{read_optional_part, read_xml, record_damage};
use crate::props;
use crate::story::{ParagraphKind, StoryBuilder, VerticalMerge};
use crate::walk::{Flow, Walker, walk};

/// Reads an Office Open XML word-processing document.
pub fn read_docx(bytes: &[u8], limits: &Limits) -> Result<Document> {
    crate::read_zip_package(bytes, limits, Format::Docx, read_package)
}

fn read_package(zip: &mut Package<'_>, budget: &mut Budget, document: &mut Document) -> Result<()> {
    let package_rels = match read_optional_part(zip, "_rels/.rels", budget, document)? {
        Some(xml) => parse_rels(&xml.text, "", budget),
        None => Vec::new(),
    };
    let main = package_rels
        .iter()
        .find(|rel| rel.kind == "officeDocument")
        .map(|rel| rel.target.clone())
        .filter(|name| zip.contains(name))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let Some(main_xml) = read_xml(zip, &main, budget)? else {
        return Err(ExtractError::corrupt(format!(
            "no main document part ({main}) in the package"
        )));
    };

    let directory = main.rsplit_once('/').map_or("", |(dir, _)| dir);
    let file = main
        .rsplit_once('/')
        .map_or(main.as_str(), |(_, file)| file);
    let rels_name = if directory.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{directory}/_rels/{file}.rels")
    };
    let rels = match read_optional_part(zip, &rels_name, budget, document)? {
        Some(xml) => parse_rels(&xml.text, directory, budget),
        None => fallback_rels(zip, directory),
    };
    let part_of = |kind: &str| -> Vec<String> {
        let mut names: Vec<String> = rels
            .iter()
            .filter(|rel| rel.kind == kind)
            .map(|rel| rel.target.clone())
            .collect();
        names.sort_by_key(|name| natural_key(name));
        names.dedup();
        names
    };

    let styles = match part_of("styles").first() {
        Some(name) => match read_optional_part(zip, name, budget, document)? {
            Some(xml) => Styles::parse(&xml.text, budget)?,
            None => Styles::default(),
        },
        None => Styles::default(),
    };

    let numbering = match part_of("numbering").first() {
        Some(name) => match read_optional_part(zip, name, budget, document)? {
            Some(xml) => Numbering::parse(&xml.text, budget)?,
            None => Numbering::default(),
        },
        None => Numbering::default(),
    };
    let context = Context {
        styles: &styles,
        numbering: &numbering,
    };

    // The body.
    let mut body = DocxWalker::new(context, StoryBuilder::new(StoryKind::Body, None), None);
    let outcome = walk(&main_xml.text, &mut body, budget);
    document.stories.push(body.builder.finish());
    let damage = outcome?.or(main_xml.damage);
    let body_has_text = document.stories.iter().any(Story::has_text);
    if let Some(reason) = damage {
        if body_has_text {
            document.warn(WarningCode::Recovered, format!("{main}: {reason}"));
        } else {
            return Err(ExtractError::corrupt(format!("{main}: {reason}")));
        }
    }

    // Headers, footers, notes and comments.
    let secondary = [
        ("header", StoryKind::Header, None),
        ("footer", StoryKind::Footer, None),
        ("footnotes", StoryKind::Footnote, Some("footnote")),
        ("endnotes", StoryKind::Endnote, Some("endnote")),
        ("comments", StoryKind::Comment, None),
    ];
    for (rel_kind, story_kind, note) in secondary {
        for name in part_of(rel_kind) {
            let Some(xml) = read_optional_part(zip, &name, budget, document)? else {
                continue;
            };
            let story_name = matches!(story_kind, StoryKind::Header | StoryKind::Footer)
                .then(|| part_stem(&name).to_owned());
            let mut walker =
                DocxWalker::new(context, StoryBuilder::new(story_kind, story_name), note);
            let outcome = walk(&xml.text, &mut walker, budget);
            document.push_story(walker.builder.finish());
            record_damage(document, &name, outcome?.or(xml.damage));
        }
    }
    // An empty body is still a body: keep it only when it has text, like the other stories.
    document
        .stories
        .retain(|story| story.kind != StoryKind::Body || story.has_text());

    // Properties never fail the document.
    let core = package_rels
        .iter()
        .find(|rel| rel.kind == "core-properties")
        .map_or_else(|| "docProps/core.xml".to_owned(), |rel| rel.target.clone());
    let app = package_rels
        .iter()
        .find(|rel| {
            matches!(
                rel.kind.as_str(),
                "extended-properties" | "extendedProperties"
            )
        })
        .map_or_else(|| "docProps/app.xml".to_owned(), |rel| rel.target.clone());
    if let Some(xml) = read_optional_part(zip, &core, budget, document)?
        && let Err(error) = props::read_core(&xml.text, budget, &mut document.metadata)
    {
        property_error(document, &core, error)?;
    }
    if let Some(xml) = read_optional_part(zip, &app, budget, document)?
        && let Err(error) = props::read_app(&xml.text, budget, &mut document.metadata)
    {
        property_error(document, &app, error)?;
    }
    Ok(())
}

fn property_error(document: &mut Document, name: &str, error: ExtractError) -> Result<()> {
    match error {
        ExtractError::Corrupt { reason, .. } => {
            document.warn(WarningCode::PartSkipped, format!("{name}: {reason}"));
            Ok(())
        }
        other => Err(other),
    }
}

/// `word/header12.xml` → `header12`.
fn part_stem(name: &str) -> &str {
    let file = name.rsplit_once('/').map_or(name, |(_, file)| file);
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// Sorts `header2` before `header10`.
fn natural_key(name: &str) -> (String, u64) {
    let stem = part_stem(name);
    let digits_at = stem
        .char_indices()
        .rev()
        .take_while(|(_, ch)| ch.is_ascii_digit())
        .last()
        .map_or(stem.len(), |(i, _)| i);
    let (prefix, digits) = stem.split_at(digits_at);
    (prefix.to_owned(), digits.parse().unwrap_or(0))
}

/// One relationship: its type's last path segment (`header`, `officeDocument`) and its target
/// as a package path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relationship {
    kind: String,
    target: String,
}

fn parse_rels(xml: &str, base_directory: &str, budget: &mut Budget) -> Vec<Relationship> {
    struct RelsWalker<'a> {
        base: &'a str,
        rels: Vec<Relationship>,
    }
    impl Walker for RelsWalker<'_> {
        fn start(&mut self, element: &BytesStart<'_>, _: bool, _: &mut Budget) -> Result<Flow> {
            if local(element.name().as_ref()) == "Relationship"
                && attr(element, "TargetMode").as_deref() != Some("External")
                && let (Some(kind), Some(target)) = (attr(element, "Type"), attr(element, "Target"))
            {
                let kind = kind.rsplit('/').next().unwrap_or_default().to_owned();
                let target = resolve_target(self.base, &target);
                self.rels.push(Relationship { kind, target });
            }
            Ok(Flow::Descend)
        }
        fn end(&mut self, _: &str, _: &mut Budget) -> Result<()> {
            Ok(())
        }
        fn text(&mut self, _: &str, _: &mut Budget) -> Result<()> {
            Ok(())
        }
    }
    let mut walker = RelsWalker {
        base: base_directory,
        rels: Vec::new(),
    };
    // Broken rels keep the relationships read before the damage; the fallbacks cover the rest.
    let _ = walk(xml, &mut walker, budget);
    walker.rels
}

/// Resolves a relationship target against the directory of its source part.
fn resolve_target(base_directory: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let (start, target) = match target.strip_prefix('/') {
        Some(absolute) => ("", absolute),
        None => (base_directory, target),
    };
    for segment in start.split('/').chain(target.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments.join("/")
}

/// Without the main part's rels, take the conventional part names next to it.
fn fallback_rels(zip: &Package<'_>, directory: &str) -> Vec<Relationship> {
    let prefix = if directory.is_empty() {
        String::new()
    } else {
        format!("{directory}/")
    };
    let mut rels = Vec::new();
    for name in zip.names() {
        let Some(file) = name.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if file.contains('/') || !file.ends_with(".xml") {
            continue;
        }
        let kind = match file {
            "styles.xml" => "styles",
            "footnotes.xml" => "footnotes",
            "endnotes.xml" => "endnotes",
            "comments.xml" => "comments",
            "numbering.xml" => "numbering",
            f if f.starts_with("header") => "header",
            f if f.starts_with("footer") => "footer",
            _ => continue,
        };
        rels.push(Relationship {
            kind: kind.to_owned(),
            target: name.to_owned(),
        });
    }
    rels
}

/// What a paragraph style means for the model, resolved through `w:basedOn`.
#[derive(Clone, Debug, Default)]
struct StyleInfo {
    name: String,
    /// Heading level (1 = top) from the style's name or outline level.
    heading: Option<u8>,
    /// The style numbers its paragraphs (list styles), at this level.
    list_level: Option<u8>,
    /// The list (`w:numId`) the style numbers its paragraphs in.
    num_id: Option<String>,
    is_default: bool,
}

#[derive(Debug, Default)]
struct Styles {
    paragraph: HashMap<String, StyleInfo>,
}

/// A style as written, before inheritance.
#[derive(Debug, Default, Clone)]
struct RawStyle {
    id: String,
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    is_default: bool,
}

impl Styles {
    fn parse(xml: &str, budget: &mut Budget) -> Result<Styles> {
        struct StylesWalker {
            raw: Vec<RawStyle>,
            current: Option<RawStyle>,
        }
        impl Walker for StylesWalker {
            fn start(
                &mut self,
                element: &BytesStart<'_>,
                empty: bool,
                _: &mut Budget,
            ) -> Result<Flow> {
                let qualified = element.name();
                let name = local(qualified.as_ref());
                match name {
                    "style" if !empty => {
                        if attr(element, "type").as_deref() == Some("paragraph")
                            && let Some(id) = attr(element, "styleId")
                        {
                            let is_default = matches!(
                                attr(element, "default").as_deref(),
                                Some("1" | "true" | "on")
                            );
                            self.current = Some(RawStyle {
                                id,
                                is_default,
                                ..RawStyle::default()
                            });
                            return Ok(Flow::Descend);
                        }
                        return Ok(Flow::Skip);
                    }
                    // Revision records hold the *old* properties.
                    "pPrChange" | "rPrChange" | "rPr" | "tblPr" | "tcPr" | "trPr" => {
                        return Ok(Flow::Skip);
                    }
                    _ => {}
                }
                if let Some(style) = self.current.as_mut() {
                    match name {
                        "name" => style.name = attr(element, "val"),
                        "basedOn" => style.based_on = attr(element, "val"),
                        "outlineLvl" => style.outline = attr(element, "val").and_then(parse_u8),
                        "numId" => style.num_id = attr(element, "val"),
                        "ilvl" => style.ilvl = attr(element, "val").and_then(parse_u8),
                        _ => {}
                    }
                }
                Ok(Flow::Descend)
            }
            fn end(&mut self, name: &str, _: &mut Budget) -> Result<()> {
                if name == "style"
                    && let Some(style) = self.current.take()
                {
                    self.raw.push(style);
                }
                Ok(())
            }
            fn text(&mut self, _: &str, _: &mut Budget) -> Result<()> {
                Ok(())
            }
        }
        let mut walker = StylesWalker {
            raw: Vec::new(),
            current: None,
        };
        // Damaged styles keep the styles read so far: they only refine the blocks.
        match paragraph_style_elements(xml) {
            Some(elements) => {
                for element in elements {
                    walk(element, &mut walker, budget)?;
                }
            }
            None => {
                walk(xml, &mut walker, budget)?;
            }
        }
        let by_id: HashMap<&str, &RawStyle> =
            walker.raw.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut paragraph = HashMap::with_capacity(by_id.len());
        for style in &walker.raw {
            paragraph.insert(style.id.clone(), resolve_style(style, &by_id));
        }
        Ok(Styles { paragraph })
    }

    fn get(&self, id: &str) -> Option<&StyleInfo> {
        self.paragraph.get(id)
    }
}

/// The `w:style` elements of paragraph styles, found by a plain text scan. Only they matter
/// here, and templates such as python-docx's carry 300 KB of table and character styles whose
/// XML parsing would cost more than the whole body; a fast substring search skips them. `None`
/// when the part does not look like a styles part (then it is walked in full).
fn paragraph_style_elements(xml: &str) -> Option<Vec<&str>> {
    // The root element's prefix, e.g. `w:` from `<w:styles`.
    let mut at = 0;
    let root = loop {
        let open = at + xml.get(at..)?.find('<')?;
        let rest = xml.get(open + 1..)?;
        if rest.starts_with('?') || rest.starts_with('!') {
            at = open + 1;
            continue;
        }
        let end = rest.find(|ch: char| ch.is_whitespace() || ch == '>' || ch == '/')?;
        break rest.get(..end)?;
    };
    let prefix = root.strip_suffix("styles")?;
    let open_tag = format!("<{prefix}style");
    let close_tag = format!("</{prefix}style>");
    let mut elements = Vec::new();
    let mut at = 0;
    while let Some(found) = xml.get(at..).and_then(|rest| rest.find(&open_tag)) {
        let start = at + found;
        let after_name = start + open_tag.len();
        at = after_name;
        if !xml
            .get(after_name..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|ch| ch.is_whitespace() || ch == '>')
        {
            continue; // `<w:styles`, `<w:styleLink`…
        }
        let Some(tag_end) = xml
            .get(start..)
            .and_then(|rest| rest.find('>'))
            .map(|i| start + i)
        else {
            break;
        };
        let tag = xml.get(start..=tag_end).unwrap_or_default();
        if tag.ends_with("/>") {
            at = tag_end;
            continue;
        }
        let Some(end) = xml
            .get(tag_end..)
            .and_then(|rest| rest.find(&close_tag))
            .map(|i| tag_end + i + close_tag.len())
        else {
            break; // truncated: keep the styles read so far
        };
        at = end;
        if (tag.contains("type=\"paragraph\"") || tag.contains("type='paragraph'"))
            && let Some(element) = xml.get(start..end)
        {
            elements.push(element);
        }
    }
    Some(elements)
}

fn resolve_style(style: &RawStyle, by_id: &HashMap<&str, &RawStyle>) -> StyleInfo {
    let name = style.name.clone().unwrap_or_else(|| style.id.clone());
    let mut heading = heading_level_from_name(&name);
    let mut outline = None;
    let mut num_id = None;
    let mut ilvl = None;
    // Follow `basedOn` a bounded number of steps: a cycle must not hang us.
    let mut current = Some(style);
    for _ in 0..16 {
        let Some(s) = current else { break };
        outline = outline.or(s.outline);
        num_id = num_id.or(s.num_id.as_deref());
        ilvl = ilvl.or(s.ilvl);
        if heading.is_none()
            && let Some(parent_name) = s.name.as_deref()
            && !std::ptr::eq(s, style)
        {
            heading = heading_level_from_name(parent_name);
        }
        current = s.based_on.as_deref().and_then(|id| by_id.get(id).copied());
    }
    if heading.is_none() {
        heading = outline.filter(|level| *level < 9).map(|level| level + 1);
    }
    let list_level = match num_id {
        Some("0") | None => None,
        Some(_) => Some(ilvl.unwrap_or(0)),
    };
    // LibreOffice marks no default paragraph style; its "Normal" is the default all the same.
    let is_default =
        style.is_default || name.eq_ignore_ascii_case("normal") || style.id == "Normal";
    StyleInfo {
        name,
        heading,
        list_level,
        num_id: num_id.map(str::to_owned),
        is_default,
    }
}

/// `heading 2`, `Heading2`, `Titre 2`, `titre2` → 2.
fn heading_level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("titre"))?;
    let level: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

fn parse_u8(value: String) -> Option<u8> {
    value.trim().parse::<u8>().ok()
}

/// Properties of a paragraph being read, from its `w:pPr`.
#[derive(Debug, Default)]
struct ParagraphProps {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
}

/// Widest grid span believed: Word's grid has at most 63 columns, and a hostile span must not
/// expand into millions of empty cells.
const MAX_GRID_SPAN: usize = 64;

/// Which note a `w:footnote`/`w:endnote` part holds; separators are skipped.
type NoteElement = Option<&'static str>;

/// What every part's walker reads from the package-wide parts.
#[derive(Clone, Copy, Debug)]
struct Context<'s> {
    styles: &'s Styles,
    numbering: &'s Numbering,
}

struct DocxWalker<'s> {
    styles: &'s Styles,
    numbering: &'s Numbering,
    /// Each part counts its own list items.
    counters: ListCounters,
    builder: StoryBuilder,
    note_element: NoteElement,
    /// One entry per open paragraph, parallel to the builder's paragraphs.
    paragraphs: Vec<ParagraphProps>,
    /// Inside `w:pPr`: tabs there are tab stops, not text.
    in_paragraph_properties: bool,
    /// Inside `w:t`.
    in_text: bool,
    /// Open complex fields: `true` once their `separate` was seen (the result follows).
    fields: Vec<bool>,
    /// How many open fields are still in their instruction: text is kept only at zero.
    fields_in_instruction: usize,
    /// For each open `mc:AlternateContent`, whether a `mc:Choice` was already read.
    alternate_choices: Vec<bool>,
    /// For each open `w:tc`: its grid span and vertical merge, from `w:tcPr`.
    cells: Vec<(usize, Option<VerticalMerge>)>,
    /// A legacy form checkbox being read (`w:ffData/w:checkBox`): its checked state.
    checkbox: Option<CheckboxState>,
}

/// A legacy `FORMCHECKBOX` field has no result text: its state lives in `w:ffData`. It is
/// rendered as ☒ or ☐ so that a form's ticked options survive ("☒ SCIC ☐ SCOP").
#[derive(Debug, Default)]
struct CheckboxState {
    is_checkbox: bool,
    checked: Option<bool>,
    default: Option<bool>,
}

fn on_off(element: &BytesStart<'_>) -> bool {
    !matches!(attr(element, "val").as_deref(), Some("0" | "false" | "off"))
}

impl<'s> DocxWalker<'s> {
    fn new(
        context: Context<'s>,
        builder: StoryBuilder,
        note_element: NoteElement,
    ) -> DocxWalker<'s> {
        DocxWalker {
            styles: context.styles,
            numbering: context.numbering,
            counters: ListCounters::default(),
            builder,
            note_element,
            paragraphs: Vec::new(),
            in_paragraph_properties: false,
            in_text: false,
            fields: Vec::new(),
            fields_in_instruction: 0,
            alternate_choices: Vec::new(),
            cells: Vec::new(),
            checkbox: None,
        }
    }

    fn keeping_text(&self) -> bool {
        self.fields_in_instruction == 0
    }

    fn push_char(&mut self, ch: char, budget: &mut Budget) -> Result<()> {
        if self.keeping_text() {
            self.builder.push_char(ch, budget)?;
        }
        Ok(())
    }

    fn field_char(&mut self, element: &BytesStart<'_>) {
        match attr(element, "fldCharType").as_deref() {
            Some("begin") => {
                self.fields.push(false);
                self.fields_in_instruction += 1;
            }
            Some("separate") => {
                if let Some(in_result) = self.fields.last_mut()
                    && !*in_result
                {
                    *in_result = true;
                    self.fields_in_instruction = self.fields_in_instruction.saturating_sub(1);
                }
            }
            Some("end") => {
                if let Some(in_result) = self.fields.pop()
                    && !in_result
                {
                    self.fields_in_instruction = self.fields_in_instruction.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    fn paragraph_kind(&mut self, props: &ParagraphProps) -> ParagraphKind {
        let style = props.style.as_deref().and_then(|id| self.styles.get(id));
        let heading = props
            .outline
            .filter(|level| *level < 9)
            .map(|level| level + 1)
            .or_else(|| style.and_then(|s| s.heading))
            .or_else(|| {
                // Without styles.xml, the style id is all we have (`Heading1`, `Titre2`).
                style
                    .is_none()
                    .then(|| props.style.as_deref().and_then(heading_level_from_name))
                    .flatten()
            });
        if let Some(level) = heading {
            return ParagraphKind::Heading(Some(level));
        }
        // The paragraph's own `w:numId` wins over its style's; `0` switches numbering off.
        let list = match props.num_id.as_deref() {
            Some("0") => None,
            Some(num_id) => Some((num_id.to_owned(), props.ilvl.unwrap_or(0))),
            None => style.and_then(|s| {
                let level = props.ilvl.unwrap_or(s.list_level?);
                Some((s.num_id.clone()?, level))
            }),
        };
        if let Some((num_id, level)) = list {
            let level = level.min(8);
            return ParagraphKind::ListItem {
                level,
                label: self.counters.label(self.numbering, &num_id, level),
            };
        }
        match (style, props.style.as_deref()) {
            (Some(style), _) if !style.is_default => ParagraphKind::Styled(style.name.clone()),
            (None, Some(id)) if !matches!(id, "Normal" | "Standard") => {
                ParagraphKind::Styled(id.to_owned())
            }
            _ => ParagraphKind::Plain,
        }
    }
}

impl Walker for DocxWalker<'_> {
    fn start(
        &mut self,
        element: &BytesStart<'_>,
        empty: bool,
        budget: &mut Budget,
    ) -> Result<Flow> {
        let qualified = element.name();
        let name = local(qualified.as_ref());
        if self.in_paragraph_properties {
            if let Some(props) = self.paragraphs.last_mut() {
                match name {
                    "pStyle" => props.style = attr(element, "val"),
                    "numId" => props.num_id = attr(element, "val"),
                    "ilvl" => props.ilvl = attr(element, "val").and_then(parse_u8),
                    "outlineLvl" => props.outline = attr(element, "val").and_then(parse_u8),
                    // The paragraph mark's run properties and revision records of old
                    // properties must not override the current ones.
                    "rPr" | "pPrChange" | "sectPr" => return Ok(Flow::Skip),
                    _ => {}
                }
            }
            return Ok(Flow::Descend);
        }
        match name {
            "t" if !empty => self.in_text = true,
            "p" => {
                self.builder.start_paragraph();
                self.paragraphs.push(ParagraphProps::default());
                if empty {
                    self.end("p", budget)?;
                }
            }
            "pPr" if !empty => self.in_paragraph_properties = true,
            "tab" | "ptab" => self.push_char('\t', budget)?,
            "br" | "cr" => self.push_char('\n', budget)?,
            "noBreakHyphen" => self.push_char('-', budget)?,
            "sym" => {
                if let Some(ch) = attr(element, "char").and_then(|code| symbol_char(&code)) {
                    self.push_char(ch, budget)?;
                }
            }
            "fldChar" => self.field_char(element),
            "ffData" if !empty => self.checkbox = Some(CheckboxState::default()),
            "checkBox" | "checked" | "default" if self.checkbox.is_some() => {
                if let Some(state) = self.checkbox.as_mut() {
                    match name {
                        "checkBox" => state.is_checkbox = true,
                        "checked" => state.checked = Some(on_off(element)),
                        _ => state.default = Some(on_off(element)),
                    }
                }
            }
            "tbl" if !empty => self.builder.start_table(),
            "tr" if !empty => self.builder.start_row(),
            "tc" => {
                self.builder.start_cell();
                if empty {
                    self.builder.end_grid_cell(1, None);
                } else {
                    self.cells.push((1, None));
                }
            }
            "gridSpan" => {
                if let Some(cell) = self.cells.last_mut() {
                    cell.0 = attr(element, "val")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_GRID_SPAN);
                }
            }
            "vMerge" => {
                if let Some(cell) = self.cells.last_mut() {
                    cell.1 = Some(match attr(element, "val").as_deref() {
                        Some("restart") => VerticalMerge::Restart,
                        _ => VerticalMerge::Continue,
                    });
                }
            }
            // Deleted text, moved-away text, old property records, the VML copy of a text
            // box, and properties that never hold text.
            "del" | "moveFrom" | "delText" | "delInstrText" | "instrText" | "rPr" | "rPrChange"
            | "pPrChange" | "sectPrChange" | "tblPrChange" | "trPrChange" | "tcPrChange"
            | "tblPr" | "trPr" | "tblGrid" | "sdtPr" | "sdtEndPr" | "Fallback" | "oMath"
            | "oMathPara" | "docPr" | "cNvPr" => return Ok(Flow::Skip),
            "AlternateContent" if !empty => self.alternate_choices.push(false),
            "Choice" => {
                if let Some(taken) = self.alternate_choices.last_mut() {
                    if *taken {
                        return Ok(Flow::Skip);
                    }
                    *taken = true;
                }
            }
            "footnote" | "endnote" if Some(name) == self.note_element => {
                if matches!(
                    attr(element, "type").as_deref(),
                    Some("separator" | "continuationSeparator" | "continuationNotice")
                ) {
                    return Ok(Flow::Skip);
                }
            }
            _ => {}
        }
        Ok(Flow::Descend)
    }

    fn end(&mut self, name: &str, budget: &mut Budget) -> Result<()> {
        match name {
            "t" => self.in_text = false,
            "pPr" => self.in_paragraph_properties = false,
            "p" => {
                // A field instruction never spans paragraphs; one still open here lost its
                // `separate`/`end` (damaged or hand-made file). Showing what follows beats
                // hiding the rest of the part.
                for in_result in self.fields.iter_mut().filter(|in_result| !**in_result) {
                    *in_result = true;
                }
                self.fields_in_instruction = 0;
                let props = self.paragraphs.pop().unwrap_or_default();
                let kind = self.paragraph_kind(&props);
                self.builder.end_paragraph(kind);
            }
            "tbl" => self.builder.end_table(),
            "tr" => self.builder.end_row(),
            "tc" => {
                let (span, vertical) = self.cells.pop().unwrap_or((1, None));
                self.builder.end_grid_cell(span, vertical);
            }
            "AlternateContent" => {
                self.alternate_choices.pop();
            }
            "ffData" => {
                // The checkbox's own field hides its instruction; any outer one hides it all.
                if let Some(state) = self.checkbox.take()
                    && state.is_checkbox
                    && self.fields_in_instruction <= 1
                {
                    let ticked = state.checked.or(state.default).unwrap_or(false);
                    self.builder
                        .push_char(if ticked { '☒' } else { '☐' }, budget)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str, budget: &mut Budget) -> Result<()> {
        if self.in_text && self.keeping_text() {
            self.builder.push_text(text, budget)?;
        }
        Ok(())
    }
}

/// `w:sym/@w:char` is a hex code point; symbol fonts map theirs into the private-use area
/// (`F0xx`), which has no meaning as text and is dropped.
fn symbol_char(code: &str) -> Option<char> {
    let value = u32::from_str_radix(code.trim(), 16).ok()?;
    let ch = char::from_u32(value)?;
    let private_use = (0xE000..=0xF8FF).contains(&value);
    (!private_use && !ch.is_control()).then_some(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_directory() {
        assert_eq!(resolve_target("word", "header1.xml"), "word/header1.xml");
        assert_eq!(
            resolve_target("word", "/word/footer.xml"),
            "word/footer.xml"
        );
        assert_eq!(
            resolve_target("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
    }

    #[test]
    fn only_paragraph_style_elements_are_scanned() {
        let xml = r#"<?xml version="1.0"?><w:styles xmlns:w="x"><w:docDefaults/>
            <w:style w:type="table" w:styleId="Grid"><w:name w:val="Grid"/></w:style>
            <w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
            <w:style w:type="character" w:styleId="paragraphChar"/>
            <w:style w:type="paragraph" w:styleId="Cut"><w:name"#;
        assert_eq!(
            paragraph_style_elements(xml).unwrap(),
            [
                r#"<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>"#
            ]
        );
        assert_eq!(
            paragraph_style_elements("<styles><style type=\"paragraph\"></style></styles>")
                .unwrap()
                .len(),
            1
        );
        assert!(paragraph_style_elements("<w:document/>").is_none());
    }

    #[test]
    fn heading_names_in_english_and_french() {
        assert_eq!(heading_level_from_name("heading 1"), Some(1));
        assert_eq!(heading_level_from_name("Titre 3"), Some(3));
        assert_eq!(heading_level_from_name("Heading2"), Some(2));
        assert_eq!(heading_level_from_name("Title"), None);
        assert_eq!(heading_level_from_name("Titre"), None);
    }

    #[test]
    fn parts_sort_naturally() {
        let mut names = vec!["word/header10.xml", "word/header2.xml", "word/header1.xml"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(
            names,
            ["word/header1.xml", "word/header2.xml", "word/header10.xml"]
        );
    }

    #[test]
    fn symbol_chars_outside_the_private_use_area_are_kept() {
        assert_eq!(symbol_char("2022"), Some('•'));
        assert_eq!(symbol_char("F0B7"), None);
        assert_eq!(symbol_char("zz"), None);
    }
}
