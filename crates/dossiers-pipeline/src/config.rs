//! Pipeline files (`pipelines/*.toml`): what a run reads, with which limits, and where it writes.
//!
//! Operators edit these files by hand and a cron job runs them unattended, so a typo must fail
//! `dossiers check` with the file and the line, never be silently ignored. The file is parsed
//! into wire structs that mirror the TOML exactly (`deny_unknown_fields`, `version = 1`
//! required), then validated into the domain [`Pipeline`]; every value that can be wrong is read
//! as a [`toml::Spanned`] so that its error points at its line.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use serde::Deserialize;
use toml::Spanned;

/// The only pipeline file format this build reads.
pub const PIPELINE_VERSION: u32 = 1;

/// A pipeline file that cannot be used: the file, the place and the cause.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based; 0 when the error is about the whole file (it could not be read).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A validated pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The file's stem (`nightly`), used in reports.
    pub name: String,
    pub sources: Vec<Source>,
    pub calendar: WaveCalendar,
    pub workers: Workers,
    pub limits: RunLimits,
    pub output: Output,
}

/// Where dossiers come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A folder whose sub-folders are dossiers, one folder each (the bundled samples).
    Folder { path: PathBuf },
    /// A Démarches simplifiées export: a zip or the folder it unpacks to, and optionally the
    /// export sheet (`dossiers_<path>_<date>.csv|xlsx|ods`). Without `sheet`, a sheet beside the
    /// zip or inside the folder is used when there is exactly one.
    DsExport {
        path: PathBuf,
        sheet: Option<PathBuf>,
        /// The wave every dossier of this export belongs to, when the export was made per wave.
        wave: Option<u8>,
    },
}

impl Source {
    pub fn path(&self) -> &Path {
        match self {
            Source::Folder { path } | Source::DsExport { path, .. } => path,
        }
    }
}

/// The programme's calendar: a dossier belongs to the first wave whose closing time is at or
/// after its deposit time. Times are local to `time_zone`.
#[derive(Clone, Debug, PartialEq)]
pub struct WaveCalendar {
    pub time_zone: String,
    /// Sorted by closing time.
    pub waves: Vec<Wave>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wave {
    pub number: u8,
    pub closes: NaiveDateTime,
}

impl WaveCalendar {
    /// The wave of a dossier deposited at `deposited` (local time), or `None` after the last
    /// wave closed.
    pub fn wave_of(&self, deposited: NaiveDateTime) -> Option<u8> {
        self.waves
            .iter()
            .find(|wave| deposited <= wave.closes)
            .map(|wave| wave.number)
    }
}

/// How many extraction worker processes run at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workers {
    pub count: usize,
}

/// The fences around one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunLimits {
    /// Wall-clock time one file may take in a worker before the worker is killed.
    pub file_timeout: Duration,
    /// Address-space cap of each worker process, in bytes.
    pub memory_cap_bytes: u64,
    /// Largest input file, in bytes.
    pub max_input_bytes: u64,
    /// Largest Démarches simplifiées export zip, in bytes (it is read in memory).
    pub max_export_bytes: u64,
}

impl Default for RunLimits {
    fn default() -> RunLimits {
        RunLimits {
            file_timeout: Duration::from_secs(60),
            memory_cap_bytes: 2 << 30,
            max_input_bytes: 64 << 20,
            max_export_bytes: 2 << 30,
        }
    }
}

/// Where a run writes. Relative paths are relative to the working directory of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub index: PathBuf,
    pub state: PathBuf,
    pub reports: PathBuf,
    pub quarantine: PathBuf,
}

// ---------------------------------------------------------------------------------------------
// Wire structs: the file as written.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WirePipeline {
    version: Spanned<u32>,
    #[serde(default, rename = "source")]
    sources: Vec<WireSource>,
    calendar: Spanned<WireCalendar>,
    #[serde(default)]
    workers: Option<WireWorkers>,
    #[serde(default)]
    limits: Option<WireLimits>,
    output: WireOutput,
}

/// One `[[source]]`. A flat struct rather than an internally tagged enum: serde buffers a tagged
/// enum's content, which loses the spans.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireSource {
    kind: Spanned<String>,
    path: Spanned<String>,
    #[serde(default)]
    sheet: Option<Spanned<String>>,
    #[serde(default)]
    wave: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireCalendar {
    time_zone: Spanned<String>,
    #[serde(rename = "wave")]
    waves: Vec<Spanned<WireWave>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireWave {
    number: Spanned<i64>,
    closes: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireWorkers {
    /// Omitted: one worker per core.
    #[serde(default)]
    count: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireLimits {
    #[serde(default)]
    file_timeout_seconds: Option<Spanned<f64>>,
    #[serde(default)]
    memory_cap_mb: Option<Spanned<i64>>,
    #[serde(default)]
    max_input_mb: Option<Spanned<i64>>,
    #[serde(default)]
    max_export_mb: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireOutput {
    index: Spanned<String>,
    state: Spanned<String>,
    reports: Spanned<String>,
    quarantine: Spanned<String>,
}

// ---------------------------------------------------------------------------------------------

/// Reads and validates one pipeline file.
pub fn load_pipeline(path: impl AsRef<Path>) -> Result<Pipeline, ConfigError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read the pipeline file: {error}"),
    })?;
    parse_pipeline(path, &text)
}

/// Validates a pipeline file's text; `path` names it in errors and gives the pipeline its name.
pub fn parse_pipeline(path: &Path, text: &str) -> Result<Pipeline, ConfigError> {
    let at = |span: Option<Range<usize>>, message: String| {
        let (line, column) = span.map_or((1, 1), |span| line_column(text, span.start));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    // The version is checked before the rest so that a future format is refused for what it
    // is, not for its first unknown key.
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<Spanned<toml::Value>>,
    }
    let version: VersionOnly = toml::from_str(text).map_err(|e| at(e.span(), first_line(&e)))?;
    match version.version {
        None => return Err(at(None, "missing `version = 1`".into())),
        Some(v) if v.get_ref().as_integer() != Some(i64::from(PIPELINE_VERSION)) => {
            let span = v.span();
            return Err(at(
                Some(span),
                format!(
                    "unsupported pipeline version {}, this build reads version {PIPELINE_VERSION}",
                    v.get_ref()
                        .as_integer()
                        .map_or_else(|| format!("{:?}", v.get_ref()), |n| n.to_string())
                ),
            ));
        }
        Some(_) => {}
    }
    let wire: WirePipeline = toml::from_str(text).map_err(|e| at(e.span(), first_line(&e)))?;
    let _ = wire.version;

    let mut sources = Vec::new();
    if wire.sources.is_empty() {
        return Err(at(
            None,
            "no `[[source]]`: a pipeline reads at least one".into(),
        ));
    }
    for source in wire.sources {
        let ds_only = |span: Option<Range<usize>>, key: &str| match span {
            Some(span) => Err(at(
                Some(span),
                format!("`{key}` belongs to a `ds_export` source, not a `folder` one"),
            )),
            None => Ok(()),
        };
        sources.push(match source.kind.get_ref().as_str() {
            "folder" => {
                ds_only(source.sheet.as_ref().map(Spanned::span), "sheet")?;
                ds_only(source.wave.as_ref().map(Spanned::span), "wave")?;
                Source::Folder {
                    path: non_empty_path(source.path, "source path", &at)?,
                }
            }
            "ds_export" => {
                let sheet = source
                    .sheet
                    .map(|sheet| {
                        let span = sheet.span();
                        let name = sheet.get_ref().to_ascii_lowercase();
                        if !(name.ends_with(".csv")
                            || name.ends_with(".xlsx")
                            || name.ends_with(".ods"))
                        {
                            return Err(at(
                                Some(span),
                                "the export sheet must be a .csv, .xlsx or .ods file".into(),
                            ));
                        }
                        non_empty_path(sheet, "sheet path", &at)
                    })
                    .transpose()?;
                let wave = source
                    .wave
                    .map(|wave| {
                        u8::try_from(*wave.get_ref())
                            .ok()
                            .filter(|n| (1..=9).contains(n))
                            .ok_or_else(|| {
                                at(Some(wave.span()), "a wave is a number from 1 to 9".into())
                            })
                    })
                    .transpose()?;
                Source::DsExport {
                    path: non_empty_path(source.path, "source path", &at)?,
                    sheet,
                    wave,
                }
            }
            other => {
                return Err(at(
                    Some(source.kind.span()),
                    format!("unknown source kind {other:?}: `folder` or `ds_export`"),
                ));
            }
        });
    }

    let calendar_span = wire.calendar.span();
    let wire_calendar = wire.calendar.into_inner();
    // Without a time-zone database only the programme's own zone is known; naming it keeps the
    // file honest about what its times mean.
    if wire_calendar.time_zone.get_ref() != "Europe/Paris" {
        return Err(at(
            Some(wire_calendar.time_zone.span()),
            format!(
                "unknown time zone {:?}: the calendar is kept in \"Europe/Paris\"",
                wire_calendar.time_zone.get_ref()
            ),
        ));
    }
    let mut waves: Vec<Wave> = Vec::new();
    for wave in wire_calendar.waves {
        let wave = wave.into_inner();
        let number = u8::try_from(*wave.number.get_ref())
            .ok()
            .filter(|n| (1..=9).contains(n))
            .ok_or_else(|| {
                at(
                    Some(wave.number.span()),
                    "a wave is a number from 1 to 9".into(),
                )
            })?;
        let closes = NaiveDateTime::parse_from_str(wave.closes.get_ref(), "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(wave.closes.get_ref(), "%Y-%m-%dT%H:%M"))
            .map_err(|_| {
                at(
                    Some(wave.closes.span()),
                    format!(
                        "{:?} is not a local date-time such as \"2022-01-13T12:00:00\"",
                        wave.closes.get_ref()
                    ),
                )
            })?;
        if let Some(previous) = waves.last()
            && (previous.number >= number || previous.closes >= closes)
        {
            return Err(at(
                Some(wave.number.span()),
                format!(
                    "wave {number} must come after wave {} in number and closing time",
                    previous.number
                ),
            ));
        }
        waves.push(Wave { number, closes });
    }
    if waves.is_empty() {
        return Err(at(
            Some(calendar_span),
            "the calendar has no `[[calendar.wave]]`".into(),
        ));
    }

    let count = match wire.workers.and_then(|w| w.count) {
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(count) => usize::try_from(*count.get_ref())
            .ok()
            .filter(|n| (1..=256).contains(n))
            .ok_or_else(|| {
                at(
                    Some(count.span()),
                    "workers.count is from 1 to 256 (omit it for one per core)".into(),
                )
            })?,
    };

    let mut limits = RunLimits::default();
    if let Some(wire_limits) = wire.limits {
        if let Some(seconds) = wire_limits.file_timeout_seconds {
            let value = *seconds.get_ref();
            if !(value > 0.0 && value <= 86_400.0) {
                return Err(at(
                    Some(seconds.span()),
                    "file_timeout_seconds is more than 0 and at most 86400".into(),
                ));
            }
            limits.file_timeout = Duration::from_secs_f64(value);
        }
        let megabytes = |value: Option<Spanned<i64>>, key: &str, min: i64| {
            value
                .map(|value| {
                    let n = *value.get_ref();
                    if n < min || n > (1 << 20) {
                        return Err(at(
                            Some(value.span()),
                            format!("{key} is from {min} to 1048576"),
                        ));
                    }
                    Ok((n as u64) << 20)
                })
                .transpose()
        };
        // A worker that cannot even map the binary fails at start; 64 MB is a safe floor.
        if let Some(bytes) = megabytes(wire_limits.memory_cap_mb, "memory_cap_mb", 64)? {
            limits.memory_cap_bytes = bytes;
        }
        if let Some(bytes) = megabytes(wire_limits.max_input_mb, "max_input_mb", 1)? {
            limits.max_input_bytes = bytes;
        }
        if let Some(bytes) = megabytes(wire_limits.max_export_mb, "max_export_mb", 1)? {
            limits.max_export_bytes = bytes;
        }
    }

    let out = wire.output;
    let output = Output {
        index: non_empty_path(out.index, "output.index", &at)?,
        state: non_empty_path(out.state, "output.state", &at)?,
        reports: non_empty_path(out.reports, "output.reports", &at)?,
        quarantine: non_empty_path(out.quarantine, "output.quarantine", &at)?,
    };

    Ok(Pipeline {
        name: path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("pipeline")
            .to_string(),
        sources,
        calendar: WaveCalendar {
            time_zone: wire_calendar.time_zone.into_inner(),
            waves,
        },
        workers: Workers { count },
        limits,
        output,
    })
}

impl Pipeline {
    /// The sources (and export sheets) that do not exist under `base`, each as an error at the
    /// pipeline file's top: `check` reports them, `run` refuses to start without them.
    pub fn missing_inputs(&self, file: &Path, base: &Path) -> Vec<ConfigError> {
        let mut missing = Vec::new();
        let mut check = |path: &Path, what: &str| {
            if !base.join(path).exists() {
                missing.push(ConfigError {
                    path: file.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!("{what} {} does not exist", path.display()),
                });
            }
        };
        for source in &self.sources {
            check(source.path(), "source");
            if let Source::DsExport {
                sheet: Some(sheet), ..
            } = source
            {
                check(sheet, "export sheet");
            }
        }
        missing
    }
}

/// What `dossiers check` reports for one file: every problem, parse errors first, then the
/// inputs that do not exist under `base` (the folder runs start from). Empty when the file is
/// good.
pub fn check_pipeline(path: &Path, base: &Path) -> Vec<ConfigError> {
    match load_pipeline(path) {
        Err(error) => vec![error],
        Ok(pipeline) => pipeline.missing_inputs(path, base),
    }
}

fn non_empty_path(
    value: Spanned<String>,
    what: &str,
    at: &impl Fn(Option<Range<usize>>, String) -> ConfigError,
) -> Result<PathBuf, ConfigError> {
    if value.get_ref().trim().is_empty() {
        return Err(at(Some(value.span()), format!("{what} is empty")));
    }
    Ok(PathBuf::from(value.into_inner()))
}

/// toml's messages repeat the offending source line under the first line; the line number is
/// already ours.
fn first_line(error: &toml::de::Error) -> String {
    error
        .message()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"version = 1

[[source]]
kind = "folder"
path = "fixtures/dossiers"

[[source]]
kind = "ds_export"
path = "fixtures/ds-export/export.zip"
sheet = "fixtures/ds-export/dossiers_x_2022-03-04_08-00.csv"
wave = 3

[calendar]
time_zone = "Europe/Paris"
[[calendar.wave]]
number = 2
closes = "2022-01-13T12:00:00"
[[calendar.wave]]
number = 3
closes = "2022-03-03T12:00:00"

[workers]
count = 2

[limits]
file_timeout_seconds = 30
memory_cap_mb = 1024

[output]
index = "out/index"
state = "out/state.sqlite"
reports = "out/reports"
quarantine = "out/quarantine"
"#;

    fn parse(text: &str) -> Result<Pipeline, ConfigError> {
        parse_pipeline(Path::new("pipelines/test.toml"), text)
    }

    /// The error for `text` is on `line` and mentions `needle`.
    fn check_error(text: &str, line: usize, needle: &str) {
        let error = parse(text).unwrap_err();
        assert_eq!(error.line, line, "{error}");
        assert!(error.to_string().contains(needle), "{error}");
        assert!(
            error.to_string().starts_with("pipelines/test.toml:"),
            "{error}"
        );
    }

    #[test]
    fn a_good_file_validates() {
        let pipeline = parse(GOOD).unwrap();
        assert_eq!(pipeline.name, "test");
        assert_eq!(pipeline.sources.len(), 2);
        assert_eq!(
            pipeline.sources[1],
            Source::DsExport {
                path: "fixtures/ds-export/export.zip".into(),
                sheet: Some("fixtures/ds-export/dossiers_x_2022-03-04_08-00.csv".into()),
                wave: Some(3),
            }
        );
        assert_eq!(pipeline.workers.count, 2);
        assert_eq!(pipeline.limits.file_timeout, Duration::from_secs(30));
        assert_eq!(pipeline.limits.memory_cap_bytes, 1 << 30);
        assert_eq!(pipeline.limits.max_input_bytes, 64 << 20);
        assert_eq!(pipeline.output.state, PathBuf::from("out/state.sqlite"));
    }

    #[test]
    fn the_calendar_gives_the_wave() {
        let calendar = parse(GOOD).unwrap().calendar;
        let at = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(calendar.wave_of(at("2021-11-23T23:36")), Some(2));
        assert_eq!(calendar.wave_of(at("2022-01-13T12:00")), Some(2));
        assert_eq!(calendar.wave_of(at("2022-01-13T12:01")), Some(3));
        assert_eq!(calendar.wave_of(at("2022-03-03T12:01")), None);
    }

    #[test]
    fn workers_default_to_the_cores() {
        let text = GOOD.replace("[workers]\ncount = 2\n", "");
        assert!(parse(&text).unwrap().workers.count >= 1);
    }

    #[test]
    fn errors_point_at_the_line() {
        check_error(&GOOD.replace("version = 1", "version = 2"), 1, "version 2");
        check_error(
            &GOOD.replace("version = 1\n", "\n"),
            1,
            "missing `version = 1`",
        );
        check_error(
            &GOOD.replace("wave = 3", "wave = 30"),
            11,
            "wave is a number",
        );
        check_error(
            &GOOD.replace("wave = 3", "waves = 3"),
            11,
            "unknown field `waves`",
        );
        check_error(
            &GOOD.replace("kind = \"folder\"", "kind = \"ftp\""),
            4,
            "ftp",
        );
        check_error(
            &GOOD.replace("Europe/Paris", "UTC"),
            14,
            "unknown time zone",
        );
        check_error(
            &GOOD.replace("2022-03-03T12:00:00", "3 mars 2022"),
            20,
            "not a local date-time",
        );
        check_error(
            &GOOD.replace("2022-03-03T12:00:00", "2022-01-01T12:00:00"),
            19,
            "must come after wave 2",
        );
        check_error(&GOOD.replace("count = 2", "count = 0"), 23, "workers.count");
        check_error(
            &GOOD.replace("memory_cap_mb = 1024", "memory_cap_mb = 1"),
            27,
            "memory_cap_mb",
        );
        check_error(
            &GOOD.replace("file_timeout_seconds = 30", "file_timeout_seconds = -1"),
            26,
            "file_timeout_seconds",
        );
        check_error(&GOOD.replace(".csv\"", ".pdf\""), 10, "export sheet");
        check_error(
            &GOOD.replace("path = \"fixtures/dossiers\"", "path = \"f\"\nwave = 2"),
            6,
            "belongs to a `ds_export` source",
        );
        check_error(
            &GOOD.replace("quarantine = \"out/quarantine\"\n", ""),
            29,
            "quarantine",
        );
        check_error(
            &GOOD.replace("index = \"out/index\"", "index = \"\""),
            30,
            "output.index",
        );
    }
}
