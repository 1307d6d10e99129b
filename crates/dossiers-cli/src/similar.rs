//! `dossiers similar ID [--limit N] [--json]`: the dossiers whose text is most like this one's
//! (more-like-this over all the text), to spot twin applications or a family of projects.

use std::io::Write;
use std::process::ExitCode;

use crate::index_dir::IndexDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dossier id.
    id: String,
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Print the hits as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let index = args.index.open()?;
    let hits = index.similar(&args.id, args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
    } else {
        for hit in &hits {
            writeln!(
                out,
                "{}\t{:.2}\t{}\t{}\t{}",
                hit.dossier_id,
                hit.score,
                hit.structure_name.as_deref().unwrap_or("—"),
                hit.legal_form,
                hit.land_control
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
