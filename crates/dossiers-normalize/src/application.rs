//! The application document read as a form: its sections (mapped to canonical topics) and its
//! labelled fields.
//!
//! Templates differ: one applicant uses Word heading styles, another numbers its parts « 1. »,
//! « III. », « Partie 2 – », « 2) » or « A. » in plain paragraphs, a third answers questions in a
//! two-column table. The segmenter accepts all of these, skips the table of contents, and maps
//! each heading to a topic through the lexicon (`section_topics`); a sub-section that names no
//! topic of its own belongs to its parent's. Fields are « Label : valeur » lines and label/answer
//! table rows, recognised through the lexicon's `labels`.

use dossiers_extract::{Block, Document, StoryKind};
use dossiers_model::SectionTopic;

use crate::lexicon::{Label, lexicon};
use crate::text::Folded;

/// How much of an application's text is read (an application is some 30 kB).
const MAX_TEXT_BYTES: usize = 2_000_000;

/// One section of the application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadSection {
    /// 1-based position among the sections.
    pub number: usize,
    pub title: String,
    pub level: u8,
    /// The topic its own heading names (`other` when none).
    pub own_topic: SectionTopic,
    /// Its own topic, or its parent's when it names none.
    pub topic: SectionTopic,
    pub text: String,
    /// Where it lies in [`Application::text`] (byte range, heading included).
    pub span: (usize, usize),
}

impl ReadSection {
    /// How provenance cites the section: `section 3 « Diagnostic territorial »`.
    pub fn at(&self) -> String {
        format!("section {} « {} »", self.number, self.title)
    }
}

/// A labelled value of the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: String,
    pub key: Option<Label>,
    /// The section number it sits in (0 for the cover page).
    pub section: usize,
}

/// The application as sections and fields.
#[derive(Clone, Debug, Default)]
pub struct Application {
    pub sections: Vec<ReadSection>,
    pub fields: Vec<Field>,
    /// The text before the first section (the cover page).
    pub cover: String,
    /// The whole text: body, then notes and text boxes.
    pub text: String,
    /// Headers and footers, where some templates print the deposit date.
    pub margins: String,
    /// Byte ranges of `text` that ask rather than state: a form's questions (« Q9. Relevez-vous
    /// de Petites villes de demain, d'Action cœur de ville… ? »), whose words are not facts.
    pub asked: Vec<(usize, usize)>,
}

impl Application {
    /// The text of every section with this topic, in order.
    pub fn topic_text(&self, topic: SectionTopic) -> String {
        let mut out = String::new();
        for section in self.sections.iter().filter(|s| s.topic == topic) {
            out.push_str(&section.title);
            out.push('\n');
            out.push_str(&section.text);
            out.push('\n');
        }
        out
    }

    /// The first section with this topic (for provenance).
    pub fn first_section(&self, topic: SectionTopic) -> Option<&ReadSection> {
        self.sections.iter().find(|s| s.topic == topic)
    }

    /// The sections whose heading contains one of these folded words.
    pub fn sections_titled(&self, words: &[&str]) -> Vec<&ReadSection> {
        self.sections
            .iter()
            .filter(|s| {
                let title = crate::text::fold(&s.title);
                words.iter().any(|w| title.contains(w))
            })
            .collect()
    }

    /// The first field with this key and a non-empty value.
    pub fn field(&self, key: Label) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.key == Some(key) && !f.value.trim().is_empty())
    }

    /// Where a field sits, for provenance.
    pub fn field_at(&self, field: &Field) -> String {
        match self.sections.iter().find(|s| s.number == field.section) {
            Some(section) => format!("{}, champ « {} »", section.at(), field.label.trim()),
            None => format!("page de garde, champ « {} »", field.label.trim()),
        }
    }
}

/// A unit of the body in reading order.
#[derive(Clone, Debug)]
enum Unit {
    Heading(u8, String),
    Line(String),
    /// An item of a bulleted or numbered list: read as a line.
    Item(String),
    Row(Vec<String>),
}

/// Reads an extracted application document.
pub fn read_application(document: &Document) -> Application {
    let mut units = Vec::new();
    for story in document.stories_of(StoryKind::Body) {
        for block in &story.blocks {
            flatten(block, &mut units);
        }
    }
    demote_list_titles(&mut units);
    promote_titles_of_lists(&mut units);
    let mut app = Application::default();
    let mut current: Option<ReadSection> = None;
    let mut parents: Vec<(u8, SectionTopic)> = Vec::new();
    let mut pending_label: Option<(String, usize)> = None;
    let mut heading_level = 0u8;
    let mut all_text = String::new();
    for unit in units {
        // A pathological document (a book pasted in) is read up to a bound, so that one file
        // cannot stall a batch.
        if all_text.len() > MAX_TEXT_BYTES {
            break;
        }
        let section_number = current.as_ref().map_or(0, |s| s.number);
        match unit {
            Unit::Heading(level, title) => {
                // Level 0 is a heading whose level the file does not give (an unnumbered title
                // line, a title row of a table): it sits under the current numbered heading.
                let level = if level == 0 {
                    heading_level.saturating_add(1)
                } else {
                    heading_level = level;
                    level
                };
                if let Some(mut done) = current.take() {
                    done.span.1 = all_text.len();
                    app.sections.push(done);
                }
                while parents.last().is_some_and(|(l, _)| *l >= level) {
                    parents.pop();
                }
                let own_topic = topic_of(&title);
                let topic = if own_topic == SectionTopic::Other {
                    parents.last().map_or(SectionTopic::Other, |(_, t)| *t)
                } else {
                    own_topic
                };
                parents.push((level, topic));
                // A form whose labels stand alone on their line (« Nom de la structure »), the
                // value on the next one.
                let label = label_key(&title).map(|_| title.clone());
                let start = all_text.len();
                mark_asked(&mut app.asked, start, &title);
                all_text.push_str(&title);
                all_text.push('\n');
                current = Some(ReadSection {
                    number: app.sections.len() + 1,
                    title,
                    level,
                    own_topic,
                    topic,
                    text: String::new(),
                    span: (start, start),
                });
                pending_label = label.map(|l| (l, app.sections.len() + 1));
            }
            Unit::Line(line) | Unit::Item(line) => {
                // A heading that reads like a label (« Le projet », « Le porteur ») followed by a
                // labelled line (« Nom du projet : … ») is a section title: the line's own label
                // names the value.
                let labelled = split_label(&line)
                    .is_some_and(|(label, value)| !value.is_empty() && label_key(label).is_some());
                if labelled {
                    pending_label = None;
                }
                if let Some((label, at)) = pending_label.take()
                    && line.chars().count() <= 200
                {
                    push_field(&mut app.fields, &label, &line, at);
                } else if let Some((label, value)) = split_label(&line) {
                    if value.is_empty() {
                        pending_label = Some((label.to_string(), section_number));
                    } else {
                        push_field(&mut app.fields, label, value, section_number);
                    }
                }
                push_line(&mut current, &mut app.cover, &line);
                mark_asked(&mut app.asked, all_text.len(), &line);
                all_text.push_str(&line);
                all_text.push('\n');
            }
            Unit::Row(cells) => {
                pending_label = None;
                let non_empty: Vec<&String> =
                    cells.iter().filter(|c| !c.trim().is_empty()).collect();
                if let [label, value] = non_empty.as_slice() {
                    let topic = topic_of(label);
                    // A question/answer table: a long answer beside a question naming a topic is
                    // a section of its own, a sibling of the other answers.
                    if topic != SectionTopic::Other
                        && value.chars().count() > 150
                        && label.chars().count() <= 300
                    {
                        let level = heading_level + 1;
                        if let Some(mut done) = current.take() {
                            done.span.1 = all_text.len();
                            app.sections.push(done);
                        }
                        let start = all_text.len();
                        current = Some(ReadSection {
                            number: app.sections.len() + 1,
                            title: label.trim().to_string(),
                            level,
                            own_topic: topic,
                            topic,
                            text: format!("{}\n", value.trim()),
                            span: (start, start),
                        });
                        mark_asked(&mut app.asked, all_text.len(), label.trim());
                        all_text.push_str(&format!("{} ; {}\n", label.trim(), value.trim()));
                        continue;
                    }
                    if label.chars().count() <= 80 {
                        push_field(&mut app.fields, label, value, section_number);
                    }
                }
                let line = cells
                    .iter()
                    .map(|c| c.trim())
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ; ");
                push_line(&mut current, &mut app.cover, &line);
                if let Some(first) = cells.iter().map(|c| c.trim()).find(|c| !c.is_empty()) {
                    mark_asked(&mut app.asked, all_text.len(), first);
                }
                all_text.push_str(&line);
                all_text.push('\n');
            }
        }
    }
    if let Some(mut done) = current.take() {
        done.span.1 = all_text.len();
        app.sections.push(done);
    }
    // Notes and text boxes carry content too (a programme named in a footnote); headers,
    // footers and reviewers' comments do not describe the project.
    for story in &document.stories {
        if matches!(
            story.kind,
            StoryKind::Footnote | StoryKind::Endnote | StoryKind::TextBox
        ) {
            for block in &story.blocks {
                let mut notes = Vec::new();
                flatten(block, &mut notes);
                for unit in notes {
                    match unit {
                        Unit::Heading(_, t) | Unit::Line(t) | Unit::Item(t) => {
                            all_text.push_str(&t)
                        }
                        Unit::Row(cells) => all_text.push_str(&cells.join(" ; ")),
                    }
                    all_text.push('\n');
                }
            }
        }
    }
    app.text = all_text;
    for story in &document.stories {
        if matches!(story.kind, StoryKind::Header | StoryKind::Footer) {
            for block in &story.blocks {
                if let Some(text) = block.text() {
                    app.margins.push_str(text);
                    app.margins.push('\n');
                }
            }
        }
    }
    app
}

/// Marks the question a line (or its first cell) asks, written at `at` in the whole text: the
/// line up to its last « ? », or a whole line numbered as a question (« Q9. Décrivez … »).
fn mark_asked(asked: &mut Vec<(usize, usize)>, at: usize, line: &str) {
    let trimmed = line.trim_start();
    let numbered_question = trimmed
        .strip_prefix(['Q', 'q'])
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    if let Some(end) = line.rfind('?') {
        asked.push((at, at + end + 1));
    } else if numbered_question || is_question(line) {
        asked.push((at, at + line.len()));
    }
}

/// A short title-like line followed by another short line is an item of a list (« Production »,
/// « Formation », « Location d'espaces »), not a heading; a form label keeps its heading role
/// so that the value below it is read.
fn demote_list_titles(units: &mut [Unit]) {
    let short = |unit: Option<&Unit>| match unit {
        Some(Unit::Heading(0, text)) => label_key(text).is_none(),
        Some(Unit::Line(text)) => text.chars().count() < 60,
        _ => false,
    };
    let mut demote = Vec::new();
    for (index, unit) in units.iter().enumerate() {
        if let Unit::Heading(0, text) = unit
            && label_key(text).is_none()
            && short(units.get(index + 1))
        {
            demote.push(index);
        }
    }
    for index in demote {
        if let Some(unit) = units.get_mut(index)
            && let Unit::Heading(_, text) = unit
        {
            *unit = Unit::Line(std::mem::take(text));
        }
    }
}

/// A short line shaped like a title right above a bulleted list is that list's heading (the
/// title of a slide, « Ce qui sortira des ateliers »), even when it names no topic: what follows
/// is no longer read under the previous heading's topic.
fn promote_titles_of_lists(units: &mut [Unit]) {
    let mut promote = Vec::new();
    for (index, pair) in units.windows(2).enumerate() {
        if let [Unit::Line(text), Unit::Item(_)] = pair
            && is_plain_title(text)
        {
            promote.push(index);
        }
    }
    for index in promote {
        if let Some(unit) = units.get_mut(index)
            && let Unit::Line(text) = unit
        {
            *unit = Unit::Heading(0, std::mem::take(text));
        }
    }
}

/// A line shaped like a title: short, capitalised, without a sentence's final punctuation and
/// without a « Label : valeur ».
fn is_plain_title(text: &str) -> bool {
    let text = text.trim();
    let chars = text.chars().count();
    (2..=60).contains(&chars)
        && text.split_whitespace().count() <= 8
        && text.chars().next().is_some_and(char::is_uppercase)
        && !text.ends_with(['.', ',', ';', ':', '!'])
        && split_label(text).is_none_or(|(_, value)| value.is_empty())
}

fn push_line(current: &mut Option<ReadSection>, cover: &mut String, line: &str) {
    let target = match current {
        Some(section) => &mut section.text,
        None => cover,
    };
    target.push_str(line);
    target.push('\n');
}

fn push_field(fields: &mut Vec<Field>, label: &str, value: &str, section: usize) {
    fields.push(Field {
        label: label.trim().to_string(),
        value: value.trim().to_string(),
        key: label_key(label),
        section,
    });
}

/// The label key when the whole label is (nearly) a lexicon label: « N° SIRET » is the SIRET,
/// « Nombre de salariés de la structure » is not the structure's name.
pub fn label_key(label: &str) -> Option<Label> {
    let folded = Folded::new(
        label
            .trim()
            .trim_end_matches([':', '*', ' ', '?', '\u{a0}']),
    );
    let text = folded.text.trim();
    if text.is_empty() {
        return None;
    }
    let hits = lexicon().labels.find(&folded);
    let best = hits.iter().max_by_key(|hit| hit.end - hit.start)?;
    let covered = best.end - best.start;
    let rest = text.len().saturating_sub(covered);
    let rest_text: String = text
        .get(..best.start)
        .unwrap_or("")
        .chars()
        .chain(text.get(best.end..).unwrap_or("").chars())
        .collect();
    let filler_only = rest_text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "n" | "no"
                    | "numero"
                    | "le"
                    | "la"
                    | "les"
                    | "de"
                    | "du"
                    | "des"
                    | "votre"
                    | "actuel"
                    | "actuelle"
                    | "complete"
                    | "complet"
                    | "officiel"
                    | "officielle"
                    | "principal"
                    | "a"
                    // A label asked as a question (« Quel est son numéro SIRET ? »).
                    | "quel"
                    | "quelle"
                    | "est"
                    | "sera"
                    | "son"
                    | "sa"
            )
        });
    (rest <= 4 || filler_only).then_some(best.key)
}

/// « Label : valeur » with a short label.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let (label, value) = line.split_once([':', '\t'])?;
    let label = label.trim();
    if label.is_empty()
        || label.chars().count() > 60
        || label.ends_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some((label, value.trim()))
}

fn flatten(block: &Block, out: &mut Vec<Unit>) {
    match block {
        Block::Heading { level, text } => {
            let text = clean(text);
            if !text.is_empty() && !is_toc_line(&text) {
                let level = level.unwrap_or_else(|| numbered_heading(&text).map_or(1, |(l, _)| l));
                out.push(Unit::Heading(level.max(1), text));
            }
        }
        Block::Paragraph { text, style } => {
            let text = clean(text);
            if text.is_empty() || is_toc_line(&text) || style.as_deref().is_some_and(is_toc_style) {
                return;
            }
            if let Some(level) = style.as_deref().and_then(heading_style_level) {
                out.push(Unit::Heading(level, text));
            } else if let Some((level, _)) = numbered_heading(&text) {
                out.push(Unit::Heading(level, text));
            } else if is_title_line(&text) || is_question(&text) {
                out.push(Unit::Heading(0, text));
            } else {
                out.push(Unit::Line(text));
            }
        }
        Block::ListItem { text, label, .. } => {
            let text = clean(text);
            if text.is_empty() {
                return;
            }
            // A numbered list item that reads like a heading (« 3. Diagnostic territorial »).
            let numbered = label.as_deref().map(|l| format!("{l} {text}"));
            if let Some(full) = numbered.as_deref()
                && let Some((level, _)) = numbered_heading(full)
                && is_title_line(&text)
            {
                out.push(Unit::Heading(level, text));
            } else {
                out.push(Unit::Item(text));
            }
        }
        Block::Table(table) => {
            for row in &table.rows {
                let mut cells: Vec<String> = row.cells.iter().map(|c| clean(&c.text)).collect();
                // « N° | Question | Réponse »: a leading index cell numbers the row, it is not
                // its label.
                if cells.iter().filter(|c| !c.is_empty()).count() >= 3
                    && cells.first().is_some_and(|c| is_row_index(c))
                {
                    cells.remove(0);
                }
                // A row whose answer was boxes left blank or ticked « non » asserts nothing.
                let emptied = row.cells.iter().zip(&cells).any(|(raw, cell)| {
                    cell.is_empty() && !raw.text.trim_matches(['\u{7}', ' ', '\r']).is_empty()
                });
                if emptied {
                    continue;
                }
                let non_empty: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
                // A row holding only a question or a title (the answer comes in the next row).
                if let [only] = non_empty.as_slice() {
                    if let Some((level, _)) = numbered_heading(only) {
                        out.push(Unit::Heading(level, (*only).clone()));
                        continue;
                    }
                    if is_question(only) || is_title_line(only) {
                        out.push(Unit::Heading(0, (*only).clone()));
                        continue;
                    }
                }
                // A one-cell row (a form exported as a table of lines) is a line: « Raison
                // sociale : X » is a field there as anywhere.
                match non_empty.as_slice() {
                    [] => {}
                    [only] => out.push(Unit::Line((*only).clone())),
                    _ => out.push(Unit::Row(cells)),
                }
            }
        }
    }
}

/// « 3 », « 12. », « Q4 », « a) »: a cell that only numbers its row.
fn is_row_index(cell: &str) -> bool {
    let cell = cell.trim().trim_end_matches(['.', ')', ' ']);
    let digits = cell.trim_start_matches(['Q', 'q', 'n', 'N', '°', 'º', ' ']);
    !cell.is_empty()
        && cell.chars().count() <= 4
        && (digits.chars().all(|c| c.is_ascii_digit()) && !digits.is_empty()
            || cell.chars().count() == 1 && cell.chars().all(char::is_alphabetic))
}

/// « Structure candidate ............ Régie des Ateliers » → « Structure candidate : Régie des
/// Ateliers »: a leader of dots (or ellipses) between a label and its value is a colon.
fn leader_to_colon(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let run_start = i;
        let mut dots = 0;
        while let Some(b) = bytes.get(i) {
            if *b == b'.' {
                dots += 1;
                i += 1;
            } else if text.get(i..).is_some_and(|r| r.starts_with('…')) {
                dots += 3;
                i += '…'.len_utf8();
            } else {
                break;
            }
        }
        // A table of contents keeps its leader to the page number (« Diagnostic ...... 6 »).
        let page_number = {
            let rest = text.get(i..).unwrap_or("").trim();
            !rest.is_empty() && rest.len() <= 3 && rest.chars().all(|c| c.is_ascii_digit())
        };
        if dots >= 4 && run_start > 0 && !page_number {
            out.push_str(text.get(last..run_start).unwrap_or("").trim_end());
            out.push_str(" : ");
            // The value follows after the leader's spaces.
            while bytes.get(i) == Some(&b' ') {
                i += 1;
            }
            last = i;
            continue;
        }
        if i == run_start {
            i += text
                .get(i..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(text.get(last..).unwrap_or(""));
    std::borrow::Cow::Owned(out)
}

fn clean(text: &str) -> String {
    let text = leader_to_colon(text).replace(['\u{7}', '\u{b}', '\r'], " ");
    match crate::checkboxes::resolve(&text) {
        Some(answer) => answer,
        None => text.trim().to_string(),
    }
}

fn is_toc_style(style: &str) -> bool {
    let style = style.to_lowercase();
    ["toc", "contents", "table des mati", "sommaire", "index"]
        .iter()
        .any(|s| style.contains(s))
}

/// « 2.1 Présentation générale⇥4 »: a table-of-contents entry.
fn is_toc_line(text: &str) -> bool {
    let trimmed = text.trim_end();
    let Some((before, page)) = trimmed.rsplit_once(['\t', '.', ' ']) else {
        return false;
    };
    !before.trim().is_empty()
        && page.len() <= 3
        && !page.is_empty()
        && page.chars().all(|c| c.is_ascii_digit())
        && (trimmed.contains('\t') || before.ends_with("..") || before.ends_with('…'))
}

fn heading_style_level(style: &str) -> Option<u8> {
    let folded = crate::text::fold(style);
    let rest = folded
        .strip_prefix("heading")
        .or_else(|| folded.strip_prefix("titre"))
        .or_else(|| folded.strip_prefix("title"))?;
    let digits: String = rest
        .trim_start_matches([' ', '_', '-'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse::<u8>().ok().filter(|l| (1..=9).contains(l))
}

/// A heading written with its number in plain text: « 1. », « 2.1 », « 2) », « III. »,
/// « A. », « Partie 2 – ». Returns the level and the title.
pub fn numbered_heading(text: &str) -> Option<(u8, &str)> {
    let text = text.trim();
    let chars = text.chars().count();
    if !(3..=120).contains(&chars) || text.ends_with(['.', ';', ',']) && !text.ends_with("etc.") {
        return None;
    }
    let folded = crate::text::fold(text);
    for word in [
        "partie", "section", "chapitre", "volet", "axe", "titre", "question", "rubrique",
    ] {
        if let Some(rest) = folded.strip_prefix(word) {
            let rest = rest.trim_start();
            let number_len = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || "ivx".contains(*c))
                .count();
            if number_len > 0 {
                let after = rest
                    .get(number_len..)
                    .unwrap_or("")
                    .trim_start_matches([' ', '.', '-', ':', ')', '–']);
                if after.chars().next().is_some_and(char::is_alphabetic) {
                    let title_start = text.len().saturating_sub(after.len());
                    return Some((1, text.get(title_start..).unwrap_or(text)));
                }
            }
        }
    }
    let bytes = text.as_bytes();
    // Arabic numbering: 1. / 1.2 / 1.2.3 / 2) / 3 -
    let mut i = 0;
    let mut level = 0u8;
    let mut number_value = 0u32;
    while i < bytes.len() {
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start || i - start > 2 {
            break;
        }
        if level == 0 {
            number_value = text
                .get(start..i)
                .and_then(|n| n.parse().ok())
                .unwrap_or(99);
        }
        level += 1;
        if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        break;
    }
    if level > 0 && number_value <= 30 {
        let rest = text.get(i..).unwrap_or("");
        let after = rest.trim_start_matches(['.', ')', ' ', '-', '–', '—', ':', '/']);
        let had_separator = rest.len() > after.len();
        if had_separator
            && after
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() && c.is_uppercase() || c == 'É')
        {
            return Some((level.min(6), after));
        }
        return None;
    }
    // Roman numerals: I. / IV - / III)
    let roman_len = text.chars().take_while(|c| "IVX".contains(*c)).count();
    if (1..=5).contains(&roman_len) {
        let rest = text.get(roman_len..).unwrap_or("");
        let after = rest.trim_start_matches(['.', ')', ' ', '-', '–', '—', ':']);
        if rest.starts_with(['.', ')', ' ', '-', '–', '—'])
            && after.chars().next().is_some_and(|c| c.is_uppercase())
            && after.len() + 1 < rest.len() + 1
        {
            if rest.starts_with(' ') && !rest.trim_start().starts_with(['.', '-', '–', '—', ')'])
            {
                // « I Lorem » without punctuation is too weak to be a heading.
                return None;
            }
            return Some((1, after));
        }
    }
    // Letters: A. / B) followed by a capitalised title.
    let mut chars_iter = text.chars();
    if let (Some(letter), Some(mark)) = (chars_iter.next(), chars_iter.next())
        && letter.is_ascii_uppercase()
        && matches!(mark, '.' | ')')
    {
        let after = chars_iter.as_str().trim_start();
        if after.chars().next().is_some_and(char::is_uppercase)
            && text.get(2..).is_some_and(|r| r.starts_with(' '))
        {
            return Some((2, after));
        }
    }
    None
}

/// A short unnumbered line that names a topic and reads like a title (no sentence punctuation),
/// or a short line in capitals.
fn is_title_line(text: &str) -> bool {
    let chars = text.chars().count();
    if !(3..=70).contains(&chars) || text.ends_with(['.', ':', ';', ',', '?', '!']) {
        return false;
    }
    if !text.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    // « Forme juridique : SCOP SARL » is a field, not a title.
    if text
        .split_once([':', '\t'])
        .is_some_and(|(_, value)| !value.trim().is_empty())
    {
        return false;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase());
    let folded = Folded::new(text);
    let hits = lexicon().topics.find(&folded);
    let covered: usize = hits.iter().map(|h| h.end - h.start).sum();
    let words = folded.text.split_whitespace().count();
    (all_caps && !hits.is_empty())
        || (!hits.is_empty() && words <= 7 && covered * 3 >= folded.text.len())
}

/// A form's question naming a topic: « Décrivez la maîtrise foncière du projet. », « Quel est
/// le statut juridique de la structure ? ».
fn is_question(text: &str) -> bool {
    const ASKING: &[&str] = &[
        "decrivez",
        "presentez",
        "precisez",
        "indiquez",
        "expliquez",
        "detaillez",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "comment",
        "en quoi",
        "justifiez",
        "listez",
        "merci de",
        "veuillez",
    ];
    let chars = text.chars().count();
    if !(8..=250).contains(&chars) {
        return false;
    }
    let folded = crate::text::fold(text);
    // One sentence: « Comment nous sommes organisés. Forme juridique … » is a paragraph with a
    // lead-in, not a question.
    let one_sentence = !text
        .trim_end()
        .trim_end_matches(['.', '?', ':', ' '])
        .contains(". ");
    let asks = text.trim_end().ends_with('?')
        || one_sentence && ASKING.iter().any(|a| folded.starts_with(a));
    asks && topic_of(text) != SectionTopic::Other
}

/// The topic a heading or label names: the topic whose phrases cover most of it (« Le lieu :
/// foncier et immobilier » is about land control, not the project), the first named on a tie.
pub fn topic_of(title: &str) -> SectionTopic {
    let folded = Folded::new(title);
    let hits = lexicon().topics.find(&folded);
    let mut best: Option<(usize, SectionTopic)> = None;
    for hit in &hits {
        let covered: usize = hits
            .iter()
            .filter(|h| h.key == hit.key)
            .map(|h| h.end - h.start)
            .sum();
        if best.is_none_or(|(b, _)| covered > b) {
            best = Some((covered, hit.key));
        }
    }
    best.map_or(SectionTopic::Other, |(_, topic)| topic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<(u8, &str)>) {
        assert_eq!(numbered_heading(input), expected, "{input:?}");
    }

    #[test]
    fn numbered_headings() {
        check(
            "1. Présentation du porteur de projet",
            Some((1, "Présentation du porteur de projet")),
        );
        check(
            "2.1 Présentation générale",
            Some((2, "Présentation générale")),
        );
        check("2.1.3 Détail", Some((3, "Détail")));
        check(
            "3) Diagnostic territorial",
            Some((1, "Diagnostic territorial")),
        );
        check("III. Maîtrise foncière", Some((1, "Maîtrise foncière")));
        check("IV – Modèle économique", Some((1, "Modèle économique")));
        check("Partie 2 – Le projet", Some((1, "Le projet")));
        check("PARTIE 3 : Budget", Some((1, "Budget")));
        check("A. Identité du porteur", Some((2, "Identité du porteur")));
        check("1 200 m² de surface", None);
        check("2022 : ouverture du lieu", None);
        check(
            "1. Nous achèterons des machines pour les artisans du territoire.",
            None,
        );
        check("Il était une fois", None);
        check("Vierzon est une ville", None);
    }

    fn check_topic(input: &str, expected: SectionTopic) {
        assert_eq!(topic_of(input), expected, "{input:?}");
    }

    #[test]
    fn topics() {
        use SectionTopic::*;
        check_topic("Présentation du porteur de projet", Applicant);
        check_topic("Identité de la structure", Applicant);
        check_topic("Le projet de manufacture de proximité", Project);
        check_topic("Filières et activités", Activities);
        check_topic("Parc de machines", Activities);
        check_topic("Diagnostic territorial", TerritorialDiagnosis);
        check_topic("Ancrage territorial et besoins", TerritorialDiagnosis);
        check_topic("Modèle juridique et gouvernance", LegalModel);
        check_topic("Maîtrise foncière", LandControl);
        check_topic("Les locaux", LandControl);
        check_topic("Modèle économique", EconomicModel);
        check_topic("Formation et transmission des savoir-faire", Training);
        check_topic("Partenariats", Partnerships);
        check_topic("Budget prévisionnel", Budget);
        check_topic("Transition écologique", Other);
        check_topic("Le lieu : foncier et immobilier", LandControl);
        check_topic("Structuration juridique", LegalModel);
        check_topic("Budget et modèle économique", EconomicModel);
        check_topic("Historique et activités", Applicant);
        check_topic("Écosystème partenarial", Partnerships);
    }

    fn check_label(input: &str, expected: Option<Label>) {
        assert_eq!(label_key(input), expected, "{input:?}");
    }

    #[test]
    fn labels() {
        check_label("Nom de la structure", Some(Label::StructureName));
        check_label("N° SIRET", Some(Label::Siret));
        check_label("Numéro SIRET :", Some(Label::Siret));
        check_label("Forme juridique", Some(Label::LegalForm));
        check_label("Statut juridique actuel", Some(Label::LegalForm));
        check_label("Adresse du siège", Some(Label::Address));
        check_label("Nom de la manufacture", Some(Label::ManufactureName));
        check_label("Date de dépôt", Some(Label::Deposit));
        check_label("Porté par", Some(Label::StructureName));
        check_label(
            "Dénomination de la structure candidate",
            Some(Label::StructureName),
        );
        check_label("Intitulé de la manufacture", Some(Label::ManufactureName));
        check_label("Quel est son numéro SIRET ?", Some(Label::Siret));
        check_label("Quelle est sa forme juridique ?", Some(Label::LegalForm));
        check_label(
            "Quel est le nom de la structure candidate ?",
            Some(Label::StructureName),
        );
        check_label("Quel est le budget de la structure ?", None);
        check_label("Nombre de salariés de la structure porteuse", None);
        check_label("Personne référente du dossier", None);
    }

    #[test]
    fn questions() {
        assert!(is_question(
            "Décrivez la maîtrise foncière du projet (propriété, bail, convention) :"
        ));
        assert!(is_question(
            "Quel est le statut juridique de la structure porteuse ?"
        ));
        assert!(!is_question(
            "Le projet s'inscrit dans les dispositifs publics suivants :"
        ));
        assert!(!is_question("Pourquoi pas ?"));
        assert!(!is_question(
            "Comment nous sommes organisés. Forme juridique retenue lors de la création : association."
        ));
    }

    #[test]
    fn list_items_are_not_headings() {
        use dossiers_extract::{Format, Story};
        let mut document = Document::new(Format::Docx);
        let mut story = Story::new(StoryKind::Body);
        for text in [
            "3. Activités",
            "Nos services :",
            "Production",
            "Formation",
            "Location d'espaces",
            "Le parc comprendra une découpeuse laser.",
            "Nom de la structure",
            "Les Ateliers du Lac",
        ] {
            story.blocks.push(Block::paragraph(text));
        }
        document.stories.push(story);
        let app = read_application(&document);
        let titles: Vec<&str> = app.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["3. Activités", "Nom de la structure"]);
        assert!(
            app.topic_text(SectionTopic::Activities)
                .contains("découpeuse laser")
        );
        assert_eq!(
            app.field(Label::StructureName).map(|f| f.value.as_str()),
            Some("Les Ateliers du Lac")
        );
    }

    #[test]
    fn a_heading_that_reads_like_a_label_yields_to_the_labelled_line_below() {
        use dossiers_extract::{Format, Story};
        let mut document = Document::new(Format::Docx);
        let mut story = Story::new(StoryKind::Body);
        for (level, text) in [
            (Some(1), "Le porteur de projet"),
            (None, "Organisme : La Forge du Sud"),
            (Some(1), "Le projet"),
            (None, "Intitulé du projet : Les Lames de l'Aveyron"),
        ] {
            story.blocks.push(match level {
                Some(level) => Block::Heading {
                    level: Some(level),
                    text: text.to_string(),
                },
                None => Block::paragraph(text),
            });
        }
        document.stories.push(story);
        let app = read_application(&document);
        let value = |label| app.field(label).map(|f| f.value.as_str());
        assert_eq!(value(Label::StructureName), Some("La Forge du Sud"));
        assert_eq!(
            value(Label::ManufactureName),
            Some("Les Lames de l'Aveyron")
        );
    }

    #[test]
    fn dotted_leaders_are_colons() {
        assert_eq!(
            leader_to_colon("Structure candidate ........... Régie des Ateliers"),
            "Structure candidate : Régie des Ateliers"
        );
        assert_eq!(leader_to_colon("Statut …… EPIC"), "Statut : EPIC");
        assert_eq!(leader_to_colon("Fin... et suite."), "Fin... et suite.");
        assert_eq!(
            leader_to_colon("Diagnostic territorial ........ 6"),
            "Diagnostic territorial ........ 6"
        );
        assert!(is_row_index("12"));
        assert!(is_row_index("Q4."));
        assert!(!is_row_index("Statut"));
    }

    #[test]
    fn toc_lines() {
        assert!(is_toc_line("2.1 Présentation générale\t4"));
        assert!(is_toc_line("Diagnostic territorial ........ 6"));
        assert!(!is_toc_line("Surface : 1 200"));
    }
}
