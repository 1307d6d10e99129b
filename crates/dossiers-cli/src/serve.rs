//! `dossiers serve` (the reviewers' web UI of `dossiers-web`) and `dossiers user add NAME`
//! (its accounts).

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use dossiers_pipeline::config::{RunLimits, Source};
use dossiers_pipeline::load_pipeline;
use dossiers_web::auth::{self, Accounts, DEFAULT_ACCOUNTS};
use dossiers_web::originals::Originals;
use dossiers_web::{AppState, ServeOptions};

use crate::index_dir::DEFAULT_INDEX;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The index folder [default: var/index, or the pipeline's index with --pipeline].
    #[arg(long, env = "DOSSIERS_INDEX")]
    index: Option<PathBuf>,
    /// Where to listen. Keep the default loopback address behind a TLS reverse proxy.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The accounts file (written by `dossiers user add`).
    #[arg(long, env = "DOSSIERS_USERS", default_value = DEFAULT_ACCOUNTS)]
    users: PathBuf,
    /// A pipeline file: its index, and its sources for downloading the original files.
    #[arg(long)]
    pipeline: Option<PathBuf>,
    /// A folder of dossier folders holding original files (what `ingest` read); repeatable.
    #[arg(long = "files", value_name = "DIR")]
    files: Vec<PathBuf>,
    /// Mark the session cookie Secure (the server is reached through HTTPS).
    #[arg(long)]
    secure_cookies: bool,
}

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Add an account, or change its password (asked twice on a terminal, else one line on
    /// stdin).
    Add {
        name: String,
        /// The accounts file.
        #[arg(long, env = "DOSSIERS_USERS", default_value = DEFAULT_ACCOUNTS)]
        users: PathBuf,
    },
    /// List the account names.
    List {
        #[arg(long, env = "DOSSIERS_USERS", default_value = DEFAULT_ACCOUNTS)]
        users: PathBuf,
    },
}

pub fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let mut sources: Vec<Source> = args
        .files
        .iter()
        .map(|path| Source::Folder { path: path.clone() })
        .collect();
    let mut limits = RunLimits::default();
    let mut index = args.index.clone();
    if let Some(path) = &args.pipeline {
        let pipeline = load_pipeline(path).map_err(|error| anyhow::anyhow!("{error}"))?;
        sources.extend(pipeline.sources);
        limits = pipeline.limits;
        index = index.or(Some(pipeline.output.index));
    }
    let index = index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    let accounts = Accounts::load(&args.users)?;
    if accounts.is_empty() {
        anyhow::bail!(
            "no account in {}: add one with `dossiers user add NAME --users {}`",
            args.users.display(),
            args.users.display()
        );
    }
    if !args.addr.ip().is_loopback() && !args.secure_cookies {
        tracing::warn!(addr = %args.addr, "listening beyond loopback without --secure-cookies: put a TLS proxy in front");
    }
    if sources.is_empty() {
        eprintln!("dossiers: no --files or --pipeline: original files cannot be downloaded");
    }
    let state = AppState::open(ServeOptions {
        index: index.clone(),
        accounts: args.users.clone(),
        originals: Originals::new(sources, limits),
        secure_cookies: args.secure_cookies,
    })
    .with_context(|| format!("opening the index in {}", index.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(dossiers_web::serve(state, args.addr))?;
    Ok(ExitCode::SUCCESS)
}

pub fn user(args: &UserArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        UserCommand::Add { name, users } => {
            if !auth::valid_name(name) {
                anyhow::bail!(
                    "account name {name:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
                );
            }
            let password = read_password(name)?;
            auth::add_user(users, name, &password)?;
            eprintln!("account {name} saved in {}", users.display());
        }
        UserCommand::List { users } => {
            for name in Accounts::load(users)?.names() {
                println!("{name}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_password(name: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("password for {name}: "))?;
        let again = rpassword::prompt_password("again: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
