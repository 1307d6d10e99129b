//! One observation per matching dossier, read from the fast columns: its values of one or two
//! dimensions, its wave, its budget, subsidy and subsidy share. The statistics group and
//! compute on these in plain Rust, so that medians are exact (the values themselves, sorted)
//! without loading a single stored record: 100,000 dossiers are 100,000 small structs.
//!
//! Like the facet counter, columns are read a block of documents at a time, a keyword's ordinal
//! is turned into its value once per segment, and the multi-valued dimensions (sector,
//! programme, flag) are read as the bits of one `u64` column.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::{BIT_DIMENSIONS, Dimension, FACET_BITS, Fields, Number};

/// A dossier's value(s) of one dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// An index into [`Observations::values`].
    One(u32),
    /// The facet bits of a multi-valued dimension.
    Bits(u64),
    /// No such dimension asked for.
    Absent,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Observation {
    pub keys: [Key; 2],
    /// An index into [`Observations::values`].
    pub wave: u32,
    pub budget: Option<f64>,
    pub subsidy: Option<f64>,
    pub share: Option<f64>,
}

/// The observations of a search and the distinct keyword values they refer to.
#[derive(Clone, Debug, Default)]
pub(crate) struct Observations {
    pub values: Vec<String>,
    pub observations: Vec<Observation>,
}

impl Observations {
    pub(crate) fn value(&self, id: u32) -> &str {
        self.values.get(id as usize).map_or("", String::as_str)
    }
}

/// Collects an [`Observation`] per matching dossier for up to two dimensions.
#[derive(Clone, Debug)]
pub(crate) struct Observer {
    pub dimensions: [Option<Dimension>; 2],
}

enum KeyColumn {
    Str(StrColumn, Vec<Option<u32>>),
    Bits(Column<u64>),
    Absent,
}

pub(crate) struct ObserverSegment {
    keys: [KeyColumn; 2],
    wave: (StrColumn, Vec<Option<u32>>),
    budget: Option<Column<f64>>,
    subsidy: Option<Column<f64>>,
    share: Option<Column<f64>>,
    fruit: Observations,
    buffer: Vec<DocId>,
    u64s: Vec<Option<u64>>,
    f64s: Vec<Option<f64>>,
}

const BLOCK: usize = 256;

/// Where a number column's values go in an observation.
type NumberSlot = fn(&mut Observation) -> &mut Option<f64>;

/// The local id of a keyword's ordinal, its value stored once per segment.
fn intern(
    column: &StrColumn,
    ids: &mut [Option<u32>],
    values: &mut Vec<String>,
    ord: u64,
) -> Option<u32> {
    let slot = ids.get_mut(usize::try_from(ord).ok()?)?;
    if let Some(id) = *slot {
        return Some(id);
    }
    let mut text = String::new();
    if !column.ord_to_str(ord, &mut text).unwrap_or(false) {
        return None;
    }
    let id = values.len() as u32;
    values.push(text);
    *slot = Some(id);
    Some(id)
}

impl ObserverSegment {
    fn flush(&mut self) {
        let docs = std::mem::take(&mut self.buffer);
        let n = docs.len();
        let start = self.fruit.observations.len();
        let values = &mut self.fruit.values;
        // Waves first: they make the observations.
        self.u64s.clear();
        self.u64s.resize(n, None);
        let (column, ids) = &mut self.wave;
        column.ords().first_vals(&docs, &mut self.u64s);
        for ord in &self.u64s {
            let wave = ord
                .and_then(|ord| intern(column, ids, values, ord))
                .unwrap_or(u32::MAX);
            self.fruit.observations.push(Observation {
                keys: [Key::Absent; 2],
                wave,
                budget: None,
                subsidy: None,
                share: None,
            });
        }
        let observations = self.fruit.observations.get_mut(start..).unwrap_or_default();
        for (slot, key_column) in self.keys.iter_mut().enumerate() {
            self.u64s.clear();
            self.u64s.resize(n, None);
            match key_column {
                KeyColumn::Str(column, ids) => {
                    column.ords().first_vals(&docs, &mut self.u64s);
                    for (observation, ord) in observations.iter_mut().zip(&self.u64s) {
                        if let Some(id) = ord.and_then(|ord| intern(column, ids, values, ord))
                            && let Some(key) = observation.keys.get_mut(slot)
                        {
                            *key = Key::One(id);
                        }
                    }
                }
                KeyColumn::Bits(column) => {
                    column.first_vals(&docs, &mut self.u64s);
                    for (observation, bits) in observations.iter_mut().zip(&self.u64s) {
                        if let Some(key) = observation.keys.get_mut(slot) {
                            *key = Key::Bits(bits.unwrap_or(0));
                        }
                    }
                }
                KeyColumn::Absent => {}
            }
        }
        let columns: [(&Option<Column<f64>>, NumberSlot); 3] = [
            (&self.budget, |o| &mut o.budget),
            (&self.subsidy, |o| &mut o.subsidy),
            (&self.share, |o| &mut o.share),
        ];
        for (column, field) in columns {
            let Some(column) = column else { continue };
            self.f64s.clear();
            self.f64s.resize(n, None);
            column.first_vals(&docs, &mut self.f64s);
            for (observation, value) in observations.iter_mut().zip(&self.f64s) {
                *field(observation) = value.filter(|x| x.is_finite());
            }
        }
        self.buffer = docs;
        self.buffer.clear();
    }
}

impl Collector for Observer {
    type Fruit = Observations;
    type Child = ObserverSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ObserverSegment> {
        let fast = reader.fast_fields();
        let str_column = |dimension: Dimension| -> tantivy::Result<Option<StrColumn>> {
            fast.str(&Fields::keyword_name(dimension))
        };
        let key_column = |dimension: Option<Dimension>| -> tantivy::Result<KeyColumn> {
            Ok(match dimension {
                None => KeyColumn::Absent,
                Some(d) if BIT_DIMENSIONS.contains(&d) => KeyColumn::Bits(fast.u64(FACET_BITS)?),
                Some(d) => match str_column(d)? {
                    Some(column) => {
                        let ids = vec![None; column.num_terms()];
                        KeyColumn::Str(column, ids)
                    }
                    None => KeyColumn::Absent,
                },
            })
        };
        let wave = str_column(Dimension::Wave)?.ok_or_else(|| {
            tantivy::TantivyError::SchemaError("no wave keyword column".to_owned())
        })?;
        let wave_ids = vec![None; wave.num_terms()];
        let number = |number: Number| fast.f64(number.name()).ok();
        Ok(ObserverSegment {
            keys: [
                key_column(self.dimensions[0])?,
                key_column(self.dimensions[1])?,
            ],
            wave: (wave, wave_ids),
            budget: number(Number::BudgetTotal),
            subsidy: number(Number::SubsidyRequested),
            share: number(Number::SubsidyShare),
            fruit: Observations::default(),
            buffer: Vec::with_capacity(BLOCK),
            u64s: Vec::with_capacity(BLOCK),
            f64s: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Observations>) -> tantivy::Result<Observations> {
        let mut merged = Observations::default();
        let mut ids: HashMap<String, u32> = HashMap::new();
        for fruit in fruits {
            let remap: Vec<u32> = fruit
                .values
                .into_iter()
                .map(|value| {
                    let next = ids.len() as u32;
                    *ids.entry(value.clone()).or_insert_with(|| {
                        merged.values.push(value);
                        next
                    })
                })
                .collect();
            let global = |id: u32| remap.get(id as usize).copied().unwrap_or(u32::MAX);
            merged
                .observations
                .extend(fruit.observations.into_iter().map(|mut observation| {
                    for key in &mut observation.keys {
                        if let Key::One(id) = key {
                            *key = Key::One(global(*id));
                        }
                    }
                    observation.wave = global(observation.wave);
                    observation
                }));
        }
        Ok(merged)
    }
}

impl SegmentCollector for ObserverSegment {
    type Fruit = Observations;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.buffer.push(doc);
        if self.buffer.len() == BLOCK {
            self.flush();
        }
    }

    fn harvest(mut self) -> Observations {
        self.flush();
        self.fruit
    }
}
