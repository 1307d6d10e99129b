//! List labels for docx paragraphs: `word/numbering.xml` read into level definitions, and the
//! counters Word keeps while it lays the lists out, so that a list item gets its `1.`, `a)` or
//! `•`. Word's own rule is followed where it is simple: items of every `w:num` that shares an
//! abstract definition count together, a `w:startOverride` restarts its list the first time the
//! list is used, and a level restarts after any item of a higher level.

use std::collections::{HashMap, HashSet};

use dossiers_document::xml::{attr, local};
use dossiers_document::{Budget, Result};
use quick_xml::events::BytesStart;

use crate::walk::{Flow, Walker, walk};

/// Word has nine list levels.
const LEVELS: usize = 9;

#[derive(Clone, Debug, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

#[derive(Debug, Default)]
pub(crate) struct Numbering {
    /// Abstract definitions by id, nine levels each.
    abstracts: HashMap<String, Vec<Level>>,
    /// `numId` → (abstract id, start overrides by level).
    nums: HashMap<String, (String, Vec<(usize, u32)>)>,
}

impl Numbering {
    pub(crate) fn parse(xml: &str, budget: &mut Budget) -> Result<Numbering> {
        let mut walker = NumberingWalker::default();
        // A damaged part keeps the definitions read before the damage.
        walk(xml, &mut walker, budget)?;
        Ok(walker.numbering)
    }
}

#[derive(Debug, Default)]
struct NumberingWalker {
    numbering: Numbering,
    abstract_id: Option<String>,
    num_id: Option<String>,
    level: Option<usize>,
    override_level: Option<usize>,
}

fn level_index(element: &BytesStart<'_>) -> Option<usize> {
    attr(element, "ilvl")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|level| *level < LEVELS)
}

impl Walker for NumberingWalker {
    fn start(&mut self, element: &BytesStart<'_>, empty: bool, _: &mut Budget) -> Result<Flow> {
        let qualified = element.name();
        let name = local(qualified.as_ref());
        let value = || attr(element, "val");
        match name {
            "abstractNum" if !empty => {
                let id = attr(element, "abstractNumId").unwrap_or_default();
                self.numbering
                    .abstracts
                    .insert(id.clone(), vec![Level::default(); LEVELS]);
                self.abstract_id = Some(id);
            }
            "num" if !empty => self.num_id = attr(element, "numId"),
            "abstractNumId" => {
                if let Some(num) = self.num_id.clone() {
                    let id = value().unwrap_or_default();
                    self.numbering.nums.insert(num, (id, Vec::new()));
                }
            }
            "lvlOverride" if !empty => self.override_level = level_index(element),
            "startOverride" => {
                if let (Some(num), Some(level)) = (&self.num_id, self.override_level)
                    && let Some((_, overrides)) = self.numbering.nums.get_mut(num)
                    && let Some(start) = value().and_then(|v| v.trim().parse().ok())
                {
                    overrides.push((level, start));
                }
            }
            // A level inside an override redefines the level; rare, and left to the abstract.
            "lvl" if self.num_id.is_some() => return Ok(Flow::Skip),
            "lvl" if !empty => self.level = level_index(element),
            "start" | "numFmt" | "lvlText" => {
                if let (Some(id), Some(index)) = (&self.abstract_id, self.level)
                    && let Some(level) = self
                        .numbering
                        .abstracts
                        .get_mut(id)
                        .and_then(|levels| levels.get_mut(index))
                {
                    let value = value().unwrap_or_default();
                    match name {
                        "start" => level.start = value.trim().parse().unwrap_or(1),
                        "numFmt" => level.format = value,
                        _ => level.text = value,
                    }
                }
            }
            // Run and paragraph properties of a level never matter for its label.
            "rPr" | "pPr" => return Ok(Flow::Skip),
            _ => {}
        }
        Ok(Flow::Descend)
    }

    fn end(&mut self, name: &str, _: &mut Budget) -> Result<()> {
        match name {
            "abstractNum" => self.abstract_id = None,
            "num" => self.num_id = None,
            "lvl" => self.level = None,
            "lvlOverride" => self.override_level = None,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, _: &str, _: &mut Budget) -> Result<()> {
        Ok(())
    }
}

/// The counters of one part's lists, advanced item by item.
#[derive(Debug, Default)]
pub(crate) struct ListCounters {
    /// Per abstract definition: the current value of each level, `None` before its first item.
    counters: HashMap<String, [Option<u32>; LEVELS]>,
    /// `w:num`s already seen (their start overrides apply once).
    seen: HashSet<String>,
}

impl ListCounters {
    /// Counts one item of list `num_id` at `level` and renders its label.
    pub(crate) fn label(
        &mut self,
        numbering: &Numbering,
        num_id: &str,
        level: u8,
    ) -> Option<String> {
        let (abstract_id, overrides) = numbering.nums.get(num_id)?;
        let levels = numbering.abstracts.get(abstract_id)?;
        let level = usize::from(level).min(LEVELS - 1);
        let counters = self.counters.entry(abstract_id.clone()).or_default();
        if self.seen.insert(num_id.to_owned()) {
            for (overridden, start) in overrides {
                if let Some(counter) = counters.get_mut(*overridden) {
                    *counter = Some(start.saturating_sub(1));
                }
            }
        }
        let start = levels.get(level).map_or(1, |l| l.start);
        if let Some(counter) = counters.get_mut(level) {
            *counter = Some(counter.map_or(start, |n| n.saturating_add(1)));
        }
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let definition = levels.get(level)?;
        match definition.format.as_str() {
            "none" => None,
            "bullet" => Some(bullet(&definition.text)),
            _ => {
                let label = render(&definition.text, levels, counters);
                (!label.trim().is_empty()).then_some(label)
            }
        }
    }
}

/// Symbol fonts put their bullets in the private-use area; show those as a plain bullet.
fn bullet(text: &str) -> String {
    let private_use = text
        .chars()
        .any(|ch| ('\u{E000}'..='\u{F8FF}').contains(&ch));
    if text.trim().is_empty() || private_use {
        "•".to_owned()
    } else {
        text.to_owned()
    }
}

/// Fills `%1`…`%9` in a level's text with the formatted counters.
fn render(text: &str, levels: &[Level], counters: &[Option<u32>; LEVELS]) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        let digit = chars.peek().and_then(|next| next.to_digit(10));
        match (ch, digit) {
            ('%', Some(n @ 1..=9)) => {
                chars.next();
                let index = (n - 1) as usize;
                let level = levels.get(index);
                let value = counters
                    .get(index)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| level.map_or(1, |l| l.start));
                format_number(
                    value,
                    level.map_or("decimal", |l| l.format.as_str()),
                    &mut out,
                );
            }
            _ => out.push(ch),
        }
    }
    out
}

fn format_number(value: u32, format: &str, out: &mut String) {
    match format {
        "lowerLetter" => out.push_str(&letters(value).to_lowercase()),
        "upperLetter" => out.push_str(&letters(value)),
        "lowerRoman" => out.push_str(&roman(value).to_lowercase()),
        "upperRoman" => out.push_str(&roman(value)),
        "decimalZero" if value < 10 => {
            out.push('0');
            out.push_str(&value.to_string());
        }
        _ => out.push_str(&value.to_string()),
    }
}

/// Word's letter numbering: a…z, then aa…zz, aaa… (the letter repeats).
pub(crate) fn letters(value: u32) -> String {
    if value == 0 {
        return String::new();
    }
    let index = (value - 1) % 26;
    let repeat = ((value - 1) / 26 + 1).min(10) as usize;
    let letter = char::from(b'A' + index as u8);
    std::iter::repeat_n(letter, repeat).collect()
}

pub(crate) fn roman(mut value: u32) -> String {
    if value == 0 || value >= 4000 {
        return value.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (unit, digits) in TABLE {
        while value >= unit {
            out.push_str(digits);
            value -= unit;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_document::Limits;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%3 -"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/><w:rPr><w:rFonts w:ascii="Symbol"/></w:rPr></w:lvl>
        <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn labels_count_restart_and_format() {
        let mut budget = Budget::new(&Limits::default());
        let numbering = Numbering::parse(NUMBERING, &mut budget).unwrap();
        let mut counters = ListCounters::default();
        let mut label = |num: &str, level: u8| counters.label(&numbering, num, level);
        assert_eq!(label("1", 0).as_deref(), Some("1."));
        assert_eq!(label("1", 1).as_deref(), Some("1.a)"));
        assert_eq!(label("1", 1).as_deref(), Some("1.b)"));
        assert_eq!(label("1", 2).as_deref(), Some("I -"));
        assert_eq!(label("1", 0).as_deref(), Some("2."));
        assert_eq!(label("1", 1).as_deref(), Some("2.a)"));
        assert_eq!(label("2", 0).as_deref(), Some("•"));
        assert_eq!(label("2", 1).as_deref(), Some("–"));
        // Same abstract, restarted by its override.
        assert_eq!(label("3", 0).as_deref(), Some("1."));
        assert_eq!(label("3", 0).as_deref(), Some("2."));
        assert_eq!(label("9", 0), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(letters(1), "A");
        assert_eq!(letters(27), "AA");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(1994), "MCMXCIV");
        let mut out = String::new();
        format_number(7, "decimalZero", &mut out);
        assert_eq!(out, "07");
    }
}
