//! `dossiers search QUERY [--wave N] [--filter FIELD=VALUE]... [--sort KEY [--ascending |
//! --descending]] [--limit N] [--json]`: dossiers by what they say, best first (or in the order
//! asked), with a highlighted passage and the facet counts of the result set. The query
//! language is documented in `dossiers_index::query`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use dossiers_index::Dimension;
use dossiers_index::search::{SearchRequest, SearchResults, SortKey};

use crate::index_dir::IndexDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words, « phrases », -exclusion, prefix*, fuzzy~, section:terms
    /// (foncier:emphytéotique), number ranges (subsidy_share:>0.8). Several arguments are
    /// joined with spaces; a query that starts with `-` goes after `--`.
    #[arg(required = true)]
    query: Vec<String>,
    /// Only dossiers of this wave.
    #[arg(long)]
    wave: Option<u8>,
    /// Only dossiers with this value: legal_form, department, region, land_control, sector,
    /// programme, flag, wave (e.g. --filter legal_form=scic). Repeatable; all must hold.
    #[arg(long = "filter", value_name = "FIELD=VALUE")]
    filters: Vec<String>,
    /// The order: relevance, number, deposited, budget, subsidy or share (French names too).
    /// Amounts and shares come largest first, numbers and dates in their order; missing values
    /// last. A query without words is in number order.
    #[arg(long, value_parser = parse_sort)]
    sort: Option<SortKey>,
    /// Smallest first.
    #[arg(long, conflicts_with = "descending")]
    ascending: bool,
    /// Largest first.
    #[arg(long)]
    descending: bool,
    /// How many hits to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print `{"total", "hits", "facets"}` as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    index: IndexDir,
}

fn parse_sort(name: &str) -> Result<SortKey, String> {
    SortKey::parse(name).ok_or_else(|| {
        let known: Vec<&str> = SortKey::ALL.iter().map(|k| k.name()).collect();
        format!("unknown sort {name:?} (known: {})", known.join(", "))
    })
}

/// Parses `FIELD=VALUE` into a dimension and its value.
pub fn parse_filter(filter: &str) -> anyhow::Result<(Dimension, String)> {
    let (field, value) = filter
        .split_once('=')
        .ok_or_else(|| anyhow::anyhow!("--filter {filter:?}: expected FIELD=VALUE"))?;
    let dimension = Dimension::parse(field).ok_or_else(|| {
        let known: Vec<&str> = Dimension::ALL.iter().map(|d| d.name()).collect();
        anyhow::anyhow!(
            "--filter {filter:?}: unknown field {field:?} (known: {})",
            known.join(", ")
        )
    })?;
    Ok((dimension, value.to_owned()))
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let index = args.index.open()?;
    let mut request = SearchRequest::new(args.query.join(" "));
    request.wave = args.wave;
    request.limit = args.limit;
    request.sort = args.sort.unwrap_or_default();
    request.descending = match (args.ascending, args.descending) {
        (true, _) => Some(false),
        (_, true) => Some(true),
        _ => None,
    };
    request.filters = args
        .filters
        .iter()
        .map(|filter| parse_filter(filter))
        .collect::<anyhow::Result<_>>()?;
    let results = index.search(&request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?;
    } else {
        print_results(&mut out, &request.query, &results, stdout_is_terminal())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

fn print_results(
    out: &mut impl Write,
    query: &str,
    results: &SearchResults,
    terminal: bool,
) -> std::io::Result<()> {
    let (open, close) = if terminal {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    let plural = if results.total == 1 { "" } else { "s" };
    writeln!(out, "{} dossier{plural} for « {query} »", results.total)?;
    for hit in &results.hits {
        let names: Vec<&str> = [
            hit.structure_name.as_deref(),
            hit.manufacture_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        writeln!(
            out,
            "\n{}  {:.2}  wave {}  {}{}  [{} · {}]",
            hit.dossier_id,
            hit.score,
            hit.wave.map_or("?".to_owned(), |w| w.to_string()),
            names.join(" — "),
            hit.commune
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            hit.legal_form,
            hit.land_control
        )?;
        for snippet in &hit.snippets {
            let text = snippet.marked(open, close).replace('\n', " ");
            writeln!(out, "    {}: …{}…", snippet.title.trim(), text.trim())?;
        }
    }
    if results.total > 0 {
        writeln!(out)?;
        for (dimension, values) in &results.facets {
            let shown: Vec<String> = values
                .iter()
                .take(8)
                .map(|v| format!("{} {}", v.value, v.count))
                .collect();
            let more = if values.len() > 8 { " …" } else { "" };
            writeln!(out, "{dimension}: {}{more}", shown.join(" · "))?;
        }
    }
    Ok(())
}
