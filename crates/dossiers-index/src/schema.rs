//! The index schema: one tantivy document per dossier, and how a record becomes one.
//!
//! Each dimension a reviewer filters on or an analyst groups by exists twice: as a facet
//! (`/scic`), for filters and the facet counts of a result set, and as a fast keyword column,
//! because tantivy's aggregations read fast fields and cannot group by facets. Missing values are
//! indexed as `unknown` (one value) or `none` (an empty list), so that every dossier lands in
//! some bucket and the counts add up. Numbers are fast and indexed `f64` columns (ranges, sums,
//! medians). Each canonical section has its own French text field, so `foncier:emphytéotique`
//! looks only at the land-control section. The text of all files is split in two fields:
//! `all_text` holds every section of the application (and the names), `attachments` the other
//! files; an unfielded query looks at both, the application weighing more. One field for the
//! whole application (rather than one clause per section field) is what keeps a broad query
//! under 20 ms at 100,000 dossiers. Only the record JSON is stored: snippets are cut from it,
//! so the text is not stored twice.

use dossiers_model::{Record, SectionTopic};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis;

/// A dimension of the dossiers: a facet for filters and counts, a keyword column for stats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Wave,
    Department,
    Region,
    LegalForm,
    LandControl,
    Sector,
    Programme,
    Flag,
}

impl Dimension {
    pub const ALL: [Dimension; 8] = [
        Dimension::Wave,
        Dimension::Department,
        Dimension::Region,
        Dimension::LegalForm,
        Dimension::LandControl,
        Dimension::Sector,
        Dimension::Programme,
        Dimension::Flag,
    ];

    /// The name used on the command line, in JSON and in the schema.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Wave => "wave",
            Dimension::Department => "department",
            Dimension::Region => "region",
            Dimension::LegalForm => "legal_form",
            Dimension::LandControl => "land_control",
            Dimension::Sector => "sector",
            Dimension::Programme => "programme",
            Dimension::Flag => "flag",
        }
    }

    /// A French column header, from the label catalogue (`dossiers-labels`).
    pub fn label_fr(self) -> &'static str {
        dossiers_labels::lookup("dimension", self.name()).unwrap_or(self.name())
    }

    /// The dimension a user names, in English or French, singular or plural.
    pub fn parse(name: &str) -> Option<Dimension> {
        let name = fold_name(name);
        let dimension = match name.as_str() {
            "wave" | "waves" | "vague" | "vagues" => Dimension::Wave,
            "department" | "departement" | "dep" | "dept" => Dimension::Department,
            "region" => Dimension::Region,
            "legal_form" | "form" | "forme" | "forme_juridique" | "statut" => Dimension::LegalForm,
            "land_control" | "land" | "land_control_status" | "maitrise_fonciere" => {
                Dimension::LandControl
            }
            "sector" | "sectors" | "filiere" | "filieres" => Dimension::Sector,
            "programme" | "programmes" | "program" => Dimension::Programme,
            "flag" | "flags" | "alerte" | "alertes" => Dimension::Flag,
            _ => return None,
        };
        Some(dimension)
    }

    /// The dimension's values for one record (never empty).
    pub fn values(self, record: &Record) -> Vec<String> {
        let one = |value: Option<&str>| vec![value.unwrap_or("unknown").to_owned()];
        let many = |values: Vec<&str>| {
            if values.is_empty() {
                vec!["none".to_owned()]
            } else {
                values.into_iter().map(str::to_owned).collect()
            }
        };
        match self {
            Dimension::Wave => vec![
                record
                    .wave
                    .map_or_else(|| "unknown".to_owned(), |wave| wave.to_string()),
            ],
            Dimension::Department => one(record.applicant.department.as_deref()),
            Dimension::Region => one(record.applicant.region.as_deref()),
            Dimension::LegalForm => one(Some(record.legal_model.form.code())),
            Dimension::LandControl => one(Some(record.land_control.status.code())),
            Dimension::Sector => many(
                record
                    .activities
                    .sectors
                    .iter()
                    .map(|sector| sector.code())
                    .collect(),
            ),
            Dimension::Programme => many(
                record
                    .territorial_diagnosis
                    .programmes
                    .iter()
                    .map(|programme| programme.code())
                    .collect(),
            ),
            Dimension::Flag => many(record.flags.iter().map(|flag| flag.code.code()).collect()),
        }
    }

    fn facet_field_name(self) -> String {
        format!("facet_{}", self.name())
    }

    fn keyword_field_name(self) -> String {
        format!("kw_{}", self.name())
    }
}

/// The field holding the values of the multi-valued dimensions as bits of one fast `u64`.
pub(crate) const FACET_BITS: &str = "facet_bits";

/// The values of a multi-valued dimension that have a bit in [`FACET_BITS`], in bit order
/// from the dimension's first bit; `none` is the empty list, `other` any code this list does
/// not know yet.
pub(crate) fn bit_values(dimension: Dimension) -> &'static [&'static str] {
    match dimension {
        Dimension::Sector => &[
            "bois",
            "metal",
            "textile",
            "ceramique",
            "verre",
            "cuir",
            "impression",
            "electronique",
            "numerique",
            "reemploi",
            "alimentaire",
            "autre",
            "none",
            "other",
        ],
        Dimension::Programme => &[
            "petites_villes_de_demain",
            "action_coeur_de_ville",
            "territoires_d_industrie",
            "qpv",
            "fabrique_de_territoire",
            "none",
            "other",
        ],
        Dimension::Flag => &[
            "siret_missing",
            "siret_invalid",
            "legal_form_ineligible",
            "legal_form_unknown",
            "land_control_missing",
            "budget_unbalanced",
            "subsidy_over_80_percent",
            "budget_missing",
            "application_missing",
            "extraction_failed",
            "none",
            "other",
        ],
        _ => &[],
    }
}

/// The multi-valued dimensions, which are counted from [`FACET_BITS`].
pub(crate) const BIT_DIMENSIONS: [Dimension; 3] =
    [Dimension::Sector, Dimension::Programme, Dimension::Flag];

/// The first bit of a multi-valued dimension.
pub(crate) fn first_bit(dimension: Dimension) -> u32 {
    let mut bit = 0;
    for other in BIT_DIMENSIONS {
        if other == dimension {
            return bit;
        }
        bit += bit_values(other).len() as u32;
    }
    bit
}

/// The bits of a record's multi-valued dimensions.
pub(crate) fn facet_bits(record: &Record) -> u64 {
    let mut bits = 0u64;
    for dimension in BIT_DIMENSIONS {
        let known = bit_values(dimension);
        for value in dimension.values(record) {
            let position = known
                .iter()
                .position(|k| *k == value)
                .unwrap_or(known.len().saturating_sub(1));
            bits |= 1 << (first_bit(dimension) + position as u32);
        }
    }
    bits
}

/// A number of the record, indexed and fast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Number {
    Wave,
    BudgetTotal,
    Investment,
    SubsidyRequested,
    SubsidyShare,
    SurfaceM2,
    LeaseYears,
}

impl Number {
    pub const ALL: [Number; 7] = [
        Number::Wave,
        Number::BudgetTotal,
        Number::Investment,
        Number::SubsidyRequested,
        Number::SubsidyShare,
        Number::SurfaceM2,
        Number::LeaseYears,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Number::Wave => "wave_number",
            Number::BudgetTotal => "budget_total",
            Number::Investment => "investment",
            Number::SubsidyRequested => "subsidy_requested",
            Number::SubsidyShare => "subsidy_share",
            Number::SurfaceM2 => "surface_m2",
            Number::LeaseYears => "lease_years",
        }
    }

    /// The number a query names (`subsidy_share:>0.8`, `part_subvention:>0.8`).
    pub fn parse(name: &str) -> Option<Number> {
        let number = match fold_name(name).as_str() {
            "wave_number" | "vague_numero" => Number::Wave,
            "budget_total" | "total_expenses" | "total_budget" | "depenses" => Number::BudgetTotal,
            "investment" | "investissement" => Number::Investment,
            "subsidy_requested" | "subsidy" | "subvention" | "subvention_demandee" => {
                Number::SubsidyRequested
            }
            "subsidy_share" | "share" | "part_subvention" | "taux_subvention" => {
                Number::SubsidyShare
            }
            "surface_m2" | "surface" => Number::SurfaceM2,
            "lease_years" | "duree_bail" => Number::LeaseYears,
            _ => return None,
        };
        Some(number)
    }

    pub fn value(self, record: &Record) -> Option<f64> {
        match self {
            Number::Wave => record.wave.map(f64::from),
            Number::BudgetTotal => record.budget.total_expenses,
            Number::Investment => record.budget.investment,
            Number::SubsidyRequested => record.budget.subsidy_requested,
            Number::SubsidyShare => record.budget.subsidy_share,
            Number::SurfaceM2 => record.land_control.surface_m2.map(f64::from),
            Number::LeaseYears => record.land_control.lease_years.map(f64::from),
        }
    }
}

/// Lowercase, accents folded, spaces and dashes as underscores: how field names are compared.
pub(crate) fn fold_name(name: &str) -> String {
    analysis::analyze_names(name).join("_")
}

/// The fields of the schema, resolved once per open.
#[derive(Clone, Debug)]
pub struct Fields {
    pub dossier_id: Field,
    pub record: Field,
    pub all_text: Field,
    pub attachments: Field,
    pub names: Field,
    pub facet_bits: Field,
    /// The sort columns added after format 1 (`ds_number`, `deposited_at`); `None` in an
    /// index created before them, which still opens and searches (see [`SORT_COLUMNS`]).
    pub ds_number: Option<Field>,
    pub deposited_at: Option<Field>,
    sections: Vec<(SectionTopic, Field)>,
    facets: Vec<(Dimension, Field)>,
    keywords: Vec<(Dimension, Field)>,
    numbers: Vec<(Number, Field)>,
}

impl Fields {
    pub fn section(&self, topic: SectionTopic) -> Field {
        lookup(&self.sections, topic)
    }

    pub fn sections(&self) -> &[(SectionTopic, Field)] {
        &self.sections
    }

    pub fn facet(&self, dimension: Dimension) -> Field {
        lookup(&self.facets, dimension)
    }

    pub fn keyword(&self, dimension: Dimension) -> Field {
        lookup(&self.keywords, dimension)
    }

    pub fn number(&self, number: Number) -> Field {
        lookup(&self.numbers, number)
    }

    pub fn keyword_name(dimension: Dimension) -> String {
        dimension.keyword_field_name()
    }

    /// Resolves every field by name; fails when the schema is not this version's.
    pub fn resolve(schema: &Schema) -> crate::Result<Fields> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| crate::IndexError::Tantivy(format!("schema has no field {name}")))
        };
        Ok(Fields {
            dossier_id: get("dossier_id")?,
            record: get("record")?,
            all_text: get("all_text")?,
            attachments: get("attachments")?,
            facet_bits: get(FACET_BITS)?,
            names: get("names")?,
            ds_number: schema.get_field(DS_NUMBER).ok(),
            deposited_at: schema.get_field(DEPOSITED_AT).ok(),
            sections: SectionTopic::ALL
                .iter()
                .map(|&topic| Ok((topic, get(&section_field_name(topic))?)))
                .collect::<crate::Result<_>>()?,
            facets: Dimension::ALL
                .iter()
                .map(|&d| Ok((d, get(&d.facet_field_name())?)))
                .collect::<crate::Result<_>>()?,
            keywords: Dimension::ALL
                .iter()
                .map(|&d| Ok((d, get(&d.keyword_field_name())?)))
                .collect::<crate::Result<_>>()?,
            numbers: Number::ALL
                .iter()
                .map(|&n| Ok((n, get(n.name())?)))
                .collect::<crate::Result<_>>()?,
        })
    }

    /// The tantivy document of a record; `extra_text` is the text of the dossier's other files.
    pub fn document(&self, record: &Record, extra_text: &str) -> crate::Result<TantivyDocument> {
        let mut document = TantivyDocument::new();
        document.add_text(self.dossier_id, &record.dossier_id);
        let json =
            serde_json::to_string(record).map_err(|cause| crate::IndexError::StoredRecord {
                dossier_id: record.dossier_id.clone(),
                cause,
            })?;
        document.add_text(self.record, json);
        for name in record_names(record) {
            document.add_text(self.names, name);
        }
        for section in &record.sections {
            let field = self.section(section.topic);
            document.add_text(field, &section.title);
            document.add_text(field, &section.text);
            document.add_text(self.all_text, &section.title);
            document.add_text(self.all_text, &section.text);
        }
        // The diagnosis text is also a field of its own in the record; it usually repeats a
        // section, and indexing it again only weighs a little more.
        if record.sections.is_empty()
            && let Some(text) = &record.territorial_diagnosis.text
        {
            document.add_text(self.section(SectionTopic::TerritorialDiagnosis), text);
            document.add_text(self.all_text, text);
        }
        if !extra_text.is_empty() {
            document.add_text(self.attachments, extra_text);
        }
        for name in record_names(record) {
            document.add_text(self.all_text, name);
        }
        for (dimension, field) in &self.facets {
            for value in dimension.values(record) {
                document.add_facet(*field, tantivy::schema::Facet::from_path([value]));
            }
        }
        for (dimension, field) in &self.keywords {
            for value in dimension.values(record) {
                document.add_text(*field, value);
            }
        }
        document.add_u64(self.facet_bits, facet_bits(record));
        if let (Some(field), Some(number)) = (self.ds_number, record.ds_number) {
            document.add_u64(field, number);
        }
        if let (Some(field), Some(seconds)) = (
            self.deposited_at,
            record.deposited_at.as_deref().and_then(iso_seconds),
        ) {
            document.add_i64(field, seconds);
        }
        for (number, field) in &self.numbers {
            if let Some(value) = number.value(record) {
                document.add_f64(*field, value);
            }
        }
        Ok(document)
    }
}

/// The names of people, structures and places a dossier carries.
pub fn record_names(record: &Record) -> Vec<&str> {
    let applicant = &record.applicant;
    [
        applicant.structure_name.as_deref(),
        applicant.manufacture_name.as_deref(),
        applicant.commune.as_deref(),
        record.legal_model.lead_partner.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(record.legal_model.partners.iter().map(String::as_str))
    .collect()
}

fn lookup<K: PartialEq + Copy>(pairs: &[(K, Field)], key: K) -> Field {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, field)| *field)
        // Every key has a field: `resolve` built one per `ALL` entry.
        .unwrap_or(Field::from_field_id(0))
}

pub(crate) fn section_field_name(topic: SectionTopic) -> String {
    format!("section_{}", topic.code())
}

/// The Démarches simplifiées number, a fast column to sort by.
pub(crate) const DS_NUMBER: &str = "ds_number";
/// The deposit time in seconds since 1970 (UTC), a fast column to sort by.
pub(crate) const DEPOSITED_AT: &str = "deposited_at";

/// Columns only read to sort results. They were added to format 1 without a new format: an
/// index created before them has the same fields otherwise, so it keeps opening and
/// answering, and only refuses to sort by deposit date (the number order falls back to the
/// dossier ids) until it is rebuilt.
pub const SORT_COLUMNS: [&str; 2] = [DS_NUMBER, DEPOSITED_AT];

/// Seconds since 1970 (UTC) of an ISO 8601 date-time with an offset, as the record keeps it
/// (`2022-01-12T10:31:00+01:00`; `Z`, no seconds and a date alone are read too).
pub fn iso_seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if text.get(4..5) != Some("-") || text.get(7..8) != Some("-") {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut hour, mut minute, mut second, mut offset) = (0, 0, 0, 0);
    if let Some(time) = text.get(10..).filter(|t| !t.is_empty()) {
        if !time.starts_with(['T', ' ']) {
            return None;
        }
        hour = number(11..13)?;
        minute = number(14..16)?;
        let mut at = 16;
        if text.get(16..17) == Some(":") {
            second = number(17..19)?;
            at = 19;
        }
        // Fractions of a second do not change an order by deposit.
        if text.get(at..at + 1) == Some(".") {
            at += 1;
            while text
                .get(at..at + 1)
                .is_some_and(|c| c.bytes().all(|b| b.is_ascii_digit()))
            {
                at += 1;
            }
        }
        match text.get(at..) {
            Some("") | Some("Z") => {}
            Some(zone) if zone.len() == 6 && (zone.starts_with('+') || zone.starts_with('-')) => {
                let hours = number(at + 1..at + 3)?;
                let minutes = number(at + 4..at + 6)?;
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                offset = sign * (hours * 3600 + minutes * 60);
            }
            _ => return None,
        }
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// This version's schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let french = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::FRENCH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let names = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::NAMES)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field("dossier_id", STRING | STORED | FAST);
    builder.add_text_field("record", STORED);
    builder.add_text_field("all_text", french.clone());
    builder.add_text_field("attachments", french.clone());
    builder.add_text_field("names", names);
    for topic in SectionTopic::ALL {
        builder.add_text_field(&section_field_name(topic), french.clone());
    }
    for dimension in Dimension::ALL {
        builder.add_facet_field(&dimension.facet_field_name(), FacetOptions::default());
        builder.add_text_field(&dimension.keyword_field_name(), STRING | FAST);
    }
    for number in Number::ALL {
        builder.add_f64_field(number.name(), INDEXED | FAST);
    }
    builder.add_u64_field(FACET_BITS, FAST);
    builder.add_u64_field(DS_NUMBER, FAST);
    builder.add_i64_field(DEPOSITED_AT, FAST);
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_valued_dimensions_fit_in_one_u64() {
        let bits: usize = BIT_DIMENSIONS.iter().map(|d| bit_values(*d).len()).sum();
        assert!(bits <= 64, "{bits} bits");
        assert_eq!(first_bit(Dimension::Sector), 0);
        assert_eq!(first_bit(Dimension::Programme), 14);
        assert_eq!(first_bit(Dimension::Flag), 21);
    }

    #[test]
    fn bit_values_follow_the_model_codes() {
        for sector in dossiers_model::Sector::ALL {
            assert!(bit_values(Dimension::Sector).contains(&sector.code()));
        }
        for programme in dossiers_model::Programme::ALL {
            assert!(bit_values(Dimension::Programme).contains(&programme.code()));
        }
        let mut record = Record::new("d");
        record.activities.sectors = vec![dossiers_model::Sector::Textile];
        // Textile is bit 2; no programme is `none` (bit 14 + 5); no flag is `none` (21 + 10).
        assert_eq!(facet_bits(&record), (1 << 2) | (1 << 19) | (1 << 31));
    }

    #[test]
    fn deposit_times_read_as_seconds() {
        assert_eq!(iso_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(iso_seconds("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(
            iso_seconds("2022-01-12T10:31:00+01:00"),
            Some(1_641_979_860)
        );
        assert_eq!(iso_seconds("2022-01-12T10:31+01:00"), Some(1_641_979_860));
        assert_eq!(iso_seconds("2022-01-12T09:31:00.250Z"), Some(1_641_979_860));
        assert_eq!(iso_seconds("2022-01-12"), Some(1_641_945_600));
        assert_eq!(iso_seconds("2000-03-01"), Some(951_868_800));
        for bad in [
            "",
            "12/01/2022",
            "2022-13-01",
            "2022-01-12T10",
            "2022-01-12T10:31:00+1",
        ] {
            assert_eq!(iso_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn dimensions_by_french_or_english_name() {
        assert_eq!(
            Dimension::parse("Forme juridique"),
            Some(Dimension::LegalForm)
        );
        assert_eq!(Dimension::parse("filières"), Some(Dimension::Sector));
        assert_eq!(Dimension::parse("département"), Some(Dimension::Department));
        assert_eq!(Dimension::parse("couleur"), None);
        assert_eq!(Number::parse("part_subvention"), Some(Number::SubsidyShare));
    }
}
